package dev.sysplex.host;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.sysplex.host.jobs.JobRunner;
import dev.sysplex.host.rse.RseDaemon;
import dev.sysplex.protocol.Message;
import dev.sysplex.protocol.Rse;
import dev.sysplex.protocol.Rse.Status;

/** The job commands of an RSE session (SUBMIT, JOBS, OUTPUT, CANCEL), served by the sysplex's job runner. */
final class JobService implements RseDaemon.JobService {

	/**
	 * The encoded size an answer may have: the frame limit with room to spare, since output is
	 * measured in characters and a character may take up to 6 bytes once encoded and escaped.
	 */
	static final int ANSWER_BUDGET = Rse.MAX_FRAME - 1024;

	private final JobRunner runner;
	private final String system;

	JobService(JobRunner runner, String system) {
		this.runner = runner;
		this.system = system;
	}

	@Override
	public Message handle(String user, Message m) {
		try {
			return switch (m.type()) {
			case Rse.SUBMIT -> {
				String args = m.get(Rse.F_ARGS).orElse("").strip();
				JobRunner.Job job = runner.submit(user, m.require(Rse.F_PROGRAM),
						args.isEmpty() ? List.of() : Arrays.asList(args.split("\\s+")), m.get(Rse.F_OPTIONS).orElse(""),
						m.get(Rse.F_AFFINITY).filter(a -> !a.isBlank()));
				yield Message.of(Rse.SUBMITTED).with(Rse.F_JOB, job.id()).with(Rse.F_SYSTEM, job.system())
						.with(Rse.F_STATE, job.state()).build();
			}
			case Rse.JOBS -> {
				List<String> jobs = new java.util.ArrayList<>(runner.jobs(user).stream().map(JobRunner::line).toList());
				if (runner.spool().isPresent()) { // the isolated mode: the user's jobs on the other systems too
					try {
						jobs.addAll(runner.spool().get().others(user, system));
						jobs.sort(java.util.Comparator.comparing(l -> l.split(" ")[0]));
					} catch (IOException e) {
						yield failed("the job list of the other systems cannot be read from the coupling facility: "
								+ e.getMessage() + "; this system's jobs are listed by a session on it");
					}
				}
				// the newest that fit one frame, oldest of them first
				int first = jobs.size();
				for (int size = 64; first > 0; first--) {
					size += jobs.get(first - 1).length() * 3 + 16;
					if (size > ANSWER_BUDGET) {
						break;
					}
				}
				List<String> listed = jobs.subList(first, jobs.size());
				Message.Builder b = Message.of(Rse.JOBLIST).with(Rse.F_COUNT, listed.size()).with(Rse.F_TOTAL,
						jobs.size());
				for (int i = 0; i < listed.size(); i++) {
					b.with("job." + i, listed.get(i));
				}
				yield b.build();
			}
			case Rse.OUTPUT -> {
				String id = m.require(Rse.F_JOB);
				Optional<JobRunner.Job> job = runner.job(id).filter(j -> j.user().equalsIgnoreCase(user));
				if (job.isEmpty()) {
					yield failed("no job " + id + " of " + user + elsewhere(user, id));
				}
				String all = runner.output(job.get(), Integer.MAX_VALUE);
				long asked = m.get(Rse.F_FROM).isPresent() ? m.requireInt(Rse.F_FROM, 0, Integer.MAX_VALUE) : -1;
				yield piece(id, job.get(), all, asked);
			}
			case Rse.CANCEL -> {
				String id = m.require(Rse.F_JOB);
				Optional<JobRunner.Job> job = runner.job(id).filter(j -> j.user().equalsIgnoreCase(user));
				if (job.isEmpty()) {
					yield failed("no job " + id + " of " + user + " (a user cancels only their own jobs)"
							+ elsewhere(user, id));
				}
				boolean canceled = runner.cancel(job.get(), "by " + user.toUpperCase(java.util.Locale.ROOT));
				JobRunner.Job j = canceled ? job.get().awaitEnd(java.time.Duration.ofSeconds(10)) : job.get();
				Message.Builder b = Message.of(Rse.CANCELED).with(Rse.F_JOB, id).with(Rse.F_SYSTEM, j.system())
						.with(Rse.F_STATE, j.state());
				j.rc().ifPresent(rc -> b.with(Rse.F_RC, rc));
				if (!canceled) {
					b.with(Rse.F_MESSAGE, id + " had already ended (" + j.state() + "); nothing was canceled");
				}
				yield b.build();
			}
			default -> failed("unknown job command " + m.type());
			};
		} catch (IllegalArgumentException | IOException e) {
			return failed(e.getMessage());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return failed("interrupted on " + system + " while the job ended");
		} catch (java.util.concurrent.TimeoutException e) {
			return failed("the job's JVM did not end within 10 s of its cancel on " + system);
		}
	}

	/** In the isolated mode, where a job of another system runs: its output and cancel are served there. */
	private String elsewhere(String user, String id) {
		if (runner.spool().isEmpty()) {
			return "";
		}
		try {
			for (String line : runner.spool().get().others(user, system)) {
				String[] f = line.split(" ");
				if (f[0].equals(id)) {
					return " here on " + system + ": it runs on " + f[2] + ", a process of its own; log on to " + f[2]
							+ " for its output or to cancel it";
				}
			}
		} catch (IOException e) {
			return " here on " + system;
		}
		return "";
	}

	/**
	 * A piece of a job's output that fits one frame: from character {@code from} on, as much as fits;
	 * without {@code from} (-1), the end of it. Says where the piece is in the whole (from, to, size),
	 * so a client reads all of it piece by piece.
	 */
	private static Message piece(String id, JobRunner.Job job, String all, long from) {
		int start = from < 0 ? Math.max(0, all.length() - ANSWER_BUDGET / 2) : (int) Math.min(from, all.length());
		int end = from < 0 ? all.length() : Math.min(all.length(), start + ANSWER_BUDGET / 2);
		while (true) {
			if (end > start && Character.isHighSurrogate(all.charAt(end - 1))) {
				end--; // never split a surrogate pair
			}
			if (start > 0 && start < all.length() && Character.isLowSurrogate(all.charAt(start))) {
				start++;
			}
			Message answer = Message.of(Rse.JOBOUTPUT).with(Rse.F_JOB, id).with(Rse.F_STATE, job.state())
					.with(Rse.F_FROM, start).with(Rse.F_TO, end).with(Rse.F_SIZE, all.length())
					.with(Rse.F_TEXT, all.substring(start, end)).build();
			int size = answer.encode().length;
			if (size <= ANSWER_BUDGET || end - start <= 1) {
				return answer;
			}
			int keep = (int) ((long) (end - start) * ANSWER_BUDGET / size * 9 / 10); // shrink in proportion, and more
			if (from < 0) {
				start = end - Math.max(1, keep);
			} else {
				end = start + Math.max(1, keep);
			}
		}
	}

	private Message failed(String message) {
		return Message.of(Rse.FAILED).with(Rse.F_STATUS, Status.JOB.name()).with(Rse.F_MESSAGE, message)
				.with(Rse.F_SYSTEM, system).build();
	}
}
