package dev.sysplex.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.host.testing.TestPaths;

/**
 * The ./sysplex wrapper as a fresh clone meets it: two commands started at once compile once and
 * both run; the start-up cache appears afterwards, made in the background, with nothing of its
 * making left behind; a warm start compiles nothing; a changed source compiles again. On a copy of
 * the files the wrapper reads, with this test's JDK.
 */
class SysplexScriptTest {

	private static final String COMPILING = "compiling the host side";

	@TempDir
	Path dir;

	private record Run(int rc, String out, String err) {
	}

	@Test
	void twoFirstUsesAtOnceCompileOnceAndTheCacheFollowsInTheBackground() throws Exception {
		Path repo = TestPaths.examples().getParent();
		Path clone = dir.resolve("clone");
		copyTree(repo.resolve("releng/scripts"), clone.resolve("releng/scripts"));
		for (String b : List.of("protocol", "client", "config", "host")) {
			copyTree(repo.resolve("bundles/dev.sysplex." + b + "/src/main/java"),
					clone.resolve("bundles/dev.sysplex." + b + "/src/main/java"));
		}
		SysplexDirectories.copy(repo.resolve("examples/two-systems"), clone.resolve("examples/two-systems"));
		Files.copy(repo.resolve("sysplex"), clone.resolve("sysplex"));

		Process a = start(clone, "version");
		Process b = start(clone, "version");
		Run first = finish(a);
		Run second = finish(b);
		assertEquals(0, first.rc(), first.toString());
		assertEquals(0, second.rc(), second.toString());
		assertTrue(first.out().startsWith("Sysplex Explorer ") && second.out().startsWith("Sysplex Explorer "), first + " " + second);
		assertEquals(1, count(first.err() + second.err(), COMPILING), "compiled once: " + first + " " + second);

		// the cache, made in the background after the compile, moved in whole
		Path cli = clone.resolve("target/sysplex-cli");
		String cache = Runtime.version().feature() >= 25 ? "sysplex.aot" : "sysplex.jsa";
		awaitCache(cli, cache);

		Run warm = finish(start(clone, "check", "examples/two-systems"));
		assertEquals(0, warm.rc(), warm.toString());
		assertFalse(warm.err().contains(COMPILING), "a warm start compiles nothing: " + warm);
		assertTrue(warm.out().contains("0 errors, 0 warnings"), warm.toString());

		// a source newer than the build compiles again
		Path source = clone.resolve("bundles/dev.sysplex.host/src/main/java/dev/sysplex/host/cli/Main.java");
		Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(5)));
		Run again = finish(start(clone, "version"));
		assertEquals(0, again.rc(), again.toString());
		assertEquals(1, count(again.err(), COMPILING), again.toString());
		awaitCache(cli, cache); // made again for the new jar (and done before the directory is removed)
	}

	/** Waits (90 s at most) for a cache at least as new as the jar, with nothing of its making left. */
	private static void awaitCache(Path cli, String cache) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
		while (!(made(cli, cache) && leftovers(cli, cache).isEmpty()) && System.nanoTime() < deadline) {
			Thread.sleep(200);
		}
		assertTrue(made(cli, cache), cache + " was not made within 90 s: " + list(cli));
		assertEquals(List.of(), leftovers(cli, cache), "nothing of the cache's making is left");
	}

	private static boolean made(Path cli, String cache) throws IOException {
		Path c = cli.resolve(cache);
		return Files.isRegularFile(c) && Files.getLastModifiedTime(c).compareTo(
				Files.getLastModifiedTime(cli.resolve("sysplex.jar"))) >= 0;
	}

	private static Process start(Path clone, String... args) throws IOException {
		List<String> cmd = new ArrayList<>(List.of("bash", clone.resolve("sysplex").toString()));
		cmd.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(cmd).directory(clone.toFile());
		pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
		return pb.start();
	}

	private static Run finish(Process p) throws Exception {
		// both pipes read on threads of their own: a full stderr pipe must not stall the command
		var out = new java.util.concurrent.CompletableFuture<String>();
		var err = new java.util.concurrent.CompletableFuture<String>();
		Thread.ofVirtual().start(() -> out.complete(read(p.getInputStream())));
		Thread.ofVirtual().start(() -> err.complete(read(p.getErrorStream())));
		if (!p.waitFor(180, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			throw new AssertionError("./sysplex did not end within 180 s");
		}
		return new Run(p.exitValue(), out.get(30, TimeUnit.SECONDS), err.get(30, TimeUnit.SECONDS));
	}

	private static String read(java.io.InputStream in) {
		try (in) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		} catch (IOException e) {
			return "(unreadable: " + e + ")";
		}
	}

	private static int count(String text, String part) {
		int n = 0;
		for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
			n++;
		}
		return n;
	}

	private static List<String> leftovers(Path cli, String cache) throws IOException {
		return list(cli).stream().filter(n -> n.startsWith(cache + ".")).toList();
	}

	private static List<String> list(Path d) throws IOException {
		if (!Files.isDirectory(d)) {
			return List.of();
		}
		try (Stream<Path> s = Files.list(d)) {
			return s.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> files = Files.walk(from, FileVisitOption.FOLLOW_LINKS)) {
			for (Path p : files.toList()) {
				Path t = to.resolve(from.relativize(p).toString());
				if (Files.isDirectory(p)) {
					Files.createDirectories(t);
				} else {
					Files.copy(p, t);
				}
			}
		}
	}
}
