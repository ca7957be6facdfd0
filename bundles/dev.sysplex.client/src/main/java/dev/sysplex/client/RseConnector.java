package dev.sysplex.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;
import dev.sysplex.protocol.ProtocolException;
import dev.sysplex.protocol.Rse;
import dev.sysplex.protocol.Rse.Status;

/**
 * Logs on to RSE through a DVIPA, as z/OS Explorer clients do: connect to the daemon
 * (encryption per {@link EncryptionPolicy}), authenticate, receive the RSE server's port and a
 * ticket, then connect to that port <em>on the host the user gave</em> (the DVIPA, never the
 * address of the system that answered) and present the ticket. Pure Java; shared by the command
 * line and the Eclipse client. Every failure is a {@link ConnectException} naming the step.
 */
public final class RseConnector {

	/** Settings; the defaults suit an interactive client. */
	public static final class Options {
		Duration connectTimeout = Duration.ofSeconds(5);
		Duration readTimeout = Duration.ofSeconds(15);
		TlsMemory tlsMemory = TlsMemory.enabled(TlsMemory.DEFAULT_TTL);
		TrustStore trustStore = TrustStore.inMemory();
		TrustDecision trustDecision = TrustDecision.REJECT_UNKNOWN;
		boolean autoReconnect = true;
		int reconnectAttempts = 5;
		Duration reconnectBackoff = Duration.ofMillis(250);
		Duration reconnectMaxBackoff = Duration.ofSeconds(4);
		Duration logonWait = Duration.ofMinutes(5);
		Clock clock = Clock.SYSTEM;
		Consumer<String> trace = s -> {
		};

		/** The clock a {@link Connection}'s reconnect waits on (tests give one they control). */
		public Options clock(Clock c) {
			clock = c;
			return this;
		}

		/**
		 * How long a logon may wait while the host says PENDING (its password checks run in turn);
		 * each PENDING restarts the read timeout, this bounds the whole wait.
		 */
		public Options logonWait(Duration d) {
			logonWait = d;
			return this;
		}

		public Options connectTimeout(Duration d) {
			connectTimeout = d;
			return this;
		}

		public Options readTimeout(Duration d) {
			readTimeout = d;
			return this;
		}

		public Options tlsMemory(TlsMemory m) {
			tlsMemory = m;
			return this;
		}

		public Options trust(TrustStore store, TrustDecision decision) {
			trustStore = store;
			trustDecision = decision;
			return this;
		}

		/**
		 * How a {@link Connection} of this connector logs on again through the DVIPA when its session's
		 * connection drops: whether, how many attempts, the first backoff (doubling) and its cap. A
		 * {@link Session} itself never reconnects.
		 */
		public Options reconnect(boolean enabled, int attempts, Duration backoff, Duration maxBackoff) {
			autoReconnect = enabled;
			reconnectAttempts = attempts;
			reconnectBackoff = backoff;
			reconnectMaxBackoff = maxBackoff;
			return this;
		}

		/** Receives one line per logon step (which system and port served it). */
		public Options trace(Consumer<String> t) {
			trace = t;
			return this;
		}
	}

	private final Options options;

	/**
	 * Certificates the decision trusted once, by endpoint and fingerprint: "once" covers everything
	 * this connector opens for it (the daemon and the RSE server connection of a logon, and the
	 * session's reconnects), so the user is not asked again within one logon.
	 */
	private final java.util.Set<String> trustedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private boolean trustedOnce(ServerCertificate c) {
		return trustedOnce.contains(c.endpoint() + " " + c.sha256());
	}

	public RseConnector(Options options) {
		this.options = options;
	}

	public RseConnector() {
		this(new Options());
	}

	Options options() {
		return options;
	}

	public TlsMemory tlsMemory() {
		return options.tlsMemory;
	}

	/**
	 * Logs on and returns the session (one connection; it does not reconnect: a {@link Connection}
	 * does). The password is not kept.
	 */
	public Session connect(String host, int port, String user, char[] password, EncryptionPolicy policy)
			throws ConnectException {
		return connect(host, port, user, password, policy, new Cancellation());
	}

