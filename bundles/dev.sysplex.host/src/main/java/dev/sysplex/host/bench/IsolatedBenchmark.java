package dev.sysplex.host.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sysplex.config.SysplexConfig;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.host.isolated.IsolatedSysplex;
import dev.sysplex.host.net.EchoServer;
import dev.sysplex.host.net.TcpipStack;
import dev.sysplex.host.rse.UserRegistry;

/**
 * The isolated mode against the embedded one, in one run, on a copy of examples/two-systems moved
 * to 127.0.42.0/24 (6000 a sink, 6001 an echo, both distributed): new connections per second and
 * bulk MB/s straight to a target, through the owner's kernel, and through the embedded distributor;
 * RSE logon latency in both; the owner killed with a session held through it (time to the first
 * new connection, the held session's longest pause); resident memory per system process; and the
 * start time of 2, 8 and 32 systems in both modes (generated sysplexes, as bench simulate writes).
 * Run as root: ./sysplex bench isolated
 */
public final class IsolatedBenchmark {

	private static final char[] PASSWORD = "bench-password".toCharArray();
	private static final String SUBNET = "127.0.42.";

	private final PrintStream out;
	private final Path example;
	private final int seconds;
	private final long megabytes;
	private final int logons;
	private final int[] sizes;

	public IsolatedBenchmark(PrintStream out, Path example, int seconds, long megabytes, int logons, int[] sizes) {
		this.out = out;
		this.example = example;
		this.seconds = seconds;
		this.megabytes = megabytes;
		this.logons = logons;
		this.sizes = sizes;
	}

