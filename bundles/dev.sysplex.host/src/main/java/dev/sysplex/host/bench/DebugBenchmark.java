package dev.sysplex.host.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.host.dbm.DebugManager;
import dev.sysplex.host.dbm.EngineRelease;
import dev.sysplex.host.demo.BreakpointScript;
import dev.sysplex.host.jobs.JobRunner;
import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;

/**
 * The debug handoff, with PassTicket registration, engine credentials and the debug link encrypted
 * (the example as shipped) against the same sysplex without encryption (ssl.properties
 * enable_ssl=false), in one run:
 * <ul>
 * <li>time from a job's start to the debugger stopped at its breakpoint (the job on the other
 * system, through hub, notification, DVIPA and Debug Manager), with the job's JVM start apart;</li>
 * <li>round-trip time of a small JDWP command (VirtualMachine.Version) through the Debug Manager's
 * relay, against a direct connection to a JVM's agent on the same machine (median, p99, ratio);</li>
 * <li>the relay's bulk throughput through the DVIPA against a direct connection.</li>
 * </ul>
 * Run: ./sysplex bench debug
 */
public final class DebugBenchmark {

	private final PrintStream out;
	private final Path exampleCopy;
	private final int runs;
	private final long bulkBytes;
	private final int roundTrips = 10_000;

	/** @param exampleCopy a copy of examples/two-systems (with jobs/) the benchmark may use up */
	public DebugBenchmark(PrintStream out, Path exampleCopy, int runs, long bulkBytes) {
		this.out = out;
		this.exampleCopy = exampleCopy;
		this.runs = runs;
		this.bulkBytes = bulkBytes;
	}

	/** What one configuration measured. */
	private record Figures(long[] breakpointMs, long[] jvmMs, long[] rttNs, long[] stepNs, double relayMbps) {
	}

	/** Single steps (STEP_INTO by line, into the JDK's println) timed from the resume to the StepEvent. */
	private static final int STEPS = 400;
	private static final int STEP_WARM_UP = 100;

	public void run() throws Exception {
		out.printf("Debug handoff benchmark: 2 systems (examples/two-systems), %d cores, Java %s%n",
				Runtime.getRuntime().availableProcessors(), Runtime.version());
		Path plainCopy = Files.createTempDirectory("sysplex-bench-plain");
		try {
			SysplexDirectories.copy(exampleCopy, plainCopy);
			Path ssl = plainCopy.resolve("etc/zexpl/ssl.properties");
			Files.writeString(ssl, Files.readString(ssl).replace("enable_ssl=true", "enable_ssl=false"));
			Figures encrypted = measure(exampleCopy, true);
			Figures plain = measure(plainCopy, false);
			long[][] direct = direct(exampleCopy);
			report(encrypted, plain, direct[0], direct[1]);
		} finally {
			SysplexDirectories.deleteTree(plainCopy);
		}
	}

	private void report(Figures enc, Figures plain, long[] direct, long[] directSteps) {
		out.printf("Job start to stopped at the breakpoint (%d jobs on the other system; target <= 2,000 ms, "
				+ "encryption and authentication adding <= 30 ms)%n", runs);
		out.printf("  encrypted link        median %5d ms   max %5d ms   (JVM start median %d ms)%n",
				median(enc.breakpointMs), max(enc.breakpointMs), median(enc.jvmMs));
		out.printf("  plain link            median %5d ms   max %5d ms   (JVM start median %d ms)%n",
				median(plain.breakpointMs), max(plain.breakpointMs), median(plain.jvmMs));
		out.printf("  added by encryption   %+5d ms (medians)%n", median(enc.breakpointMs) - median(plain.breakpointMs));
		latencies(String.format("JDWP VirtualMachine.Version round trip (%,d each; target <= 1.2x direct)",
				roundTrips), direct, plain.rttNs, enc.rttNs);
		latencies(String.format("JDWP single step, resume to StepEvent (%d each; target <= 1.2x direct)",
				STEPS - STEP_WARM_UP), directSteps, plain.stepNs, enc.stepNs);
		out.printf("Relay MB/s (1 conn, through the DVIPA and a Debug Manager)   plain %,8.0f   encrypted %,8.0f%n",
				plain.relayMbps, enc.relayMbps);
	}

