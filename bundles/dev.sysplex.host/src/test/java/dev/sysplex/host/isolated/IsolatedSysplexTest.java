package dev.sysplex.host.isolated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.config.SysplexConfig;
import dev.sysplex.host.net.SysplexFixture;
import dev.sysplex.host.net.SysplexNetwork;
import dev.sysplex.host.net.TcpipStack;
import dev.sysplex.host.net.WhoAmIServer;
import dev.sysplex.host.testing.ExampleCopy;
import dev.sysplex.host.testing.HostTrace;

/**
 * The isolated mode for real: every system a process in a network namespace of its own, the
 * distributor in the owner's kernel (nftables), the coupling facility an etcd on the sysplex LAN.
 * The distribution results are asked of the embedded mode with the same directory and must be
 * the same. Clients run in the client namespace (the test's JVM cannot enter one, so a small tool
 * runs there). Needs root, iproute2, nftables and etcd-server: skipped without them, except under
 * CI=true, whose machine has them installed.
 */
class IsolatedSysplexTest {

	@TempDir
	Path dir;

	@RegisterExtension
	final HostTrace trace = new HostTrace();

	private final List<IsolatedSysplex> started = new ArrayList<>();

	@BeforeEach
	void machineCanRunIt() {
		List<String> missing = IsolatedSysplex.missing();
		if (!missing.isEmpty()) {
			assertFalse("true".equals(System.getenv("CI")), "CI installs what the isolated mode needs; missing: " + missing);
			Assumptions.assumeTrue(false, "the isolated mode cannot run here: " + missing);
		}
	}

	@org.junit.jupiter.api.AfterEach
	void stop() {
		started.forEach(IsolatedSysplex::close);
	}

	private IsolatedSysplex start(Path sysplexDir, List<Integer> whoami) throws Exception {
		IsolatedSysplex s = IsolatedSysplex.start(SysplexConfig.load(sysplexDir), whoami, Duration.ofSeconds(90), trace);
		started.add(s);
		return s;
	}

	/** Runs a command and returns its output lines (bounded: 60 s). */
	private static List<String> run(List<String> command, Map<String, String> env) throws Exception {
		ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
		pb.environment().putAll(env);
		Process p = pb.start();
		byte[] out = p.getInputStream().readAllBytes();
		assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not end: " + command);
		String text = new String(out, StandardCharsets.UTF_8);
		return text.lines().toList();
	}

