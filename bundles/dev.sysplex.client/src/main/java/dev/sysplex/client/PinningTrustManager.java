package dev.sysplex.client;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server certificate by its pinned SHA-256 fingerprint for the endpoint, asks the
 * {@link TrustDecision} about one seen for the first time, and refuses a changed one. (The RSE
 * server's certificate is usually self-signed for a DVIPA address, so PKIX path and host name
 * checks would prove nothing; the pin is the identity.)
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

	private final String endpoint;
	private final TrustStore store;
	private final TrustDecision decision;

	PinningTrustManager(String endpoint, TrustStore store, TrustDecision decision) {
		this.endpoint = endpoint;
		this.store = store;
		this.decision = decision;
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		if (chain == null || chain.length == 0) {
			throw new CertificateException("the server at " + endpoint + " sent no certificate");
		}
		chain[0].checkValidity();
		ServerCertificate seen = ServerCertificate.of(endpoint, chain[0]);
		var pinned = store.pinned(endpoint);
		if (pinned.isPresent()) {
			if (pinned.get().equalsIgnoreCase(seen.sha256())) {
				return;
			}
			throw new Untrusted("THE SERVER CERTIFICATE AT " + endpoint + " HAS CHANGED. Pinned SHA-256 " + pinned.get()
					+ ", presented SHA-256 " + seen.sha256() + " (" + seen.subject() + "). This may be an attack; "
					+ "the connection was refused", seen, true);
		}
		switch (decision.decide(seen)) {
		case TRUST_ALWAYS -> {
			try {
				store.pin(endpoint, seen.sha256());
			} catch (IOException e) {
				throw new CertificateException("the certificate was accepted but could not be pinned: " + e.getMessage(),
						e);
			}
		}
		case TRUST_ONCE -> {
			// trusted for this connection only
		}
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
