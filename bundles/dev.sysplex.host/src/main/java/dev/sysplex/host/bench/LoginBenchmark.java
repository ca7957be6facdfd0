package dev.sysplex.host.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.host.rse.UserRegistry;

/**
 * Login latency (median, 99th percentile) for TLS, plain, first-time fallback and remembered
 * fallback; logins per second; host heap per idle session. The password hash is measured on its
 * own (a chosen cost); the logon runs use a one-iteration hash so they show the protocol.
 * Run: ./sysplex bench login
 */
public final class LoginBenchmark {

	private static final char[] PASSWORD = "bench-password".toCharArray();

	private final PrintStream out;
	private final int samples;
	private final int seconds;
	private final int[] idleCounts;

	public LoginBenchmark(PrintStream out, int samples, int seconds, int[] idleCounts) {
		this.out = out;
		this.samples = samples;
		this.seconds = seconds;
		this.idleCounts = idleCounts;
	}

	public void run() throws Exception {
		out.printf("RSE login benchmark: 2 systems, ROUNDROBIN, SYSPLEXPORTS, %d cores, Java %s%n",
				Runtime.getRuntime().availableProcessors(), Runtime.version());
		hashCost();
		Path tlsDir = Files.createTempDirectory("sysplex-bench-tls");
		Path plainDir = Files.createTempDirectory("sysplex-bench-plain");
		try (Sysplex tls = start(tlsDir, "127.0.31.", true); Sysplex plain = start(plainDir, "127.0.32.", false)) {
			out.println("Sysplexes          " + tls.config().sysplexName() + " with TLS on 127.0.31.0/24, plain on 127.0.32.0/24");
			TrustStore pins = TrustStore.inMemory();
			RseConnector tlsClient = connector(TlsMemory.disabled(), pins);
			latency("TLS (REQUIRED)", "127.0.31.100", EncryptionPolicy.REQUIRED, () -> tlsClient);
			RseConnector plainClient = connector(TlsMemory.disabled(), pins);
			latency("plain (DISABLED)", "127.0.32.100", EncryptionPolicy.DISABLED, () -> plainClient);
			latency("fallback, first time", "127.0.32.100", EncryptionPolicy.PREFERRED,
					() -> connector(TlsMemory.enabled(Duration.ofHours(1)), pins));
			RseConnector remembering = connector(TlsMemory.enabled(Duration.ofHours(1)), pins);
			remembering.connect("127.0.32.100", 4035, "BENCH", PASSWORD, EncryptionPolicy.PREFERRED).logoff();
			latency("fallback, remembered", "127.0.32.100", EncryptionPolicy.PREFERRED, () -> remembering);
			throughput("TLS", "127.0.31.100", EncryptionPolicy.REQUIRED, pins);
			throughput("plain", "127.0.32.100", EncryptionPolicy.DISABLED, pins);
			for (int n : idleCounts) {
				idleMemory(plain, n);
			}
		} finally {
			SysplexDirectories.deleteTree(tlsDir);
			SysplexDirectories.deleteTree(plainDir);
		}
	}

	private void hashCost() {
		int n = 5;
		UserRegistry.hashForBenchmark(PASSWORD, UserRegistry.DEFAULT_ITERATIONS); // warm-up
		long t0 = System.nanoTime();
		for (int i = 0; i < n; i++) {
			UserRegistry.hashForBenchmark(PASSWORD, UserRegistry.DEFAULT_ITERATIONS);
		}
		out.printf("Password hash       PBKDF2-HMAC-SHA256, %,d iterations: %.1f ms per logon check (chosen cost, "
				+ "not in the figures below)%n", UserRegistry.DEFAULT_ITERATIONS, (System.nanoTime() - t0) / 1e6 / n);
	}

	private static Sysplex start(Path dir, String subnet, boolean ssl) throws Exception {
		return start(dir, subnet, ssl, "ROUNDROBIN");
	}

