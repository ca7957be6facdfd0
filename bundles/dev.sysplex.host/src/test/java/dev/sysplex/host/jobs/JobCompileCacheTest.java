package dev.sysplex.host.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.host.Sysplex;
import dev.sysplex.host.testing.ExampleCopy;

/**
 * A program is compiled once per version for the whole sysplex (var/classes), also when two jobs
 * of a new version start at once; a program that does not compile leaves nothing behind; a job
 * canceled by the runner ends CANCELED with its JVM gone.
 */
class JobCompileCacheTest {

	@TempDir
	Path dir;

	private static String program(String version) {
		return "public class Versioned { public static void main(String[] a) { System.out.println(\"version "
				+ version + "\"); } }\n";
	}

	private static List<Path> kept(Path sysplexDir) throws Exception {
		Path cache = sysplexDir.resolve("var/classes");
		if (!Files.isDirectory(cache)) {
			return List.of();
		}
		try (var list = Files.list(cache)) {
			return list.toList();
		}
	}

	private static String run(Sysplex s, String system) throws Exception {
		JobRunner.Job job = s.jobs().submit("ALICE", "Versioned.java", List.of(), "", Optional.of(system));
		job.awaitEnd(Duration.ofSeconds(60));
		assertEquals(0, job.rc().orElseThrow(), job.toString());
		return Files.readString(job.output()).strip() + " | " + Files.readString(job.output().resolveSibling("javac.txt"));
	}

	@Test
	void aProgramIsCompiledOncePerVersionForEverySystem() throws Exception {
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir, 72, Map.of());
		Path source = copy.dir().resolve("jobs/Versioned.java");
		Files.writeString(source, program("1"));
		try (Sysplex s = Sysplex.start(copy.dir())) {
			String first = run(s, "SYSA");
			assertTrue(first.startsWith("version 1 | ") && !first.contains("compiled before"), first);
			String second = run(s, "SYSB");
			assertTrue(second.startsWith("version 1 | compiled before: "), "the other system uses the same classes: " + second);
			assertEquals(1, kept(copy.dir()).size(), kept(copy.dir()).toString());

			Files.writeString(source, program("2"));
			String changed = run(s, "SYSA");
			assertTrue(changed.startsWith("version 2 | ") && !changed.contains("compiled before"), "a new version compiles: " + changed);
			assertEquals(2, kept(copy.dir()).size());
		}
	}

	@Test
	void twoJobsOfANewVersionAtOnceCompileItOnce() throws Exception {
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir, 72, Map.of());
		Files.writeString(copy.dir().resolve("jobs/Versioned.java"), program("together"));
		try (Sysplex s = Sysplex.start(copy.dir()); ExecutorService pool = Executors.newFixedThreadPool(2)) {
			Callable<String> a = () -> run(s, "SYSA");
			Callable<String> b = () -> run(s, "SYSB");
			List<Future<String>> both = pool.invokeAll(List.of(a, b));
			List<String> results = List.of(both.get(0).get(), both.get(1).get());
			assertEquals(1, results.stream().filter(r -> r.contains("compiled before")).count(),
					"one compiled, the other waited for it: " + results);
			results.forEach(r -> assertTrue(r.startsWith("version together"), r));
			assertEquals(1, kept(copy.dir()).size(), "no half-written version is left: " + kept(copy.dir()));
		}
	}

	@Test
	void aProgramThatDoesNotCompileLeavesNothingAndItsFixCompiles() throws Exception {
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir, 72, Map.of());
		Path source = copy.dir().resolve("jobs/Versioned.java");
		Files.writeString(source, "public class Versioned { int x = ; }\n");
		try (Sysplex s = Sysplex.start(copy.dir())) {
			java.io.IOException e = assertThrows(java.io.IOException.class,
					() -> s.jobs().submit("ALICE", "Versioned.java", List.of(), "", Optional.of("SYSA")));
			assertTrue(e.getMessage().contains("compiling Versioned.java failed"), e.getMessage());
			assertEquals(List.of(), kept(copy.dir()), "a failed compile is not kept");
			Files.writeString(source, program("fixed"));
			assertTrue(run(s, "SYSA").startsWith("version fixed"));
		}
	}

	@Test
	void aCanceledJobEndsCanceledWithItsJvmGone() throws Exception {
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir, 72, Map.of());
		Files.writeString(copy.dir().resolve("jobs/Forever.java"), """
				public class Forever {
					public static void main(String[] a) throws Exception {
						System.out.println("started");
						Thread.sleep(600_000);
					}
				}
				""");
		try (Sysplex s = Sysplex.start(copy.dir())) {
			JobRunner.Job job = s.jobs().submit("ALICE", "Forever.java", List.of(), "", Optional.of("SYSB"));
			long pid = job.pid().orElseThrow();
			assertTrue(s.jobs().cancel(job, "by the test"));
			job.awaitEnd(Duration.ofSeconds(30));
			assertEquals(JobRunner.State.CANCELED, job.state());
			assertEquals(Optional.empty(), job.rc(), "a canceled job has no return code");
			assertEquals(Optional.of("by the test"), job.cancelReason());
			assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "its JVM is gone");
			assertTrue(Files.readString(job.output()).contains(job.id() + " CANCELED by the test"),
					Files.readString(job.output()));
			assertFalse(s.jobs().cancel(job, "again"), "an ended job is not canceled twice");
		}
	}
}
