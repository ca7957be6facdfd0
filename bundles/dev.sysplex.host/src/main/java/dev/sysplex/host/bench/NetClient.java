package dev.sysplex.host.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;

/**
 * The client side of the isolated benchmark, run in the client namespace (and, for the embedded
 * figures, called in the benchmark's own process). Servers are {@code EchoServer} sinks: they
 * greet with their system's name, read to the end and answer the byte count. One line of figures
 * per command:
 * <ul>
 * <li>{@code rate HOST PORT SECONDS THREADS}: connect, read the greeting, close; connections/s;</li>
 * <li>{@code bulk HOST PORT MEGABYTES SYSTEM}: one connection that lands on SYSTEM (others are
 * closed and retried, at most 20), MEGABYTES written; MB/s, best of three;</li>
 * <li>{@code logon HOST USER PASSWORD N}: N RSE logons (TLS, trusting the first certificate), the
 * logoff not timed; median and p99 ms;</li>
 * <li>{@code takeover HOST PORT}: holds a connection to an echo server on the survivor (system
 * property {@code survivor}), echoing every 20 ms, prints READY, and on a line on stdin (the
 * owner is killed then) connects anew every 20 ms for 8 s; prints the longest time no new
 * connection succeeded, when they came back and who answered, and the held connection's longest
 * pause.</li>
 * </ul>
 */
public final class NetClient {