	/**
	 * Plain logon latency with BASEWLM and with ROUNDROBIN, fresh and after {@code logons} logons
	 * (each leaves a SYSPLEXPORTS server port behind it in the distributor's tables until they are
	 * retired): a distribution method that walks every port entry ever made grows with the logons.
	 */
	public void methodsAfterManyLogons(int logons) throws Exception {
		for (String method : List.of("ROUNDROBIN", "BASEWLM")) {
			Path dir = Files.createTempDirectory("sysplex-bench-" + method.toLowerCase(java.util.Locale.ROOT));
			// an address range per run and method: several runs may share the machine
			String subnet = "127." + (method.equals("BASEWLM") ? 35 : 34) + "." + (ProcessHandle.current().pid() % 250 + 1)
					+ ".";
			try (Sysplex s = start(dir, subnet, false, method)) {
				RseConnector c = connector(TlsMemory.disabled(), TrustStore.inMemory());
				double fresh = medianLogon(c, subnet + "100", 500);
				for (int i = 0; i < logons; i++) {
					c.connect(subnet + "100", 4035, "BENCH", PASSWORD, EncryptionPolicy.DISABLED).logoff();
				}
				double after = medianLogon(c, subnet + "100", 500);
				out.printf("Plain logon, %-10s median %5.2f ms fresh, %5.2f ms after %,d logons (%.2fx); %d port "
						+ "entries in the distributor's table%n", method, fresh, after, logons, after / fresh,
						s.network().dvipas().stream().mapToInt(d -> d.portTable().size()).sum());
			} finally {
				SysplexDirectories.deleteTree(dir);
			}
		}
	}

	private static double medianLogon(RseConnector c, String host, int n) throws IOException {
		for (int i = 0; i < 100; i++) {
			c.connect(host, 4035, "BENCH", PASSWORD, EncryptionPolicy.DISABLED).logoff();
		}
		long[] ns = new long[n];
		for (int i = 0; i < n; i++) {
			long t0 = System.nanoTime();
			var session = c.connect(host, 4035, "BENCH", PASSWORD, EncryptionPolicy.DISABLED);
			ns[i] = System.nanoTime() - t0;
			session.logoff();
		}
		Arrays.sort(ns);
		return ns[n / 2] / 1e6;
	}

	private static Sysplex start(Path dir, String subnet, boolean ssl, String method) throws Exception {
		Files.writeString(dir.resolve("sysplex.conf"), "SYSPLEX NAME(BENCH)\nSYSTEM NAME(SYS1) SYSCLONE(01) ADDRESS("
				+ subnet + "1)\nSYSTEM NAME(SYS2) SYSCLONE(02) ADDRESS(" + subnet + "2)\n");
		Files.writeString(dir.resolve("cfrm.policy"), "STRUCTURE NAME(EZBEPORT) SIZE(8192)\n");
		Path zexpl = Files.createDirectories(dir.resolve("etc/zexpl"));
		Files.writeString(zexpl.resolve("rse.env"), "enable.dDVIPA=true\ndeny.nonzero.port=true\n");
		Files.writeString(zexpl.resolve("ssl.properties"), "enable_ssl=" + ssl + "\n");
		for (int i = 1; i <= 2; i++) {
			Path p = Files.createDirectories(dir.resolve("systems/SYS" + i));
			String vipa = i == 1
					? "  VIPADEFINE 255.255.255.0 " + subnet + "100\n  VIPADISTRIBUTE SYSPLEXPORTS DISTMETHOD " + method + " "
							+ subnet + "100 PORT 4035 DESTIP ALL\n"
					: "  VIPABACKUP 100 " + subnet + "100\n";
			Files.writeString(p.resolve("PROFILE.TCPIP"), "IPCONFIG SYSPLEXROUTING DYNAMICXCF " + subnet + i
					+ " 255.255.255.0 1\nVIPADYNAMIC\n" + vipa + "ENDVIPADYNAMIC\n");
		}
		Sysplex s = Sysplex.start(dir);
		s.users().setPassword("BENCH", PASSWORD, false, 1);
		return s;
	}

