package dev.sysplex.host.jobs;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.sysplex.protocol.Rse;

/**
 * Tells this system of the ends of jobs on the other systems (the isolated mode, where each system
 * is a process with a job runner of its own): reads the spool's list every {@code period} and
 * hands {@code ended} the user and the notice fields (job, system, state, rc) of each job it sees
 * end, as JES2 tells a user's TSO session on any system of the MAS that a job ended. A job that
 * had ended before the first read is history, not news: it is not told. While the spool cannot be
 * read, it says so once and tells what ended when it can again.
 */
public final class SpoolWatch implements AutoCloseable {

	private static final Set<String> ENDS = Set.of(JobRunner.State.ENDED.name(), JobRunner.State.CANCELED.name(),
			JobRunner.State.FAILED.name());

	private final Spool spool;
	private final String system;
	private final BiConsumer<String, Map<String, String>> ended;
	private final Consumer<String> trace;
	private final Map<String, String> states = new HashMap<>();
	private final Thread thread;
	private boolean first = true;
	private boolean unreadable;

	public SpoolWatch(Spool spool, String system, Duration period, BiConsumer<String, Map<String, String>> ended,
			Consumer<String> trace) {
		this.spool = spool;
		this.system = system;
		this.ended = ended;
		this.trace = trace;
		this.thread = Thread.ofPlatform().daemon().name("spool-watch-" + system).start(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				readOnce();
				try {
					Thread.sleep(period.toMillis());
				} catch (InterruptedException e) {
					return;
				}
			}
		});
	}

	/** One read of the other systems' jobs: what ended since the last read is told. */
	synchronized void readOnce() {
		java.util.List<Spool.Listed> jobs;
		try {
			jobs = spool.allOthers(system);
		} catch (IOException | RuntimeException e) { // an unreadable answer too: the watch goes on
			if (!unreadable) {
				trace.accept("Job runner: cannot read the other systems' jobs (" + e.getMessage()
						+ "): the ends of their jobs are told to sessions here when it can again");
				unreadable = true;
			}
			return;
		}
		if (unreadable) {
			trace.accept("Job runner: the other systems' jobs can be read again");
			unreadable = false;
		}
		for (Spool.Listed j : jobs) {
			String[] f = j.line().split(" "); // ID PROGRAM SYSTEM STATE [rc=N]
			String before = states.put(f[0], f[3]);
			if (!first && ENDS.contains(f[3]) && (before == null || !ENDS.contains(before))) {
				Map<String, String> fields = new LinkedHashMap<>();
				fields.put(Rse.F_JOB, f[0]);
				fields.put(Rse.F_SYSTEM, f[2]);
				fields.put(Rse.F_STATE, f[3]);
				if (f.length > 4 && f[4].startsWith("rc=")) {
					fields.put(Rse.F_RC, f[4].substring(3));
				}
				ended.accept(j.user(), fields);
			}
		}
		first = false;
	}

	@Override
	public void close() {
		thread.interrupt();
	}
}
