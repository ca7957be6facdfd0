package dev.sysplex.host.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import dev.sysplex.config.ConfigException;
import dev.sysplex.config.SysplexConfig;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.host.demo.BreakpointScript;
import dev.sysplex.host.isolated.IsolatedSysplex;
import dev.sysplex.host.jobs.JobRunner;
import dev.sysplex.host.rse.UserRegistry;
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
				Usage: ./sysplex demo [--sysplex DIR] [--quiet] [--isolated]

				Starts a copy of the example sysplex (examples/two-systems: ROUNDROBIN, SYSPLEXPORTS, a
				Debug Manager per system with unique CLIENT ports 5301/5302, SYSA's the hub), logs a user
				on through the DVIPA with TLS, submits examples/jobs/Payroll.java with
				TEST(,,,DBMDT%DEMO) to the other system, receives the "debug session waiting"
				notification, connects through the DVIPA to that system's Debug Manager port, stops at a
				breakpoint with the JDK's JDI, prints a variable, resumes, and sees the job end. Prints
				each of the ten steps with the system and port that served it; exits 0 when all passed.

				  --sysplex DIR   use a copy of DIR instead of examples/two-systems
				  --quiet         print only the ten steps, not the host's own trace
				  --isolated      every system its own process in its own network namespace, the DVIPA
				                  distributed by the owner's kernel (nftables), the coupling facility an
				                  etcd, the client steps in a JVM in the client namespace (as start
				                  --isolated; needs root, iproute2, nftables, etcd-server: see
				                  docs/deployment.md). A second logon submits the job (a session there
				                  submits to its own system), and its output is read on its system.
				""";
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, Set.of("--sysplex"), Set.of("--quiet", "--isolated"));
		args.positional(0, 0, "");
		Path root = repositoryRoot();
		Path source = Path.of(args.get("--sysplex", root.resolve("examples/two-systems").toString()));
		Path dir = Files.createTempDirectory("sysplex-demo");
		try {
			SysplexDirectories.copy(source, dir);
			return args.has("--isolated") ? isolated(dir, out, err, !args.has("--quiet"))
					: demo(dir, out, !args.has("--quiet"));
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
			char[] password = demoPassword();
			sysplex.users().setPassword("DEMO", password, false, 10_000);
			String dvipa = sysplex.network().dvipas().get(0).address().getHostAddress();
			out.println("Sysplex " + sysplex.config().sysplexName() + " started: " + sysplex.network().stacks().size()
					+ " systems, DVIPA " + dvipa + " (copy of the example in " + dir + ")");
			HostView host = new HostView() {
				@Override
				public void awaitRegistered(String system, String user) throws InterruptedException {
					long deadline = System.nanoTime() + 10_000_000_000L;
					while (sysplex.dbm(system).map(d -> !d.isRegistered(user)).orElse(true)) {
						if (System.nanoTime() > deadline) {
							throw new IllegalStateException(user + " was not registered with the Debug Manager of " + system);
						}
						Thread.sleep(10);
					}
				}

				@Override
				public List<String> systems() {
					return sysplex.network().stacks().stream().map(s -> s.name()).toList();
				}

				@Override
				public int hostPort(String system) {
					return sysplex.dbm(system).map(d -> d.settings().hostPort()).orElse(0);
				}

				@Override
				public String timing(String job, Instant submitted, Instant stopped) {
					JobRunner.Job hostJob = sysplex.jobs().job(job).orElseThrow();
					return "job start to stopped at the breakpoint " + Duration.between(hostJob.started().orElseThrow(),
							stopped).toMillis() + " ms (of which the job's JVM start " + hostJob.jvmStart().orElseThrow()
									.toMillis() + " ms)";
				}
			};
			return clientSteps(host, dvipa, "DEMO", password, dir, t0, out, verbose);
		}
	}

	/**
	 * The demo on an isolated sysplex: the systems are processes in network namespaces of their own
	 * (start --isolated), and the client steps run in a JVM in the client namespace (the demo-client
	 * command), which asks this launcher, on its standard input and output, what only the host side
	 * knows (a registration done, a DBM's HOST port): the launcher sees every system's trace.
	 */
	private static int isolated(Path dir, PrintStream out, PrintStream err, boolean verbose) throws Exception {
		List<String> missing = IsolatedSysplex.missing();
		if (!missing.isEmpty()) {
			err.println("The isolated demo was not started: this machine lacks what it needs:");
			missing.forEach(m -> err.println("  - " + m));
			err.println("Nothing was changed. ./sysplex demo (without --isolated) runs the same loop in one process "
					+ "and needs none of it.");
			return 2;
		}
		Instant t0 = Instant.now();
		SysplexConfig config;
		try {
			config = SysplexConfig.load(dir);
		} catch (ConfigException e) {
			e.diagnostics().forEach(d -> err.println(d.display()));
			return 2;
		}
		char[] password = demoPassword();
		UserRegistry.open(dir.resolve(Sysplex.USERS)).setPassword("DEMO", password, false, 10_000);
		Seen seen = new Seen();
		IsolatedSysplex sysplex;
		try {
			sysplex = IsolatedSysplex.start(config, List.of(), Duration.ofSeconds(120), line -> {
				seen.add(line);
				if (verbose) {
					out.println("      host  " + line);
				}
			});
		} catch (IOException e) {
			err.println("The isolated sysplex was not started: " + e.getMessage());
			err.println("Everything it had started was ended.");
			return 1;
		}
		Thread hook = new Thread(sysplex::close); // Ctrl-C: the processes and namespaces go too
		Runtime.getRuntime().addShutdownHook(hook);
		try {
			String dvipa = sysplex.dvipas().get(0);
			out.println("Sysplex " + config.sysplexName() + " started isolated: " + sysplex.pids().size() + " systems, "
					+ "each a process in a network namespace of its own (" + sysplex.pids() + "), DVIPA " + dvipa
					+ " distributed by the owner's kernel, coupling facility etcd; the client runs in the client "
					+ "namespace (" + sysplex.clientAddress() + ") (copy of the example in " + dir + ")");
			List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
					System.getProperty("java.class.path"), Main.class.getName(), "demo-client", dir.toString(), "--dvipa",
					dvipa, "--started-at", String.valueOf(t0.toEpochMilli())));
			if (!verbose) {
				cmd.add("--quiet");
			}
			Process client = new ProcessBuilder(sysplex.inClient(cmd)).redirectErrorStream(true).start();
			try (BufferedReader from = new BufferedReader(new InputStreamReader(client.getInputStream(),
					StandardCharsets.UTF_8)); PrintStream to = new PrintStream(client.getOutputStream(), true,
							StandardCharsets.UTF_8)) {
				to.println(new String(password));
				java.util.Arrays.fill(password, '\0');
				for (String line; (line = from.readLine()) != null;) {
					String[] w = line.split(" ");
					if (w[0].equals(DemoClientCommand.ASK_REGISTERED) && w.length == 3) {
						to.println(seen.await("[" + w[1] + "] trace Debug Miner " + w[1] + ": registered " + w[2] + " ",
								Duration.ofSeconds(10)) ? "yes" : "no");
					} else if (w[0].equals(DemoClientCommand.ASK_HOST_PORT) && w.length == 2) {
						java.util.regex.Matcher m = java.util.regex.Pattern.compile("DBM on " + java.util.regex.Pattern
								.quote(w[1]) + ": HOST [^:\\s]+:(\\d+)").matcher(sysplex.describe());
						to.println(m.find() ? m.group(1) : "0");
					} else if (w[0].equals(DemoClientCommand.ASK_SYSTEMS)) {
						to.println(String.join(",", sysplex.pids().keySet()));
					} else {
						out.println(line);
					}
				}
			}
			if (!client.waitFor(30, TimeUnit.SECONDS)) {
				client.destroyForcibly();
				err.println("The demo's client (pid " + client.pid() + ") did not end; it was stopped");
				return 1;
			}
			return client.exitValue();
		} finally {
			Runtime.getRuntime().removeShutdownHook(hook);
			sysplex.close();
		}
	}

	/** The lines the isolated systems said, to wait for one. */
	private static final class Seen {
		private final List<String> lines = new ArrayList<>();

		synchronized void add(String line) {
			if (lines.size() < 100_000) {
				lines.add(line);
			}
			notifyAll();
		}

		synchronized boolean await(String text, Duration timeout) throws InterruptedException {
			long deadline = System.nanoTime() + timeout.toNanos();
			for (int from = 0;;) {
				for (; from < lines.size(); from++) {
					if (lines.get(from).contains(text)) {
						return true;
					}
				}
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					return false;
				}
				wait(left);
			}
		}
	}

	/**
	 * What the demo asks of the host side beyond its ports: in the embedded mode the objects of the
	 * sysplex in this process; in the isolated mode the launcher, which sees every system's trace.
	 */
	interface HostView {
		/** Returns once the Debug Miner of {@code system} registered {@code user} with its DBM (bounded). */
		void awaitRegistered(String system, String user) throws Exception;

		/** The systems' names, in sysplex.conf's order. */
		List<String> systems();

		/** The HOST port of the system's Debug Manager, 0 when none runs. */
		int hostPort(String system) throws Exception;

		/** True when a session submits only to its own system (each system a process: the isolated mode). */
		default boolean jobsRunWhereSubmitted() {
			return false;
		}

		/** How long the job took to stop at the breakpoint, as far as this view knows. */
		String timing(String job, Instant submitted, Instant stopped) throws Exception;
	}

	/** A password for the copy's DEMO user, fresh per run: 16 random bytes from SecureRandom, hex. */
	private static char[] demoPassword() {
		byte[] b = new byte[16];
		new java.security.SecureRandom().nextBytes(b);
		return java.util.HexFormat.of().formatHex(b).toCharArray();
	}

	/** Steps 1 to 10: the client's side of the loop, from wherever the client runs. */
	static int clientSteps(HostView host, String dvipa, String user, char[] password, Path dir, Instant t0,
			PrintStream out, boolean verbose) throws Exception {
		RseConnector connector = new RseConnector(new RseConnector.Options()
				.tlsMemory(TlsMemory.enabled(TlsMemory.DEFAULT_TTL))
				.trust(TrustStore.inMemory(), TrustDecision.TRUST_ON_FIRST_USE)
				.reconnect(false, 0, Duration.ZERO, Duration.ZERO)
				.trace(verbose ? line -> out.println("      client " + line) : line -> {
				}));
		CompletableFuture<Map<String, String>> waiting = new CompletableFuture<>();
		CompletableFuture<Map<String, String>> ended = new CompletableFuture<>();
		Session session = connector.connect(dvipa, 4035, user, password, EncryptionPolicy.PREFERRED);
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
		host.awaitRegistered(home, user);
		int hostPort = host.hostPort(home);
		step(out, 5, "the Debug Miner in RSED on " + home + " registered DEMO with the Debug Manager of " + home
				+ " (HOST port " + hostPort + ", read from its name/token pair) with a PassTicket RSED made for DEMO");

		String other = host.systems().stream().filter(n -> !n.equals(home))
				.findFirst().orElse(home);
		Path program = dir.resolve("jobs/Payroll.java");
		int line = BreakpointScript.markedLine(program);
		Session submitter = session;
		String how = "";
		if (host.jobsRunWhereSubmitted() && !other.equals(home)) {
			// each system is a process of its own: a second logon, which the distributor routes on, submits on
			// the other system and logs off, so DEMO stays registered only on the first system
			submitter = logonTo(other, connector, dvipa, user, password, 2 * host.systems().size());
			how = " from a second logon, which the distributor routed to " + submitter.system();
		}
		Instant submitted = Instant.now();
		// embedded: one session submits to the other system (JES routes it); isolated: to its own
		Session.SubmittedJob job = submitter.submit("Payroll.java", "", "TEST(,,,DBMDT%DEMO)",
				host.jobsRunWhereSubmitted() ? submitter.system() : other);
		if (submitter != session) {
			submitter.logoff();
			how += ", logged off at once";
		}
		step(out, 6, "submitted Payroll.java with TEST(,,,DBMDT%DEMO)" + how + ": " + job.id() + " runs on "
				+ job.system() + (job.system().equals(home) ? "" : ", not on " + home));
		step(out, 7, "the debug engine of " + job.id() + " on " + job.system()
				+ " told the Debug Manager of " + job.system() + " (HOST port "
				+ host.hostPort(job.system())
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
		Map<String, String> end = awaitEnd(session, job, ended, Duration.ofSeconds(30));
		step(out, 10, "debugger connected to " + dvipa + ":" + note.port() + " through the DVIPA"
				+ (linked.socket() instanceof javax.net.ssl.SSLSocket ? " with TLS" : " NOT encrypted")
				+ "; the Debug Manager of "
				+ linked.system() + " linked it to the engine. Stopped at " + r.location() + ", total = "
				+ r.value() + "; resumed; " + end.get("job") + " ended on " + end.get("system") + " with rc="
				+ end.get("rc"));
		out.println("Timing: " + host.timing(job.id(), submitted, r.stopped()) + "; whole demo "
				+ Duration.between(t0, Instant.now()).toMillis() + " ms");
		String output;
		if (job.system().equals(home) || !host.jobsRunWhereSubmitted()) {
			output = session.output(job.id()).strip();
		} else { // a job's output stays on its system's spool: read by a session there
			Session reader = logonTo(job.system(), connector, dvipa, user, password, 2 * host.systems().size());
			try {
				output = reader.system().equals(job.system()) ? reader.output(job.id()).strip() + " (read by a logon to "
						+ job.system() + ")" : "(on " + job.system() + "'s spool; no logon reached " + job.system() + ")";
			} finally {
				reader.logoff();
			}
		}
		out.println("Job output: " + output);
		session.logoff();
		// the loop shown is a job on another system than the user's logon, handed over by the hub
		boolean across = other.equals(home) || (!job.system().equals(home) && note.system().equals(job.system()));
		boolean ok = across && "17900".equals(r.value()) && "0".equals(end.get("rc")) && r.ended();
		out.println(ok ? "Demo passed: all ten steps done."
				: across ? "Demo FAILED: expected total = 17900 and rc=0"
						: "Demo FAILED: the job ran on " + job.system() + ", the logon's own system, not on " + other
								+ ": the hand-over between Debug Managers was not shown");
		return ok ? 0 : 1;
	}

	/**
	 * The job's end: its notice (in the isolated mode a system tells it of another system's job
	 * when it reads the coupling facility), else, should the notice be lost, the job list. Bounded
	 * by {@code timeout}.
	 */
	private static Map<String, String> awaitEnd(Session session, Session.SubmittedJob job,
			CompletableFuture<Map<String, String>> ended, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				return ended.get(200, TimeUnit.MILLISECONDS);
			} catch (java.util.concurrent.TimeoutException e) {
				for (String l : session.jobs()) { // "JOB00001 Payroll.java SYSB ENDED rc=0"
					String[] f = l.split(" ");
					if (f.length >= 4 && f[0].equals(job.id()) && !Set.of("WAITING_FOR_DEBUGGER", "DEBUGGING", "RUNNING")
							.contains(f[3])) {
						Map<String, String> end = new java.util.LinkedHashMap<>(Map.of("job", f[0], "system", f[2],
								"state", f[3]));
						end.put("rc", f.length > 4 && f[4].startsWith("rc=") ? f[4].substring(3) : "?");
						return end;
					}
				}
			}
		}
		throw new java.util.concurrent.TimeoutException(job.id() + " on " + job.system() + " did not end within "
				+ timeout.toSeconds() + " s of the debugger's resume");
	}

	/**
	 * Logs on through the DVIPA until the distributor routes a logon to {@code system}, at most
	 * {@code tries} times; each miss is logged off. Returns the last session (on another system
	 * when none reached it).
	 */
	private static Session logonTo(String system, RseConnector connector, String dvipa, String user, char[] password,
			int tries) throws IOException {
		Session s = connector.connect(dvipa, 4035, user, password, EncryptionPolicy.PREFERRED);
		for (int i = 1; i < tries && !s.system().equals(system); i++) {
			s.logoff();
			s = connector.connect(dvipa, 4035, user, password, EncryptionPolicy.PREFERRED);
		}
		return s;
	}

	private static void step(PrintStream out, int n, String text) {
		out.printf("[%2d] %s%n", n, text);
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
