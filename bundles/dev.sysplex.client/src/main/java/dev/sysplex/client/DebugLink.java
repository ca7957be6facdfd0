package dev.sysplex.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;

/**
 * The debug handoff: turns a "debug session waiting" notification into a connected stream to the
 * debug engine, through the DVIPA and the waiting Debug Manager's unique CLIENT port. After
 * {@link #open} the socket carries the engine's own protocol (JDWP for a Java job): the caller
 * does the JDWP handshake and drives the session with any JDI, the JDK's or Eclipse's.
 * <p>
 * Encryption follows z/OS Debugger's rules ({@link Security}): an encrypted RSE session links with
 * TLS, accepting only the certificate the RSE session trusted; an encrypted session and a Debug
 * Manager without encryption: the user's {@link PlainLinkPolicy} decides (ask, allow, refuse); an
 * unencrypted session and an encrypted Debug Manager: the session cannot start. Whenever the link
 * is refused for encryption, nothing was sent: no connection was made, or the TLS handshake failed
 * before the token.
 */
public final class DebugLink {

	/** A linked debug session: the socket to the engine, and what the Debug Manager said about it. */
	public record Linked(Socket socket, InputStream in, OutputStream out, String job, String system, String user) {
	}

	/**
	 * What a "debug.waiting" notification carries; {@code encrypted}: the waiting Debug Manager's
	 * CLIENT port speaks TLS.
	 */
	public record Waiting(String job, String system, int port, String token, String user, boolean encrypted) {

		/** Reads a notification's fields; throws IllegalArgumentException when one is missing. */
		public static Waiting of(Map<String, String> fields) {
			try {
				return new Waiting(req(fields, Dbm.F_JOB), req(fields, Dbm.F_SYSTEM),
						Integer.parseInt(req(fields, Dbm.F_PORT)), req(fields, Dbm.F_TOKEN), req(fields, Dbm.F_USER),
						Boolean.parseBoolean(fields.getOrDefault(Dbm.F_ENCRYPTED, "false")));
			} catch (NumberFormatException e) {
				throw new IllegalArgumentException("the notification's port is not a number: " + fields.get(Dbm.F_PORT));
			}
		}

		private static String req(Map<String, String> f, String key) {
			String v = f.get(key);
			if (v == null) {
				throw new IllegalArgumentException("the debug notification lacks '" + key + "'");
			}
			return v;
		}
	}

	/** What to do when the RSE session is encrypted and the waiting Debug Manager's port is not. */
	public enum PlainLinkPolicy {
		/** Ask the user each time (z/OS Debugger's behaviour). */
		ASK,
		/** Link without encryption. */
		ALLOW,
		/** Do not link; say what to change. */
		REFUSE
	}

	/** Asks the user whether to link without encryption; true: link. Called with no connection open. */
	@FunctionalInterface
	public interface PlainLinkQuestion {
		boolean allowPlain(Waiting waiting, String endpoint);

		/** Where nobody can be asked: the answer is no. */
		PlainLinkQuestion NOBODY = (w, e) -> false;
	}

	/**
	 * The encryption the link must have: whether the RSE session is encrypted and the fingerprint of
	 * the certificate it trusted (the Debug Managers present the sysplex's certificate, so no new
	 * trust decision is needed), and the policy for a Debug Manager without encryption.
	 */
	public record Security(boolean sessionEncrypted, String certificateSha256, PlainLinkPolicy plainPolicy,
			PlainLinkQuestion question) {

		/** The rules for links of {@code session}. */
		public static Security of(Session session, PlainLinkPolicy plainPolicy, PlainLinkQuestion question) {
			return new Security(session.encrypted(), session.certificateSha256().orElse(null), plainPolicy, question);
		}
	}

	/**
	 * The encryption rules refused the link before anything was sent: the session still waits on
	 * its Debug Manager and may be linked later (after a change of preference or of the connection).
	 */
	public static final class EncryptionRefused extends ConnectException {
		private static final long serialVersionUID = 1L;

		EncryptionRefused(String endpoint, String system, String reason, String advice) {
			super(ConnectStep.DEBUG_LINK, endpoint, system, null, reason, advice, null);
		}
	}

	private DebugLink() {
	}

