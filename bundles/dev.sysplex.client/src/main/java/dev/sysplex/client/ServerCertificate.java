package dev.sysplex.client;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;

/** A server's certificate as the trust decision sees it. */
public record ServerCertificate(String endpoint, String subject, String issuer, Instant notBefore, Instant notAfter,
		String sha256, X509Certificate certificate) {

	public static ServerCertificate of(String endpoint, X509Certificate c) {
		return new ServerCertificate(endpoint, c.getSubjectX500Principal().getName(),
				c.getIssuerX500Principal().getName(), c.getNotBefore().toInstant(), c.getNotAfter().toInstant(),
				fingerprint(c), c);
	}

	/** SHA-256 of the DER encoding, as colon-separated upper-case hex (the form keytool and browsers show). */
	public static String fingerprint(X509Certificate c) {
		try {
			byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
			return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
		} catch (NoSuchAlgorithmException | CertificateEncodingException e) {
			throw new IllegalStateException("cannot fingerprint a certificate: " + e, e);
		}
	}

	@Override
	public String toString() {
		return "subject " + subject + ", issuer " + issuer + ", valid " + notBefore + " to " + notAfter
				+ ", SHA-256 " + sha256;
	}
}
