package dev.sysplex.host.rse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLSocket;

import dev.sysplex.host.net.ServerEndpoint;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;
import dev.sysplex.protocol.ProtocolException;
import dev.sysplex.protocol.Rse;
import dev.sysplex.protocol.Rse.Status;

/**
 * One RSE server thread: it listens on its port until the client presents the logon's ticket
 * (single use, valid for sysplex.ticket.timeout seconds), stops listening then, and serves the
 * session protocol (version 2: every request numbered, answers carry the request's number; job
 * requests run beside each other): WHOAMI, PING, SUBMIT, JOBS, OUTPUT, CANCEL, LOGOFF, and NOTIFY messages
 * from the host to the client. It
 * ends when the client logs off or disconnects, or after sysplex.session.idle.timeout seconds
 * without a message.
 */
public final class RseSession {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final RseDaemon daemon;
	private final String user;
	private final ServerEndpoint listener;
	private final Optional<RseTls> tls;
	private final String ticket;
	private final Instant expires;
	private volatile boolean ticketUsed;
	private volatile Socket connection;
	private volatile OutputStream out;
	private volatile boolean connected;
	private volatile boolean wasConnected;
	private volatile boolean closed;
	private final System.Logger log = System.getLogger(RseSession.class.getName());

	private RseSession(RseDaemon daemon, String user, ServerEndpoint listener, Optional<RseTls> tls) {
		this.daemon = daemon;
		this.user = user;
		this.listener = listener;
		this.tls = tls;
		byte[] t = new byte[24];
		RANDOM.nextBytes(t);
		this.ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
		this.expires = Instant.now().plusSeconds(daemon.settings().ticketSeconds());
	}

	static RseSession start(RseDaemon daemon, String user, ServerEndpoint listener, Optional<RseTls> tls) {
		RseSession s = new RseSession(daemon, user, listener, tls);
		Thread.ofVirtual().name("RSE server " + user + "@" + daemon.systemName() + ":" + listener.port())
				.start(s::run);
		return s;
	}

	public String user() {
		return user;
	}

	public String systemName() {
		return daemon.systemName();
	}

	public int port() {
		return listener.port();
	}

	public boolean isConnected() {
		return connected;
	}

	boolean wasConnected() {
		return wasConnected;
	}

	String ticket() {
		return ticket;
	}

	private void run() {
		try {
			Socket s = awaitTicket();
			if (s == null) {
				return;
			}
			serve(s);
		} finally {
			close();
			daemon.ended(this);
		}
	}

	/** Accepts connections until one presents the ticket; others are answered and closed. */
	private Socket awaitTicket() {
		try {
			while (!closed) {
				Duration left = Duration.between(Instant.now(), expires);
				if (left.isNegative() || left.isZero()) {
					log.log(System.Logger.Level.INFO, "RSE server " + this + ": ticket expired, nobody connected");
					return null;
				}
				Socket s;
				try {
					s = listener.accept(left);
				} catch (SocketTimeoutException e) {
					continue;
				}
				Socket session = checkTicket(s);
				if (session != null) {
					listener.close(); // the port is held only until the client has connected
					return session;
				}
			}
		} catch (IOException e) {
			log.log(System.Logger.Level.DEBUG, "RSE server " + this + " stopped waiting: " + e.getMessage());
		}
		return null;
	}