	/** Median and p99 of the direct, plain-relay and encrypted-relay times (ns), and the relays' ratios. */
	private void latencies(String title, long[] direct, long[] plain, long[] encrypted) {
		double d50 = median(direct) / 1e3;
		double d99 = p99(direct) / 1e3;
		out.println(title);
		out.printf("  direct to the agent   median %7.1f us   p99 %7.1f us%n", d50, d99);
		for (var row : List.of(Map.entry("plain relay     ", plain), Map.entry("encrypted relay ", encrypted))) {
			double m = median(row.getValue()) / 1e3;
			double p = p99(row.getValue()) / 1e3;
			out.printf("  %s      median %7.1f us   p99 %7.1f us   ratio %.2fx / %.2fx%n", row.getKey(), m, p, m / d50,
					p / d99);
		}
	}

	private Figures measure(Path dir, boolean encrypted) throws Exception {
		try (Sysplex s = Sysplex.start(dir)) {
			s.users().setPassword("BENCH", "bench".toCharArray(), false, 1);
			String dvipa = s.network().dvipas().get(0).address().getHostAddress();
			RseConnector c = new RseConnector(new RseConnector.Options().tlsMemory(TlsMemory.disabled())
					.trust(TrustStore.inMemory(), TrustDecision.TRUST_ON_FIRST_USE)
					.reconnect(false, 0, Duration.ZERO, Duration.ZERO));
			Session session = c.connect(dvipa, 4035, "BENCH", "bench".toCharArray(),
					encrypted ? EncryptionPolicy.REQUIRED : EncryptionPolicy.DISABLED);
			BlockingQueue<DebugLink.Waiting> waiting = new LinkedBlockingQueue<>();
			session.addListener(new Session.Listener() {
				@Override
				public void notification(String kind, Map<String, String> fields) {
					if (kind.equals(Dbm.NOTIFY_WAITING)) {
						waiting.add(DebugLink.Waiting.of(fields));
					}
				}
			});
			DebugLink.Security security = DebugLink.Security.of(session, DebugLink.PlainLinkPolicy.REFUSE,
					DebugLink.PlainLinkQuestion.NOBODY);
			String other = s.network().stacks().stream().map(t -> t.name()).filter(n -> !n.equals(session.system()))
					.findFirst().orElseThrow();
			long[][] bp = timeToBreakpoint(s, session, waiting, dvipa, other, security);
			long[] rtt = relayedRoundTrips(session, waiting, dvipa, other, security);
			Session.SubmittedJob stepping = session.submit("Payroll.java", "", "TEST(,,,DBMDT%BENCH)", other);
			long[] steps = steps(BreakpointScript.attach(DebugLink.open(dvipa, next(waiting, stepping.id()),
					Duration.ofSeconds(10), security)));
			double mbps = relay(s, waiting, dvipa, other, security);
			session.logoff();
			return new Figures(bp[0], bp[1], rtt, steps, mbps);
		}
	}

	private long[][] timeToBreakpoint(Sysplex s, Session session, BlockingQueue<DebugLink.Waiting> waiting,
			String dvipa, String other, DebugLink.Security security) throws Exception {
		int line = BreakpointScript.markedLine(exampleCopy.resolve("jobs/Payroll.java"));
		long[] total = new long[runs];
		long[] jvm = new long[runs];
		for (int i = 0; i < runs + 1; i++) { // the first run warms up and is not counted
			Session.SubmittedJob job = session.submit("Payroll.java", "", "TEST(,,,DBMDT%BENCH)", other);
			DebugLink.Waiting w = next(waiting, job.id());
			BreakpointScript.Result r = BreakpointScript.run(BreakpointScript.attach(DebugLink.open(dvipa, w,
					Duration.ofSeconds(10), security)), "Payroll", line, "total", Duration.ofSeconds(60));
			JobRunner.Job j = s.jobs().job(job.id()).orElseThrow();
			if (i > 0) {
				total[i - 1] = Duration.between(j.started().orElseThrow(), r.stopped()).toMillis();
				jvm[i - 1] = j.jvmStart().orElseThrow().toMillis();
			}
		}
		return new long[][] { total, jvm };
	}

