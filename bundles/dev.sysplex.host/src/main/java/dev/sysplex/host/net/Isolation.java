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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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

	/**
	 * The sysplex LAN's interface in every system's namespace: where the launcher puts the system's
	 * addresses and where the owner takes its DVIPAs.
	 */
	public static final String LAN = "eth0";

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
	static final String CONNS = "CONNS";
	static final String LOAD = "LOAD";
	static final String OK = "OK";

	/**
	 * What a system of an isolated sysplex needs: its name, the run's XCF port, the sysplex key
	 * that proves its XCF links, and where it tells what it does.
	 */
	public record Host(String system, int xcfPort, PassTickets tickets, OwnerRegistry owners, Consumer<String> trace) {
	}

	/** How often every system reads who is alive and who owns each DVIPA. */
	static final int ELECT_MS = 200;

	private final SysplexNetwork network;
	private final Host host;
	private final TcpipStack local;
	private final Map<InetAddress, KernelDistributor> distributors = new ConcurrentHashMap<>();
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
		elect();
		watcher = Thread.ofVirtual().name("DVIPA ownership of " + local.name()).start(() -> {
			while (!closed) {
				try {
					Thread.sleep(ELECT_MS);
				} catch (InterruptedException e) {
					return;
				}
				elect();
			}
		});
	}

	private Thread watcher;
	private boolean routed;
	private volatile String registryTrouble;

	/**
	 * Reads who is alive and who owns each DVIPA; a DVIPA nobody owns is claimed by its highest-ranked
	 * live system (the defining one, else the VIPABACKUP of highest rank), a change of owner is
	 * followed: the new owner loads the distributor (and relearns the connections from the
	 * targets), the others report their servers and connections to it, a system that lost its
	 * ownership stops distributing. When the registry cannot be read, everything stays as it is.
	 */
	private synchronized void elect() {
		if (closed) {
			return;
		}
		Map<String, String> owners;
		Set<String> alive;
		try {
			owners = host.owners().owners();
			alive = host.owners().alive();
			if (registryTrouble != null) {
				host.trace().accept(local.name() + ": the coupling facility (" + host.owners().describe() + ") answers again");
				registryTrouble = null;
			}
		} catch (IOException e) {
			if (registryTrouble == null) {
				registryTrouble = e.getMessage();
				host.trace().accept(local.name() + ": cannot read DVIPA ownership from " + host.owners().describe() + ": "
						+ e.getMessage() + "; the DVIPAs stay where they are until it answers");
			}
			return;
		}
		for (DistributedVipa d : network.dvipas()) {
			String key = d.address().getHostAddress();
			String holder = owners.get(key);
			if (holder == null) {
				TcpipStack best = d.ownerOrder().stream().filter(t -> alive.contains(t.name())).findFirst().orElse(null);
				if (best == local) {
					try {
						if (host.owners().claim(key)) {
							holder = local.name();
						}
					} catch (IOException e) {
						host.trace().accept(local.name() + ": could not claim DVIPA " + key + ": " + e.getMessage());
					}
				}
			}
			TcpipStack now = holder == null ? null : network.stack(holder).orElse(null);
			if (now != d.owner().orElse(null)) {
				moveOwner(d, now);
			}
		}
		links.values().forEach(Link::wake);
		if (++rounds % (1000 / ELECT_MS) == 0) { // every second: the owner's own load, as its targets report theirs
			for (KernelDistributor k : distributors.values()) {
				try {
					k.load(local.name(), load(k.dvipaAddress()));
				} catch (IOException e) {
					host.trace().accept(local.name() + ": its own load on the distributor: " + e.getMessage());
				}
			}
		}
	}

	private long rounds;

	private void moveOwner(DistributedVipa d, TcpipStack now) {
		TcpipStack before = d.owner().orElse(null);
		String a = d.address().getHostAddress();
		if (before == local) {
			KernelDistributor k = distributors.remove(d.address());
			if (k != null) {
				k.close();
			}
			host.trace().accept(local.name() + " no longer owns DVIPA " + a + (now == null ? "" : ": " + now.name()
					+ " does") + "; its distributor stopped");
		}
		d.ownerChanged(now);
		if (now == local) {
			try {
				becomeOwner(d);
				host.trace().accept(local.name() + " owns DVIPA " + a + (before == null ? "" : " (taken over from "
						+ before.name() + ")"));
			} catch (IOException e) {
				host.trace().accept(local.name() + " could not take DVIPA " + a + ": " + e.getMessage());
			}
		} else if (now != null) {
			host.trace().accept(local.name() + ": DVIPA " + a + " is owned by " + now.name());
			link(now).wake();
		} else if (before != null) {
			host.trace().accept(local.name() + ": DVIPA " + a + " has no owner: " + before.name() + " is gone; its "
					+ "highest-ranked live backup takes it");
		}
	}

	/** Loads the DVIPA's distributor here, with this system's servers and connections on it, and announces the DVIPA. */
	private void becomeOwner(DistributedVipa d) throws IOException {
		if (!routed) {
			KernelDistributor.route(network, local);
			routed = true;
		}
		KernelDistributor k = new KernelDistributor(d, network, local, host.trace());
		k.start();
		for (ServerEndpoint e : local.endpoints()) {
			if (e.isDvipa() && e.address().equals(d.address())) {
				k.listen(local.name(), e.port(), e.isSysplexPort());
			}
		}
		k.learn(local.name(), TcpTable.established(d.address()));
		synchronized (distributors) {
			distributors.put(d.address(), k);
			distributors.notifyAll();
		}
		k.announce();
	}

	/** The distributor of a DVIPA this system owns or is about to own (a target may ask first), waiting at most 2 s. */
	private KernelDistributor distributor(InetAddress dvipa) {
		long deadline = System.nanoTime() + 2_000_000_000L;
		synchronized (distributors) {
			KernelDistributor k;
			while ((k = distributors.get(dvipa)) == null && !closed) {
				long left = (deadline - System.nanoTime()) / 1_000_000;
				if (left <= 0) {
					return null;
				}
				try {
					distributors.wait(left);
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					return null;
				}
			}
			return k;
		}
	}

	/** True when every DVIPA has an owner and this system's servers are known to each owner. */
	public boolean settled() {
		for (DistributedVipa d : network.dvipas()) {
			TcpipStack o = d.owner().orElse(null);
			if (o == null || o != local && !link(o).synced()) {
				return false;
			}
		}
		return true;
	}

	/** A server of this system listens on the DVIPA: tell its distributor (and wait for its answer). */
	void listen(DistributedVipa d, ServerEndpoint e) throws IOException {
		KernelDistributor k = distributors.get(d.address());
		if (k != null) {
			k.listen(local.name(), e.port(), e.isSysplexPort());
			return;
		}
		TcpipStack owner = d.owner().orElse(null);
		if (owner != null && owner != local) {
			link(owner).send(d.address(), e.port(), e.isSysplexPort(), LISTEN);
		} // no owner yet: reported to it when there is one
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
		if (owner != null && owner != local) {
			try {
				link(owner).send(d.address(), e.port(), e.isSysplexPort(), UNLISTEN);
			} catch (IOException x) {
				host.trace().accept(local.name() + ": " + x.getMessage());
			}
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
			if (!m.is(LISTEN) && !m.is(UNLISTEN) && !m.is(CONNS) && !m.is(LOAD)) {
				return Message.of(FAILED).with("message", "unknown request " + m.type()).build();
			}
			InetAddress dvipa = InetAddress.getByName(m.require("dvipa"));
			KernelDistributor k = distributor(dvipa);
			if (k == null) {
				return Message.of(FAILED).with("message", local.name() + " does not distribute " + dvipa.getHostAddress())
						.build();
			}
			if (m.is(CONNS)) {
				k.learn(system, parseConnections(m.get("list").orElse("")));
				return Message.of(OK).build();
			}
			if (m.is(LOAD)) {
				k.load(system, parseLoad(m.get("list").orElse("")));
				return Message.of(OK).build();
			}
			int port = m.requireInt("port", 1, 65535);
			boolean sysplexPort = m.get("sysplexport").orElse("false").equals("true");
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

	/** "port:count,..." as a target reports its load. */
	static Map<Integer, Integer> parseLoad(String list) throws ProtocolException {
		Map<Integer, Integer> m = new java.util.TreeMap<>();
		for (String c : list.split(",")) {
			if (c.isBlank()) {
				continue;
			}
			String[] f = c.split(":");
			try {
				m.put(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
			} catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
				throw new ProtocolException("a load is port:count, not " + c);
			}
		}
		return m;
	}

	/** This system's established connections on the DVIPA, per local port. */
	static Map<Integer, Integer> load(InetAddress dvipa) throws IOException {
		Map<Integer, Integer> m = new java.util.TreeMap<>();
		for (TcpTable.Connection c : TcpTable.established(dvipa)) {
			m.merge(c.localPort(), 1, Integer::sum);
		}
		return m;
	}

	private static String loadList(Map<Integer, Integer> load) {
		StringBuilder b = new StringBuilder();
		load.forEach((p, n) -> b.append(b.length() == 0 ? "" : ",").append(p).append(':').append(n));
		return b.toString();
	}

	/** "client:cport:lport,..." as a target sends its connections. */
	static List<TcpTable.Connection> parseConnections(String list) throws IOException {
		List<TcpTable.Connection> conns = new java.util.ArrayList<>();
		for (String c : list.split(",")) {
			if (c.isBlank()) {
				continue;
			}
			String[] f = c.split(":");
			if (f.length != 3) {
				throw new ProtocolException("a connection is client:port:localport, not " + c);
			}
			try {
				conns.add(new TcpTable.Connection(Integer.parseInt(f[2]), InetAddress.getByAddress(ipv4(f[0])),
						Integer.parseInt(f[1])));
			} catch (NumberFormatException e) {
				throw new ProtocolException("not a connection: " + c);
			}
		}
		return conns;
	}

	private static byte[] ipv4(String dotted) throws ProtocolException {
		String[] p = dotted.split("\\.");
		if (p.length != 4) {
			throw new ProtocolException("not an IPv4 address: " + dotted);
		}
		byte[] b = new byte[4];
		for (int i = 0; i < 4; i++) {
			int v = Integer.parseInt(p[i]);
			if (v < 0 || v > 255) {
				throw new ProtocolException("not an IPv4 address: " + dotted);
			}
			b[i] = (byte) v;
		}
		return b;
	}

	private void forget(String system, boolean failed) {
		distributors.values().forEach(k -> k.forget(system, failed));
	}

	// ---- the target's side -------------------------------------------------------------------

	/**
	 * The XCF link of this system to one DVIPA owner. What it reports is read from the stack each
	 * time the link comes up: every server this system has on the DVIPAs that owner owns, and every
	 * connection established on them (a new owner relearns its connection table from its targets).
	 */
	private final class Link {
		private final TcpipStack owner;
		private Socket socket;
		private InputStream in;
		private OutputStream out;
		private volatile boolean synced;
		private final Thread keeper;

		Link(TcpipStack owner) {
			this.owner = owner;
			this.keeper = Thread.ofVirtual().name("xcf link " + local.name() + " to " + owner.name()).start(this::keep);
		}

		/** The DVIPAs the owner owns now. */
		private List<DistributedVipa> served() {
			return network.dvipas().stream().filter(d -> d.owner().orElse(null) == owner).toList();
		}

		boolean synced() {
			return synced || served().stream().noneMatch(d -> local.endpoints().stream()
					.anyMatch(e -> e.isDvipa() && e.address().equals(d.address())));
		}

		/** Brings the link up (and everything reported) soon, or down when the owner serves nothing. */
		void wake() {
			LockSupport.unpark(keeper);
		}

		/** Sends one report and waits for its answer; when the owner cannot be reached the keeper reports it later. */
		synchronized void send(InetAddress dvipa, int port, boolean sysplexPort, String type) throws IOException {
			if (!connected()) {
				host.trace().accept(local.name() + ": the distributor on " + owner.name() + " is not reachable; "
						+ dvipa.getHostAddress() + ":" + port + " is reported when it is");
				return;
			}
			Message reply;
			try {
				reply = request(Message.of(type).with("dvipa", dvipa.getHostAddress()).with("port", port)
						.with("sysplexport", sysplexPort).build());
			} catch (IOException e) {
				drop("the link broke: " + e.getMessage());
				return;
			}
			if (!reply.is(OK)) {
				throw new IOException("the distributor of " + dvipa.getHostAddress() + " on " + owner.name()
						+ " refused port " + port + ": " + reply.get("message").orElse(reply.toString()));
			}
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
			if (served().isEmpty()) {
				return false;
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
			try {
				reportAll();
				synced = true;
			} catch (IOException e) {
				drop("reporting to it failed: " + e.getMessage());
				return false;
			}
			return true;
		}

		/** Everything the owner must know, again (it forgot it with the last link, or is new). */
		private void reportAll() throws IOException {
			for (DistributedVipa d : served()) {
				for (ServerEndpoint e : local.endpoints()) {
					if (e.isDvipa() && e.address().equals(d.address())) {
						Message r = request(Message.of(LISTEN).with("dvipa", d.address().getHostAddress())
								.with("port", e.port()).with("sysplexport", e.isSysplexPort()).build());
						if (!r.is(OK)) {
							host.trace().accept(local.name() + ": " + owner.name() + " refused port " + e.port() + ": "
									+ r.get("message").orElse(""));
						}
					}
				}
				List<TcpTable.Connection> conns = TcpTable.established(d.address());
				for (int i = 0; i < conns.size(); i += 100) {
					StringBuilder list = new StringBuilder();
					for (TcpTable.Connection c : conns.subList(i, Math.min(conns.size(), i + 100))) {
						list.append(list.length() == 0 ? "" : ",").append(c.client().getHostAddress()).append(':')
								.append(c.clientPort()).append(':').append(c.localPort());
					}
					request(Message.of(CONNS).with("dvipa", d.address().getHostAddress()).with("list", list).build());
				}
				if (!conns.isEmpty()) {
					host.trace().accept(local.name() + ": told " + owner.name() + " its " + conns.size()
							+ " connection(s) on DVIPA " + d.address().getHostAddress());
				}
			}
		}

		private void drop(String why) {
			synced = false;
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
				LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(socket == null ? 1_000
						: IDLE_MS / 3));
				synchronized (this) {
					if (closed) {
						return;
					}
					if (served().isEmpty()) {
						drop("it owns no DVIPA any more");
						continue;
					}
					if (socket == null) {
						connected();
						continue;
					}
					try { // the ping carries this system's load on each DVIPA the owner distributes
						List<DistributedVipa> served = served();
						for (DistributedVipa d : served) {
							request(Message.of(LOAD).with("dvipa", d.address().getHostAddress()).with("list",
									loadList(load(d.address()))).build());
						}
						if (served.isEmpty()) {
							request(Message.of(PING).build());
						}
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
		if (watcher != null) {
			watcher.interrupt();
		}
		synchronized (distributors) {
			distributors.notifyAll();
		}
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
