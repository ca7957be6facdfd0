package dev.sysplex.host.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;

/**
 * Child process of the load benchmark, so that the host's heap and threads are the host's alone.
 * The password comes from the environment variable SYSPLEX_BENCH_PASSWORD.
 * <ul>
 * <li>{@code burst DVIPA N USER}: N clients log on at once (TLS, one thread each, released
 * together); prints {@code BURST ok lost p50 p99 max wall} and the causes of the lost ones, then
 * holds the sessions until standard input closes, and logs them off.</li>
 * <li>{@code soak DVIPA SECONDS RATE USER}: RATE logons per second (each: logon, whoami, logoff)
 * for SECONDS; prints {@code MINUTE m ok lost p50 p99} per minute and {@code SOAK ok lost p50 p99}.</li>
 * </ul>
 */
public final class LoadClients {

	private LoadClients() {
	}

	public static void main(String[] args) throws Exception {
		char[] pw = System.getenv("SYSPLEX_BENCH_PASSWORD").toCharArray();
		RseConnector c = new RseConnector(new RseConnector.Options().tlsMemory(TlsMemory.disabled())
				.trust(TrustStore.inMemory(), TrustDecision.TRUST_ON_FIRST_USE)
				.reconnect(false, 0, Duration.ZERO, Duration.ZERO));
		switch (args[0]) {
		case "burst" -> burst(c, args[1], Integer.parseInt(args[2]), args[3], pw);
		case "soak" -> soak(c, args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4], pw);
		default -> throw new IllegalArgumentException("burst or soak, not " + args[0]);
		}
	}

	private static void burst(RseConnector c, String dvipa, int n, String user, char[] pw) throws Exception {
		List<Session> open = Collections.synchronizedList(new ArrayList<>());
		long[] ns = new long[n];
		Map<String, AtomicInteger> causes = new ConcurrentHashMap<>();
		CountDownLatch go = new CountDownLatch(1);
		long t0;
		try (ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				int k = i;
				done.add(pool.submit(() -> {
					go.await();
					long s = System.nanoTime();
					try {
						open.add(c.connect(dvipa, 4035, user, pw, EncryptionPolicy.REQUIRED));
						ns[k] = System.nanoTime() - s;
					} catch (IOException e) {
						ns[k] = -1;
						causes.computeIfAbsent(cause(e), x -> new AtomicInteger()).incrementAndGet();
					}
					return null;
				}));
			}
			Thread.sleep(200); // every thread parked at the latch
			t0 = System.nanoTime();
			go.countDown();
			for (Future<?> f : done) {
				f.get();
			}
		}
		long wall = System.nanoTime() - t0;
		long[] ok = Arrays.stream(ns).filter(x -> x >= 0).sorted().toArray();
		System.out.printf("BURST %d %d %.1f %.1f %.1f %.1f%n", ok.length, n - ok.length, pct(ok, 50), pct(ok, 99),
				ok.length == 0 ? 0 : ok[ok.length - 1] / 1e6, wall / 1e6);
		causes.forEach((k, v) -> System.out.println("LOST " + v + " " + k));
		System.out.println("OPEN " + open.size());
		System.out.flush();
		while (System.in.read() >= 0) {
			// hold until the benchmark closes our stdin
		}
		for (Session s : open) {
			try {
				s.logoff();
			} catch (IOException | RuntimeException e) {
				s.close();
			}
		}
	}

	private static void soak(RseConnector c, String dvipa, int seconds, int rate, String user, char[] pw)
			throws Exception {
		Map<Integer, List<Long>> perMinute = new TreeMap<>();
		Map<Integer, AtomicInteger> lostPerMinute = new ConcurrentHashMap<>();
		Map<String, AtomicInteger> causes = new ConcurrentHashMap<>();
		long start = System.nanoTime();
		long total = (long) seconds * rate;
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (long i = 0; i < total; i++) {
				long due = start + i * 1_000_000_000L / rate;
				long wait = due - System.nanoTime();
				if (wait > 0) {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
				int minute = (int) ((System.nanoTime() - start) / 60_000_000_000L);
				pool.submit(() -> {
					long s = System.nanoTime();
					try {
						Session session = c.connect(dvipa, 4035, user, pw, EncryptionPolicy.REQUIRED);
						session.whoami();
						session.logoff();
						long t = System.nanoTime() - s;
						synchronized (perMinute) {
							perMinute.computeIfAbsent(minute, m -> new ArrayList<>()).add(t);
						}
					} catch (IOException | RuntimeException e) {
						lostPerMinute.computeIfAbsent(minute, m -> new AtomicInteger()).incrementAndGet();
						causes.computeIfAbsent(cause(e), x -> new AtomicInteger()).incrementAndGet();
					}
					return null;
				});
			}
		}
		List<Long> all = new ArrayList<>();
		int lost = 0;
		for (int m = 0; m <= seconds / 60; m++) {
			List<Long> v = perMinute.getOrDefault(m, List.of());
			int l = lostPerMinute.getOrDefault(m, new AtomicInteger()).get();
			if (v.isEmpty() && l == 0) {
				continue;
			}
			all.addAll(v);
			lost += l;
			long[] a = v.stream().mapToLong(Long::longValue).sorted().toArray();
			System.out.printf("MINUTE %d %d %d %.1f %.1f%n", m, a.length, l, pct(a, 50), pct(a, 99));
		}
		long[] a = all.stream().mapToLong(Long::longValue).sorted().toArray();
		System.out.printf("SOAK %d %d %.1f %.1f%n", a.length, lost, pct(a, 50), pct(a, 99));
		causes.forEach((k, v) -> System.out.println("LOST " + v + " " + k));
		System.out.flush();
	}

	private static String cause(Exception e) {
		String m = String.valueOf(e.getMessage());
		return m.length() > 160 ? m.substring(0, 160) : m;
	}

	private static double pct(long[] sorted, int p) {
		if (sorted.length == 0) {
			return 0;
		}
		return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * p / 100.0) - 1)] / 1e6;
	}
}