	private static RseConnector connector(TlsMemory memory, TrustStore pins) {
		return new RseConnector(new RseConnector.Options().tlsMemory(memory)
				.trust(pins, TrustDecision.TRUST_ON_FIRST_USE).reconnect(false, 0, Duration.ZERO, Duration.ZERO));
	}

	/** Logon until the session is established (the logoff is not timed). */
	private void latency(String label, String host, EncryptionPolicy policy, Supplier<RseConnector> connectors)
			throws IOException {
		for (int i = 0; i < Math.min(200, samples); i++) {
			connectors.get().connect(host, 4035, "BENCH", PASSWORD, policy).logoff(); // warm-up
		}
		long[] ns = new long[samples];
		for (int i = 0; i < samples; i++) {
			RseConnector c = connectors.get();
			long t0 = System.nanoTime();
			var s = c.connect(host, 4035, "BENCH", PASSWORD, policy);
			ns[i] = System.nanoTime() - t0;
			s.logoff();
		}
		Arrays.sort(ns);
		out.printf("Login latency       %-22s median %6.2f ms   p99 %6.2f ms   (%d logons)%n", label,
				ns[ns.length / 2] / 1e6, ns[(int) Math.min(ns.length - 1, Math.ceil(ns.length * 0.99) - 1)] / 1e6,
				samples);
	}

	private void throughput(String label, String host, EncryptionPolicy policy, TrustStore pins) throws Exception {
		AtomicLong done = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicBoolean stop = new AtomicBoolean();
		List<Thread> threads = new ArrayList<>();
		RseConnector c = connector(TlsMemory.disabled(), pins);
		long t0 = System.nanoTime();
		for (int i = 0; i < 8; i++) {
			threads.add(Thread.ofPlatform().start(() -> {
				while (!stop.get()) {
					try {
						c.connect(host, 4035, "BENCH", PASSWORD, policy).logoff();
						done.incrementAndGet();
					} catch (IOException e) {
						failed.incrementAndGet();
					}
				}
			}));
		}
		Thread.sleep(seconds * 1000L);
		stop.set(true);
		for (Thread t : threads) {
			t.join();
		}
		out.printf("Logins/s            %-22s %,8.0f   (8 concurrent clients, logon + logoff%s)%n", label,
				done.get() / ((System.nanoTime() - t0) / 1e9), failed.get() == 0 ? "" : ", " + failed.get() + " failed");
	}

	private void idleMemory(Sysplex plain, int n) throws Exception {
		long before = BenchSupport.usedHeap();
		ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), HoldSessions.class.getName(), "127.0.32.100",
				String.valueOf(n), "BENCH").redirectErrorStream(true);
		pb.environment().put("SYSPLEX_BENCH_PASSWORD", new String(PASSWORD));
		Process child = pb.start();
		BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
		String line = r.readLine();
		if (line == null || !line.startsWith("OPEN")) {
			child.destroyForcibly();
			throw new IOException("the client process did not open its sessions: " + line);
		}
		long deadline = System.nanoTime() + 60_000_000_000L;
		while (sessions(plain) < n && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		int open = sessions(plain);
		long after = BenchSupport.usedHeap();
		out.printf("Heap per idle session on the host   %,8d B at %,d sessions open  (target <= 102,400 B)%n",
				(after - before) / Math.max(1, open), open);
		child.getOutputStream().close();
		child.waitFor();
		deadline = System.nanoTime() + 60_000_000_000L;
		while (sessions(plain) > 0 && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

	private static int sessions(Sysplex s) {
		return s.daemons().stream().mapToInt(d -> (int) d.sessions().stream().filter(x -> x.isConnected()).count())
				.sum();
	}

}
