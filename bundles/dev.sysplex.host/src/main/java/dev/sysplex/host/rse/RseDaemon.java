package dev.sysplex.host.rse;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;


import dev.sysplex.host.net.AcceptBackoff;
import dev.sysplex.host.net.ServerEndpoint;
import dev.sysplex.host.net.TcpipStack;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;
import dev.sysplex.protocol.ProtocolException;
import dev.sysplex.protocol.Rse;
import dev.sysplex.protocol.Rse.Status;

/**
 * The RSE daemon of one system. It listens on the DVIPA at its port; for each logon it
 * authenticates the user against the sysplex's registry, starts an RSE server thread
 * ({@link RseSession}) on a port chosen by the rse.env rules, and answers CONNECTED with that
 * port and a single-use ticket (docs/protocol.md). With encryption on, a client that does not
 * start with a TLS ClientHello gets a TLS alert; with it off, a ClientHello gets one: either way
 * the client sees a clean failure at once.
 */
public final class RseDaemon implements Closeable {

	/** Told when users log on and off on this system (the Debug Miner listens here). */
	public interface Listener {
		default void loggedOn(RseSession session) {
		}

		default void loggedOff(RseSession session) {
		}
	}

	private final TcpipStack stack;
	private final InetAddress daemonAddress;
	private final InetAddress serverAddress;
	private final int port;
	private final RseSettings settings;
	private final UserRegistry users;
	private final Optional<RseTls> tls;
	private final List<Listener> listeners = new CopyOnWriteArrayList<>();
	private final Set<RseSession> sessions = ConcurrentHashMap.newKeySet();
	private final System.Logger log = System.getLogger(RseDaemon.class.getName());
	private volatile ServerEndpoint endpoint;
	private volatile JobService jobs;

	/** What the RSE server offers for jobs (the sysplex's job runner). */
	public interface JobService {
		/** Answers a SUBMIT, JOBS or OUTPUT message of {@code user}; null for other messages. */
		Message handle(String user, Message request);
	}

	public void setJobService(JobService service) {
		this.jobs = service;
	}

	JobService jobService() {
		return jobs;
	}

	/**
	 * @param daemonAddress the DVIPA RSED listens on
	 * @param serverAddress where RSE server threads bind: the DVIPA with enable.dDVIPA=true, else
	 *                      the system's own address
	 */
	public RseDaemon(TcpipStack stack, InetAddress daemonAddress, InetAddress serverAddress, int port,
			RseSettings settings, UserRegistry users, Optional<RseTls> tls) {
		this.stack = stack;
		this.daemonAddress = daemonAddress;
		this.serverAddress = serverAddress;
		this.port = port;
		this.settings = settings;
		this.users = users;
		this.tls = tls;
	}

	public void addListener(Listener l) {
		listeners.add(l);
	}

	public String systemName() {
		return stack.name();
	}

	public TcpipStack stack() {
		return stack;
	}

	public int port() {
		return port;
	}

	public boolean encrypted() {
		return tls.isPresent();
	}

	public RseSettings settings() {
		return settings;
	}

	/** Logged-on sessions of this system. */
	public List<RseSession> sessions() {
		return List.copyOf(sessions);
	}

	public Optional<RseSession> session(String user) {
		return sessions(user).stream().findFirst();
	}

	/** Every connected session of the user on this system (a user may be logged on from several clients). */
	public List<RseSession> sessions(String user) {
		String id = UserRegistry.normalize(user);
		return sessions.stream().filter(s -> s.user().equals(id) && s.isConnected()).toList();
	}

	public void start() throws IOException {
		endpoint = stack.listen("RSED", daemonAddress, port);
		ServerEndpoint ep = endpoint;
		Thread.ofVirtual().name("RSED " + stack.name()).start(() -> {
			AcceptBackoff backoff = new AcceptBackoff("RSED on " + stack.name() + " at port " + port,
					line -> log.log(System.Logger.Level.WARNING, line));
			while (!ep.isClosed()) {
				try {
					Socket s = ep.accept();
					backoff.succeeded();
					Thread.ofVirtual().name("RSED logon " + stack.name()).start(() -> logon(s));
				} catch (IOException e) {
					if (ep.isClosed()) {
						return;
					}
					if (!backoff.failed(e)) {
						return;
					}
				}
			}
		});
	}

