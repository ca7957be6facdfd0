package dev.sysplex.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Pinned certificate fingerprints per endpoint (host:port). */
public interface TrustStore {

	/** The endpoint an RSE daemon's pin is kept under: the host and port the client connects to. */
	static String endpoint(String host, int port) {
		return host + ":" + port;
	}

	Optional<String> pinned(String endpoint);

	void pin(String endpoint, String sha256) throws IOException;

	/**
	 * Removes the pin of {@code endpoint}, so that its next connection asks about its certificate
	 * again (after the host's administrator confirmed a new one). Nothing when there is none.
	 */
	void forget(String endpoint) throws IOException;

	/** Pins kept in memory only. */
	static TrustStore inMemory() {
		Map<String, String> pins = new ConcurrentHashMap<>();
		return new TrustStore() {
			@Override
			public Optional<String> pinned(String endpoint) {
				return Optional.ofNullable(pins.get(endpoint));
			}

			@Override
			public void pin(String endpoint, String sha256) {
				pins.put(endpoint, sha256);
			}

			@Override
			public void forget(String endpoint) {
				pins.remove(endpoint);
			}
		};
	}

	/**
	 * Pins in a file, one "endpoint fingerprint" line each, like ssh's known_hosts (the command
	 * line uses ~/.sysplex/known_servers).
	 */
	static TrustStore file(Path file) {
		return new TrustStore() {
			private synchronized Map<String, String> read() throws IOException {
				Map<String, String> pins = new LinkedHashMap<>();
				if (Files.isRegularFile(file)) {
					for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
						String[] f = line.strip().split("\\s+");
						if (f.length == 2 && !f[0].startsWith("#")) {
							pins.put(f[0], f[1]);
						}
					}
				}
				return pins;
			}

			@Override
			public Optional<String> pinned(String endpoint) {
				try {
					return Optional.ofNullable(read().get(endpoint));
				} catch (IOException e) {
					throw new IllegalStateException("cannot read the pinned certificates in " + file + ": " + e.getMessage(),
							e);
				}
			}

			@Override
			public synchronized void pin(String endpoint, String sha256) throws IOException {
				Map<String, String> pins = read();
				pins.put(endpoint, sha256);
				write(pins);
			}

			@Override
			public synchronized void forget(String endpoint) throws IOException {
				Map<String, String> pins = read();
				if (pins.remove(endpoint) != null) {
					write(pins);
				}
			}

			private void write(Map<String, String> pins) throws IOException {
				StringBuilder sb = new StringBuilder("# Sysplex Explorer: pinned RSE server certificates (SHA-256)\n");
				pins.forEach((e, f) -> sb.append(e).append(' ').append(f).append('\n'));
				Files.createDirectories(file.toAbsolutePath().getParent());
				Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
				Files.writeString(tmp, sb, StandardCharsets.UTF_8);
				Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
			}
		};
	}
}