	/**
	 * Connects to {@code host} (the DVIPA, as for the RSE login) at the waiting DBM's CLIENT port,
	 * with TLS as {@code security} says, and presents the session token. On success the returned
	 * socket has no read timeout.
	 */
	public static Linked open(String host, Waiting waiting, Duration timeout, Security security)
			throws ConnectException {
		String endpoint = host + ":" + waiting.port();
		boolean tls = encryption(endpoint, waiting, security);
		Socket s = new Socket();
		try {
			s.connect(new InetSocketAddress(host, waiting.port()), (int) timeout.toMillis());
		} catch (java.net.ConnectException e) {
			RseConnector.closeQuietly(s);
			throw new ConnectException(ConnectStep.DEBUG_CONNECT, endpoint, null, null,
					"connection refused: no Debug Manager listens on port " + waiting.port() + " of the DVIPA",
					"check that DBGMGR runs on " + waiting.system() + " with CLIENT=" + waiting.port()
							+ " and that the DVIPA's VIPADISTRIBUTE PORT lists " + waiting.port(),
					e);
		} catch (IOException e) {
			// reset while connecting: the distributor accepted, then found no Debug Manager for the port
			RseConnector.closeQuietly(s);
			throw noDebugManager(endpoint, waiting, e, false);
		}
		try {
			s.setSoTimeout((int) timeout.toMillis());
			s.setTcpNoDelay(true);
			if (tls) {
				s = handshake(s, host, waiting, security.certificateSha256(), endpoint);
			}
			OutputStream out = s.getOutputStream();
			InputStream in = s.getInputStream();
			Frames.write(out, Message.of(Dbm.LINK).with(Dbm.F_TOKEN, waiting.token()).build());
			Message answer = Frames.read(in, Dbm.MAX_FRAME);
			if (answer == null) {
				throw new IOException("the connection was closed before the Debug Manager answered");
			}
			String answeredBy = answer.get(Dbm.F_SYSTEM).orElse(null);
			if (answer.is(Dbm.FAILED)) {
				Dbm.Status status = Dbm.Status.of(answer.get(Dbm.F_STATUS).orElse(""));
				RseConnector.closeQuietly(s);
				if (status == Dbm.Status.TOKEN_INVALID && answeredBy != null && !answeredBy.equals(waiting.system())) {
					throw new ConnectException(ConnectStep.DEBUG_LINK, endpoint, answeredBy, null,
							"port " + waiting.port() + " reached the Debug Manager of " + answeredBy
									+ ", but the session waits on " + waiting.system(),
							"list " + waiting.port() + " in the DVIPA's VIPADISTRIBUTE PORT so that it reaches "
									+ waiting.system() + " (a port that is not distributed reaches only the DVIPA's "
									+ "owner), and give every Debug Manager its own CLIENT port (CLIENT=53&SYSCLONE or "
									+ "CLIENT=&EQADBM)",
							null);
				}
				throw new ConnectException(ConnectStep.DEBUG_LINK, endpoint, answeredBy, null,
						status + ": " + answer.get(Dbm.F_MESSAGE).orElse(""),
						status == Dbm.Status.TOKEN_EXPIRED ? "wait for the new notification the host sends"
								: "start the job again",
						null);
			}
			if (!answer.is(Dbm.LINKED)) {
				throw new IOException("expected " + Dbm.LINKED + ", got " + answer.type());
			}
			s.setSoTimeout(0);
			return new Linked(s, in, out, answer.get(Dbm.F_JOB).orElse(waiting.job()),
					answeredBy == null ? waiting.system() : answeredBy, answer.get(Dbm.F_USER).orElse(waiting.user()));
		} catch (ConnectException e) {
			throw e;
		} catch (Frames.TlsRecordException e) {
			RseConnector.closeQuietly(s);
			throw new ConnectException(ConnectStep.DEBUG_LINK, endpoint, waiting.system(), null, "the Debug Manager "
					+ "of " + waiting.system() + " requires encryption although the notification said it does not; "
					+ "the session token was sent unencrypted and refused", "connect to RSE with encryption", e);
		} catch (SocketTimeoutException e) {
			RseConnector.closeQuietly(s);
			throw new ConnectException(ConnectStep.DEBUG_LINK, endpoint, null, null, "the Debug Manager did not answer "
					+ "within " + timeout.toSeconds() + " s", "check DBGMGR on " + waiting.system(), e);
		} catch (IOException e) {
			RseConnector.closeQuietly(s);
			throw noDebugManager(endpoint, waiting, e, true);
		}
	}