	/** Version round trips on a real job's engine through the DVIPA and the Debug Manager's relay. */
	private long[] relayedRoundTrips(Session session, BlockingQueue<DebugLink.Waiting> waiting, String dvipa,
			String other, DebugLink.Security security) throws Exception {
		Session.SubmittedJob job = session.submit("Payroll.java", "", "TEST(,,,DBMDT%BENCH)", other);
		DebugLink.Linked linked = DebugLink.open(dvipa, next(waiting, job.id()), Duration.ofSeconds(10), security);
		return roundTrips(linked.socket(), linked.in(), linked.out());
	}

	/** The same round trips and steps straight to a JVM's agent that connects to us (no DVIPA, no Debug Manager). */
	private long[][] direct(Path dir) throws Exception {
		Path classes = Files.createTempDirectory("sysplex-bench-direct");
		try {
			Path javaHome = Path.of(System.getProperty("java.home"), "bin");
			Process javac = new ProcessBuilder(javaHome.resolve("javac").toString(), "-g", "-d", classes.toString(),
					dir.resolve("jobs/Payroll.java").toString()).redirectErrorStream(true).start();
			javac.getInputStream().readAllBytes();
			if (javac.waitFor() != 0) {
				throw new IOException("javac failed on Payroll.java");
			}
			long[] rtt = directly(javaHome, classes, s -> roundTrips(s, s.getInputStream(), s.getOutputStream()));
			long[] steps = directly(javaHome, classes, s -> steps(BreakpointScript.attach(new DebugLink.Linked(s,
					s.getInputStream(), s.getOutputStream(), "direct", "local", "BENCH"))));
			return new long[][] { rtt, steps };
		} finally {
			SysplexDirectories.deleteTree(classes);
		}
	}

	private interface Measure {
		long[] on(Socket agent) throws Exception;
	}

