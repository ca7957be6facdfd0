package dev.sysplex.host.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.config.SysplexConfig;
import dev.sysplex.host.net.DistributedVipa;
import dev.sysplex.host.net.ServerEndpoint;
import dev.sysplex.host.net.SysplexNetwork;
import dev.sysplex.host.net.TcpipStack;
import dev.sysplex.host.net.WhoAmIServer;

/**
 * Measures the Sysplex Distributor against a direct loopback connection in the same run:
 * new connections per second, bulk throughput of one connection, and heap per idle routed
 * connection. Prints figures; it is not a test. Run: ./sysplex bench distributor
 */
public final class DistributorBenchmark {

	private static final String SUBNET = "127.0.30.";
	private static final InetAddress DIRECT;
	static {
		try {
			DIRECT = InetAddress.getByName(SUBNET + "50");
		} catch (IOException e) {
			throw new ExceptionInInitializerError(e);
		}
	}

	private final PrintStream out;
	private final int seconds;
	private final int clients;
	private final long bulkBytes;
	private final int idleConnections;

	public DistributorBenchmark(PrintStream out, int seconds, int clients, long bulkBytes, int idleConnections) {
		this.out = out;
		this.seconds = seconds;
		this.clients = clients;
		this.bulkBytes = bulkBytes;
		this.idleConnections = idleConnections;
	}

	public void run() throws Exception {
		Path dir = Files.createTempDirectory("sysplex-bench");
		writeSysplex(dir);
		out.printf("Sysplex Distributor benchmark: 2 systems, ROUNDROBIN, %d cores, Java %s%n",
				Runtime.getRuntime().availableProcessors(), Runtime.version());
		try (SysplexNetwork n = SysplexNetwork.start(SysplexConfig.load(dir))) {
			InetAddress dvipa = InetAddress.getByName(SUBNET + "100");
			for (TcpipStack s : n.stacks()) {
				WhoAmIServer.start(s, dvipa, 6000);
			}
			connectionRate(dvipa, n);
			throughput(dvipa, n);
			memory(dvipa, n);
		} finally {
			SysplexDirectories.deleteTree(dir);
		}
	}

	private static void writeSysplex(Path dir) throws IOException {
		Files.writeString(dir.resolve("sysplex.conf"), "SYSPLEX NAME(BENCH)\nSYSTEM NAME(SYS1) SYSCLONE(01) ADDRESS("
				+ SUBNET + "1)\nSYSTEM NAME(SYS2) SYSCLONE(02) ADDRESS(" + SUBNET + "2)\n");
		for (int i = 1; i <= 2; i++) {
			Path p = Files.createDirectories(dir.resolve("systems/SYS" + i));
			String vipa = i == 1
					? "  VIPADEFINE 255.255.255.0 " + SUBNET + "100\n  VIPADISTRIBUTE DISTMETHOD ROUNDROBIN " + SUBNET
							+ "100 PORT 6000 6001 6002 DESTIP ALL\n"
					: "  VIPABACKUP 100 " + SUBNET + "100\n";
			Files.writeString(p.resolve("PROFILE.TCPIP"), "IPCONFIG SYSPLEXROUTING DYNAMICXCF " + SUBNET + i
					+ " 255.255.255.0 1\nVIPADYNAMIC\n" + vipa + "ENDVIPADYNAMIC\n");
		}
	}

	// ---- connections per second ------------------------------------------------------------

	private void connectionRate(InetAddress dvipa, SysplexNetwork n) throws Exception {
		try (ServerSocket direct = new ServerSocket()) {
			direct.setReuseAddress(true);
			direct.bind(new InetSocketAddress(DIRECT, 6000), 4096);
			Thread.ofVirtual().start(() -> answerEach(direct));
			rate(DIRECT, 6000, 1, null); // warm-up
			rate(dvipa, 6000, 1, null);
			double d = rate(DIRECT, 6000, seconds, null);
			DistributedVipa vipa = n.dvipa(dvipa).orElseThrow();
			double v = rate(dvipa, 6000, seconds, vipa);
			out.printf("New connections/s   direct %,10.0f   through distributor %,10.0f   ratio %.2f   (target >= 5,000/s)%n",
					d, v, v / d);
			out.printf("                    spread: %s%n", vipa.totals(6000));
		}
	}

	private static void answerEach(ServerSocket ss) {
		while (!ss.isClosed()) {
			try {
				Socket s = ss.accept();
				Thread.ofVirtual().start(() -> {
					try (s) {
						s.getOutputStream().write("DIRECT WHOAMI 6000\n".getBytes(StandardCharsets.US_ASCII));
					} catch (IOException e) {
						// client gone
					}
				});
			} catch (IOException e) {
				return;
			}
		}
	}

