package dev.sysplex.host.rse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import dev.sysplex.config.ConfigException;
import dev.sysplex.config.Diagnostic;
import dev.sysplex.config.EnvFile;

/**
 * Encryption as ssl.properties says: enable_ssl=true turns TLS on (1.3 and 1.2 only) with the key
 * store named by server_keystore_file (server_keystore_password, server_keystore_type PKCS12 or
 * JKS, server_keystore_label the alias); without one, a self-signed certificate for the sysplex
 * is generated once with the JDK's keytool and kept under var/security/ in the sysplex directory.
 */
public final class RseTls {

	static final String[] PROTOCOLS = { "TLSv1.3", "TLSv1.2" };

	private final SSLContext context;
	private final String describe;

	private RseTls(SSLContext context, String describe) {
		this.context = context;
		this.describe = describe;
	}

	/** The TLS setup, or empty when enable_ssl is not true. */
	public static Optional<RseTls> from(EnvFile ssl, Path sysplexDir, Set<InetAddress> names) throws ConfigException {
		if (!ssl.flag("enable_ssl")) {
			return Optional.empty();
		}
		return Optional.of(certificate(ssl, sysplexDir, names));
	}

	/**
	 * The sysplex's certificate whatever enable_ssl says (the Debug Managers' CLIENT ports with
	 * TLS=ON use it): ssl.properties' key store, or the self-signed one.
	 */
	public static RseTls certificate(EnvFile ssl, Path sysplexDir, Set<InetAddress> names) throws ConfigException {
		Optional<EnvFile.Entry> file = ssl.entry("server_keystore_file");
		try {
			if (file.isPresent()) {
				Path ks = sysplexDir.resolve(file.get().value());
				char[] pw = ssl.get("server_keystore_password").orElse("").toCharArray();
				String type = ssl.get("server_keystore_type").orElse("PKCS12");
				return new RseTls(context(ks, type, pw, ssl.get("server_keystore_label")), "key store " + ks);
			}
			Path dir = sysplexDir.resolve("var/security");
			Path ks = dir.resolve("rse-selfsigned.p12");
			Path pass = dir.resolve("rse-selfsigned.pass");
			if (!Files.isRegularFile(ks) || !Files.isRegularFile(pass)) {
				generate(dir, ks, pass, names);
			}
			char[] pw = Files.readString(pass, StandardCharsets.US_ASCII).strip().toCharArray();
			return new RseTls(context(ks, "PKCS12", pw, Optional.of("rse")), "self-signed certificate " + ks);
		} catch (IOException | GeneralSecurityException e) {
			Path where = file.map(EnvFile.Entry::file).orElse(ssl.file());
			int line = file.map(EnvFile.Entry::line).orElse(0);
			throw new ConfigException(Diagnostic.error(Diagnostic.TLS_SETUP, where, line, 0, "TLS cannot be set up: " + e.getMessage()
					+ (file.isPresent() ? "; check server_keystore_file, _password and _type" : "")));
		}
	}

	private static SSLContext context(Path ks, String type, char[] pw, Optional<String> alias)
			throws IOException, GeneralSecurityException {
		KeyStore store = KeyStore.getInstance(type);
		try (InputStream in = Files.newInputStream(ks)) {
			store.load(in, pw);
		}
		if (alias.isPresent()) {
			// keep only the labelled key, as RSE's server_keystore_label selects one
			KeyStore only = KeyStore.getInstance("PKCS12");
			only.load(null, pw);
			if (!store.isKeyEntry(alias.get())) {
				throw new GeneralSecurityException("the key store has no key labelled " + alias.get());
			}
			only.setKeyEntry(alias.get(), store.getKey(alias.get(), pw), pw, store.getCertificateChain(alias.get()));
			store = only;
		}
		KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		kmf.init(store, pw);
		SSLContext ctx = SSLContext.getInstance("TLS");
		ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
		return ctx;
	}