	/** As {@link #connect(String, int, String, char[], EncryptionPolicy)}, stoppable from another thread. */
	public Session connect(String host, int port, String user, char[] password, EncryptionPolicy policy,
			Cancellation cancellation) throws ConnectException {
		return connect(host, port, user, password, policy, cancellation, java.util.List.of());
	}

	/**
	 * As {@link #connect(String, int, String, char[], EncryptionPolicy, Cancellation)}, with
	 * {@code listeners} subscribed before the session reads its first message: the host announces
	 * debug sessions that wait for the user right after logon, and a listener added after
	 * {@code connect} returns could miss them.
	 */
	public Session connect(String host, int port, String user, char[] password, EncryptionPolicy policy,
			Cancellation cancellation, java.util.List<Session.Listener> listeners) throws ConnectException {
		return session(host, port, user, login(host, port, user, password, policy, cancellation), listeners).start();
	}

	/** A session on a link just logged on, not reading yet (its owner installs it, then starts it). */
	Session session(String host, int port, String user, Session.Link link, java.util.List<Session.Listener> listeners) {
		return new Session(this, host, port, user, link, listeners);
	}

	/** One complete logon: daemon (with the policy's encryption), then the RSE server. */
	Session.Link login(String host, int port, String user, char[] password, EncryptionPolicy policy,
			Cancellation cancellation) throws ConnectException {
		String endpoint = host + ":" + port;
		boolean tryTls = switch (policy) {
		case REQUIRED -> true;
		case DISABLED -> false;
		case PREFERRED -> {
			if (options.tlsMemory.refused(endpoint)) {
				options.trace.accept("TLS remembered as refused at " + endpoint + ": going plain directly");
				yield false;
			}
			yield true;
		}
		};
		if (tryTls) {
			try {
				return loginOnce(host, port, user, password, true, cancellation);
			} catch (TlsRefused e) {
				cancellation.check(ConnectStep.TLS, endpoint);
				if (policy == EncryptionPolicy.REQUIRED) {
					throw new ConnectException(ConnectStep.TLS, endpoint, null, null,
							"the host does not offer encryption (" + e.getMessage() + ")",
							"the encryption policy is REQUIRED; ask the host to set enable_ssl=true in ssl.properties, "
									+ "or choose PREFERRED if plain is acceptable",
							e).password(ConnectException.Password.NOT_SENT);
				}
				options.tlsMemory.rememberRefused(endpoint);
				options.trace.accept("TLS refused at " + endpoint + " (" + e.getMessage() + "); retrying without "
						+ "encryption" + (options.tlsMemory.isEnabled() ? " and remembering it" : ""));
			}
		}
		try {
			return loginOnce(host, port, user, password, false, cancellation);
		} catch (TlsRefused e) {
			throw new IllegalStateException("a plain logon cannot be refused as TLS", e);
		}
	}

	/** TLS was refused by the server (not by our trust decision): PREFERRED may retry plain. */
	static final class TlsRefused extends Exception {
		private static final long serialVersionUID = 1L;

		TlsRefused(String message, Throwable cause) {
			super(message, cause);
		}
	}

	private Session.Link loginOnce(String host, int port, String user, char[] password, boolean tls,
			Cancellation cancellation) throws ConnectException, TlsRefused {
		String endpoint = TrustStore.endpoint(host, port); // also the key of the daemon's pin
		ConnectException.Password[] sent = { ConnectException.Password.NOT_SENT };
		try {
			return loginOnce(host, port, user, password, tls, cancellation, endpoint, sent);
		} catch (ConnectException e) {
			e.password(sent[0]);
			cancellation.check(e.step(), e.endpoint());
			throw e;
		} catch (TlsRefused e) {
			cancellation.check(ConnectStep.TLS, endpoint);
			throw e;
		}
	}

