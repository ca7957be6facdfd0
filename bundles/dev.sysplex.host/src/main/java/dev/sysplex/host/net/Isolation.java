package dev.sysplex.host.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.sysplex.host.security.PassTickets;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;
import dev.sysplex.protocol.ProtocolException;

/**
 * One system of an isolated sysplex (the system runs in a process and network namespace of its
 * own): the distributors of the DVIPAs it owns, programmed into its kernel, and its XCF links.
 * A target tells the DVIPA's owner which servers it has listening on the DVIPA, as z/OS targets
 * tell their distributor over XCF: here over a TCP connection from the target's XCF address to
 * the owner's XCF address, at the port the whole run uses. Who may speak on it: only a system of
 * this sysplex, from its own address, proven by an HMAC under the sysplex's key
 * (security/ptktdata) over both sides' nonces; a program that merely connects (a job on the same
 * LAN, say) is refused before it can route anything.
 * <p>
 * Each message gets an answer before the next is sent, so a server's bind returns only once the
 * owner's kernel routes its port (a client's connection right after a logon finds it). A target
 * that cannot reach the owner keeps its servers and reports them all again when the link is back;
 * the owner forgets a target's servers when its link ends (the target failed, or left).
 */
public final class Isolation implements AutoCloseable {

	/** The largest XCF message. */
	static final int MAX_FRAME = 4096;
	/** Connect and handshake; one answer. */
	static final int TIMEOUT_MS = 5_000;
	/**
	 * A link with no message for this long is dead (a target pings every third of it): the owner's
	 * failure detection for a target whose end sent nothing (a process that ends closes its socket,
	 * and the owner learns at once).
	 */
	static final int IDLE_MS = 3_000;

	static final String CHALLENGE = "XCF-CHALLENGE";
	static final String HELLO = "XCF-HELLO";
	static final String WELCOME = "XCF-WELCOME";
	static final String FAILED = "XCF-FAILED";
	static final String LISTEN = "LISTEN";
	static final String UNLISTEN = "UNLISTEN";
	static final String PING = "PING";
	static final String OK = "OK";

	/**
	 * What a system of an isolated sysplex needs: its name, the run's XCF port, the sysplex key
	 * that proves its XCF links, and where it tells what it does.
	 */
	public record Host(String system, int xcfPort, PassTickets tickets, Consumer<String> trace) {
	}

	private final SysplexNetwork network;
	private final Host host;
	private final TcpipStack local;
	private final Map<InetAddress, KernelDistributor> distributors = new LinkedHashMap<>();
	private final Map<String, Link> links = new ConcurrentHashMap<>();
	/** The current XCF connection of each target (a newer one replaces it). */
	private final Map<String, Long> targets = new ConcurrentHashMap<>();
	private final AtomicLong generations = new AtomicLong();
	private ServerSocket xcf;
	private volatile boolean closed;

	Isolation(SysplexNetwork network, Host host) {
		this.network = network;
		this.host = host;
		this.local = network.stack(host.system()).orElseThrow(() -> new IllegalArgumentException("no system "
				+ host.system() + " in the sysplex"));
	}

	Host host() {
		return host;
	}

	TcpipStack local() {
		return local;
	}

	/** The address this system's XCF link uses: its DYNAMICXCF address, else its own. */
	static InetAddress xcfAddress(TcpipStack s) {
		return s.xcfAddress().orElse(s.homeAddress());
	}

	/** Opens the XCF port and starts the distributor of every DVIPA this system owns. */
	void start() throws IOException {
		xcf = new ServerSocket();
		xcf.setReuseAddress(true);
		try {
			xcf.bind(new InetSocketAddress(xcfAddress(local), host.xcfPort()), 64);
		} catch (IOException e) {
			xcf.close();
			throw new IOException("the XCF port " + xcfAddress(local).getHostAddress() + ":" + host.xcfPort() + " of "
					+ local.name() + " cannot be opened: " + e.getMessage(), e);
		}
		Thread.ofVirtual().name("xcf " + local.name()).start(this::acceptLinks);
		boolean routed = false;
		for (DistributedVipa d : network.dvipas()) {
			if (d.owner().orElse(null) == local) {
				if (!routed) {
					KernelDistributor.route(network, local);
					routed = true;
				}
				KernelDistributor k = new KernelDistributor(d, network, local, host.trace());
				k.start();
				distributors.put(d.address(), k);
			}
		}
	}

