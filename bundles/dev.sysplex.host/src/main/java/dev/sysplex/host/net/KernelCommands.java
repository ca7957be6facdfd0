package dev.sysplex.host.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the kernel's configuration tools (nft, ip) in this process's network namespace, each call
 * bounded in time and output, failing with the tool's own words. A batch given to {@code nft -f -}
 * is one transaction: all of it applies or none.
 */
public final class KernelCommands {

	/** How long one tool may run. */
	static final long TIMEOUT_MS = 10_000;
	/** How much of a tool's output is kept. */
	private static final int MAX_OUTPUT = 64 * 1024;

	private KernelCommands() {
	}

	/** Applies {@code batch} (nft commands, one per line) as one transaction. */
	public static void nft(String batch) throws IOException {
		run(List.of(tool("nft"), "-f", "-"), batch);
	}

	/** Runs {@code ip -batch -} with these commands, one per line. */
	public static void ip(String batch) throws IOException {
		run(List.of(tool("ip"), "-batch", "-"), batch);
	}

	/** Writes a value under /proc/sys (this namespace's own for net.*). */
	public static void sysctl(String key, String value) throws IOException {
		Path p = Path.of("/proc/sys", key.replace('.', '/'));
		try {
			Files.writeString(p, value);
		} catch (IOException e) {
			throw new IOException("cannot set " + key + "=" + value + " (" + p + "): " + e.getMessage(), e);
		}
	}

	/** The tool's path: the PATH's, else /usr/sbin or /sbin (root's tools when PATH lacks them). */
	public static String tool(String name) {
		return find(name).map(Path::toString).orElse(name);
	}

	/** The program on the PATH or in the system's program directories, if installed. */
	public static Optional<Path> find(String name) {
		String path = System.getenv().getOrDefault("PATH", "");
		for (String dir : (path + ":/usr/sbin:/sbin:/usr/bin:/bin:/usr/local/bin").split(":")) {
			if (!dir.isEmpty()) {
				Path p = Path.of(dir, name);
				if (Files.isExecutable(p)) {
					return Optional.of(p);
				}
			}
		}
		return Optional.empty();
	}

	/** Runs a command with {@code input} on its stdin; returns its output, or fails with it. */
	public static String run(List<String> command, String input) throws IOException {
		Process p;
		try {
			p = new ProcessBuilder(command).redirectErrorStream(true).start();
		} catch (IOException e) {
			throw new IOException(command.get(0) + " cannot be run: " + e.getMessage(), e);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Thread reader = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out));
		try (OutputStream in = p.getOutputStream()) {
			in.write(input.getBytes(StandardCharsets.UTF_8));
		} catch (IOException e) {
			// it ended before reading all: its exit code and output say why
		}
		try {
			if (!p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
				p.destroyForcibly();
				throw new IOException(String.join(" ", command) + " did not end within " + TIMEOUT_MS + " ms");
			}
			reader.join(1000);
		} catch (InterruptedException e) {
			p.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while " + command.get(0) + " ran", e);
		}
		String text;
		synchronized (out) {
			text = out.toString(StandardCharsets.UTF_8).strip();
		}
		if (p.exitValue() != 0) {
			List<String> shown = new ArrayList<>(command);
			throw new IOException(String.join(" ", shown) + " failed (exit " + p.exitValue() + "): " + text
					+ (input.isEmpty() ? "" : "\n  input was:\n    " + input.strip().replace("\n", "\n    ")));
		}
		return text;
	}

	private static void drain(InputStream in, ByteArrayOutputStream out) {
		byte[] b = new byte[4096];
		try (in) {
			for (int n; (n = in.read(b)) >= 0;) {
				synchronized (out) {
					if (out.size() < MAX_OUTPUT) {
						out.write(b, 0, Math.min(n, MAX_OUTPUT - out.size()));
					}
				}
			}
		} catch (IOException e) {
			// the tool ended
		}
	}
}
