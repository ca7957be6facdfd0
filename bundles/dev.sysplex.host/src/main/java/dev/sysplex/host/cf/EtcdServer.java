package dev.sysplex.host.cf;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One etcd member started by us for a sysplex's coupling facility: Debian's {@code etcd}
 * (package etcd-server) with a data directory and ports of its own on one address, so that
 * several runs on a machine never share one. It runs until {@link #close()}, which ends that
 * process (by its handle, never by name) and waits for it.
 */
public final class EtcdServer implements AutoCloseable {

	private final Process process;
	private final URI endpoint;
	private final Path log;

	private EtcdServer(Process process, URI endpoint, Path log) {
		this.process = process;
		this.endpoint = endpoint;
		this.log = log;
	}

	/** The etcd binary on the PATH (or /usr/bin/etcd), if installed. */
	public static Optional<Path> binary() {
		String path = System.getenv().getOrDefault("PATH", "");
		for (String dir : (path + ":/usr/bin:/usr/local/bin").split(":")) {
			if (!dir.isEmpty()) {
				Path p = Path.of(dir, "etcd");
				if (Files.isExecutable(p)) {
					return Optional.of(p);
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * Starts a single-member etcd on {@code address} with its data in {@code dataDir} (made if
	 * missing) and waits until it is healthy, at most {@code timeout}.
	 *
	 * @throws IOException when etcd is not installed, does not start, or is not healthy in time
	 *                     (the message says which, with the end of its log)
	 */
	public static EtcdServer start(Path dataDir, InetAddress address, Duration timeout) throws IOException {
		Path etcd = binary().orElseThrow(() -> new IOException("etcd is not installed: the coupling facility on etcd "
				+ "needs Debian's etcd-server package (apt-get install etcd-server), or give the address of a running etcd"));
		Files.createDirectories(dataDir);
		Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
		IOException last = null;
		for (int attempt = 0; attempt < 3; attempt++) { // a port picked free may be taken before etcd binds it
			int client = freePort(address);
			int peer = freePort(address);
			String host = address.getHostAddress();
			URI endpoint = URI.create("http://" + host + ":" + client);
			String peerUrl = "http://" + host + ":" + peer;
			ProcessBuilder pb = new ProcessBuilder(List.of(etcd.toString(), "--name", "sysplex-cf", "--data-dir",
					dataDir.toString(), "--listen-client-urls", endpoint.toString(), "--advertise-client-urls",
					endpoint.toString(), "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
					"--initial-cluster", "sysplex-cf=" + peerUrl, "--initial-cluster-state", "new",
					"--heartbeat-interval", "50", "--election-timeout", "500", "--log-level", "warn"));
			pb.redirectErrorStream(true).redirectOutput(log.toFile());
			Process p = pb.start();
			EtcdServer server = new EtcdServer(p, endpoint, log);
			EtcdClient probe = new EtcdClient(endpoint, Duration.ofMillis(500));
			long deadline = System.nanoTime() + timeout.toNanos();
			while (System.nanoTime() < deadline && p.isAlive()) {
				if (probe.healthy()) {
					return server;
				}
				try {
					Thread.sleep(50);
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					server.close();
					throw new IOException("interrupted while etcd started", e);
				}
			}
			server.close();
			last = new IOException("etcd at " + endpoint + " (" + etcd + ", data " + dataDir + ") "
					+ (p.isAlive() ? "was not healthy within " + timeout.toMillis() + " ms" : "ended with exit code "
							+ p.exitValue()) + "; the end of its log " + log + ":\n" + tail(log));
		}
		throw last;
	}

	private static int freePort(InetAddress address) throws IOException {
		try (ServerSocket s = new ServerSocket()) {
			s.bind(new InetSocketAddress(address, 0));
			return s.getLocalPort();
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
		} catch (IOException e) {
			return "(unreadable: " + e.getMessage() + ")";
		}
	}

	public URI endpoint() {
		return endpoint;
	}

	public long pid() {
		return process.pid();
	}

	public Path log() {
		return log;
	}

	public boolean isAlive() {
		return process.isAlive();
	}

	/** Ends etcd at once, as a killed member (SIGKILL). */
	public void kill() {
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(5, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				process.waitFor(5, TimeUnit.SECONDS);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}
}