	/** The connection if it presented this session's ticket, else null (after answering FAILED). */
	private Socket checkTicket(Socket raw) {
		Socket conn = raw;
		try {
			raw.setSoTimeout(Rse.HANDSHAKE_TIMEOUT_MS);
			raw.setTcpNoDelay(true);
			InputStream rawIn = raw.getInputStream();
			int first = rawIn.read();
			if (first < 0) {
				raw.close();
				return null;
			}
			InputStream in;
			if (tls.isPresent()) {
				if (first != Frames.TLS_HANDSHAKE_RECORD) {
					RseTls.alert(raw, RseTls.ALERT_UNEXPECTED_MESSAGE);
					raw.close();
					return null;
				}
				SSLSocket ssl = tls.get().wrap(raw, new byte[] { (byte) first });
				ssl.startHandshake();
				conn = ssl;
				in = ssl.getInputStream();
			} else {
				if (first == Frames.TLS_HANDSHAKE_RECORD) {
					RseTls.alert(raw, RseTls.ALERT_HANDSHAKE_FAILURE);
					raw.close();
					return null;
				}
				in = new SequenceInputStream(new ByteArrayInputStream(new byte[] { (byte) first }), rawIn);
			}
			Message m;
			try {
				m = Frames.read(in, Rse.MAX_FRAME);
			} catch (ProtocolException e) {
				return refuse(conn, Status.PROTOCOL, e.getMessage());
			}
			if (m == null || !m.is(Rse.TICKET)) {
				return refuse(conn, Status.PROTOCOL, "expected " + Rse.TICKET + " first");
			}
			String version = m.get(Rse.F_VERSION).orElse("none");
			if (!version.equals(Integer.toString(Rse.VERSION))) {
				return refuse(conn, Status.VERSION, "this RSE server speaks version " + Rse.VERSION + " of the RSE "
						+ "protocol, the client version " + version + "; update the client");
			}
			String presented = m.get(Rse.F_TICKET).orElse("");
			boolean match = MessageDigest.isEqual(presented.getBytes(StandardCharsets.US_ASCII),
					ticket.getBytes(StandardCharsets.US_ASCII));
			if (!match) {
				return refuse(conn, Status.TICKET_INVALID, "this RSE server on " + systemName() + " port " + port()
						+ " did not issue that ticket");
			}
			synchronized (this) {
				if (ticketUsed) {
					return refuse(conn, Status.TICKET_USED, "the ticket was used already");
				}
				if (Instant.now().isAfter(expires)) {
					return refuse(conn, Status.TICKET_EXPIRED, "the ticket expired at " + expires);
				}
				ticketUsed = true;
			}
			out = conn.getOutputStream();
			connection = conn;
			connected = true;
			wasConnected = true;
			send(session(null));
			this.in = in;
			daemon.connected(this);
			return conn;
		} catch (IOException e) {
			log.log(System.Logger.Level.DEBUG, "RSE server " + this + ": a connection failed: " + e.getMessage());
			quietClose(conn);
			return null;
		}
	}

	private volatile InputStream in;

	private Socket refuse(Socket conn, Status status, String message) {
		try {
			Frames.write(conn.getOutputStream(), Message.of(Rse.FAILED).with(Rse.F_STATUS, status.name())
					.with(Rse.F_MESSAGE, message).with(Rse.F_SYSTEM, systemName()).build());
		} catch (IOException e) {
			// the peer is gone
		}
		quietClose(conn);
		return null;
	}

	private Message session(String id) {
		Message.Builder b = Message.of(Rse.SESSION);
		if (id != null) {
			b.with(Rse.F_ID, id);
		}
		return b.with(Rse.F_SYSTEM, systemName()).with(Rse.F_USER, user)
				.with(Rse.F_PORT, port()).with(Rse.F_ENCRYPTED, tls.isPresent())
				.with(Rse.F_IDLE, daemon.settings().idleSeconds()).build();
	}

	private void serve(Socket s) {
		try {
			s.setSoTimeout(daemon.settings().idleSeconds() * 1000);
			while (!closed) {
				Message m;
				try {
					m = Frames.read(in, Rse.MAX_FRAME);
				} catch (SocketTimeoutException idle) {
					send(Message.of(Rse.BYE).with(Rse.F_MESSAGE, "idle for " + daemon.settings().idleSeconds()
							+ " s; the RSE server on " + systemName() + " ended the session").build());
					return;
				} catch (ProtocolException e) {
					send(failure(null, Status.PROTOCOL, e.getMessage()));
					return;
				}
				if (m == null) {
					return; // the client disconnected
				}
				String id = m.get(Rse.F_ID).orElse(null);
				if (!validId(id)) {
					send(failure(null, Status.PROTOCOL, m.type() + " without a valid " + Rse.F_ID + "= (version "
							+ Rse.VERSION + " numbers every request, 1 to " + Long.MAX_VALUE + "); got "
							+ (id == null ? "none" : "'" + id + "'")));
					return;
				}
				switch (m.type()) {
				case Rse.PING -> send(Message.of(Rse.PONG).with(Rse.F_ID, id).build());
				case Rse.WHOAMI -> send(session(id));
				case Rse.SUBMIT, Rse.JOBS, Rse.OUTPUT, Rse.CANCEL -> jobRequest(id, m);
				case Rse.LOGOFF -> {
					send(Message.of(Rse.BYE).with(Rse.F_ID, id).with(Rse.F_MESSAGE, "logged off").build());
					return;
				}
				default -> {
					send(failure(id, Status.PROTOCOL, "unknown message " + m.type()));
					return;
				}
				}
			}
		} catch (IOException e) {
			log.log(System.Logger.Level.DEBUG, "RSE server " + this + ": session ended: " + e.getMessage());
		}
	}