	/** Starts Payroll with its agent connecting to a listener of ours and measures on that connection. */
	private static long[] directly(Path javaHome, Path classes, Measure measure) throws Exception {
		try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Process p = new ProcessBuilder(javaHome.resolve("java").toString(), "-agentlib:jdwp=transport=dt_socket,"
					+ "server=n,suspend=y,address=" + listener.getInetAddress().getHostAddress() + ":"
					+ listener.getLocalPort(), "-cp", classes.toString(), "Payroll").redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
			try {
				listener.setSoTimeout(30_000);
				Socket s = listener.accept();
				s.setTcpNoDelay(true);
				return measure.on(s);
			} finally {
				p.waitFor(30, TimeUnit.SECONDS);
				p.destroy();
			}
		}
	}

	/**
	 * Runs Payroll to its marked line, then single-steps into println ({@value #STEPS} steps), timing
	 * each from the resume to its StepEvent; lets the job run to its end.
	 */
	private long[] steps(com.sun.jdi.VirtualMachine vm) throws Exception {
		int line = BreakpointScript.markedLine(exampleCopy.resolve("jobs/Payroll.java"));
		com.sun.jdi.request.EventRequestManager erm = vm.eventRequestManager();
		com.sun.jdi.request.ClassPrepareRequest prepare = erm.createClassPrepareRequest();
		prepare.addClassFilter("Payroll");
		prepare.enable();
		long[] times = new long[STEPS - STEP_WARM_UP];
		int step = 0;
		long t0 = 0;
		com.sun.jdi.request.StepRequest stepper = null;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			com.sun.jdi.event.EventSet events = vm.eventQueue().remove(1_000);
			if (events == null) {
				continue;
			}
			for (com.sun.jdi.event.Event e : events) {
				if (e instanceof com.sun.jdi.event.ClassPrepareEvent cp) {
					erm.createBreakpointRequest(cp.referenceType().locationsOfLine(line).get(0)).enable();
				} else if (e instanceof com.sun.jdi.event.BreakpointEvent bp) {
					stepper = erm.createStepRequest(bp.thread(), com.sun.jdi.request.StepRequest.STEP_LINE,
							com.sun.jdi.request.StepRequest.STEP_INTO);
					stepper.enable();
				} else if (e instanceof com.sun.jdi.event.StepEvent) {
					if (step >= STEP_WARM_UP) {
						times[step - STEP_WARM_UP] = System.nanoTime() - t0;
					}
					if (++step == STEPS) {
						erm.deleteEventRequest(stepper);
						vm.resume();
						vm.dispose();
						return times;
					}
				} else if (e instanceof com.sun.jdi.event.VMDeathEvent
						|| e instanceof com.sun.jdi.event.VMDisconnectEvent) {
					throw new IOException("the job ended after " + step + " of " + STEPS + " steps");
				}
			}
			t0 = System.nanoTime();
			events.resume();
		}
		throw new IOException("stepping did not finish within 60 s (" + step + " steps)");
	}

	/**
	 * JDWP handshake, then {@link #roundTrips} VirtualMachine.Version commands one at a time (the
	 * agent answers them with the VM suspended at its start), then Dispose so the job runs to its end.
	 */
	private long[] roundTrips(Socket s, java.io.InputStream rawIn, java.io.OutputStream rawOut) throws IOException {
		s.setSoTimeout(30_000);
		// one write per packet, as a JDI does (a TLS record each, not one per field)
		DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(rawOut, 64));
		DataInputStream in = new DataInputStream(rawIn);
		BenchSupport.jdwpHandshake(o, in);
		long[] rtt = new long[roundTrips];
		int warmUp = roundTrips / 2; // JSSE's record path needs thousands of calls before the JIT has it
		for (int i = -warmUp; i < roundTrips; i++) {
			int id = 1000 + i + warmUp;
			long t0 = System.nanoTime();
			BenchSupport.jdwpVersion(o, in, id);
			if (i >= 0) {
				rtt[i] = System.nanoTime() - t0;
			}
		}
		try (s) {
			EngineRelease.dispose(o, in);
		}
		return rtt;
	}

	/**
	 * Announces a sink of this process as the "engine" of a session (with a credential, as the job
	 * runner does, and this process's pid) to the other system's DBM and pushes bytes through.
	 */
	private double relay(Sysplex s, BlockingQueue<DebugLink.Waiting> waiting, String dvipa, String other,
			DebugLink.Security security) throws Exception {
		InetAddress home = s.network().stack(other).orElseThrow().homeAddress();
		int hostPort = Integer.parseInt(s.nameTokens(other).retrieve(Dbm.NAME_TOKEN).orElseThrow());
		double relayed = 0;
		for (int i = 0; i < 4; i++) { // warm-up, then best of three
			String job = "BENCH" + i;
			try (Socket control = new Socket(home, hostPort)) {
				control.setSoTimeout(30_000);
				Frames.write(control.getOutputStream(), Message.of(Dbm.ENGINE).with(Dbm.F_USER, "BENCH")
						.with(Dbm.F_JOB, job).with(Dbm.F_CREDENTIAL, s.passTickets().generate("BENCH",
								DebugManager.engineApplication(other, job)))
						.build());
				Message queued = Frames.read(control.getInputStream(), Dbm.MAX_FRAME);
				String[] engine = queued.require(Dbm.F_ENGINE).split(":");
				Socket sink = new Socket(engine[0], Integer.parseInt(engine[1]));
				Frames.write(control.getOutputStream(), Message.of(Dbm.STARTED).with(Dbm.F_PID,
						ProcessHandle.current().pid()).build());
				Thread.ofVirtual().start(() -> BenchSupport.drain(new BenchSupport.Acceptor() {
					private boolean given;

					@Override
					public Socket accept() throws IOException {
						if (given) {
							throw new IOException("one connection only");
						}
						given = true;
						return sink;
					}
				}));
				DebugLink.Waiting w = next(waiting, job);
				double r = BenchSupport.bulk(DebugLink.open(dvipa, w, Duration.ofSeconds(10), security).socket(),
						bulkBytes);
				if (i > 0) {
					relayed = Math.max(relayed, r);
				}
			}
		}
		return relayed;
	}

	private static DebugLink.Waiting next(BlockingQueue<DebugLink.Waiting> waiting, String job)
			throws InterruptedException, IOException {
		DebugLink.Waiting w = waiting.poll(30, TimeUnit.SECONDS);
		if (w == null || !w.job().equals(job)) {
			throw new IOException("no debug notification for " + job + " (got " + w + ")");
		}
		return w;
	}

	private static long median(long[] v) {
		long[] c = v.clone();
		Arrays.sort(c);
		return c[c.length / 2];
	}

	private static long max(long[] v) {
		return Arrays.stream(v).max().orElse(0);
	}

	private static long p99(long[] v) {
		long[] c = v.clone();
		Arrays.sort(c);
		return c[Math.min(c.length - 1, (int) Math.ceil(c.length * 0.99) - 1)];
	}
}