	/** True: link with TLS. Throws when the rules refuse the link (nothing was sent then). */
	private static boolean encryption(String endpoint, Waiting waiting, Security security) throws ConnectException {
		if (security.sessionEncrypted() && waiting.encrypted()) {
			if (security.certificateSha256() == null) {
				throw new IllegalArgumentException("an encrypted session has the fingerprint of its certificate");
			}
			return true;
		}
		if (!security.sessionEncrypted() && waiting.encrypted()) {
			throw new EncryptionRefused(endpoint, waiting.system(), "the Debug Manager of " + waiting.system()
					+ " encrypts its CLIENT port, and your RSE session is not encrypted, so the debug session cannot "
					+ "start (nothing was sent)", "connect to RSE with encryption (PREFERRED or REQUIRED, on a host "
							+ "with enable_ssl=true), or ask the host's administrator for TLS=OFF in the DBGMGR PROC");
		}
		if (security.sessionEncrypted()) {
			boolean allowed = switch (security.plainPolicy()) {
			case ALLOW -> true;
			case REFUSE -> false;
			case ASK -> security.question().allowPlain(waiting, endpoint);
			};
			if (!allowed) {
				throw new EncryptionRefused(endpoint, waiting.system(), "your RSE session is encrypted, but the Debug "
						+ "Manager of " + waiting.system() + " does not encrypt its CLIENT port " + waiting.port()
						+ ", and an unencrypted debug link was "
						+ (security.plainPolicy() == PlainLinkPolicy.REFUSE ? "refused by your settings" : "declined")
						+ " (nothing was sent)", "ask the host's administrator to encrypt the Debug Manager (TLS=ON in "
								+ "the DBGMGR PROC, with enable_ssl=true), or allow unencrypted debug links in the "
								+ "preferences");
			}
		}
		return false;
	}

	/** TLS on the CLIENT-port connection, accepting only the certificate the RSE session trusted. */
	private static Socket handshake(Socket s, String host, Waiting waiting, String expectedSha256, String endpoint)
			throws ConnectException {
		try {
			SSLContext ctx = SSLContext.getInstance("TLS");
			ctx.init(null, new TrustManager[] { new SameCertificate(expectedSha256, waiting.system()) },
					new SecureRandom());
			SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(s, host, waiting.port(), true);
			ssl.setEnabledProtocols(new String[] { "TLSv1.3", "TLSv1.2" });
			ssl.startHandshake();
			return ssl;
		} catch (GeneralSecurityException e) {
			RseConnector.closeQuietly(s);
			throw new IllegalStateException("TLS is part of every JDK: " + e, e);
		} catch (IOException e) {
			RseConnector.closeQuietly(s);
			CertificateException bad = null;
			for (Throwable c = e; c != null; c = c.getCause()) {
				if (c instanceof CertificateException ce) {
					bad = ce;
				}
			}
			if (bad != null) {
				throw new ConnectException(ConnectStep.DEBUG_LINK, endpoint, waiting.system(), null, bad.getMessage()
						+ "; the session token was not sent", "ask the host's administrator why the Debug Manager's "
								+ "certificate differs from RSE's",
						e);
			}
			if (e instanceof javax.net.ssl.SSLHandshakeException && e.getMessage() != null
					&& e.getMessage().contains("alert")) {
				throw new ConnectException(ConnectStep.DEBUG_LINK, endpoint, waiting.system(), null, "the Debug Manager "
						+ "on port " + waiting.port() + " refused TLS (" + e.getMessage() + ") although the notification "
						+ "said it is encrypted; the session token was not sent",
						"check that the Debug Manager of " + waiting.system() + " runs with TLS=ON", e);
			}
			throw noDebugManager(endpoint, waiting, e, false); // reset or closed: no Debug Manager behind the port
		}
	}

	/** Trusts exactly one certificate: the one the RSE session trusted. */
	private record SameCertificate(String expectedSha256, String system) implements X509TrustManager {
		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			if (chain == null || chain.length == 0) {
				throw new CertificateException("the Debug Manager of " + system + " sent no certificate");
			}
			chain[0].checkValidity();
			String seen = ServerCertificate.fingerprint(chain[0]);
			if (!seen.equalsIgnoreCase(expectedSha256)) {
				throw new CertificateException("the Debug Manager of " + system + " presented a certificate (SHA-256 "
						+ seen + ") that is not the one your RSE session trusted (SHA-256 " + expectedSha256 + ")");
			}
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			throw new CertificateException("this trust manager only checks servers");
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}
	}

	private static ConnectException noDebugManager(String endpoint, Waiting waiting, IOException e, boolean tokenSent) {
		return new ConnectException(ConnectStep.DEBUG_LINK, endpoint, null, null, "no Debug Manager answered on port "
				+ waiting.port() + " (" + e.getMessage() + "): the connection reached a system where none listens on it"
				+ (tokenSent ? " (the session token was sent before the connection ended)" : " (the session token was not sent)"),
				"list " + waiting.port() + " in the DVIPA's VIPADISTRIBUTE PORT so that it reaches " + waiting.system()
						+ " (a port that is not distributed reaches only the DVIPA's owner)",
				e);
	}
}