	private static boolean validId(String id) {
		if (id == null || id.isEmpty() || id.length() > 19 || id.charAt(0) == '0') {
			return false;
		}
		for (int i = 0; i < id.length(); i++) {
			if (id.charAt(i) < '0' || id.charAt(i) > '9') {
				return false;
			}
		}
		try {
			return Long.parseLong(id) > 0;
		} catch (NumberFormatException e) {
			return false; // beyond Long.MAX_VALUE
		}
	}

	private Message failure(String id, Status status, String message) {
		Message.Builder b = Message.of(Rse.FAILED);
		if (id != null) {
			b.with(Rse.F_ID, id);
		}
		return b.with(Rse.F_STATUS, status.name()).with(Rse.F_MESSAGE, message).with(Rse.F_SYSTEM, systemName())
				.build();
	}

	/** Requests of this session being worked on (job requests run beside each other). */
	private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(Rse.MAX_IN_FLIGHT);

	/**
	 * A job request runs in its own thread, so that a submit that compiles does not hold up a job
	 * list; its answer carries its id and may come before the answers of earlier requests.
	 */
	private void jobRequest(String id, Message m) throws IOException {
		RseDaemon.JobService jobs = daemon.jobService();
		if (jobs == null) {
			send(failure(id, Status.JOB, "no job runner on this host"));
			return;
		}
		if (!inFlight.tryAcquire()) {
			send(failure(id, Status.BUSY, Rse.MAX_IN_FLIGHT + " requests of this session are in progress on "
					+ systemName() + "; send the next one when one of them is answered"));
			return;
		}
		Thread.ofVirtual().name("RSE " + m.type() + " " + id + " of " + this).start(() -> {
			try {
				Message answer = jobs.handle(user, m);
				Message.Builder b = Message.of(answer.type()).with(Rse.F_ID, id);
				answer.fields().forEach(b::with);
				try {
					send(b.build());
				} catch (Frames.FrameTooLarge e) {
					// the job service keeps its answers within the limit; should one not fit, say so and go on
					send(failure(id, Status.JOB, "the answer to " + m.type() + " does not fit one frame ("
							+ e.getMessage() + ")"));
				}
			} catch (IOException | RuntimeException e) {
				log.log(System.Logger.Level.DEBUG, "RSE server " + this + ": " + m.type() + " " + id
						+ " not answered: " + e);
				if (e instanceof RuntimeException) {
					try {
						send(failure(id, Status.JOB, m.type() + " failed on " + systemName() + ": " + e));
					} catch (IOException gone) {
						// the session has ended
					}
				}
			} finally {
				inFlight.release();
			}
		});
	}

	private void send(Message m) throws IOException {
		OutputStream o = out;
		if (o == null) {
			throw new IOException("no client is connected to " + this);
		}
		synchronized (o) {
			Frames.write(o, m, Rse.MAX_FRAME);
		}
	}

	/** Sends a host-to-client notification on this session (for example "debug session waiting"). */
	public void notify(String kind, Map<String, String> fields) throws IOException {
		Message.Builder b = Message.of(Rse.NOTIFY).with(Rse.F_KIND, kind);
		fields.forEach(b::with);
		send(b.build());
	}

	/** Ends the session and frees its port. */
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		connected = false;
		listener.close();
		quietClose(connection);
	}

	private static void quietClose(Socket s) {
		if (s != null) {
			try {
				s.close();
			} catch (IOException e) {
				// closing after an error: nothing more to tell anyone
			}
		}
	}

	@Override
	public String toString() {
		return user + "@" + systemName() + ":" + port();
	}
}