	public void run() throws Exception {
		List<String> missing = IsolatedSysplex.missing();
		if (!missing.isEmpty()) {
			out.println("The isolated benchmark needs what the isolated mode needs: " + String.join("; ", missing));
			return;
		}
		out.printf("Isolated vs embedded: 2 systems (SYSA owns the DVIPA), %d cores, Java %s%n",
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
		Path dir = Files.createTempDirectory("sysplex-bench-isolated");
		try {
			copy(dir);
			double[] embedded = embedded(dir);
			double[] isolated = isolated(dir);
			String[] names = { "New connections/s straight to SYSB", "New connections/s through the distributor",
					"Bulk MB/s straight to SYSB", "Bulk MB/s through the distributor to SYSB" };
			for (int i = 0; i < 4; i++) {
				out.printf("%-46s embedded %,8.0f   isolated %,8.0f%n", names[i], embedded[i], isolated[i]);
			}
			out.printf("%-46s embedded %8.2f   isolated %8.2f   (of straight, same mode)%n", "  through / straight, connections",
					embedded[1] / embedded[0], isolated[1] / isolated[0]);
			out.printf("%-46s embedded %8.2f   isolated %8.2f%n", "  through / straight, bulk", embedded[3] / embedded[2],
					isolated[3] / isolated[2]);
			out.printf("%-46s embedded %8.2f ms isolated %8.2f ms (median; p99 %.2f / %.2f; %d logons, TLS)%n",
					"RSE logon latency", embedded[4], isolated[4], embedded[5], isolated[5], logons);
		} finally {
			SysplexDirectories.deleteTree(dir);
		}
		for (int n : sizes) {
			startTimes(n);
		}
	}

	/** examples/two-systems on 127.0.42.0/24, 6001 distributed too, user BENCH with a one-iteration hash. */
	private void copy(Path dir) throws IOException {
		SysplexDirectories.copy(example, dir);
		try (var files = Files.walk(dir)) {
			for (Path p : files.filter(Files::isRegularFile).toList()) {
				if (p.toString().contains("/var/") || p.toString().contains("/security/")) {
					Files.delete(p);
					continue;
				}
				String text = Files.readString(p).replace("127.0.10.", SUBNET).replace("PORT 4035 5301 5302 6000",
						"PORT 4035 5301 5302 6000 6001");
				Files.writeString(p, text);
			}
		}
		UserRegistry.open(dir.resolve(Sysplex.USERS)).setPassword("BENCH", PASSWORD, false, 1);
	}

	/** Figures in this process, on loopback: rate straight, rate through, bulk straight, bulk through, logon median, p99. */
	private double[] embedded(Path dir) throws Exception {
		try (Sysplex s = Sysplex.start(dir)) {
			InetAddress dvipa = InetAddress.getByName(SUBNET + "100");
			for (TcpipStack t : s.network().stacks()) {
				EchoServer.start(t, dvipa, 6000, EchoServer.Mode.SINK);
				EchoServer.start(t, t.homeAddress(), 6000, EchoServer.Mode.SINK);
			}
			String b = SUBNET + "2";
			String d = SUBNET + "100";
			NetClient.rate(b, 6000, 1, 8); // warm-up
			NetClient.rate(d, 6000, 1, 8);
			double[] r = new double[6];
			r[0] = NetClient.rate(b, 6000, seconds, 8);
			r[1] = NetClient.rate(d, 6000, seconds, 8);
			r[2] = NetClient.bulk(b, 6000, megabytes, "SYSB");
			r[3] = NetClient.bulk(d, 6000, megabytes, "SYSB");
			double[] l = NetClient.logon(d, "BENCH", PASSWORD, logons);
			r[4] = l[0];
			r[5] = l[1];
			return r;
		}
	}

	private double[] isolated(Path dir) throws Exception {
		long t0 = System.nanoTime();
		IsolatedSysplex s = IsolatedSysplex.start(SysplexConfig.load(dir), List.of(), Duration.ofSeconds(120), line -> {
		});
		try {
			long startMs = (System.nanoTime() - t0) / 1_000_000;
			for (String sys : List.of("SYSA", "SYSB")) {
				s.command(sys, "serve sink 6000");
				s.command(sys, "serve echo 6001");
			}
			String b = SUBNET + "2";
			String d = SUBNET + "100";
			value(client(s, "rate", b, "6000", "1", "8"));
			value(client(s, "rate", d, "6000", "1", "8"));
			double[] r = new double[6];
			r[0] = value(client(s, "rate", b, "6000", String.valueOf(seconds), "8"));
			r[1] = value(client(s, "rate", d, "6000", String.valueOf(seconds), "8"));
			r[2] = value(client(s, "bulk", b, "6000", String.valueOf(megabytes), "SYSB"));
			r[3] = value(client(s, "bulk", d, "6000", String.valueOf(megabytes), "SYSB"));
			String logon = client(s, "logon", d, "BENCH", new String(PASSWORD), String.valueOf(logons));
			r[4] = Double.parseDouble(field(logon, "logon_median_ms"));
			r[5] = Double.parseDouble(field(logon, "logon_p99_ms"));
			long rss = 0;
			for (long pid : s.pids().values()) {
				rss += BenchSupport.residentBytes(pid);
			}
			out.printf("%-46s %,d MB per system process (resident, after the figures above); 2 systems started in %,d ms%n",
					"Memory", rss / s.pids().size() / 1_000_000, startMs);
			takeover(s, d);
			return r;
		} finally {
			s.close();
		}
	}

	/** The owner killed with a session on SYSB held through it: time to the first new connection, the session's pause. */
	private void takeover(IsolatedSysplex s, String dvipa) throws Exception {
		List<String> cmd = new ArrayList<>(List.of(java(), "-Dsurvivor=SYSB", "-cp", System.getProperty("java.class.path"),
				NetClient.class.getName(), "takeover", dvipa, "6001"));
		Process p = new ProcessBuilder(s.inClient(cmd)).redirectErrorStream(true).start();
		BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
		String ready = r.readLine();
		if (!"READY".equals(ready)) {
			out.println("Takeover: the client did not hold a session (" + ready + ")");
			p.destroyForcibly();
			return;
		}
		Thread.sleep(300);
		OutputStream go = p.getOutputStream();
		go.write('\n'); // the client's clock starts now, then the owner dies
		go.flush();
		s.kill("SYSA");
		String result = r.readLine();
		p.waitFor(40, TimeUnit.SECONDS);
		out.printf("%-46s %s (lease %d s, read every %d ms)%n", "Owner SYSA killed, SYSB takes over", result == null
				? "no result" : result.replace("new_connections_failed_ms=", "new connections failed for ")
						.replace(" back_at_ms=", " ms, back ").replace(" by=", " ms after the kill, answered by ")
						.replace(" held_longest_pause_ms=", "; a session held to SYSB paused at most ")
						.replace(" held=", " ms and "),
				dev.sysplex.host.cf.EtcdOwners.TTL_SECONDS, 200);
	}

	private void startTimes(int n) throws Exception {
		Path dir = Files.createTempDirectory("sysplex-bench-start");
		try {
			SimulateBenchmark.write(dir, n);
			long t0 = System.nanoTime();
			Sysplex embedded = Sysplex.start(dir);
			long embeddedMs = (System.nanoTime() - t0) / 1_000_000;
			embedded.close();
			{
				t0 = System.nanoTime();
				IsolatedSysplex iso = IsolatedSysplex.start(SysplexConfig.load(dir), List.of(), Duration.ofSeconds(300),
						line -> {
						});
				long isolatedMs = (System.nanoTime() - t0) / 1_000_000;
				long rss = 0;
				for (long pid : iso.pids().values()) {
					rss += BenchSupport.residentBytes(pid);
				}
				iso.close();
				out.printf("%-46s embedded %,8d ms   isolated %,8d ms   (%,d MB resident per system process)%n",
						"Start of " + n + " systems (DBM, RSED, TLS)", embeddedMs, isolatedMs, rss / n / 1_000_000);
			}
		} finally {
			SysplexDirectories.deleteTree(dir);
		}
	}

	private static String java() {
		return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
	}

	private static String client(IsolatedSysplex s, String... args) throws Exception {
		List<String> cmd = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"),
				NetClient.class.getName()));
		cmd.addAll(List.of(args));
		Process p = new ProcessBuilder(s.inClient(cmd)).redirectErrorStream(true).start();
		String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
			throw new IOException("the client in the client namespace failed: " + String.join(" ", args) + ": " + text);
		}
		return text;
	}

	private static double value(String line) {
		return Double.parseDouble(line.substring(line.lastIndexOf('=') + 1));
	}

	private static String field(String line, String name) {
		for (String f : line.split(" ")) {
			if (f.startsWith(name + "=")) {
				return f.substring(name.length() + 1);
			}
		}
		throw new IllegalArgumentException("no " + name + " in " + line);
	}
}