	private Session.Link loginOnce(String host, int port, String user, char[] password, boolean tls,
			Cancellation cancellation, String endpoint, ConnectException.Password[] sent)
			throws ConnectException, TlsRefused {
		cancellation.check(ConnectStep.DAEMON_CONNECT, endpoint);
		Socket daemon = open(host, port, tls, endpoint, endpoint, ConnectStep.DAEMON_CONNECT, cancellation);
		Message reply;
		try (daemon) {
			OutputStream out = daemon.getOutputStream();
			InputStream in = daemon.getInputStream();
			String pw = new String(password);
			// from here on the password may have left: with TLS only inside the session just checked
			sent[0] = tls ? ConnectException.Password.SENT_ENCRYPTED : ConnectException.Password.SENT_UNENCRYPTED;
			Frames.write(out, Message.of(Rse.LOGON).with(Rse.F_VERSION, Rse.VERSION).with(Rse.F_USER, user)
					.with(Rse.F_PASSWORD, pw).with(Rse.F_PORT, 0).build());
			reply = Frames.read(in, Rse.MAX_FRAME);
			long waitUntil = System.nanoTime() + options.logonWait.toNanos();
			while (reply != null && reply.is(Rse.PENDING)) {
				cancellation.check(ConnectStep.AUTHENTICATION, endpoint);
				if (System.nanoTime() - waitUntil > 0) {
					throw new ConnectException(ConnectStep.AUTHENTICATION, endpoint, null, Status.BUSY, "the host "
							+ "was still checking other logons' passwords after " + options.logonWait.toSeconds()
							+ " s (" + reply.get(Rse.F_AHEAD).orElse("?") + " before this one)",
							"try again in a minute; the host's administrator may look at its load", null);
				}
				options.trace.accept("logon at " + endpoint + " waits for its password check: "
						+ reply.get(Rse.F_AHEAD).orElse("?") + " before it");
				reply = Frames.read(in, Rse.MAX_FRAME);
			}
		} catch (Frames.TlsRecordException e) {
			throw new ConnectException(ConnectStep.TLS, endpoint, null, null,
					"the host requires encryption and answered the unencrypted logon with a TLS alert",
					"choose the encryption policy PREFERRED or REQUIRED", e);
		} catch (ConnectException e) {
			throw e; // said already (cancelled, or waited too long)
		} catch (SocketTimeoutException e) {
			throw new ConnectException(ConnectStep.AUTHENTICATION, endpoint, null, null, "the RSE daemon did not answer "
					+ "within " + options.readTimeout.toSeconds() + " s", "check that RSED runs on the host", e);
		} catch (IOException e) {
			// never a reason to retry without encryption: the TLS session was established and the logon sent in it
			throw new ConnectException(ConnectStep.AUTHENTICATION, endpoint, null, null, "the connection to the RSE "
					+ "daemon failed: " + e.getMessage(), "try again; if it persists, check RSED's log on the host", e);
		}
		if (reply == null) {
			throw new ConnectException(ConnectStep.AUTHENTICATION, endpoint, null, null,
					"the RSE daemon closed the connection without an answer", "check RSED's log on the host", null);
		}
		String system = reply.get(Rse.F_SYSTEM).orElse(null);
		if (reply.is(Rse.FAILED)) {
			throw failure(reply, endpoint, system);
		}
		int serverPort;
		String ticket;
		try {
			if (!reply.is(Rse.CONNECTED)) {
				throw new ProtocolException("expected " + Rse.CONNECTED + " or " + Rse.FAILED + ", got " + reply.type());
			}
			serverPort = reply.requireInt(Rse.F_PORT, 1, 65535);
			ticket = reply.require(Rse.F_TICKET);
		} catch (ProtocolException e) {
			throw new ConnectException(ConnectStep.AUTHENTICATION, endpoint, system, Status.PROTOCOL, e.getMessage(),
					"the client and the host disagree about the protocol; update the one that is older", e);
		}
		options.trace.accept("logged on at " + endpoint + ": RSED on " + system + " answered with RSE server port "
				+ serverPort + (tls ? " (encrypted)" : " (NOT encrypted)"));

		// The second connection goes to the host the user gave (the DVIPA), never to the system's own address.
		String serverEndpoint = host + ":" + serverPort;
		Socket server;
		try {
			server = open(host, serverPort, tls, endpoint, serverEndpoint, ConnectStep.SECONDARY_CONNECT, cancellation);
		} catch (TlsRefused e) {
			throw new ConnectException(ConnectStep.SECONDARY_CONNECT, serverEndpoint, system, null,
					"the RSE server refused encryption although its daemon accepted it (" + e.getMessage() + ")",
					unreachableAdvice(system, serverPort), e);
		} catch (ConnectException e) {
			throw new ConnectException(ConnectStep.SECONDARY_CONNECT, serverEndpoint, system, null, e.reason()
					+ "; the RSE server of " + system + " should listen there", unreachableAdvice(system, serverPort),
					e.getCause());
		}
		try {
			OutputStream out = server.getOutputStream();
			InputStream in = server.getInputStream();
			Frames.write(out, Message.of(Rse.TICKET).with(Rse.F_VERSION, Rse.VERSION).with(Rse.F_USER, user)
					.with(Rse.F_TICKET, ticket).build());
			Message answer = Frames.read(in, Rse.MAX_FRAME);
			if (answer == null) {
				throw new EOFException("the RSE server closed the connection");
			}
			String answeredBy = answer.get(Rse.F_SYSTEM).orElse(null);
			if (answer.is(Rse.FAILED)) {
				Status status = Status.of(answer.get(Rse.F_STATUS).orElse(""));
				if (status == Status.TICKET_INVALID && answeredBy != null && !answeredBy.equals(system)) {
					throw new ConnectException(ConnectStep.TICKET, serverEndpoint, answeredBy, status,
							"the connection to port " + serverPort + " reached " + answeredBy + ", but the ticket was "
									+ "issued by " + system + ": more than one system serves that port on the DVIPA",
							"make RSE server ports unique in the sysplex: VIPADISTRIBUTE SYSPLEXPORTS on the DVIPA's "
									+ "first VIPADISTRIBUTE (with the EZBEPORT structure), or a unique _RSE_PORTRANGE "
									+ "per system",
							null);
				}
				throw new ConnectException(ConnectStep.TICKET, serverEndpoint, answeredBy, status,
						answer.get(Rse.F_MESSAGE).orElse(status.name()), "log on again", null);
			}
			if (!answer.is(Rse.SESSION)) {
				throw new ProtocolException("expected " + Rse.SESSION + ", got " + answer.type());
			}
			server.setSoTimeout(0); // the session's reader blocks until the host speaks; keepalive finds dead peers
			Session.Link link = new Session.Link(server, in, out, answer.get(Rse.F_SYSTEM).orElse(system), serverPort,
					tls, tls ? peerFingerprint(server) : null);
			options.trace.accept("RSE server on " + link.system() + " accepted the ticket at " + serverEndpoint
					+ " through the DVIPA");
			return link;
		} catch (ConnectException e) {
			closeQuietly(server);
			throw e;
		} catch (IOException e) {
			closeQuietly(server);
			throw new ConnectException(ConnectStep.TICKET, serverEndpoint, system, null,
					"the RSE server did not accept the ticket: " + e.getMessage(), unreachableAdvice(system, serverPort), e);
		}
	}

