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

	/** The etcd binary on the PATH (or in the system's program directories), if installed. */
	public static Optional<Path> binary() {
		return dev.sysplex.host.net.KernelCommands.find("etcd");
	}

	/**
	 * Starts a single-member etcd on {@code address} with its data in {@code dataDir} (made if
	 * missing) and waits until it is healthy, at most {@code timeout}.
	 *
	 * @throws IOException when etcd is not installed, does not start, or is not healthy in time
	 *                     (the message says which, with the end of its log)
	 */
	public static EtcdServer start(Path dataDir, InetAddress address, Duration timeout) throws IOException {
		return launch(List.of(dataDir), address, timeout).get(0);
	}

	/**
	 * Starts a cluster of {@code members} etcd members on {@code address}, member N's data in
	 * {@code dir}/member-N, and waits until every one is healthy, at most {@code timeout}.
	 */
	public static List<EtcdServer> startCluster(Path dir, InetAddress address, int members, Duration timeout)
			throws IOException {
		List<Path> dirs = new java.util.ArrayList<>();
		for (int i = 0; i < members; i++) {
			dirs.add(dir.resolve("member-" + i));
		}
		return launch(dirs, address, timeout);
	}

	private static List<EtcdServer> launch(List<Path> dataDirs, InetAddress address, Duration timeout)
			throws IOException {
		Path etcd = binary().orElseThrow(() -> new IOException("etcd is not installed: the coupling facility on etcd "
				+ "needs Debian's etcd-server package (apt-get install etcd-server), or give the address of a running etcd"));
		int n = dataDirs.size();
		String host = address.getHostAddress();
		IOException last = null;
		for (int attempt = 0; attempt < 3; attempt++) { // a port picked free may be taken before etcd binds it
			List<URI> clients = new java.util.ArrayList<>();
			List<String> peers = new java.util.ArrayList<>();
			StringBuilder cluster = new StringBuilder();
			for (int i = 0; i < n; i++) {
				clients.add(URI.create("http://" + host + ":" + freePort(address)));
				peers.add("http://" + host + ":" + freePort(address));
				cluster.append(i == 0 ? "" : ",").append(name(i, n)).append('=').append(peers.get(i));
			}
			List<EtcdServer> started = new java.util.ArrayList<>();
			for (int i = 0; i < n; i++) {
				Path dataDir = dataDirs.get(i);
				Files.createDirectories(dataDir);
				Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
				ProcessBuilder pb = new ProcessBuilder(List.of(etcd.toString(), "--name", name(i, n), "--data-dir",
						dataDir.toString(), "--listen-client-urls", clients.get(i).toString(), "--advertise-client-urls",
						clients.get(i).toString(), "--listen-peer-urls", peers.get(i), "--initial-advertise-peer-urls",
						peers.get(i), "--initial-cluster", cluster.toString(), "--initial-cluster-state", "new",
						"--heartbeat-interval", "50", "--election-timeout", "500", "--log-level", "warn"));
				pb.redirectErrorStream(true).redirectOutput(log.toFile());
				started.add(new EtcdServer(pb.start(), clients.get(i), log));
			}
			long deadline = System.nanoTime() + timeout.toNanos();
			EtcdServer sick = null;
			for (EtcdServer server : started) {
				EtcdClient probe = new EtcdClient(server.endpoint, Duration.ofMillis(500));
				while (!probe.healthy()) {
					if (System.nanoTime() > deadline || !server.isAlive()) {
						sick = server;
						break;
					}
					try {
						Thread.sleep(50);
					} catch (InterruptedException e) {
						Thread.currentThread().interrupt();
						started.forEach(EtcdServer::close);
						throw new IOException("interrupted while etcd started", e);
					}
				}
				if (sick != null) {
					break;
				}
			}
			if (sick == null) {
				return List.copyOf(started);
			}
			String why = sick.process.isAlive() ? "was not healthy within " + timeout.toMillis() + " ms"
					: "ended with exit code " + sick.process.exitValue();
			started.forEach(EtcdServer::close);
			last = new IOException("etcd at " + sick.endpoint + " (" + etcd + ") " + why + "; the end of its log "
					+ sick.log + ":\n" + tail(sick.log));
		}
		throw last;
	}

	/** A member's name: "sysplex-cf" alone, "sysplex-cf-N" in a cluster. */
	private static String name(int i, int members) {
		return members == 1 ? "sysplex-cf" : "sysplex-cf-" + i;
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
