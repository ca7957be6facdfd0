package dev.sysplex.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.host.testing.ExampleCopy;

class MainTest {

	@TempDir
	Path dir;

	private record Run(int code, String out, String err) {
	}

	private static Run run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@Test
	void everySubcommandHasHelpAndBadArgumentsExitWithTwo() {
		for (Command c : Main.COMMANDS) {
			Run help = run(c.name(), "--help");
			assertEquals(0, help.code());
			assertTrue(help.out().startsWith("Usage: ./sysplex " + c.name()), help.out());
			Run bad = run(c.name(), "--no-such-option");
			assertEquals(2, bad.code(), c.name());
			assertTrue(bad.err().contains("unknown option --no-such-option") && bad.err().contains("--help"), bad.err());
		}
		assertEquals(2, run().code());
		assertEquals(2, run("frobnicate").code());
		assertEquals(0, run("--help").code());
	}

	@Test
	void theDemoPassesItsTenStepsOnACopyOfTheExample() throws IOException {
		ExampleCopy.Copy c = ExampleCopy.of("two-systems", dir.resolve("demo"), 69, java.util.Map.of());
		Run r = run("demo", "--quiet", "--sysplex", c.dir().toString());
		assertEquals(0, r.code(), r.out() + r.err());
		// the job runs on the other system than the logon's, and the hub hands its session over
		java.util.regex.Matcher six = java.util.regex.Pattern.compile("\\[ 6\\] .*: JOB\\d+ runs on (SYS[AB]), not on (SYS[AB])\n")
				.matcher(r.out());
		assertTrue(six.find() && !six.group(1).equals(six.group(2)), r.out());
		assertTrue(r.out().contains("[ 8] DEMO is not registered on " + six.group(1) + ": the hub passed the session"),
				r.out());
		assertTrue(r.out().contains("[10] debugger connected to " + c.dvipa() + ":530"), r.out());
		assertTrue(r.out().contains("total = 17900") && r.out().contains("Job output: Payroll total: 17900"), r.out());
		assertTrue(r.out().endsWith("Demo passed: all ten steps done.\n"), r.out());
	}

	@Test
	void startWithABadDirectoryReportsTheErrorsAndStartsNothing() throws IOException {
		Files.writeString(dir.resolve("sysplex.conf"), "SYSTEM NAME(SYSA) SYSCLONE(0A) ADDRESS(999.0.0.1)\n");
		Run r = run("start", dir.toString(), "--for", "1");
		assertEquals(2, r.code());
		assertTrue(r.err().contains("sysplex.conf:1:32: error [conf-syntax] found ADDRESS(999.0.0.1)"), "with the id check uses: " + r.err());
		assertTrue(r.err().contains("was not started"), r.err());
	}

	@Test
	void startRunsTheExampleAndProbeSeesRoundRobin() throws Exception {
		// the shipped example on an address range of its own (it distributes 6000 for the README's whoami)
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir, 65, java.util.Map.of());
		Path example = copy.dir();
		String dvipa = copy.dvipa();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
		CompletableFuture<Integer> started = CompletableFuture.supplyAsync(() -> Main.run(
				List.of("start", example.toString(), "--whoami", "6000", "--for", "3"), ps, ps));
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (!out.toString(StandardCharsets.UTF_8).contains("Running.") && !started.isDone()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("sysplex did not start: " + out);
			}
			Thread.onSpinWait();
		}
		String shown = out.toString(StandardCharsets.UTF_8);
		assertTrue(shown.contains("DVIPA " + dvipa + " owned by SYSA"), shown);
		assertTrue(shown.contains("listening: WHOAMI on SYSB at " + dvipa + ":6000 (DVIPA)"), shown);
		Run probe = run("probe", "--host", dvipa, "--port", "6000", "--count", "4");
		assertEquals(0, probe.code(), probe.err());
		assertEquals("SYSA     2\nSYSB     2\n", probe.out());
		assertEquals(0, started.get());
		assertTrue(out.toString(StandardCharsets.UTF_8).contains("Sysplex PLEX1 stopped."));
		Run refused = run("probe", "--host", dvipa, "--port", "6000", "--count", "1");
		assertEquals(1, refused.code());
		assertTrue(refused.err().contains("refused: nothing listens there"), refused.err());
	}

	/** --coupling-facility etcd: an etcd of the run's own, named in the output, gone when the sysplex stops. */
	@Test
	void startOnACouplingFacilityOfEtcdStartsItsOwnEtcdAndStopsIt() throws Exception {
		Run bad = run("start", dir.toString(), "--coupling-facility", "zookeeper");
		assertEquals(2, bad.code());
		assertTrue(bad.err().contains("--coupling-facility expects memory, etcd or etcd=http://HOST:PORT"), bad.err());
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir, 66, java.util.Map.of());
		Run nothing = run("start", copy.dir().toString(), "--coupling-facility", "etcd=http://127.0.0.1:1", "--for", "1");
		assertEquals(2, nothing.code());
		assertTrue(nothing.err().contains("etcd at http://127.0.0.1:1 does not answer its health check"), nothing.err());
		if (dev.sysplex.host.cf.EtcdServer.binary().isEmpty()) {
			assertTrue(!"true".equals(System.getenv("CI")), "etcd is not installed: ./build test installs etcd-server");
			org.junit.jupiter.api.Assumptions.abort("etcd is not installed (apt-get install etcd-server)");
		}
		Run r = run("start", copy.dir().toString(), "--coupling-facility", "etcd", "--for", "2");
		assertEquals(0, r.code(), r.err());
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("Coupling facility: etcd at http://127\\.0\\.0\\.1:\\d+ "
				+ "\\(pid (\\d+), data ").matcher(r.out());
		assertTrue(m.find(), r.out());
		assertTrue(r.out().contains("EZBEPORT under /sysplex/PLEX1/"), r.out());
		assertTrue(r.out().contains("Sysplex PLEX1 stopped."), r.out());
		long pid = Long.parseLong(m.group(1));
		assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "the run's etcd (pid " + pid + ") ended with it");
	}
}