	private static String unreachableAdvice(String system, int port) {
		return "the RSE server of " + system + " must be reachable through the DVIPA at port " + port
				+ ": the host's rse.env needs enable.dDVIPA=true, and the port must be routed to " + system
				+ " (VIPADISTRIBUTE SYSPLEXPORTS, or the port distributed to it); the ticket may also have expired";
	}

	private ConnectException failure(Message reply, String endpoint, String system) {
		Status status = Status.of(reply.get(Rse.F_STATUS).orElse(""));
		String message = reply.get(Rse.F_MESSAGE).orElse(status.name());
		return switch (status) {
		case AUTH_FAILED -> new ConnectException(ConnectStep.AUTHENTICATION, endpoint, system, status, message,
				"check the user id and password; repeated failures revoke the user", null);
		case PASSWORD_EXPIRED -> new ConnectException(ConnectStep.AUTHENTICATION, endpoint, system, status, message,
				"set a new password on the host", null);
		case REVOKED -> new ConnectException(ConnectStep.AUTHENTICATION, endpoint, system, status, message,
				"ask an administrator to resume the user", null);
		case PORT_OUT_OF_RANGE, PORT_BUSY -> new ConnectException(ConnectStep.SERVER_START, endpoint, system, status,
				message, "let the host choose the port (0), or ask its administrator about _RSE_PORTRANGE", null);
		case BUSY -> new ConnectException(ConnectStep.AUTHENTICATION, endpoint, system, status, message,
				"try again in a minute; the host's administrator may look at its load", null);
		case VERSION, PROTOCOL -> new ConnectException(ConnectStep.AUTHENTICATION, endpoint, system, status, message,
				"the client and the host disagree about the protocol; update the one that is older", null);
		default -> new ConnectException(ConnectStep.SERVER_START, endpoint, system, status, message,
				"try again; if it persists, check RSED's log on the host", null);
		};
	}