	private void logon(Socket raw) {
		try (raw) {
			raw.setSoTimeout(Rse.HANDSHAKE_TIMEOUT_MS);
			raw.setTcpNoDelay(true);
			RseTls.Accepted accepted = RseTls.accept(raw, tls, Rse.HANDSHAKE_TIMEOUT_MS, why -> log.log(
					System.Logger.Level.DEBUG, "RSED " + stack.name() + ": refused " + why + " from "
							+ raw.getInetAddress().getHostAddress()));
			if (accepted == null) {
				return;
			}
			Socket conn = accepted.socket();
			InputStream in = accepted.in();
			try (conn) {
				OutputStream out = conn.getOutputStream();
				Message reply = answer(in, out);
				Frames.write(out, reply, Rse.MAX_FRAME);
			}
		} catch (IOException e) {
			log.log(System.Logger.Level.DEBUG, "RSED " + stack.name() + ": logon connection ended: " + e.getMessage());
		}
	}

	private Message answer(InputStream in, OutputStream out) throws IOException {
		Message logon;
		try {
			logon = Frames.read(in, Rse.MAX_FRAME);
		} catch (ProtocolException e) {
			return failed(Status.PROTOCOL, e.getMessage());
		}
		if (logon == null) {
			throw new IOException("the client closed the connection before LOGON");
		}
		char[] password = null;
		try {
			if (!logon.is(Rse.LOGON)) {
				return failed(Status.PROTOCOL, "expected " + Rse.LOGON + ", got " + logon.type());
			}
			int version = logon.requireInt(Rse.F_VERSION, 0, 999);
			if (version != Rse.VERSION) {
				return failed(Status.VERSION, "this RSE daemon speaks version " + Rse.VERSION + " of the RSE "
						+ "protocol, the client version " + version + "; use a client that speaks version " + Rse.VERSION
						+ " (the password was not checked)");
			}
			String user = logon.require(Rse.F_USER);
			password = logon.require(Rse.F_PASSWORD).toCharArray();
			int requested;
			try {
				requested = logon.requireInt(Rse.F_PORT, 0, 65535);
			} catch (ProtocolException e) {
				return failed(Status.PORT_OUT_OF_RANGE, "specified port out of range: " + e.getMessage());
			}
			if (!UserRegistry.isValidUserid(user)) {
				return failed(Status.AUTH_FAILED, "user or password not valid");
			}
			UserRegistry.Verdict verdict = check(user, password, out);
			if (!verdict.ok()) {
				return failed(verdict.status(), verdict.message());
			}
			return startServer(UserRegistry.normalize(user), requested);
		} catch (ProtocolException e) {
			return failed(Status.PROTOCOL, e.getMessage());
		} finally {
			if (password != null) {
				Arrays.fill(password, '\0');
			}
		}
	}