	/** A server of this system listens on the DVIPA: tell its distributor (and wait for its answer). */
	void listen(DistributedVipa d, ServerEndpoint e) throws IOException {
		KernelDistributor k = distributors.get(d.address());
		if (k != null) {
			k.listen(local.name(), e.port(), e.isSysplexPort());
			return;
		}
		TcpipStack owner = d.owner().orElse(null);
		if (owner != null) {
			link(owner).listen(d.address(), e.port(), e.isSysplexPort());
		}
	}

	void unlisten(DistributedVipa d, ServerEndpoint e) {
		KernelDistributor k = distributors.get(d.address());
		try {
			if (k != null) {
				k.unlisten(local.name(), e.port(), e.isSysplexPort());
				return;
			}
		} catch (IOException x) {
			host.trace().accept("the distributor of " + d.address().getHostAddress() + " could not drop port " + e.port()
					+ ": " + x.getMessage());
			return;
		}
		TcpipStack owner = d.owner().orElse(null);
		if (owner != null) {
			link(owner).unlisten(d.address(), e.port(), e.isSysplexPort());
		}
	}

	/** The distributor's routing of a DVIPA this system owns: port -> target systems. */
	Optional<Map<Integer, List<String>>> routing(InetAddress dvipa) {
		return Optional.ofNullable(distributors.get(dvipa)).map(KernelDistributor::targets);
	}

	private Link link(TcpipStack owner) {
		return links.computeIfAbsent(owner.name(), n -> new Link(owner));
	}

	// ---- the owner's side --------------------------------------------------------------------

	private void acceptLinks() {
		AcceptBackoff backoff = new AcceptBackoff("XCF port of " + local.name(), host.trace());
		while (!closed) {
			Socket s;
			try {
				s = xcf.accept();
			} catch (IOException e) {
				if (closed || !backoff.failed(e)) {
					return;
				}
				continue;
			}
			backoff.succeeded();
			Thread.ofVirtual().name("xcf link to " + local.name()).start(() -> serve(s));
		}
	}