	/** Connections completed per second by {@code clients} concurrent clients: connect, read the answer, close. */
	private double rate(InetAddress host, int port, int secs, DistributedVipa vipa) throws Exception {
		AtomicLong done = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicBoolean stop = new AtomicBoolean();
		List<Thread> threads = new ArrayList<>();
		long start = System.nanoTime();
		for (int i = 0; i < clients; i++) {
			threads.add(Thread.ofPlatform().start(() -> {
				byte[] buf = new byte[64];
				while (!stop.get()) {
					try (Socket s = new Socket()) {
						s.connect(new InetSocketAddress(host, port), 5_000);
						s.setSoTimeout(5_000);
						InputStream in = s.getInputStream();
						while (in.read(buf) > 0) {
							// read the answer up to the server's close
						}
						done.incrementAndGet();
					} catch (IOException e) {
						failed.incrementAndGet();
					}
				}
			}));
		}
		Thread.sleep(secs * 1000L);
		stop.set(true);
		for (Thread t : threads) {
			t.join();
		}
		double elapsed = (System.nanoTime() - start) / 1e9;
		if (failed.get() > 0) {
			out.printf("  (%d connection attempts to %s:%d failed)%n", failed.get(), host.getHostAddress(), port);
		}
		return done.get() / elapsed;
	}

	// ---- bulk throughput ----------------------------------------------------------------------

	private static double bulk(InetAddress host, int port, long bytes) throws IOException {
		Socket s = new Socket();
		s.connect(new InetSocketAddress(host, port), 5_000);
		return BenchSupport.bulk(s, bytes);
	}

	private void throughput(InetAddress dvipa, SysplexNetwork n) throws Exception {
		TcpipStack sys1 = n.stack("SYS1").orElseThrow();
		ServerEndpoint sink = sys1.listen("SINK", dvipa, 6001);
		try (ServerSocket direct = new ServerSocket()) {
			direct.setReuseAddress(true);
			direct.bind(new InetSocketAddress(DIRECT, 6001));
			Thread.ofVirtual().start(() -> BenchSupport.drain(direct::accept));
			Thread.ofVirtual().start(() -> BenchSupport.drain(sink::accept));
			bulk(DIRECT, 6001, bulkBytes / 4); // warm-up
			bulk(dvipa, 6001, bulkBytes / 4);
			double d = 0;
			double v = 0;
			for (int i = 0; i < 3; i++) { // best of three, alternating, so both see the same machine
				d = Math.max(d, bulk(DIRECT, 6001, bulkBytes));
				v = Math.max(v, bulk(dvipa, 6001, bulkBytes));
			}
			out.printf("Bulk MB/s (1 conn)  direct %,10.0f   through distributor %,10.0f   ratio %.2f   (target >= 0.80)%n",
					d, v, v / d);
		} finally {
			sink.close();
		}
	}

	// ---- heap per idle relayed connection -------------------------------------------------------

	private void memory(InetAddress dvipa, SysplexNetwork n) throws Exception {
		// Descriptors in this process: one per connection (the distributor hands the accepted socket
		// to the server); the clients live in a child process with their own budget.
		long limit = BenchSupport.maxFileDescriptors();
		int count = idleConnections;
		if (limit > 0 && count + 500L > limit) {
			count = (int) (limit - 500);
			out.printf("Heap per connection: %,d connections need %,d descriptors in this process; its limit is %,d, "
					+ "so %,d are measured%n", idleConnections, idleConnections, limit, count);
		}
		TcpipStack sys1 = n.stack("SYS1").orElseThrow();
		List<Socket> held = new ArrayList<>();
		ServerEndpoint hold = sys1.listen("HOLD", dvipa, 6002);
		Thread.ofVirtual().start(() -> keep(hold::accept, held));
		try (ServerSocket direct = new ServerSocket()) {
			direct.setReuseAddress(true);
			direct.bind(new InetSocketAddress(DIRECT, 6002), 4096);
			Thread.ofVirtual().start(() -> keep(direct::accept, held));

			long directBytes = heldHeap(DIRECT, 6002, count, held);
			long relayedBytes = heldHeap(dvipa, 6002, count, held);
			out.printf("Heap per idle conn  direct %,8d B   through distributor %,8d B   distributor's own %,6d B at %,d open  (target <= 65,536 B)%n",
					directBytes / count, relayedBytes / count, (relayedBytes - directBytes) / count, count);
		} finally {
			hold.close();
		}
	}

	private static void keep(BenchSupport.Acceptor acceptor, List<Socket> held) {
		while (true) {
			try {
				Socket s = acceptor.accept();
				synchronized (held) {
					held.add(s);
				}
			} catch (IOException e) {
				return;
			}
		}
	}

	/** Heap growth while {@code count} idle connections to host:port are open (clients in a child JVM). */
	private long heldHeap(InetAddress host, int port, int count, List<Socket> held) throws Exception {
		long before = BenchSupport.usedHeap();
		Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xss256k", "-cp", System.getProperty("java.class.path"), HoldClients.class.getName(),
				host.getHostAddress(), String.valueOf(port), String.valueOf(count)).redirectErrorStream(true).start();
		BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
		String line = r.readLine();
		if (line == null || !line.startsWith("OPEN")) {
			child.destroyForcibly();
			throw new IOException("the client process did not open its connections: " + line);
		}
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (size(held) < count && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		long after = BenchSupport.usedHeap();
		child.getOutputStream().close();
		child.waitFor();
		synchronized (held) {
			for (Socket s : held) {
				s.close();
			}
			held.clear();
		}
		Thread.sleep(500); // let the servers' closes reach the distributor before the next measurement
		return after - before;
	}

	private static int size(List<Socket> held) {
		synchronized (held) {
			return held.size();
		}
	}

}