	/**
	 * Opens a TCP connection and, when asked, a TLS session on it, trusted per the pin of
	 * {@code pinEndpoint}. Each connection gets a fresh TLS context, so every handshake is a full one
	 * that checks the pin (measured: TLS 1.3 resumption in JSSE was slower here, see performance.md).
	 * <p>
	 * Fails closed: {@link TlsRefused} (which lets PREFERRED log on without encryption) is thrown only
	 * when the server's first bytes say it does not speak TLS (a TLS alert before any ServerHello, or
	 * a plaintext frame of this protocol). A certificate seen for the first time ends the handshake
	 * at once; the decision is asked with no connection open, and the connection is made again (an
	 * {@link TrustDecision#instant() instant} decision, which asks nobody, is taken in the handshake).
	 */
	private Socket open(String host, int port, boolean tls, String pinEndpoint, String endpoint, ConnectStep step,
			Cancellation cancellation) throws ConnectException, TlsRefused {
		for (int round = 0;; round++) { // a new certificate at each round is asked about again, three times at most
			FirstBytesSocket s = connectTcp(host, port, endpoint, step, cancellation);
			if (!tls) {
				return s;
			}
			SSLSocket ssl;
			try {
				SSLContext ctx = SSLContext.getInstance("TLS");
				ctx.init(null, new TrustManager[] { new PinningTrustManager(pinEndpoint, options.trustStore,
						this::trustedOnce, c -> trustedOnce.add(c.endpoint() + " " + c.sha256()), options.trustDecision) },
						new SecureRandom());
				ssl = (SSLSocket) ctx.getSocketFactory().createSocket(s, host, port, true);
			} catch (GeneralSecurityException | IOException e) {
				closeQuietly(s);
				throw new IllegalStateException("TLS is part of every JDK: " + e, e);
			}
			cancellation.track(ssl);
			try {
				ssl.setEnabledProtocols(new String[] { "TLSv1.3", "TLSv1.2" });
				ssl.startHandshake();
				return ssl;
			} catch (IOException e) {
				closeQuietly(ssl);
				closeQuietly(s);
				if (!(e instanceof SocketTimeoutException)) {
					PinningTrustManager.Undecided undecided = cause(e, PinningTrustManager.Undecided.class);
					if (undecided != null) {
						if (round >= 2) {
							throw new ConnectException(ConnectStep.TLS, endpoint, null, null, "the server presented yet "
									+ "another certificate (" + undecided.certificate.sha256() + ") after two decisions",
									"connect again and compare the fingerprints with the host's administrator", e);
						}
						decide(undecided.certificate, pinEndpoint, endpoint, e);
						continue; // the decision took as long as it took, with no connection open: connect again
					}
					throwIfCertificateRefused(e, pinEndpoint, endpoint);
				}
				byte[] first = s.firstBytes();
				String refusal = refusalOfTls(first);
				if (refusal != null) {
					throw new TlsRefused(refusal, e);
				}
				throw new ConnectException(ConnectStep.TLS, endpoint, null, null, "the TLS handshake failed ("
						+ describe(e) + "), and the server did not say that it has no encryption"
						+ (first.length == 0 ? " (it sent nothing)" : ""),
						"try again; if it persists, check the network and the host's TLS setup. Nothing is tried "
								+ "without encryption after such a failure; choose DISABLED only if the host has none",
						e);
			}
		}
	}