	/** Generates the sysplex's self-signed certificate once, with the running JDK's keytool. */
	private static synchronized void generate(Path dir, Path ks, Path pass, Set<InetAddress> names)
			throws IOException, GeneralSecurityException {
		if (Files.isRegularFile(ks) && Files.isRegularFile(pass)) {
			return;
		}
		Files.createDirectories(dir);
		byte[] raw = new byte[24];
		new SecureRandom().nextBytes(raw);
		String pw = HexFormat.of().formatHex(raw);
		Path tmp = Files.createTempFile(dir, "rse-selfsigned", ".p12");
		Files.delete(tmp); // keytool refuses to write into an existing empty file
		Set<String> san = new LinkedHashSet<>();
		names.forEach(a -> san.add("ip:" + a.getHostAddress()));
		san.add("dns:localhost");
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "rse", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
				"-dname", "CN=Sysplex Explorer RSE, O=Sysplex Explorer", "-ext", "SAN=" + String.join(",", san),
				"-validity", "825", "-storetype", "PKCS12", "-keystore", tmp.toString(), "-storepass", pw, "-keypass", pw));
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
				throw new GeneralSecurityException("keytool could not generate the self-signed certificate: " + output);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while generating the certificate", e);
		}
		Files.writeString(pass, pw + "\n", StandardCharsets.US_ASCII);
		try {
			Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
			Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
		} catch (UnsupportedOperationException e) {
			// not a POSIX file system: the directory's own protection applies
		}
		Files.move(tmp, ks);
	}

	/** Wraps an accepted socket whose first byte was already read, as a TLS server. */
	public SSLSocket wrap(java.net.Socket socket, byte[] consumed) throws IOException {
		SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(socket,
				new java.io.ByteArrayInputStream(consumed), true);
		s.setUseClientMode(false);
		s.setEnabledProtocols(PROTOCOLS);
		return s;
	}

	/** An accepted connection in the language of its port: TLS with the handshake done, or plain. */
	public record Accepted(java.net.Socket socket, InputStream in) {
	}

	/** Why {@link #accept} refused a connection. */
	public enum Mismatch {
		/** The port speaks TLS, the peer's first byte was not a ClientHello. */
		PLAIN_TO_TLS,
		/** The port does not speak TLS, the peer started a ClientHello. */
		TLS_TO_PLAIN
	}

	/**
	 * Reads the first byte of an accepted connection (within its SO_TIMEOUT) and speaks what the port
	 * speaks: with {@code tls}, a ClientHello starts the handshake (bounded by {@code timeoutMs}); without,
	 * the byte is put back in front of the stream. A peer that speaks the other language gets a fatal
	 * TLS alert at once (unexpected_message, or handshake_failure), {@code refused} is told which, and
	 * the answer is null, as at end of stream; closing {@code raw} is the caller's.
	 */
	public static Accepted accept(java.net.Socket raw, Optional<RseTls> tls, int timeoutMs,
			java.util.function.Consumer<Mismatch> refused) throws IOException {
		InputStream rawIn = raw.getInputStream();
		int first = rawIn.read();
		if (first < 0) {
			return null;
		}
		boolean hello = first == dev.sysplex.protocol.Frames.TLS_HANDSHAKE_RECORD;
		if (tls.isPresent() != hello) {
			alert(raw, hello ? ALERT_HANDSHAKE_FAILURE : ALERT_UNEXPECTED_MESSAGE);
			refused.accept(hello ? Mismatch.TLS_TO_PLAIN : Mismatch.PLAIN_TO_TLS);
			return null;
		}
		if (hello) {
			SSLSocket ssl = tls.get().wrap(raw, new byte[] { (byte) first });
			ssl.setSoTimeout(timeoutMs);
			ssl.startHandshake();
			return new Accepted(ssl, ssl.getInputStream());
		}
		return new Accepted(raw, new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(
				new byte[] { (byte) first }), rawIn));
	}

	/** Answers a peer that spoke the wrong language with a raw fatal TLS alert, then closes. */
	public static void alert(java.net.Socket socket, int description) {
		try {
			OutputStream out = socket.getOutputStream();
			out.write(new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, (byte) description });
			out.flush();
		} catch (IOException e) {
			// the peer is gone already
		}
	}

	/** Sent to a plaintext peer of an encrypted port. */
	public static final int ALERT_UNEXPECTED_MESSAGE = 10;
	/** Sent to a TLS peer of a port without encryption. */
	public static final int ALERT_HANDSHAKE_FAILURE = 40;

	@Override
	public String toString() {
		return "TLS 1.3/1.2 with the " + describe;
	}
}
