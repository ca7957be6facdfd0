package dev.sysplex.host.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.sysplex.client.DebugLink;
import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.demo.BreakpointScript;
import dev.sysplex.host.jobs.JobRunner;
import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;

/**
 * The debug handoff: time from a job's start to the debugger stopped at its breakpoint (the job
 * on the other system, through hub, notification, DVIPA and Debug Manager), with the job's JVM
 * start apart; and the DBM relay's throughput through the DVIPA against a direct connection.
 * Run: ./sysplex bench debug
 */
public final class DebugBenchmark {

	private final PrintStream out;
	private final Path exampleCopy;
	private final int runs;
	private final long bulkBytes;

	/** @param exampleCopy a copy of examples/two-systems (with jobs/) the benchmark may use up */
	public DebugBenchmark(PrintStream out, Path exampleCopy, int runs, long bulkBytes) {
		this.out = out;
		this.exampleCopy = exampleCopy;
		this.runs = runs;
		this.bulkBytes = bulkBytes;
	}

	public void run() throws Exception {
		out.printf("Debug handoff benchmark: 2 systems (examples/two-systems), %d cores, Java %s%n",
				Runtime.getRuntime().availableProcessors(), Runtime.version());
		try (Sysplex s = Sysplex.start(exampleCopy)) {
			s.users().setPassword("BENCH", "bench".toCharArray(), false, 1);
			String dvipa = s.network().dvipas().get(0).address().getHostAddress();
			RseConnector c = new RseConnector(new RseConnector.Options().tlsMemory(TlsMemory.disabled())
					.trust(TrustStore.inMemory(), TrustDecision.TRUST_ON_FIRST_USE)
					.reconnect(false, 0, Duration.ZERO, Duration.ZERO));
			Session session = c.connect(dvipa, 4035, "BENCH", "bench".toCharArray(), EncryptionPolicy.REQUIRED);
			BlockingQueue<DebugLink.Waiting> waiting = new LinkedBlockingQueue<>();
			session.addListener(new Session.Listener() {
				@Override
				public void notification(String kind, Map<String, String> fields) {
					if (kind.equals(Dbm.NOTIFY_WAITING)) {
						waiting.add(DebugLink.Waiting.of(fields));
					}
				}
			});
			String other = s.network().stacks().stream().map(t -> t.name()).filter(n -> !n.equals(session.system()))
					.findFirst().orElseThrow();
			timeToBreakpoint(s, session, waiting, dvipa, other);
			relay(s, waiting, dvipa, other);
			session.logoff();
		}
	}

	private void timeToBreakpoint(Sysplex s, Session session, BlockingQueue<DebugLink.Waiting> waiting, String dvipa,
			String other) throws Exception {
		int line = BreakpointScript.markedLine(exampleCopy.resolve("jobs/Payroll.java"));
		long[] total = new long[runs];
		long[] jvm = new long[runs];
		for (int i = 0; i < runs + 1; i++) { // the first run warms up and is not counted
			Session.SubmittedJob job = session.submit("Payroll.java", "", "TEST(,,,DBMDT%BENCH)", other);
			DebugLink.Waiting w = waiting.poll(30, TimeUnit.SECONDS);
			if (w == null) {
				throw new IOException("no debug notification for " + job.id());
			}
			BreakpointScript.Result r = BreakpointScript.run(BreakpointScript.attach(DebugLink.open(dvipa, w,
					Duration.ofSeconds(10))), "Payroll", line, "total", Duration.ofSeconds(60));
			JobRunner.Job j = s.jobs().job(job.id()).orElseThrow();
			if (i > 0) {
				total[i - 1] = Duration.between(j.started().orElseThrow(), r.stopped()).toMillis();
				jvm[i - 1] = j.jvmStart().orElseThrow().toMillis();
			}
		}
		Arrays.sort(total);
		Arrays.sort(jvm);
		out.printf("Job start to stopped at the breakpoint   median %4d ms   max %4d ms   (%d jobs on %s; target <= 2,000 ms)%n",
				total[runs / 2], total[runs - 1], runs, other);
		out.printf("  of which the job's JVM start           median %4d ms   (java with the JDWP agent, until it listens)%n",
				jvm[runs / 2]);
		out.printf("  the rest: engine registration, hub, notification, DVIPA link, JDWP handshake, class load, breakpoint%n");
	}

	/** Registers a sink as the "engine" of a session with the other system's DBM and pushes bytes through. */
	private void relay(Sysplex s, BlockingQueue<DebugLink.Waiting> waiting, String dvipa, String other) throws Exception {
		InetAddress home = s.network().stack(other).orElseThrow().homeAddress();
		try (ServerSocket sink = new ServerSocket(0, 50, home)) {
			Thread.ofVirtual().start(() -> BenchSupport.drain(sink::accept));
			int hostPort = Integer.parseInt(s.nameTokens(other).retrieve(Dbm.NAME_TOKEN).orElseThrow());
			double direct = 0;
			double relayed = 0;
			for (int i = 0; i < 4; i++) { // warm-up, then best of three, alternating
				Socket plain = new Socket();
				plain.connect(new InetSocketAddress(home, sink.getLocalPort()), 5_000);
				double d = BenchSupport.bulk(plain, bulkBytes);
				try (Socket control = new Socket(home, hostPort)) {
					Frames.write(control.getOutputStream(), Message.of(Dbm.ENGINE).with(Dbm.F_USER, "BENCH")
							.with(Dbm.F_JOB, "BENCH" + i).with(Dbm.F_ENGINE, home.getHostAddress() + ":" + sink.getLocalPort())
							.build());
					DebugLink.Waiting w = waiting.poll(30, TimeUnit.SECONDS);
					if (w == null) {
						throw new IOException("no notification for the relay session");
					}
					double r = BenchSupport.bulk(DebugLink.open(dvipa, w, Duration.ofSeconds(10)).socket(), bulkBytes);
					if (i > 0) {
						direct = Math.max(direct, d);
						relayed = Math.max(relayed, r);
					}
				}
			}
			out.printf("Relay MB/s (1 conn)   direct %,8.0f   through DVIPA and Debug Manager %,8.0f   ratio %.2f   (target >= 0.80)%n",
					direct, relayed, relayed / direct);
		}
	}

}
