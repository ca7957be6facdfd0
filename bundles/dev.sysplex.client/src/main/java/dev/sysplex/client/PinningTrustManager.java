package dev.sysplex.client;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server certificate by its pinned SHA-256 fingerprint for the endpoint (or one the user
 * trusted once), refuses a changed or expired one, and stops the handshake at once for one seen for
 * the first time ({@link Undecided}): the connector asks the {@link TrustDecision} with no
 * connection open, then connects again, so a user who takes a minute to decide does not run into
 * the daemon's handshake time limit. (The RSE server's certificate is usually self-signed for a
 * DVIPA address, so PKIX path and host name checks would prove nothing; the pin is the identity.)
 */
final class PinningTrustManager extends X509ExtendedTrustManager {

	/** Raised when trust was refused; the connector does not fall back to plain after it. */
	static final class Untrusted extends CertificateException {
		private static final long serialVersionUID = 1L;
		final transient ServerCertificate certificate;
		final boolean changed;

		Untrusted(String message, ServerCertificate certificate, boolean changed) {
			super(message);
			this.certificate = certificate;
			this.changed = changed;
		}
	}

	/** A certificate neither pinned nor trusted once: the user must decide (outside the handshake). */
	static final class Undecided extends CertificateException {
		private static final long serialVersionUID = 1L;
		final transient ServerCertificate certificate;

		Undecided(ServerCertificate certificate) {
			super("the certificate of " + certificate.endpoint() + " is seen for the first time");
			this.certificate = certificate;
		}
	}

	/** The certificate is outside its validity period (pinned or not). */
	static final class Expired extends CertificateException {
		private static final long serialVersionUID = 1L;
		final transient ServerCertificate certificate;

		Expired(ServerCertificate certificate, String message) {
			super(message);
			this.certificate = certificate;
		}
	}

	/** An instant decision trusted the certificate always, but the pin store refused it. */
	static final class PinFailed extends CertificateException {
		private static final long serialVersionUID = 1L;

		PinFailed(String message, Throwable cause) {
			super(message, cause);
		}
	}

	private final String endpoint;
	private final TrustStore store;
	private final Predicate<ServerCertificate> trustedOnce;
	private final java.util.function.Consumer<ServerCertificate> trustOnce;
	private final TrustDecision decision;

	/**
	 * @param trustedOnce certificates the user trusted for this logon only
	 * @param trustOnce   records one more (when an instant decision says TRUST_ONCE)
	 * @param decision    taken here only when it is {@link TrustDecision#instant() instant}
	 */
	PinningTrustManager(String endpoint, TrustStore store, Predicate<ServerCertificate> trustedOnce,
			java.util.function.Consumer<ServerCertificate> trustOnce, TrustDecision decision) {
		this.endpoint = endpoint;
		this.store = store;
		this.trustedOnce = trustedOnce;
		this.trustOnce = trustOnce;
		this.decision = decision;
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		if (chain == null || chain.length == 0) {
			throw new CertificateException("the server at " + endpoint + " sent no certificate");
		}
		ServerCertificate seen = ServerCertificate.of(endpoint, chain[0]);
		try {
			chain[0].checkValidity();
		} catch (CertificateExpiredException e) {
			throw new Expired(seen, "the certificate of " + endpoint + " expired at " + seen.notAfter());
		} catch (CertificateNotYetValidException e) {
			throw new Expired(seen, "the certificate of " + endpoint + " is valid only from " + seen.notBefore()
					+ " (is this machine's clock right?)");
		}
		java.util.Optional<String> pinned;
		try {
			pinned = store.pinned(endpoint);
		} catch (RuntimeException e) {
			throw new CertificateException("the pinned certificates cannot be read: " + e.getMessage(), e);
		}
		if (pinned.isPresent()) {
			if (pinned.get().equalsIgnoreCase(seen.sha256())) {
				return;
			}
			throw new Untrusted("THE SERVER CERTIFICATE AT " + endpoint + " HAS CHANGED. Pinned SHA-256 " + pinned.get()
					+ ", presented SHA-256 " + seen.sha256() + " (" + seen.subject() + "). This may be an attack; "
					+ "the connection was refused", seen, true);
		}
		if (trustedOnce.test(seen)) {
			return;
		}
		if (!decision.instant()) {
			throw new Undecided(seen);
		}
		switch (decision.decide(seen)) {
		case TRUST_ALWAYS -> {
			try {
				store.pin(endpoint, seen.sha256());
			} catch (java.io.IOException | RuntimeException e) {
				throw new PinFailed("the certificate was trusted, but its pin could not be saved: " + e.getMessage(), e);
			}
		}
		case TRUST_ONCE -> trustOnce.accept(seen);
		case REJECT -> throw new Untrusted("the certificate of " + endpoint + " is not trusted (" + seen + ")", seen,
				false);
		}
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
		checkServerTrusted(chain, authType);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		checkServerTrusted(chain, authType);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		throw new CertificateException("this trust manager only checks servers");
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		checkClientTrusted(chain, authType);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		checkClientTrusted(chain, authType);
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return new X509Certificate[0];
	}
}
