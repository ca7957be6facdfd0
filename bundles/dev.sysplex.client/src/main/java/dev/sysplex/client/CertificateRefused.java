package dev.sysplex.client;

/**
 * The TLS step failed because the server's certificate was not trusted: either the user rejected
 * a certificate seen for the first time, or it differs from the one pinned for the endpoint
 * ({@link #changed()}), which a UI must show as a warning that stands out.
 */
public final class CertificateRefused extends ConnectException {

	private static final long serialVersionUID = 1L;

	private final transient ServerCertificate certificate;
	private final boolean changed;

	CertificateRefused(String endpoint, ServerCertificate certificate, boolean changed, String reason, String advice,
			Throwable cause) {
		super(ConnectStep.TLS, endpoint, null, null, reason, advice, cause);
		this.certificate = certificate;
		this.changed = changed;
	}

	/** The certificate the server presented. */
	public ServerCertificate certificate() {
		return certificate;
	}

	/** True when a different certificate is pinned for the endpoint. */
	public boolean changed() {
		return changed;
	}
}