	private static List<String> java(String main, String... args) {
		List<String> c = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
				System.getProperty("java.class.path"), main));
		c.addAll(List.of(args));
		return c;
	}

	/** N connections from the client namespace to HOST:PORT, one after the other: who answered each. */
	private static List<String> ask(IsolatedSysplex s, String host, int port, int n) throws Exception {
		return run(s.inClient(java(ClientTool.class.getName(), "ask", host, String.valueOf(port), String.valueOf(n))),
				Map.of());
	}

	/** The client tool's held echo sessions (ClientTool hold), running in the client namespace. */
	private record Held(Process process, java.io.BufferedReader out) {
		/** The line that says where each session landed. */
		String holding() throws IOException {
			return out.readLine();
		}

		/** What it says of each session once they ended. */
		List<String> end() throws Exception {
			List<String> lines = new ArrayList<>();
			for (String line; (line = out.readLine()) != null;) {
				lines.add(line);
			}
			assertTrue(process.waitFor(30, TimeUnit.SECONDS));
			return lines;
		}
	}

	private static Held hold(IsolatedSysplex s, String host, int port, int sessions, int seconds) throws IOException {
		Process p = new ProcessBuilder(s.inClient(java(ClientTool.class.getName(), "hold", host, String.valueOf(port),
				String.valueOf(sessions), String.valueOf(seconds)))).redirectErrorStream(true).start();
		return new Held(p, new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
				StandardCharsets.UTF_8)));
	}

	/** Waits (bounded, 30 s) until a process's collected output says {@code text}. */
	private static void awaitText(StringBuilder output, String text) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		synchronized (output) {
			while (output.indexOf(text) < 0) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				assertTrue(left > 0, "never said '" + text + "': " + output);
				output.wait(left);
			}
		}
	}

	private static Map<String, Integer> count(List<String> systems) {
		Map<String, Integer> m = new TreeMap<>();
		systems.forEach(x -> m.merge(x, 1, Integer::sum));
		return m;
	}

	private static List<String> embedded(SysplexFixture f, int port, int n, List<String> listening) throws Exception {
		try (SysplexNetwork net = f.start()) {
			for (TcpipStack s : net.stacks()) {
				if (listening.contains(s.name())) {
					WhoAmIServer.start(s, f.dvipaAddress(), port);
				}
			}
			return f.askSequentially(net, port, n);
		}
	}

	@Test
	void roundRobinThroughTheKernelIsTheEmbeddedDistributorsRotation() throws Exception {
		SysplexFixture f = new SysplexFixture(Files.createDirectories(dir.resolve("rr")), 3)
				.write("VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA PORT 7000 DESTIP ALL", true, null);
		List<String> embedded = embedded(f, 7000, 6, List.of("SYS1", "SYS2", "SYS3"));
		assertEquals(List.of("SYS1", "SYS2", "SYS3", "SYS1", "SYS2", "SYS3"), embedded);
		IsolatedSysplex s = start(f.dir, List.of(7000));
		assertEquals(embedded, ask(s, f.dvipa(), 7000, 6));
		// a target whose server goes is skipped, as the embedded distributor skips it
		assertEquals("whoami stop 7000", s.command("SYS2", "whoami stop 7000"));
		assertEquals(List.of("SYS1", "SYS3", "SYS1", "SYS3"), ask(s, f.dvipa(), 7000, 4));
	}

	@Test
	void hotStandbyThroughTheKernelSwitchesToTheBackupAndBackAsEmbedded() throws Exception {
		SysplexFixture f = new SysplexFixture(Files.createDirectories(dir.resolve("hot")), 3);
		String sub = f.address(0).substring(0, f.address(0).length() - 1);
		f.write("VIPADISTRIBUTE DEFINE DISTMETHOD HOTSTANDBY AUTOSWITCHBACK DVIPA PORT 10000 DESTIP " + sub
				+ "2 PREFERRED " + sub + "1 BACKUP 50 " + sub + "3 BACKUP 80", true, null);
		assertEquals(List.of("SYS2", "SYS2", "SYS2"), embedded(f, 10000, 3, List.of("SYS1", "SYS2", "SYS3")));
		assertEquals(List.of("SYS3", "SYS3"), embedded(f, 10000, 2, List.of("SYS1", "SYS3")), "embedded: the backup of "
				+ "highest rank");
		IsolatedSysplex s = start(f.dir, List.of(10000));
		assertEquals(List.of("SYS2", "SYS2", "SYS2"), ask(s, f.dvipa(), 10000, 3));
		s.command("SYS2", "whoami stop 10000");
		assertEquals(List.of("SYS3", "SYS3"), ask(s, f.dvipa(), 10000, 2), "the backup of highest rank");
		s.command("SYS2", "whoami start 10000");
		assertEquals(List.of("SYS2", "SYS2"), ask(s, f.dvipa(), 10000, 2), "AUTOSWITCHBACK");
	}

	@Test
	void baseWlmWeighsTheLoadTheSystemsReportAsTheEmbeddedDistributorDoes() throws Exception {
		SysplexFixture f = new SysplexFixture(Files.createDirectories(dir.resolve("wlm")), 2)
				.write("VIPADISTRIBUTE DEFINE DISTMETHOD BASEWLM DVIPA PORT 7000 DESTIP ALL", true, null);
		// the embedded distributor: six connections open on SYS1 (a port only the owner serves) weigh it down
		List<String> embeddedPicks;
		try (SysplexNetwork net = f.start()) {
			for (TcpipStack t : net.stacks()) {
				WhoAmIServer.start(t, f.dvipaAddress(), 7000);
			}
			dev.sysplex.host.net.EchoServer.start(net.stack("SYS1").orElseThrow(), f.dvipaAddress(), 7200,
					dev.sysplex.host.net.EchoServer.Mode.ECHO);
			List<java.net.Socket> held = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				java.net.Socket c = new java.net.Socket(f.dvipa(), 7200);
				c.getInputStream().read(); // its greeting began: routed and counted
				held.add(c);
			}
			embeddedPicks = f.askSequentially(net, 7000, 8);
			for (java.net.Socket c : held) {
				c.close();
			}
		}
		assertTrue(count(embeddedPicks).getOrDefault("SYS1", 0) <= 2, "embedded: the loaded system gets few: "
				+ embeddedPicks);

		IsolatedSysplex s = start(f.dir, List.of(7000));
		s.command("SYS1", "serve echo 7200");
		assertEquals(Map.of("SYS1", 2, "SYS2", 2), count(ask(s, f.dvipa(), 7000, 4)), "no load: even");
		String slotsOf7000 = "distributor of DVIPA " + f.dvipa() + ": port 7000 (BASEWLM) to [";
		int before = trace.size();
		Held held = hold(s, f.dvipa(), 7200, 6, 10);
		assertEquals("HOLDING SYS1,SYS1,SYS1,SYS1,SYS1,SYS1", held.holding());
		// the systems report their connections every second: the owner gives the port new slots from them
		int weighed = trace.await(before, l -> l.contains(slotsOf7000) && l.split(",").length > 8, "the owner "
				+ "reprogramming the port's slots from the reported load", java.time.Duration.ofSeconds(8));
		Map<String, Integer> loaded = count(ask(s, f.dvipa(), 7000, 8));
		// the same weights (1000/7 against 1000): the kernel's slots walk them from wherever its counter is, so
		// the count in 8 picks may differ by one from the embedded sequence's
		assertTrue(loaded.getOrDefault("SYS1", 0) <= 2 && loaded.getOrDefault("SYS2", 0) >= 6, "as the embedded "
				+ "distributor: the loaded system gets few: " + loaded + " (embedded " + embeddedPicks + ")");
		held.end();
		trace.await(weighed + 1, l -> l.endsWith(slotsOf7000 + "SYS1, SYS2]"), "even slots once the load is gone",
				java.time.Duration.ofSeconds(8));
		assertEquals(Map.of("SYS1", 2, "SYS2", 2), count(ask(s, f.dvipa(), 7000, 4)), "the load gone: even again");
	}

	@Test
	void aPortThatIsNotDistributedReachesOnlyTheOwnerAndNoListenerIsRefused() throws Exception {
		SysplexFixture f = new SysplexFixture(Files.createDirectories(dir.resolve("owner")), 2)
				.write("VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA PORT 7000 DESTIP ALL", true, null);
		IsolatedSysplex s = start(f.dir, List.of());
		// SYS2 listens on 5302, which is not distributed: the owner SYS1 gets it and has no listener
		s.command("SYS2", "whoami start 5302");
		List<String> refused = ask(s, f.dvipa(), 5302, 1);
		assertTrue(refused.get(0).startsWith("ERROR ConnectException"), refused.toString());
		s.command("SYS1", "whoami start 5302");
		assertEquals(List.of("SYS1", "SYS1", "SYS1"), ask(s, f.dvipa(), 5302, 3));
		// a distributed port nobody listens on: refused at once, not timed out
		long t0 = System.nanoTime();
		List<String> none = ask(s, f.dvipa(), 7000, 1);
		assertTrue(none.get(0).startsWith("ERROR ConnectException"), none.toString());
		assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3), "refused, not timed out");
	}

	@Test
	void logonsThroughTheKernelGetTheirServerPortsThroughSysplexPortsOnEtcd() throws Exception {
		ExampleCopy.Copy c = ExampleCopy.of("two-systems", dir.resolve("plex"), 67, Map.of());
		Map<String, String> env = Map.of("PW", "isolated1");
		List<String> added = run(java("dev.sysplex.host.cli.Main", "user", "add", c.dir().toString(), "IBMUSER",
				"--password-env", "PW"), env);
		assertTrue(added.toString().contains("IBMUSER"), added.toString());
		IsolatedSysplex s = start(c.dir(), List.of());
		List<String> logons = run(s.inClient(java("dev.sysplex.host.cli.Main", "login", "--host", c.dvipa(), "--user",
				"IBMUSER", "--password-env", "PW", "--count", "4", "--trust-new", "--known-servers", dir.resolve("known_servers").toString())), env);
		String text = String.join("\n", logons);
		assertTrue(text.contains("4 succeeded, 4 encrypted"), text);
		assertTrue(text.matches("(?s).*SYSA\\s+2.*") && text.matches("(?s).*SYSB\\s+2.*"), "round robin: " + text);
		// the server ports came from EZBEPORT in etcd, and the owner's kernel routed each to its holder
		assertTrue(trace.any("[SYSA] trace distributor of DVIPA " + c.dvipa() + ": SYSPLEXPORTS port "), "SYSA routed "
				+ "its own server ports");
		assertTrue(trace.stream().anyMatch(l -> l.startsWith("[SYSA] trace distributor of DVIPA " + c.dvipa()
				+ ": SYSPLEXPORTS port ") && l.endsWith(" to SYSB")), "SYSA routed SYSB's server ports to SYSB");
	}

	@Test
	void aKilledSystemTakesItsNamespaceAndNewConnectionsAvoidIt() throws Exception {
		ExampleCopy.Copy c = ExampleCopy.of("two-systems", dir.resolve("kill"), 67, Map.of());
		IsolatedSysplex s = start(c.dir(), List.of(6000));
		assertEquals(Map.of("SYSA", 2, "SYSB", 2), count(ask(s, c.dvipa(), 6000, 4)));
		long pid = s.pids().get("SYSB");
		s.kill("SYSB");
		assertFalse(Files.exists(Path.of("/proc/" + pid)), "SYSB's process is gone");
		assertFalse(s.isRunning("SYSB"));
		// the owner learns from the end of SYSB's XCF link: at once when the process ended (its socket closed)
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		List<String> after;
		do {
			after = ask(s, c.dvipa(), 6000, 4);
		} while (!after.equals(List.of("SYSA", "SYSA", "SYSA", "SYSA")) && System.nanoTime() < deadline);
		assertEquals(List.of("SYSA", "SYSA", "SYSA", "SYSA"), after);
		assertTrue(trace.any("XCF link from SYSB to SYSA down"), "the owner saw the link end");
	}

	@Test
	void aKilledTargetEndsItsOwnSessionsAndNoOthers() throws Exception {
		SysplexFixture f = new SysplexFixture(Files.createDirectories(dir.resolve("target")), 3)
				.write("VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA PORT 7000 7100 DESTIP ALL", true, null);
		IsolatedSysplex s = start(f.dir, List.of(7100));
		for (String sys : List.of("SYS1", "SYS2", "SYS3")) {
			assertEquals("serve echo 7000", s.command(sys, "serve echo 7000"));
		}
		// three sessions through the owner SYS1, one on each system, echoing every 50 ms for 6 s
		Held sessions = hold(s, f.dvipa(), 7000, 3, 6);
		assertEquals("HOLDING SYS1,SYS2,SYS3", sessions.holding());
		s.kill("SYS3");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		Map<String, Integer> spread;
		do {
			spread = count(ask(s, f.dvipa(), 7100, 4));
		} while (!spread.equals(Map.of("SYS1", 2, "SYS2", 2)) && System.nanoTime() < deadline);
		assertEquals(Map.of("SYS1", 2, "SYS2", 2), spread, "new connections avoid the killed target");
		List<String> held = sessions.end();
		trace.accept("sessions when the target SYS3 was killed: " + held);
		assertEquals(3, held.size(), held.toString());
		assertTrue(held.get(0).startsWith("CONN 0 SYS1 survived"), "the owner's own session is untouched: " + held);
		assertTrue(held.get(1).startsWith("CONN 1 SYS2 survived"), "the other target's session is untouched: " + held);
		assertTrue(held.get(2).startsWith("CONN 2 SYS3 failed"), "the killed target's session ends: " + held);
		assertTrue(trace.any("XCF link from SYS3 to SYS1 down"), "the owner saw the target's link end");
		assertFalse(trace.any("(taken over from"), "the DVIPA did not move: its owner SYS1 lives");
	}

	@Test
	void theOwnerKilledItsBackupTakesOverAndConnectionsThroughItSurvive() throws Exception {
		SysplexFixture f = new SysplexFixture(Files.createDirectories(dir.resolve("takeover")), 3)
				.write("VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA PORT 7000 7100 DESTIP ALL", true, null);
		IsolatedSysplex s = start(f.dir, List.of(7100));
		for (String sys : List.of("SYS1", "SYS2", "SYS3")) {
			assertEquals("serve echo 7000", s.command(sys, "serve echo 7000"));
		}
		// three sessions through the owner SYS1, one on each system (round robin), echoing every 50 ms
		Held sessions = hold(s, f.dvipa(), 7000, 3, 8);
		assertEquals("HOLDING SYS1,SYS2,SYS3", sessions.holding());
		long killed = System.nanoTime();
		s.kill("SYS1");
		// the first new connection after the owner's death: answered through SYS2, the backup of highest rank
		List<String> first;
		long deadline = killed + TimeUnit.SECONDS.toNanos(20);
		do {
			first = ask(s, f.dvipa(), 7100, 1);
		} while (first.get(0).startsWith("ERROR") && System.nanoTime() < deadline);
		long takeoverMs = (System.nanoTime() - killed) / 1_000_000;
		assertFalse(first.get(0).startsWith("ERROR"), "no new connection within 20 s of the owner's death: " + first);
		trace.accept("first new connection " + takeoverMs + " ms after the owner was killed (a client JVM's start included)");
		assertTrue(trace.any("[SYS2] trace SYS2 owns DVIPA " + f.dvipa() + " (taken over from SYS1)"), "SYS2 took it");
		// the targets report their servers to the new owner as they see it own the DVIPA (within moments)
		Map<String, Integer> spread;
		do {
			spread = count(ask(s, f.dvipa(), 7100, 4));
		} while (!spread.equals(Map.of("SYS2", 2, "SYS3", 2)) && System.nanoTime() < deadline);
		assertEquals(Map.of("SYS2", 2, "SYS3", 2), spread, "new connections go to both survivors and avoid SYS1");
		trace.accept("both survivors get new connections " + (System.nanoTime() - killed) / 1_000_000 + " ms after the "
				+ "owner was killed");
		List<String> held = sessions.end();
		assertEquals(3, held.size(), held.toString());
		assertTrue(held.get(0).startsWith("CONN 0 SYS1 failed"), "the killed system's session ends: " + held);
		assertTrue(held.get(1).startsWith("CONN 1 SYS2 survived"), "through the new owner, to itself: " + held);
		assertTrue(held.get(2).startsWith("CONN 2 SYS3 survived"), "through the new owner, to another target: " + held);
		trace.accept("sessions through the takeover: " + held);
		assertTrue(trace.any("established connection(s) of SYS3 routed to it again"), "relearned from the target");
	}

	@Test
	void anRseSessionAndADebugSessionThroughTheOwnerSurviveItsDeath() throws Exception {
		ExampleCopy.Copy c = ExampleCopy.of("two-systems", dir.resolve("survive"), 67, Map.of());
		Map<String, String> env = Map.of("PW", "isolated1");
		run(java("dev.sysplex.host.cli.Main", "user", "add", c.dir().toString(), "IBMUSER", "--password-env", "PW"), env);
		IsolatedSysplex s = start(c.dir(), List.of(6000));
		// SYSA owns the DVIPA (and is the DBM hub); the sessions are on SYSB, routed through SYSA's kernel
		ProcessBuilder pb = new ProcessBuilder(s.inClient(java(ClientTool.class.getName(), "rsedebug", c.dvipa(), "SYSA",
				c.dir().resolve("jobs/Payroll.java").toString()))).redirectErrorStream(true);
		pb.environment().putAll(env);
		Process tool = pb.start();
		java.io.BufferedReader said = new java.io.BufferedReader(new java.io.InputStreamReader(tool.getInputStream(),
				StandardCharsets.UTF_8));
		String ready = said.readLine();
		assertTrue(ready != null && ready.startsWith("READY rse=SYSB job=JOB") && ready.contains("@SYSB debug=SYSB:5302"),
				"an RSE session, a job and a linked debugger on SYSB: " + ready);
		long killed = System.nanoTime();
		s.kill("SYSA");
		trace.await("[SYSB] trace SYSB owns DVIPA " + c.dvipa());
		trace.accept("SYSB took the DVIPA over " + (System.nanoTime() - killed) / 1_000_000 + " ms after SYSA was killed");
		try (var in = tool.getOutputStream()) {
			in.write("GO\n".getBytes(StandardCharsets.US_ASCII));
		}
		List<String> after = java.util.Collections.synchronizedList(new ArrayList<>());
		Thread reader = Thread.ofPlatform().daemon().start(() -> {
			try {
				for (String line; (line = said.readLine()) != null;) {
					after.add(line);
				}
			} catch (IOException e) {
				after.add("(its output ended: " + e.getMessage() + ")");
			}
		});
		// the tool bounds its own waits (30 s each); this bounds the tool
		boolean ended = tool.waitFor(120, TimeUnit.SECONDS);
		if (!ended) {
			tool.destroyForcibly();
		}
		reader.join(5_000);
		assertTrue(ended, "the client tool did not end within 120 s: " + after);
		trace.accept("after the owner's death: " + after);
		String text = String.join("\n", after);
		assertTrue(text.contains("RSE survived on SYSB, job listed true"), "the RSE session goes on: " + text);
		assertTrue(text.contains("DEBUG survived: stopped at Payroll.java:13, total = 17900, ended true"),
				"the debug session goes on to a breakpoint and the job's end: " + text);
		assertTrue(text.contains("rc=0"), "the job ended well, told on the session: " + text);
	}

	@Test
	void newLogonsSucceedAfterTheOwnerIsKilled() throws Exception {
		ExampleCopy.Copy c = ExampleCopy.of("two-systems", dir.resolve("relogon"), 67, Map.of());
		Map<String, String> env = Map.of("PW", "isolated1");
		run(java("dev.sysplex.host.cli.Main", "user", "add", c.dir().toString(), "IBMUSER", "--password-env", "PW"), env);
		IsolatedSysplex s = start(c.dir(), List.of(6000));
		s.kill("SYSA");
		trace.await("[SYSB] trace SYSB owns DVIPA " + c.dvipa());
		// the client learns the new owner's address from its gratuitous ARP, sent just after: each try is a
		// connection of its own (refused or timed out at once), bounded
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (!ask(s, c.dvipa(), 6000, 1).equals(List.of("SYSB")) && System.nanoTime() < deadline) {
			// again
		}
		String text = String.join("\n", run(s.inClient(java("dev.sysplex.host.cli.Main", "login", "--host", c.dvipa(),
				"--user", "IBMUSER", "--password-env", "PW", "--count", "2", "--trust-new", "--known-servers", dir.resolve("known_servers").toString())), env));
		assertTrue(text.contains("2 succeeded, 2 encrypted") && text.matches("(?s).*SYSB\\s+2.*"), text);
	}

	@Test
	void withTheCouplingFacilityGoneTheSystemsKeepServingAndNewSysplexPortsWaitUntilItIsBack() throws Exception {
		SysplexFixture f = new SysplexFixture(Files.createDirectories(dir.resolve("nocf")), 2).write(
				"VIPADISTRIBUTE DEFINE SYSPLEXPORTS DISTMETHOD ROUNDROBIN DVIPA PORT 4035 7000 7100 DESTIP ALL", true, null)
				.rse("enable.dDVIPA=true\n", false);
		Map<String, String> env = Map.of("PW", "isolated1");
		run(java("dev.sysplex.host.cli.Main", "user", "add", f.dir.toString(), "IBMUSER", "--password-env", "PW"), env);
		IsolatedSysplex s = start(f.dir, List.of(7100));
		for (String sys : List.of("SYS1", "SYS2")) {
			s.command(sys, "serve echo 7000");
		}
		List<String> login = java("dev.sysplex.host.cli.Main", "login", "--host", f.dvipa(), "--user", "IBMUSER",
				"--password-env", "PW", "--count", "2", "--encryption", "disabled");
		assertTrue(String.join("\n", run(s.inClient(login), env)).contains("2 succeeded"), "logons before");
		Held sessions = hold(s, f.dvipa(), 7000, 2, 6);
		assertEquals("HOLDING SYS1,SYS2", sessions.holding());
		s.stopCouplingFacility();
		// what runs keeps running: new connections to distributed ports, both systems
		assertEquals(Map.of("SYS1", 2, "SYS2", 2), count(ask(s, f.dvipa(), 7100, 4)));
		// a logon needs a new SYSPLEXPORTS port for its server: it fails, and says why
		String without = String.join("\n", run(s.inClient(login), env));
		assertTrue(without.contains("0 succeeded"), without);
		assertTrue(without.contains("coupling facility"), "the reason reaches the user: " + without);
		trace.await("cannot read DVIPA ownership from etcd");
		List<String> held = sessions.end();
		assertTrue(held.stream().allMatch(l -> l.contains("survived")), "sessions held meanwhile: " + held);
		s.startCouplingFacility();
		trace.await("answers again");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		String back;
		do {
			back = String.join("\n", run(s.inClient(login), env));
		} while (!back.contains("2 succeeded") && System.nanoTime() < deadline);
		assertTrue(back.contains("2 succeeded"), "logons once it is back: " + back);
		assertFalse(trace.any("taken over from"), "the DVIPA stayed with its owner throughout");
	}

	@Test
	void anEtcdMemberOfThreeKilledGoesUnnoticed() throws Exception {
		ExampleCopy.Copy c = ExampleCopy.of("two-systems", dir.resolve("three"), 67, Map.of());
		Map<String, String> env = Map.of("PW", "isolated1");
		run(java("dev.sysplex.host.cli.Main", "user", "add", c.dir().toString(), "IBMUSER", "--password-env", "PW"), env);
		IsolatedSysplex s = IsolatedSysplex.start(SysplexConfig.load(c.dir()), List.of(6000), 3, Duration.ofSeconds(90),
				trace);
		started.add(s);
		assertTrue(trace.any("coupling facility etcd at http://198.18.255.1:2379,http://198.18.255.2:2379,"
				+ "http://198.18.255.3:2379"), "three members on the LAN");
		List<String> login = java("dev.sysplex.host.cli.Main", "login", "--host", c.dvipa(), "--user", "IBMUSER",
				"--password-env", "PW", "--count", "2", "--trust-new", "--known-servers", dir.resolve("known_servers")
						.toString());
		assertTrue(String.join("\n", run(s.inClient(login), env)).contains("2 succeeded"));
		s.stopCouplingFacilityMember(0); // the member every system talks to first
		Thread.sleep(3_000); // longer than the ownership lease: a lost renewal would move the DVIPA
		String after = String.join("\n", run(s.inClient(login), env));
		assertTrue(after.contains("2 succeeded"), "logons (SYSPLEXPORTS in etcd) go on: " + after);
		assertEquals(Map.of("SYSA", 2, "SYSB", 2), count(ask(s, c.dvipa(), 6000, 4)));
		assertFalse(trace.any("cannot read DVIPA ownership"), "no system noticed");
		assertFalse(trace.any("taken over from") || trace.any("has no owner"), "the DVIPA stayed with SYSA");
	}

	@Test
	void aJobOnOneSystemIsDebuggedFromASessionOnTheOtherAcrossProcesses() throws Exception {
		ExampleCopy.Copy c = ExampleCopy.of("two-systems", dir.resolve("debug"), 67, Map.of());
		Map<String, String> env = Map.of("PW", "isolated1", "SYSPLEX_HOST", c.dvipa(), "SYSPLEX_USER", "IBMUSER");
		run(java("dev.sysplex.host.cli.Main", "user", "add", c.dir().toString(), "IBMUSER", "--password-env", "PW"), env);
		IsolatedSysplex s = start(c.dir(), List.of());
		String known = dir.resolve("known_servers").toString();
		ProcessBuilder pb = new ProcessBuilder(s.inClient(java("dev.sysplex.host.cli.Main", "debug", "--next",
				"--password-env", "PW", "--trust-new", "--known-servers", known))).redirectErrorStream(true);
		pb.environment().putAll(env);
		Process debug = pb.start();
		java.io.BufferedReader debugOut = new java.io.BufferedReader(new java.io.InputStreamReader(
				debug.getInputStream(), StandardCharsets.UTF_8));
		String first = debugOut.readLine();
		assertTrue(first.startsWith("Logged on as IBMUSER to SYS"), first);
		String debuggerOn = first.substring("Logged on as IBMUSER to ".length(), first.indexOf(';'));
		// the next logon goes to the other system (round robin): the job runs there, in another process
		String submitted = String.join("\n", run(s.inClient(java("dev.sysplex.host.cli.Main", "submit", "Payroll.java",
				"--debug", "--password-env", "PW", "--known-servers", known)), env));
		assertTrue(submitted.contains("submitted: Payroll.java on SYS") && !submitted.contains(" on " + debuggerOn + " "),
				"on the other system: " + submitted);
		String port = null;
		List<String> said = new ArrayList<>();
		for (String line; port == null && (line = debugOut.readLine()) != null;) {
			said.add(line);
			java.util.regex.Matcher m = java.util.regex.Pattern.compile("Attach one debugger to 127.0.0.1:(\\d+)")
					.matcher(line);
			if (m.find()) {
				port = m.group(1);
			}
		}
		assertTrue(port != null, "the session reached the debugger's logon through the hub: " + said);
		Path jdb = Path.of(System.getProperty("java.home"), "bin", "jdb");
		Process attach = new ProcessBuilder(s.inClient(List.of(jdb.toString(), "-attach", "127.0.0.1:" + port)))
				.redirectErrorStream(true).start();
		StringBuilder jdbSaid = new StringBuilder();
		Thread.ofPlatform().daemon().start(() -> {
			try (var in = attach.getInputStream()) {
				for (int b; (b = in.read()) >= 0;) {
					synchronized (jdbSaid) {
						jdbSaid.append((char) b);
						jdbSaid.notifyAll();
					}
				}
			} catch (IOException e) {
				// jdb ended
			}
		});
		try (var in = attach.getOutputStream()) {
			awaitText(jdbSaid, "main[1]"); // attached, the job held at its entry, jdb at its prompt
			in.write("cont\n".getBytes(StandardCharsets.US_ASCII));
			in.flush();
			awaitText(jdbSaid, "The application exited");
		}
		assertTrue(attach.waitFor(30, TimeUnit.SECONDS));
		for (String line; (line = debugOut.readLine()) != null;) {
			said.add(line);
		}
		assertTrue(debug.waitFor(30, TimeUnit.SECONDS));
		String all = String.join("\n", said);
		assertTrue(all.contains("is stopped at its entry, Payroll.main line 8"), "stopped at entry (the job list of "
				+ "the other system, through the coupling facility, names its class): " + all + "\njdb: " + jdbSaid);
		// the job's end: told on the debugger's session on the other system, read from the job's system's
		// spool entry in the coupling facility
		assertTrue(all.contains(" ended: ENDED rc=0; the debug session is over."), all);
		String jobs = String.join("\n", run(s.inClient(java("dev.sysplex.host.cli.Main", "jobs", "--password-env", "PW",
				"--known-servers", known)), env));
		assertTrue(jobs.contains("Payroll.java") && jobs.contains("ENDED"), "any session lists it: " + jobs);
	}

	@Test
	void aProgramOnTheLanCannotRouteTheDvipasPorts() throws Exception {
		ExampleCopy.Copy c = ExampleCopy.of("two-systems", dir.resolve("rogue"), 67, Map.of());
		IsolatedSysplex s = start(c.dir(), List.of(6000));
		String xcf = c.address(1); // SYSA, the owner: its XCF address is its own
		// from the client namespace, claiming to be SYSB: the address gives it away
		List<String> fromClient = run(s.inClient(java(ClientTool.class.getName(), "xcf", xcf, String.valueOf(s.xcfPort()),
				"SYSB", c.dvipa())), Map.of());
		assertEquals("challenge XCF-CHALLENGE", fromClient.get(0), fromClient.toString());
		assertTrue(fromClient.get(1).startsWith("XCF-FAILED refused: it comes from " + s.clientAddress()), fromClient
				.toString());
		// from SYSB's own namespace (a job of SYSB's, say), without the sysplex key: the proof gives it away
		List<String> fromJob = run(s.inSystem("SYSB", java(ClientTool.class.getName(), "xcf", xcf, String.valueOf(
				s.xcfPort()), "SYSB", c.dvipa())), Map.of());
		assertTrue(fromJob.get(1).contains("does not verify under the sysplex key"), fromJob.toString());
		for (List<String> r : List.of(fromClient, fromJob)) {
			assertTrue(r.get(2).startsWith("after closed") || r.get(2).startsWith("after ERROR"), "nothing routed: " + r);
		}
		// and the distribution is as before
		assertEquals(Map.of("SYSA", 2, "SYSB", 2), count(ask(s, c.dvipa(), 6000, 4)));
	}

	@Test
	void theDemoRunsIsolatedWithItsClientInTheClientNamespace() throws Exception {
		ExampleCopy.Copy c = ExampleCopy.of("two-systems", dir.resolve("demo"), 67, Map.of());
		Path tmp = Files.createDirectories(dir.resolve("demo-tmp"));
		List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
				"-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), "dev.sysplex.host.cli.Main", "demo",
				"--isolated", "--quiet", "--sysplex", c.dir().toString()));
		List<String> lines = run(cmd, Map.of());
		String text = String.join("\n", lines);
		trace.accept("demo --isolated:\n" + text);
		assertTrue(text.contains("Demo passed: all ten steps done."), text);
		for (int step = 1; step <= 10; step++) {
			assertTrue(text.contains(String.format("[%2d] ", step)), "step " + step + ": " + text);
		}
		assertTrue(text.contains("started isolated: 2 systems"), text);
		// the job ran in the other system's process, and its session reached the client through the hub
		java.util.regex.Matcher home = java.util.regex.Pattern.compile("routed the logon to (SYS[AB])").matcher(text);
		assertTrue(home.find(), text);
		String other = home.group(1).equals("SYSA") ? "SYSB" : "SYSA";
		assertTrue(text.contains("runs on " + other + ", not on " + home.group(1)), text);
		assertTrue(text.contains("the hub passed the session"), text);
		assertTrue(text.contains("Stopped at Payroll.java:13, total = 17900") && text.contains("with rc=0"), text);
		assertTrue(text.contains("Job output: Payroll total: 17900 (read by a logon to " + other + ")"), text);
		try (var left = Files.list(tmp)) {
			assertEquals(List.of(), left.toList(), "the demo's copy of the sysplex is removed");
		}
	}

	@Test
	void aStoppedIsolatedSysplexLeavesNothingBehind() throws Exception {
		ExampleCopy.Copy c = ExampleCopy.of("two-systems", dir.resolve("stop"), 67, Map.of());
		List<String> linksBefore = run(List.of("ip", "-o", "link"), Map.of());
		List<String> netnsBefore = run(List.of("ip", "netns", "list"), Map.of());
		IsolatedSysplex s = IsolatedSysplex.start(SysplexConfig.load(c.dir()), List.of(6000), Duration.ofSeconds(90),
				trace);
		List<ProcessHandle> processes;
		try {
			processes = s.processes();
			assertTrue(processes.size() >= 5, "holders, etcd and systems: " + processes);
			assertEquals(linksBefore, run(List.of("ip", "-o", "link"), Map.of()), "no interface in the machine's namespace");
			assertTrue(Files.exists(c.dir().resolve(IsolatedSysplex.STATE)));
		} finally {
			s.close();
		}
		for (ProcessHandle p : processes) {
			assertFalse(p.isAlive(), "still running after the stop: " + p.pid() + " " + p.info().commandLine().orElse(""));
		}
		assertFalse(Files.exists(c.dir().resolve(IsolatedSysplex.STATE)), "the run's state file is removed");
		assertEquals(netnsBefore, run(List.of("ip", "netns", "list"), Map.of()), "no named namespace was added");
		assertEquals(linksBefore, run(List.of("ip", "-o", "link"), Map.of()));
	}

	@Test
	void withoutRootTheCommandSaysWhatIsMissingAndChangesNothing() throws Exception {
		ExampleCopy.Copy c = ExampleCopy.of("two-systems", dir.resolve("user"), 67, Map.of());
		var parentBefore = Files.getPosixFilePermissions(dir.getParent());
		// an unprivileged user must be able to read the directory and the classes, as on any machine: the
		// test's own directories only (never their parent, the machine's /tmp)
		for (Path p = c.dir(); p != null && p.startsWith(dir); p = p.getParent()) {
			Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		List<String> linksBefore = run(List.of("ip", "-o", "link"), Map.of());
		// the project's classes, where that user can read them (a clone may be under a private home)
		List<String> classPath = new ArrayList<>();
		int n = 0;
		for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
			Path from = Path.of(entry);
			if (Files.isRegularFile(from) && from.getFileName().toString().startsWith("dev.sysplex")) {
				Path to = dir.resolve("classes-" + n++ + ".jar");
				Files.copy(from, to);
				Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
				classPath.add(to.toString());
			} else if (Files.isDirectory(from) && Files.exists(from.resolve("dev/sysplex"))) {
				Path to = dir.resolve("classes-" + n++);
				try (var files = Files.walk(from)) {
					for (Path f : files.toList()) {
						Path t = to.resolve(from.relativize(f).toString());
						if (Files.isDirectory(f)) {
							Files.createDirectories(t);
						} else {
							Files.copy(f, t);
						}
					}
				}
				try (var files = Files.walk(to)) {
					for (Path f : files.toList()) {
						Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString(
								Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
					}
				}
				classPath.add(to.toString());
			}
		}
		List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
				ProcessHandle.current().info().command().orElseThrow(), "-cp", String.join(java.io.File.pathSeparator,
						classPath), "dev.sysplex.host.cli.Main", "start", c.dir().toString(), "--isolated", "--for", "5"));
		ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
		Process p = pb.start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(60, TimeUnit.SECONDS));
		assertEquals(2, p.exitValue(), out);
		assertTrue(out.contains("this machine lacks what it needs") && out.contains("root: the isolated mode makes network "
				+ "namespaces"), out);
		assertTrue(out.contains("Nothing was changed") && out.contains("(without --isolated) runs the same sysplex"), out);
		assertFalse(Files.exists(c.dir().resolve(IsolatedSysplex.STATE)));
		assertEquals(linksBefore, run(List.of("ip", "-o", "link"), Map.of()));
		assertEquals(parentBefore, Files.getPosixFilePermissions(dir.getParent()), "the machine's " + dir.getParent()
				+ " is left as it was");
	}
}
