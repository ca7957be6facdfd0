package dev.sysplex.host.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import dev.sysplex.host.Sysplex;

/**
 * The host's trace of one test (every event of the loop: DBM, hub, Debug Miner, job runner): a
 * tracer for {@link Sysplex#addTracer}, waits on it that the tracer wakes, and, registered as a
 * JUnit extension, the whole trace printed when the test fails (which step went where).
 */
public final class HostTrace implements Consumer<String>, TestWatcher {

	private final List<String> lines = new CopyOnWriteArrayList<>();

	@Override
	public void accept(String line) {
		synchronized (lines) {
			lines.add(line);
			lines.notifyAll();
		}
	}

	public Stream<String> stream() {
		return lines.stream();
	}

	public boolean any(String text) {
		return lines.stream().anyMatch(l -> l.contains(text));
	}

	/** Waits until the host traced a line containing {@code text}: woken by the tracer, bounded by 20 s. */
	public void await(String text) throws InterruptedException {
		await(0, l -> l.contains(text), "'" + text + "'", java.time.Duration.ofSeconds(20));
	}

	/** How many lines were traced so far: where a later {@link #await(int, Predicate, String, java.time.Duration)} starts. */
	public int size() {
		return lines.size();
	}

	/**
	 * Waits until a line from index {@code from} on matches, at most {@code timeout}, woken by the
	 * tracer; returns that line's index (the next wait for something later starts after it).
	 */
	public int await(int from, Predicate<String> match, String what, java.time.Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (lines) {
			for (int i = from;; i++) {
				while (i >= lines.size()) {
					long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
					assertTrue(left > 0, "the host never traced " + what + " within " + timeout.toSeconds() + " s");
					lines.wait(left);
				}
				if (match.test(lines.get(i))) {
					return i;
				}
			}
		}
	}

	/**
	 * Waits (bounded, 20 s) until the operator display of a system's Debug Manager shows {@code text}.
	 * The display is what an operator polls; the DBM raises no event for these states, so this polls it too.
	 */
	public static void awaitDisplay(Sysplex s, String system, String text) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (!s.dbm(system).orElseThrow().display().contains(text)) {
			assertTrue(System.nanoTime() < deadline, "the display of " + system + " never showed '" + text + "':\n"
					+ s.dbm(system).orElseThrow().display());
			Thread.sleep(20);
		}
	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		lines.forEach(line -> System.err.println("host trace: " + line));
	}

	@Override
	public String toString() {
		return lines.toString();
	}
}