	/** Asks the trust decision about a certificate seen for the first time; pins it when told so. */
	private void decide(ServerCertificate certificate, String pinEndpoint, String endpoint, IOException cause)
			throws ConnectException {
		TrustDecision.Answer answer = options.trustDecision.decide(certificate);
		switch (answer) {
		case TRUST_ALWAYS -> {
			try {
				options.trustStore.pin(pinEndpoint, certificate.sha256());
			} catch (IOException | RuntimeException e) {
				throw new ConnectException(ConnectStep.TLS, endpoint, null, null, "the certificate was trusted, but its "
						+ "pin could not be saved: " + e.getMessage(), "make the pin store writable, or trust the "
								+ "certificate for this logon only",
						e);
			}
		}
		case TRUST_ONCE -> trustedOnce.add(certificate.endpoint() + " " + certificate.sha256());
		case REJECT -> throw new CertificateRefused(endpoint, certificate, false, "the certificate of " + pinEndpoint
				+ " is not trusted (" + certificate + ")",
				"compare the SHA-256 fingerprint with the host's administrator, then trust it", cause);
		}
	}

	private void throwIfCertificateRefused(IOException e, String pinEndpoint, String endpoint) throws ConnectException {
		PinningTrustManager.Untrusted untrusted = cause(e, PinningTrustManager.Untrusted.class);
		if (untrusted != null) {
			throw new CertificateRefused(endpoint, untrusted.certificate, untrusted.changed, untrusted.getMessage(),
					untrusted.changed
							? "if the host's administrator confirms the new certificate, remove the old pin for "
									+ pinEndpoint + " and connect again; otherwise do not connect"
							: "compare the SHA-256 fingerprint with the host's administrator, then trust it",
					e);
		}
		PinningTrustManager.Expired expired = cause(e, PinningTrustManager.Expired.class);
		if (expired != null) {
			throw new ConnectException(ConnectStep.TLS, endpoint, null, null, expired.getMessage(),
					"ask the host's administrator for a valid certificate (RSE's ssl.properties)", e);
		}
		PinningTrustManager.PinFailed pin = cause(e, PinningTrustManager.PinFailed.class);
		if (pin != null) {
			throw new ConnectException(ConnectStep.TLS, endpoint, null, null, pin.getMessage(),
					"make the pin store writable, or trust the certificate for this logon only", e);
		}
		java.security.cert.CertificateException other = cause(e, java.security.cert.CertificateException.class);
		if (other != null) {
			throw new ConnectException(ConnectStep.TLS, endpoint, null, null, "the server's certificate could not be "
					+ "checked: " + other.getMessage(), "fix what the message names, then connect again", e);
		}
	}

