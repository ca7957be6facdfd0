package dev.sysplex.host.bench;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.sysplex.client.DebugLink;
import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.host.dbm.EngineRelease;
import dev.sysplex.host.jobs.JobRunner;
import dev.sysplex.protocol.Dbm;

/**
 * Load on a copy of examples/two-systems as shipped (TLS, Debug Managers with their hub, PassTicket
 * registration), on an address range of its own: a burst of logons at once, held; debug sessions
 * linked at once while they are held; then a soak at a steady logon rate. Clients of the burst and
 * the soak run in a child process ({@link LoadClients}), so the host figures are the host's.
 * Run: ./sysplex bench load
 */
public final class LoadBenchmark {

	private static final char[] PASSWORD = "load-password".toCharArray();

	private final PrintStream out;
	private final Path source;
	private final int clients;
	private final int links;
	private final int soakSeconds;
	private final int rate;
	private final int iterations;

	public LoadBenchmark(PrintStream out, Path source, int clients, int links, int soakSeconds, int rate, int iterations) {
		this.out = out;
		this.source = source;
		this.clients = clients;
		this.links = links;
		this.soakSeconds = soakSeconds;
		this.rate = rate;
		this.iterations = iterations;
	}

	public void run() throws Exception {
		Path dir = Files.createTempDirectory("sysplex-bench-load");
		String subnet = "127.33." + (ProcessHandle.current().pid() % 250 + 1) + ".";
		try {
			copy(source, dir, subnet);
			out.printf("Load benchmark: examples/two-systems on %s0/24 (TLS, DBMs, hub), %d cores, Java %s, "
					+ "PBKDF2 %,d iterations%n", subnet, Runtime.getRuntime().availableProcessors(), Runtime.version(),
					iterations);
			try (Sysplex s = Sysplex.start(dir)) {
				s.users().setPassword("LOAD", PASSWORD, false, iterations);
				s.users().setPassword("DEBUGGER", PASSWORD, false, iterations);
				String dvipa = subnet + "100";
				Host idle = host(s);
				out.printf("Host at rest        heap %,d KB, %d threads%n", idle.heap / 1024, idle.threads);
				Process burst = child("burst", dvipa, String.valueOf(clients), "LOAD");
				try {
					BufferedReader r = new BufferedReader(new InputStreamReader(burst.getInputStream(), StandardCharsets.UTF_8));
					int open = burstFigures(r);
					awaitSessions(s, open);
					Host held = host(s);
					out.printf("Host with %,d held   heap %,d KB (%,d B per session), %d threads%n", sessions(s),
							held.heap / 1024, (held.heap - idle.heap) / Math.max(1, sessions(s)), held.threads);
					if (links > 0) {
						try {
							links(s, dvipa);
						} catch (Exception e) {
							out.println("Links               FAILED: " + e);
						}
					}
				} finally {
					burst.getOutputStream().close();
					if (!burst.waitFor(120, TimeUnit.SECONDS)) {
						burst.destroyForcibly();
					}
				}
				awaitSessions(s, 0);
				if (soakSeconds > 0) {
					soak(s, dvipa);
				}
			}
		} finally {
			SysplexDirectories.deleteTree(dir);
		}
	}