	private void serve(Socket s) {
		String from = s.getInetAddress().getHostAddress() + ":" + s.getPort();
		String system = null;
		long generation = generations.incrementAndGet();
		try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
			s.setSoTimeout(TIMEOUT_MS);
			String nonce = PassTickets.nonce();
			Frames.write(out, Message.of(CHALLENGE).with("system", local.name()).with("nonce", nonce).build(), MAX_FRAME);
			Message hello = Frames.read(in, MAX_FRAME);
			if (hello == null || !hello.is(HELLO)) {
				host.trace().accept("XCF port of " + local.name() + ": " + from + " sent " + hello + " instead of "
						+ HELLO + "; closed");
				return;
			}
			String claimed = hello.require("system");
			String theirs = hello.require("nonce");
			Optional<TcpipStack> peer = network.stack(claimed).filter(t -> t != local);
			String refusal = peer.isEmpty() ? claimed + " is no other system of this sysplex"
					: !s.getInetAddress().equals(xcfAddress(peer.get())) && !s.getInetAddress().equals(peer.get().homeAddress())
							? "it comes from " + s.getInetAddress().getHostAddress() + ", not from " + claimed + "'s address"
							: !host.tickets().verifyMac(hello.get("mac").orElse(null), HELLO, nonce, claimed, theirs)
									? "its proof does not verify under the sysplex key (security/ptktdata)" : null;
			if (refusal != null) {
				host.trace().accept("XCF port of " + local.name() + ": refused " + from + " claiming to be " + claimed
						+ ": " + refusal);
				Frames.write(out, Message.of(FAILED).with("message", "refused: " + refusal).build(), MAX_FRAME);
				return;
			}
			system = peer.get().name();
			Frames.write(out, Message.of(WELCOME).with("mac", host.tickets().mac(WELCOME, theirs, local.name(), system))
					.build(), MAX_FRAME);
			Long before = targets.put(system, generation);
			if (before != null) {
				forget(system, false); // a new link: the target reports everything again
			}
			host.trace().accept("XCF link from " + system + " (" + from + ") to " + local.name() + " up");
			s.setSoTimeout(IDLE_MS);
			for (Message m; (m = Frames.read(in, MAX_FRAME)) != null;) {
				Frames.write(out, handle(system, m), MAX_FRAME);
			}
		} catch (SocketTimeoutException e) {
			host.trace().accept("XCF link from " + (system == null ? from : system) + " to " + local.name()
					+ ": nothing within " + (system == null ? TIMEOUT_MS : IDLE_MS) + " ms; closed");
		} catch (IOException e) {
			if (!closed) {
				host.trace().accept("XCF link from " + (system == null ? from : system) + " to " + local.name() + " ended: "
						+ e.getMessage());
			}
		} finally {
			if (system != null && targets.remove(system, generation)) {
				forget(system, true);
				host.trace().accept("XCF link from " + system + " to " + local.name() + " down: its servers no longer get "
						+ "connections of the DVIPAs " + local.name() + " distributes, and the connections routed to it are "
						+ "reset");
			}
		}
	}

	private Message handle(String system, Message m) {
		try {
			if (m.is(PING)) {
				return Message.of(OK).build();
			}
			if (!m.is(LISTEN) && !m.is(UNLISTEN)) {
				return Message.of(FAILED).with("message", "unknown request " + m.type()).build();
			}
			InetAddress dvipa = InetAddress.getByName(m.require("dvipa"));
			int port = m.requireInt("port", 1, 65535);
			boolean sysplexPort = m.get("sysplexport").orElse("false").equals("true");
			KernelDistributor k = distributors.get(dvipa);
			if (k == null) {
				return Message.of(FAILED).with("message", local.name() + " does not distribute " + dvipa.getHostAddress())
						.build();
			}
			if (m.is(LISTEN)) {
				k.listen(system, port, sysplexPort);
			} else {
				k.unlisten(system, port, sysplexPort);
			}
			return Message.of(OK).build();
		} catch (IOException e) {
			return Message.of(FAILED).with("message", e.getMessage()).build();
		}
	}

	private void forget(String system, boolean failed) {
		distributors.values().forEach(k -> k.forget(system, failed));
	}

	// ---- the target's side -------------------------------------------------------------------

	/** The XCF link of this system to one DVIPA owner: the servers reported there, resent on reconnect. */
	private final class Link {
		private record Listener(InetAddress dvipa, int port, boolean sysplexPort) {
		}

		private final TcpipStack owner;
		private final Set<Listener> listeners = new LinkedHashSet<>();
		private Socket socket;
		private InputStream in;
		private OutputStream out;
		private final Thread keeper;

		Link(TcpipStack owner) {
			this.owner = owner;
			this.keeper = Thread.ofVirtual().name("xcf link " + local.name() + " to " + owner.name()).start(this::keep);
		}

		synchronized void listen(InetAddress dvipa, int port, boolean sysplexPort) throws IOException {
			Listener l = new Listener(dvipa, port, sysplexPort);
			listeners.add(l);
			if (!send(l, LISTEN)) {
				host.trace().accept(local.name() + ": the distributor on " + owner.name() + " is not reachable; "
						+ dvipa.getHostAddress() + ":" + port + " is reported when it is");
			}
		}

		synchronized void unlisten(InetAddress dvipa, int port, boolean sysplexPort) {
			Listener l = new Listener(dvipa, port, sysplexPort);
			if (listeners.remove(l)) {
				try {
					send(l, UNLISTEN);
				} catch (IOException e) {
					host.trace().accept(local.name() + ": " + e.getMessage());
				}
			}
		}

		/** Sends one report; false when the owner cannot be reached (the keeper reports it later). */
		private boolean send(Listener l, String type) throws IOException {
			if (!connected()) {
				return false;
			}
			Message reply;
			try {
				reply = request(Message.of(type).with("dvipa", l.dvipa().getHostAddress()).with("port", l.port())
						.with("sysplexport", l.sysplexPort()).build());
			} catch (IOException e) {
				drop("the link broke: " + e.getMessage());
				return false;
			}
			if (!reply.is(OK)) {
				throw new IOException("the distributor of " + l.dvipa().getHostAddress() + " on " + owner.name()
						+ " refused port " + l.port() + ": " + reply.get("message").orElse(reply.toString()));
			}
			return true;
		}

		private Message request(Message m) throws IOException {
			Frames.write(out, m, MAX_FRAME);
			Message reply = Frames.read(in, MAX_FRAME);
			if (reply == null) {
				throw new IOException(owner.name() + " closed the XCF link");
			}
			return reply;
		}

		private boolean connected() {
			if (socket != null) {
				return true;
			}
			InetSocketAddress to = new InetSocketAddress(xcfAddress(owner), host.xcfPort());
			Socket s = new Socket();
			try {
				s.bind(new InetSocketAddress(xcfAddress(local), 0));
				s.connect(to, TIMEOUT_MS);
				s.setSoTimeout(TIMEOUT_MS);
				s.setTcpNoDelay(true);
				InputStream i = s.getInputStream();
				OutputStream o = s.getOutputStream();
				Message challenge = Frames.read(i, MAX_FRAME);
				if (challenge == null || !challenge.is(CHALLENGE) || !owner.name().equals(challenge.get("system").orElse(""))) {
					throw new ProtocolException("the XCF port " + to + " sent " + challenge + ", not " + owner.name()
							+ "'s challenge");
				}
				String nonce = PassTickets.nonce();
				Frames.write(o, Message.of(HELLO).with("system", local.name()).with("nonce", nonce)
						.with("mac", host.tickets().mac(HELLO, challenge.require("nonce"), local.name(), nonce)).build(),
						MAX_FRAME);
				Message welcome = Frames.read(i, MAX_FRAME);
				if (welcome == null || !welcome.is(WELCOME)) {
					throw new ProtocolException(owner.name() + " refused the XCF link: " + (welcome == null ? "closed"
							: welcome.get("message").orElse(welcome.toString())));
				}
				if (!host.tickets().verifyMac(welcome.get("mac").orElse(null), WELCOME, nonce, owner.name(), local.name())) {
					throw new ProtocolException("the program at " + to + " is not " + owner.name() + " (its proof does not "
							+ "verify under the sysplex key); nothing was reported to it");
				}
				socket = s;
				in = i;
				out = o;
			} catch (IOException e) {
				try {
					s.close();
				} catch (IOException ignored) {
					// closing a socket that never connected
				}
				return false;
			}
			host.trace().accept("XCF link from " + local.name() + " to " + owner.name() + " up");
			for (Listener l : listeners) { // what the owner must know, again (it forgot them with the last link)
				try {
					if (!send(l, LISTEN)) {
						return false;
					}
				} catch (IOException e) {
					host.trace().accept(local.name() + ": " + e.getMessage());
				}
			}
			return true;
		}

		private void drop(String why) {
			if (socket != null) {
				host.trace().accept("XCF link from " + local.name() + " to " + owner.name() + " down: " + why);
				try {
					socket.close();
				} catch (IOException ignored) {
					// gone already
				}
				socket = null;
			}
		}

		/** Pings the owner every third of the idle time; reconnects (and reports again) when the link broke. */
		private void keep() {
			while (!closed) {
				try {
					Thread.sleep(socket == null ? 1_000 : IDLE_MS / 3);
				} catch (InterruptedException e) {
					return;
				}
				synchronized (this) {
					if (closed) {
						return;
					}
					if (socket == null) {
						if (!listeners.isEmpty()) {
							connected();
						}
						continue;
					}
					try {
						request(Message.of(PING).build());
					} catch (IOException e) {
						drop("no answer to a ping: " + e.getMessage());
					}
				}
			}
		}

		synchronized void close() {
			keeper.interrupt();
			drop("this system stops");
		}
	}

	@Override
	public void close() {
		closed = true;
		links.values().forEach(Link::close);
		try {
			if (xcf != null) {
				xcf.close();
			}
		} catch (IOException e) {
			// closing
		}
		distributors.values().forEach(KernelDistributor::close);
	}
}