	/**
	 * The server's explicit answer that it does not speak TLS, from the first bytes it sent after our
	 * ClientHello; null when they are anything else (a ServerHello, garbage, nothing).
	 */
	static String refusalOfTls(byte[] first) {
		if (first.length >= 5 && first[0] == Frames.TLS_ALERT_RECORD && first[1] == 0x03 && first[3] == 0
				&& first[4] == 2) {
			return "the server answered the TLS ClientHello with a TLS alert before any ServerHello"
					+ (first.length >= 7 ? " (alert " + (first[6] & 0xFF) + ")" : "");
		}
		if (first.length >= 5 && first[0] == 0) {
			int length = ((first[1] & 0xFF) << 16) | ((first[2] & 0xFF) << 8) | (first[3] & 0xFF);
			if (length >= 1 && length <= Rse.MAX_FRAME && first[4] >= 'A' && first[4] <= 'Z') {
				return "the server answered the TLS ClientHello with an unencrypted frame of the RSE protocol";
			}
		}
		return null;
	}

	private static String describe(IOException e) {
		return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
	}

	private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
		for (Throwable c = t; c != null; c = c.getCause()) {
			if (type.isInstance(c)) {
				return type.cast(c);
			}
		}
		return null;
	}

	private FirstBytesSocket connectTcp(String host, int port, String endpoint, ConnectStep step,
			Cancellation cancellation) throws ConnectException {
		FirstBytesSocket s = new FirstBytesSocket();
		cancellation.track(s);
		try {
			s.connect(new InetSocketAddress(host, port), (int) options.connectTimeout.toMillis());
			s.setSoTimeout((int) options.readTimeout.toMillis());
			s.setTcpNoDelay(true);
			s.setKeepAlive(true);
			return s;
		} catch (java.net.ConnectException e) {
			closeQuietly(s);
			throw new ConnectException(step, endpoint, null, null, "connection refused: nothing listens there",
					step == ConnectStep.DAEMON_CONNECT
							? "check the host name and the RSE daemon port (4035 unless the host says otherwise) and "
									+ "that RSED runs"
							: "",
					e);
		} catch (SocketTimeoutException e) {
			closeQuietly(s);
			throw new ConnectException(step, endpoint, null, null, "no answer within "
					+ options.connectTimeout.toSeconds() + " s", "check the address and any firewall in between", e);
		} catch (IOException e) {
			closeQuietly(s);
			throw new ConnectException(step, endpoint, null, null, e.getMessage(), "check the address", e);
		}
	}

	/** SHA-256 of the certificate the TLS peer presented (what was pinned or trusted once). */
	static String peerFingerprint(Socket s) {
		try {
			return ServerCertificate.fingerprint((java.security.cert.X509Certificate) ((SSLSocket) s).getSession()
					.getPeerCertificates()[0]);
		} catch (javax.net.ssl.SSLPeerUnverifiedException e) {
			throw new IllegalStateException("a completed handshake has a peer certificate", e);
		}
	}

	/**
	 * A plain socket that keeps the first bytes the server sent, read through JSSE when TLS is layered
	 * on it, so that a failed handshake can be told apart: the server's refusal or anything else.
	 */
	static final class FirstBytesSocket extends Socket {
		private final byte[] first = new byte[16];
		private int count;
		private InputStream in;

		@Override
		public synchronized InputStream getInputStream() throws IOException {
			if (in == null) {
				in = new java.io.FilterInputStream(super.getInputStream()) {
					@Override
					public int read() throws IOException {
						int b = super.read();
						if (b >= 0) {
							keep(new byte[] { (byte) b }, 0, 1);
						}
						return b;
					}

					@Override
					public int read(byte[] b, int off, int len) throws IOException {
						int n = super.read(b, off, len);
						if (n > 0) {
							keep(b, off, n);
						}
						return n;
					}
				};
			}
			return in;
		}

		private synchronized void keep(byte[] b, int off, int n) {
			int k = Math.min(n, first.length - count);
			System.arraycopy(b, off, first, count, k);
			count += k;
		}

		synchronized byte[] firstBytes() {
			return Arrays.copyOf(first, count);
		}
	}

	static void closeQuietly(Socket s) {
		try {
			s.close();
		} catch (IOException e) {
			// closing after a failure: nothing more to report
		}
	}

	static void clear(char[] password) {
		if (password != null) {
			Arrays.fill(password, '\0');
		}
	}
}