	/**
	 * The password check, queued with every other logon's; while it waits (or runs), the client hears
	 * PENDING every few seconds, so that its read timeout means a silent host, not a busy one. A
	 * client that left is noticed at the next PENDING and its check is withdrawn if not begun.
	 */
	private UserRegistry.Verdict check(String user, char[] password, OutputStream out) throws IOException {
		UserRegistry.Check check;
		try {
			check = users.submitCheck(user, password);
		} catch (java.util.concurrent.RejectedExecutionException e) {
			return new UserRegistry.Verdict(Status.BUSY, UserRegistry.MAX_WAITING_CHECKS
					+ " logons wait for their password check on " + stack.name() + "; try again in a minute");
		}
		try {
			while (true) {
				try {
					return check.verdict().get(Rse.PENDING_EVERY_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
				} catch (java.util.concurrent.TimeoutException e) {
					Frames.write(out, Message.of(Rse.PENDING).with(Rse.F_AHEAD, users.checksAhead(check.number()))
							.build(), Rse.MAX_FRAME);
				}
			}
		} catch (java.util.concurrent.ExecutionException e) {
			Throwable cause = e.getCause();
			throw cause instanceof IOException io ? io : new IOException("the password check failed: " + cause, cause);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while the password was checked", e);
		} finally {
			// the client left (a PENDING could not be written): a check not begun is withdrawn, one
			// that runs completes on its own copy of the password and counts as an attempt
			check.abandon();
		}
	}

	/** The RSE server thread's port: the client's, else _RSE_PORTRANGE, else one the stack assigns. */
	private Message startServer(String user, int requested) {
		ServerEndpoint listener;
		try {
			if (requested != 0) {
				if (settings.denyNonzeroPort()) {
					return failed(Status.PORT_OUT_OF_RANGE, "the host does not accept a port chosen by the client "
							+ "(deny.nonzero.port=true); ask for port 0");
				}
				try {
					listener = stack.listen("RSED", serverAddress, requested);
				} catch (BindException e) {
					return failed(Status.PORT_BUSY, "port " + requested + " cannot be used on " + stack.name() + ": "
							+ e.getMessage());
				}
			} else if (settings.portRange().isPresent()) {
				listener = inRange(settings.portRange().get());
				if (listener == null) {
					int[] r = settings.portRange().get();
					return failed(Status.PORT_BUSY, "every port of _RSE_PORTRANGE=" + r[0] + "-" + r[1] + " is in use on "
							+ stack.name());
				}
			} else {
				listener = stack.listen("RSED", serverAddress, 0);
			}
		} catch (IOException e) {
			return failed(Status.SERVER_FAILURE, "the RSE server thread could not be started on " + stack.name() + ": "
					+ e.getMessage());
		}
		RseSession session = RseSession.start(this, user, listener, tls);
		sessions.add(session);
		return Message.of(Rse.CONNECTED).with(Rse.F_PORT, listener.port()).with(Rse.F_TICKET, session.ticket())
				.with(Rse.F_SYSTEM, stack.name()).with(Rse.F_ENCRYPTED, tls.isPresent())
				.with(Rse.F_EXPIRES, settings.ticketSeconds()).build();
	}

	private ServerEndpoint inRange(int[] range) throws IOException {
		for (int p = range[0]; p < range[1]; p++) {
			try {
				return stack.listen("RSED", serverAddress, p);
			} catch (BindException busy) {
				// held by another RSE server between its bind and its client's connect: next
			}
		}
		return null;
	}

	private Message failed(Status status, String message) {
		log.log(System.Logger.Level.INFO, "RSED " + stack.name() + ": logon refused: " + status + ": " + message);
		return Message.of(Rse.FAILED).with(Rse.F_STATUS, status.name()).with(Rse.F_MESSAGE, message)
				.with(Rse.F_SYSTEM, stack.name()).build();
	}

	void connected(RseSession s) {
		listeners.forEach(l -> l.loggedOn(s));
	}

	void ended(RseSession s) {
		if (sessions.remove(s) && s.wasConnected()) {
			listeners.forEach(l -> l.loggedOff(s));
		}
	}

	/** Stops the daemon and ends every session of this system. */
	@Override
	public void close() {
		if (endpoint != null) {
			endpoint.close();
		}
		for (RseSession s : new ArrayList<>(sessions)) {
			s.close();
		}
	}

	@Override
	public String toString() {
		return "RSED on " + stack.name() + " at " + daemonAddress.getHostAddress() + ":" + port + " ("
				+ tls.map(Object::toString).orElse("no encryption") + "; RSE servers bind "
				+ serverAddress.getHostAddress() + settings.portRange().map(r -> ", _RSE_PORTRANGE=" + r[0] + "-" + r[1])
						.orElse("")
				+ ")";
	}
}