	/** The example with its 127.0.10.x addresses moved to {@code subnet}, so runs never share an address. */
	private static void copy(Path source, Path dir, String subnet) throws IOException {
		SysplexDirectories.copy(source, dir);
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path p : files.filter(Files::isRegularFile).toList()) {
				String text = Files.readString(p, StandardCharsets.ISO_8859_1);
				if (text.contains("127.0.10.")) {
					Files.writeString(p, text.replace("127.0.10.", subnet), StandardCharsets.ISO_8859_1);
				}
			}
		}
	}

	private record Host(long heap, int threads) {
	}

	private static Host host(Sysplex s) throws InterruptedException {
		return new Host(BenchSupport.usedHeap(), ManagementFactory.getThreadMXBean().getThreadCount());
	}

	private Process child(String... args) throws IOException {
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xss256k", "-cp", System.getProperty("java.class.path"), LoadClients.class.getName()));
		cmd.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
		pb.environment().put("SYSPLEX_BENCH_PASSWORD", new String(PASSWORD));
		return pb.start();
	}

	private int burstFigures(BufferedReader r) throws IOException {
		for (String line; (line = r.readLine()) != null;) {
			String[] f = line.split(" ", 2);
			switch (f[0]) {
			case "BURST" -> {
				String[] v = f[1].split(" ");
				out.printf("Burst of %,d logons  completed %s, lost %s; latency p50 %s ms, p99 %s ms, max %s ms; "
						+ "all done in %.1f s%n", clients, v[0], v[1], v[2], v[3], v[4], Double.parseDouble(v[5]) / 1000);
			}
			case "LOST" -> out.println("  lost: " + f[1]);
			case "OPEN" -> {
				return Integer.parseInt(f[1]);
			}
			default -> out.println("  client: " + line);
			}
		}
		throw new IOException("the client process ended before holding its sessions");
	}

	/** {@link #links} jobs with TEST, then every debug link opened at once: link, JDWP handshake, Version. */
	private void links(Sysplex s, String dvipa) throws Exception {
		BlockingQueue<DebugLink.Waiting> waiting = new LinkedBlockingQueue<>();
		RseConnector c = new RseConnector(new RseConnector.Options().tlsMemory(TlsMemory.disabled())
				.trust(TrustStore.inMemory(), TrustDecision.TRUST_ON_FIRST_USE)
				.reconnect(false, 0, Duration.ZERO, Duration.ZERO));
		Session.Listener l = new Session.Listener() {
			@Override
			public void notification(String kind, Map<String, String> fields) {
				if (kind.equals(Dbm.NOTIFY_WAITING)) {
					waiting.add(DebugLink.Waiting.of(fields));
				}
			}
		};
		// requests on one session take turns (and a SUBMIT compiles the job): four sessions submit in parallel
		List<Session> sessions = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			sessions.add(c.connect(dvipa, 4035, "DEBUGGER", PASSWORD, EncryptionPolicy.REQUIRED,
					new dev.sysplex.client.Cancellation(), List.of(l)));
		}
		Session session = sessions.get(0);
		long t0 = System.nanoTime();
		List<String> jobs = new java.util.concurrent.CopyOnWriteArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(sessions.size())) {
			List<Future<?>> submitted = new ArrayList<>();
			for (int k = 0; k < sessions.size(); k++) {
				Session mine = sessions.get(k);
				int first = k;
				submitted.add(pool.submit(() -> {
					for (int i = first; i < links; i += sessions.size()) {
						jobs.add(mine.submit("Payroll.java", "", "TEST(,,,DBMDT%DEBUGGER)", i % 2 == 0 ? "SYSA" : "SYSB")
								.id());
					}
					return null;
				}));
			}
			for (Future<?> f : submitted) {
				f.get();
			}
		}
		// every session of the user on the job's system hears of it: one link per job
		Map<String, DebugLink.Waiting> byJob = new java.util.LinkedHashMap<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (byJob.size() < links && System.nanoTime() < deadline) {
			DebugLink.Waiting w = waiting.poll(1, TimeUnit.SECONDS);
			if (w != null) {
				byJob.putIfAbsent(w.job(), w);
			}
		}
		List<DebugLink.Waiting> all = new ArrayList<>(byJob.values());
		out.printf("Debug sessions      %d jobs with TEST submitted and waiting in %.1f s (%d announced)%n", links,
				(System.nanoTime() - t0) / 1e9, all.size());
		long[] ns = new long[all.size()];
		List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
		CountDownLatch go = new CountDownLatch(1);
		try (ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < all.size(); i++) {
				int k = i;
				done.add(pool.submit(() -> {
					go.await();
					long start = System.nanoTime();
					try {
						DebugLink.Linked linked = DebugLink.open(dvipa, all.get(k), Duration.ofSeconds(30),
								DebugLink.Security.of(session, DebugLink.PlainLinkPolicy.REFUSE,
										DebugLink.PlainLinkQuestion.NOBODY));
						try (var sock = linked.socket()) {
							sock.setSoTimeout(30_000);
							versionThenDispose(linked);
						}
						ns[k] = System.nanoTime() - start;
					} catch (IOException e) {
						ns[k] = -1;
						failures.add(e.getMessage());
					}
					return null;
				}));
			}
			go.countDown();
			for (Future<?> f : done) {
				f.get();
			}
		}
		long[] ok = Arrays.stream(ns).filter(x -> x >= 0).sorted().toArray();
		out.printf("Links at once       %d linked, %d failed; link + JDWP handshake + Version + Dispose p50 %.1f ms, "
				+ "p99 %.1f ms%n", ok.length, failures.size(), pct(ok, 50), pct(ok, 99));
		int ended = 0;
		int other = 0;
		for (DebugLink.Waiting w : all) {
			JobRunner.Job j = s.jobs().job(w.job()).orElseThrow();
			try {
				j.awaitEnd(Duration.ofSeconds(60));
			} catch (java.util.concurrent.TimeoutException e) {
				other++;
				continue;
			}
			if (j.rc().orElse(-1) == 0) {
				ended++;
			} else {
				other++;
			}
		}
		out.printf("  then              %d of %d linked jobs ended rc=0 (%d did not, within 60 s each)%n", ended,
				all.size(), other);
		failures.stream().distinct().limit(5).forEach(f -> out.println("  failed: " + f));
		for (Session x : sessions) {
			x.logoff();
		}
	}

	private static void versionThenDispose(DebugLink.Linked linked) throws IOException {
		DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(linked.out(), 64));
		DataInputStream in = new DataInputStream(linked.in());
		BenchSupport.jdwpHandshake(o, in);
		BenchSupport.jdwpVersion(o, in, 7);
		EngineRelease.dispose(o, in);
	}

	private void soak(Sysplex s, String dvipa) throws Exception {
		Host start = host(s);
		out.printf("Soak                %d logons/s (logon, whoami, logoff) for %d s; host heap after GC at start "
				+ "%,d KB, %d threads%n", rate, soakSeconds, start.heap / 1024, start.threads);
		Process soak = child("soak", dvipa, String.valueOf(soakSeconds), String.valueOf(rate), "LOAD");
		BufferedReader r = new BufferedReader(new InputStreamReader(soak.getInputStream(), StandardCharsets.UTF_8));
		for (String line; (line = r.readLine()) != null;) {
			String[] f = line.split(" ");
			switch (f[0]) {
			case "MINUTE" -> out.printf("  minute %2s        %s done, %s lost; p50 %s ms, p99 %s ms%n", f[1], f[2], f[3],
					f[4], f[5]);
			case "SOAK" -> out.printf("  all              %s done, %s lost; p50 %s ms, p99 %s ms%n", f[1], f[2], f[3], f[4]);
			case "LOST" -> out.println("  lost: " + line.substring(5));
			default -> out.println("  client: " + line);
			}
		}
		soak.waitFor();
		awaitSessions(s, 0);
		Host end = host(s);
		out.printf("  host at the end   heap after GC %,d KB (%+,d KB), %d threads%n", end.heap / 1024,
				(end.heap - start.heap) / 1024, end.threads);
	}

	private static int sessions(Sysplex s) {
		return s.daemons().stream().mapToInt(d -> (int) d.sessions().stream().filter(x -> x.isConnected()).count())
				.sum();
	}

	private static void awaitSessions(Sysplex s, int n) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (sessions(s) != n && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

	private static double pct(long[] sorted, int p) {
		if (sorted.length == 0) {
			return 0;
		}
		return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * p / 100.0) - 1)] / 1e6;
	}
}
