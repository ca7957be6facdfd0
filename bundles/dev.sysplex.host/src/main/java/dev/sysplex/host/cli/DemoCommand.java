package dev.sysplex.host.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.sun.jdi.VirtualMachine;

import dev.sysplex.client.DebugLink;
import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.host.demo.BreakpointScript;
import dev.sysplex.host.jobs.JobRunner;
import dev.sysplex.protocol.Dbm;

/**
 * `sysplex demo`: the whole loop (docs/architecture.md), headless, on the example two-system sysplex, with
 * each of the ten steps printed with the system and port that served it.
 */
final class DemoCommand implements Command {

	@Override
	public String name() {
		return "demo";
	}

	@Override
	public String summary() {
		return "run the whole loop: TLS logon through the DVIPA, job with TEST on the other system, debug it";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex demo [--sysplex DIR] [--quiet]

				Starts a copy of the example sysplex (examples/two-systems: ROUNDROBIN, SYSPLEXPORTS, a
				Debug Manager per system with unique CLIENT ports 5301/5302, SYSA's the hub), logs a user
				on through the DVIPA with TLS, submits examples/jobs/Payroll.java with
				TEST(,,,DBMDT%DEMO) to the other system, receives the "debug session waiting"
				notification, connects through the DVIPA to that system's Debug Manager port, stops at a
				breakpoint with the JDK's JDI, prints a variable, resumes, and sees the job end. Prints
				each of the ten steps with the system and port that served it; exits 0 when all passed.

				  --sysplex DIR   use a copy of DIR instead of examples/two-systems
				  --quiet         print only the ten steps, not the host's own trace
				""";
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, Set.of("--sysplex"), Set.of("--quiet"));
		args.positional(0, 0, "");
		Path root = repositoryRoot();
		Path source = Path.of(args.get("--sysplex", root.resolve("examples/two-systems").toString()));
		Path dir = Files.createTempDirectory("sysplex-demo");
		try {
			SysplexDirectories.copy(source, dir);
			return demo(dir, out, !args.has("--quiet"));
		} finally {
			SysplexDirectories.deleteTree(dir);
		}
	}

	private static int demo(Path dir, PrintStream out, boolean verbose) throws Exception {
		Instant t0 = Instant.now();
		try (Sysplex sysplex = Sysplex.start(dir)) {
			if (verbose) {
				sysplex.addTracer(line -> out.println("      host  " + line));
			}
			sysplex.warnings().forEach(w -> out.println("      warning " + w));
			char[] password = Long.toHexString(Double.doubleToLongBits(Math.random())).toCharArray();
			sysplex.users().setPassword("DEMO", password, false, 10_000);
			String dvipa = sysplex.network().dvipas().get(0).address().getHostAddress();
			out.println("Sysplex " + sysplex.config().sysplexName() + " started: " + sysplex.network().stacks().size()
					+ " systems, DVIPA " + dvipa + " (copy of the example in " + dir + ")");

			RseConnector connector = new RseConnector(new RseConnector.Options()
					.tlsMemory(TlsMemory.enabled(TlsMemory.DEFAULT_TTL))
					.trust(TrustStore.inMemory(), TrustDecision.TRUST_ON_FIRST_USE)
					.reconnect(false, 0, Duration.ZERO, Duration.ZERO)
					.trace(verbose ? line -> out.println("      client " + line) : line -> {
					}));
			CompletableFuture<Map<String, String>> waiting = new CompletableFuture<>();
			CompletableFuture<Map<String, String>> ended = new CompletableFuture<>();
			Session session = connector.connect(dvipa, 4035, "DEMO", password, EncryptionPolicy.PREFERRED);
			session.addListener(new Session.Listener() {
				@Override
				public void notification(String kind, Map<String, String> fields) {
					if (kind.equals(Dbm.NOTIFY_WAITING)) {
						waiting.complete(fields);
					} else if (kind.equals(dev.sysplex.protocol.Rse.NOTIFY_JOB_ENDED)) {
						ended.complete(fields);
					}
				}
			});
			String home = session.system();
			step(out, 1, "client connected to the DVIPA " + dvipa + ":4035, " + (session.encrypted()
					? "TLS first: encrypted" : "NOT encrypted"));
			step(out, 2, "the Sysplex Distributor (ROUNDROBIN) routed the logon to " + home);
			step(out, 3, "RSED on " + home + " authenticated DEMO and started an RSE server on port "
					+ session.serverPort() + " (SYSPLEXPORTS: unique in the sysplex)");
			step(out, 4, "client reconnected to " + dvipa + ":" + session.serverPort() + " through the DVIPA, reached "
					+ session.whoami().get("system") + ", ticket accepted");
			awaitRegistered(sysplex, home, "DEMO");
			int hostPort = sysplex.dbm(home).orElseThrow().settings().hostPort();
			step(out, 5, "the Debug Miner in RSED on " + home + " registered DEMO with the Debug Manager of " + home
					+ " (HOST port " + hostPort + ", read from its name/token pair) with a PassTicket RSED made for DEMO");

			String other = sysplex.network().stacks().stream().map(s -> s.name()).filter(n -> !n.equals(home))
					.findFirst().orElse(home);
			Path program = dir.resolve("jobs/Payroll.java");
			int line = BreakpointScript.markedLine(program);
			Session.SubmittedJob job = session.submit("Payroll.java", "", "TEST(,,,DBMDT%DEMO)", other);
			JobRunner.Job hostJob = sysplex.jobs().job(job.id()).orElseThrow();
			step(out, 6, "submitted Payroll.java with TEST(,,,DBMDT%DEMO): " + job.id() + " runs on " + job.system()
					+ (job.system().equals(home) ? "" : ", not on " + home));
			step(out, 7, "the debug engine of " + job.id() + " on " + job.system()
					+ " told the Debug Manager of " + job.system() + " (HOST port "
					+ sysplex.dbm(job.system()).map(d -> d.settings().hostPort()).orElse(0)
					+ ", with the job's one-time credential) that a session for DEMO waits; the job's JDWP agent "
					+ "connected out to the Debug Manager (it listens nowhere)");
			Map<String, String> w = waiting.get(30, TimeUnit.SECONDS);
			DebugLink.Waiting note = DebugLink.Waiting.of(w);
			step(out, 8, note.system().equals(home) ? "DEMO is registered on " + home + " itself: no hub needed"
					: "DEMO is not registered on " + note.system() + ": the hub passed the session, with "
							+ note.system() + "'s unique CLIENT port " + note.port() + ", to the Debug Manager of " + home);
			step(out, 9, "the Debug Manager of " + home + " told its Debug Miner; RSED on " + home
					+ " notified the client: debug session of " + note.job() + " waiting on " + note.system() + ", port "
					+ note.port());

			DebugLink.Linked linked = DebugLink.open(dvipa, note, Duration.ofSeconds(10), DebugLink.Security.of(session,
					DebugLink.PlainLinkPolicy.REFUSE, DebugLink.PlainLinkQuestion.NOBODY));
			VirtualMachine vm = BreakpointScript.attach(linked);
			BreakpointScript.Result r = BreakpointScript.run(vm, "Payroll", line, "total", Duration.ofSeconds(60));
			Map<String, String> end = ended.get(30, TimeUnit.SECONDS);
			step(out, 10, "debugger connected to " + dvipa + ":" + note.port() + " through the DVIPA"
					+ (linked.socket() instanceof javax.net.ssl.SSLSocket ? " with TLS" : " NOT encrypted")
					+ "; the Debug Manager of "
					+ linked.system() + " linked it to the engine. Stopped at " + r.location() + ", total = "
					+ r.value() + "; resumed; " + end.get("job") + " ended on " + end.get("system") + " with rc="
					+ end.get("rc"));
			Instant started = hostJob.started().orElseThrow();
			out.printf("Timing: job start to stopped at the breakpoint %d ms (of which the job's JVM start %d ms); "
					+ "whole demo %d ms%n", Duration.between(started, r.stopped()).toMillis(),
					hostJob.jvmStart().orElseThrow().toMillis(), Duration.between(t0, Instant.now()).toMillis());
			out.println("Job output: " + session.output(job.id()).strip());
			session.logoff();
			boolean ok = "17900".equals(r.value()) && "0".equals(end.get("rc")) && r.ended();
			out.println(ok ? "Demo passed: all ten steps done." : "Demo FAILED: expected total = 17900 and rc=0");
			return ok ? 0 : 1;
		}
	}

	private static void step(PrintStream out, int n, String text) {
		out.printf("[%2d] %s%n", n, text);
	}

	private static void awaitRegistered(Sysplex sysplex, String system, String user) throws InterruptedException {
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (sysplex.dbm(system).map(d -> !d.isRegistered(user)).orElse(true)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(user + " was not registered with the Debug Manager of " + system);
			}
			Thread.sleep(10);
		}
	}

	/** The repository root: where ./sysplex runs from (the working directory or above it). */
	static Path repositoryRoot() {
		Path p = Path.of("").toAbsolutePath();
		for (Path q = p; q != null; q = q.getParent()) {
			if (Files.isDirectory(q.resolve("examples/two-systems"))) {
				return q;
			}
		}
		return p;
	}

}