	public static void main(String[] a) throws Exception {
		switch (a[0]) {
		case "rate" -> System.out.printf("conn_per_s=%.0f%n", rate(a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]),
				Integer.parseInt(a[4])));
		case "bulk" -> System.out.printf("mb_per_s=%.0f%n", bulk(a[1], Integer.parseInt(a[2]), Long.parseLong(a[3]), a[4]));
		case "logon" -> {
			double[] l = logon(a[1], a[2], a[3].toCharArray(), Integer.parseInt(a[4]));
			System.out.printf("logon_median_ms=%.2f logon_p99_ms=%.2f%n", l[0], l[1]);
		}
		case "takeover" -> takeover(a[1], Integer.parseInt(a[2]));
		default -> throw new IllegalArgumentException(a[0]);
		}
	}

	private static Socket open(String host, int port) throws IOException {
		Socket s = new Socket();
		s.connect(new InetSocketAddress(host, port), 3_000);
		s.setSoTimeout(10_000);
		s.setTcpNoDelay(true);
		return s;
	}

	private static String greeting(InputStream in) throws IOException {
		StringBuilder b = new StringBuilder();
		for (int c; (c = in.read()) != '\n';) {
			if (c < 0 || b.length() > 64) {
				throw new IOException("no greeting");
			}
			b.append((char) c);
		}
		return b.toString();
	}

	/** New connections per second: connect, read the greeting, close (with a reset: no TIME_WAIT pile-up). */
	public static double rate(String host, int port, int seconds, int threads) throws InterruptedException {
		AtomicLong ok = new AtomicLong();
		long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
		List<Thread> ts = new ArrayList<>();
		long t0 = System.nanoTime();
		for (int t = 0; t < threads; t++) {
			ts.add(Thread.ofPlatform().start(() -> {
				while (System.nanoTime() < end) {
					try (Socket s = open(host, port)) {
						s.setSoLinger(true, 0);
						greeting(s.getInputStream());
						ok.incrementAndGet();
					} catch (IOException e) {
						// counted as not done
					}
				}
			}));
		}
		for (Thread t : ts) {
			t.join();
		}
		return ok.get() / ((System.nanoTime() - t0) / 1e9);
	}

	/** Bulk MB/s of one connection to {@code system} (best of three). */
	public static double bulk(String host, int port, long megabytes, String system) throws IOException {
		double best = 0;
		byte[] block = new byte[256 * 1024];
		for (int round = 0; round < 3; round++) {
			Socket s = null;
			for (int tries = 0; tries < 20 && s == null; tries++) {
				Socket c = open(host, port);
				if (greeting(c.getInputStream()).equals(system)) {
					s = c;
				} else {
					c.close();
				}
			}
			if (s == null) {
				throw new IOException("no connection to " + host + ":" + port + " landed on " + system + " in 20 tries");
			}
			Socket conn = s;
			try (conn) {
				OutputStream out = conn.getOutputStream();
				long bytes = megabytes * 1_000_000L;
				long t0 = System.nanoTime();
				for (long sent = 0; sent < bytes; sent += block.length) {
					out.write(block, 0, (int) Math.min(block.length, bytes - sent));
				}
				conn.shutdownOutput();
				String answer = new BufferedReader(new InputStreamReader(conn.getInputStream(), StandardCharsets.US_ASCII))
						.readLine();
				double secs = (System.nanoTime() - t0) / 1e9;
				if (answer == null || !answer.endsWith(" " + bytes)) {
					throw new IOException("the sink answered " + answer + " for " + bytes + " bytes");
				}
				best = Math.max(best, bytes / 1e6 / secs);
			}
		}
		return best;
	}

	/** RSE logon latency, median and p99 in ms, after 20 logons of warm-up. */
	public static double[] logon(String host, String user, char[] password, int n) throws IOException {
		TrustStore pins = TrustStore.inMemory();
		RseConnector c = new RseConnector(new RseConnector.Options().tlsMemory(TlsMemory.disabled())
				.trust(pins, TrustDecision.TRUST_ON_FIRST_USE).reconnect(false, 0, Duration.ZERO, Duration.ZERO));
		for (int i = 0; i < 20; i++) {
			c.connect(host, 4035, user, password, EncryptionPolicy.REQUIRED).logoff();
		}
		long[] ns = new long[n];
		for (int i = 0; i < n; i++) {
			long t0 = System.nanoTime();
			var s = c.connect(host, 4035, user, password, EncryptionPolicy.REQUIRED);
			ns[i] = System.nanoTime() - t0;
			s.logoff();
		}
		Arrays.sort(ns);
		return new double[] { ns[n / 2] / 1e6, ns[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)] / 1e6 };
	}

	private static void takeover(String host, int port) throws Exception {
		Socket held = null;
		for (int tries = 0; tries < 20 && held == null; tries++) { // a connection to a survivor, not to the owner
			Socket c = open(host, port);
			if (!greeting(c.getInputStream()).equals(System.getProperty("survivor", "SYSB"))) {
				c.close();
			} else {
				held = c;
			}
		}
		if (held == null) {
			System.out.println("FAILED no connection landed on the survivor");
			return;
		}
		held.setSoTimeout(20_000);
		Socket h = held;
		AtomicLong longest = new AtomicLong();
		AtomicLong last = new AtomicLong(System.nanoTime());
		var stop = new java.util.concurrent.atomic.AtomicBoolean();
		var failed = new java.util.concurrent.atomic.AtomicReference<String>();
		Thread echo = Thread.ofPlatform().start(() -> {
			try {
				OutputStream o = h.getOutputStream();
				InputStream i = h.getInputStream();
				while (!stop.get()) {
					o.write('x');
					if (i.read() != 'x') {
						throw new IOException("the echo ended");
					}
					long now = System.nanoTime();
					longest.accumulateAndGet(now - last.getAndSet(now), Math::max);
					Thread.sleep(20);
				}
			} catch (IOException | InterruptedException e) {
				failed.set(e.getMessage());
			}
		});
		System.out.println("READY");
		System.out.flush();
		new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
		long killed = System.nanoTime();
		// new connections every 20 ms for 8 s: how long none succeeded, and who answered after
		long end = killed + Duration.ofSeconds(8).toNanos();
		long lastOk = killed;
		long longestGap = 0;
		long firstAfterGap = -1;
		String who = "nobody";
		while (System.nanoTime() < end) {
			long t = System.nanoTime();
			try (Socket s = new Socket()) {
				s.connect(new InetSocketAddress(host, port), 200);
				s.setSoTimeout(1_000);
				String by = greeting(s.getInputStream());
				long now = System.nanoTime();
				if (now - lastOk > longestGap) {
					longestGap = now - lastOk;
					firstAfterGap = (now - killed) / 1_000_000;
					who = by;
				}
				lastOk = now;
			} catch (IOException e) {
				// not yet
			}
			long spent = (System.nanoTime() - t) / 1_000_000;
			Thread.sleep(Math.max(0, 20 - spent));
		}
		long firstMs = firstAfterGap;
		stop.set(true);
		echo.join(5_000);
		String answer = failed.get() == null ? "survived" : "FAILED " + failed.get();
		System.out.printf("new_connections_failed_ms=%d back_at_ms=%d by=%s held_longest_pause_ms=%d held=%s%n",
				longestGap / 1_000_000, firstMs, who, longest.get() / 1_000_000 - 20, answer);
		h.close();
	}
}
