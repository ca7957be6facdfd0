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
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.host.testing.TestPaths;

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
	void startWithABadDirectoryReportsTheErrorsAndStartsNothing() throws IOException {
		Files.writeString(dir.resolve("sysplex.conf"), "SYSTEM NAME(SYSA) SYSCLONE(0A) ADDRESS(999.0.0.1)\n");
		Run r = run("start", dir.toString(), "--for", "1");
		assertEquals(2, r.code());
		assertTrue(r.err().contains("sysplex.conf:1:32: error: found ADDRESS(999.0.0.1)"), r.err());
		assertTrue(r.err().contains("was not started"), r.err());
	}

	/**
	 * The shipped two-system example, moved to addresses of its own so a running example does not
	 * clash; without the run-time state a run of the example leaves behind (var/, security/).
	 */
	private Path exampleCopy() throws IOException {
		Path src = TestPaths.examples().resolve("two-systems");
		try (Stream<Path> files = Files.walk(src)) {
			for (Path p : files.toList()) {
				Path rel = src.relativize(p);
				if (rel.startsWith("var") || rel.startsWith("security")) {
					continue;
				}
				Path target = dir.resolve(src.relativize(p).toString());
				if (Files.isDirectory(p)) {
					Files.createDirectories(target);
				} else {
					// the example distributes 6000 for the README's whoami servers
					Files.writeString(target, Files.readString(p).replace("127.0.10.", "127.65.10."));
				}
			}
		}
		return dir;
	}

	@Test
	void startRunsTheExampleAndProbeSeesRoundRobin() throws Exception {
		Path example = exampleCopy();
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
		assertTrue(shown.contains("DVIPA 127.65.10.100 owned by SYSA"), shown);
		assertTrue(shown.contains("listening: WHOAMI on SYSB at 127.65.10.100:6000 (DVIPA)"), shown);
		Run probe = run("probe", "--host", "127.65.10.100", "--port", "6000", "--count", "4");
		assertEquals(0, probe.code(), probe.err());
		assertEquals("SYSA     2\nSYSB     2\n", probe.out());
		assertEquals(0, started.get());
		assertTrue(out.toString(StandardCharsets.UTF_8).contains("Sysplex PLEX1 stopped."));
		Run refused = run("probe", "--host", "127.65.10.100", "--port", "6000", "--count", "1");
		assertEquals(1, refused.code());
		assertTrue(refused.err().contains("refused: nothing listens there"), refused.err());
	}
}
