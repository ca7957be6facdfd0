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

/** The job commands of an RSE session (SUBMIT, JOBS, OUTPUT), served by the sysplex's job runner. */
final class JobService implements RseDaemon.JobService {

	/** Largest piece of job output one OUTPUT answer carries (the frame limit is 16 KiB). */
	static final int MAX_OUTPUT = 12 * 1024;

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
				Message.Builder b = Message.of(Rse.JOBLIST);
				List<JobRunner.Job> jobs = runner.jobs(user);
				b.with(Rse.F_COUNT, jobs.size());
				for (int i = 0; i < jobs.size(); i++) {
					JobRunner.Job j = jobs.get(i);
					b.with("job." + i, j.id() + " " + j.program() + " " + j.system() + " " + j.state()
							+ j.rc().map(rc -> " rc=" + rc).orElse(""));
				}
				yield b.build();
			}
			case Rse.OUTPUT -> {
				String id = m.require(Rse.F_JOB);
				Optional<JobRunner.Job> job = runner.job(id).filter(j -> j.user().equalsIgnoreCase(user));
				if (job.isEmpty()) {
					yield failed("no job " + id + " of " + user);
				}
				yield Message.of(Rse.JOBOUTPUT).with(Rse.F_JOB, id).with(Rse.F_STATE, job.get().state())
						.with(Rse.F_TEXT, runner.output(job.get(), MAX_OUTPUT)).build();
			}
			default -> failed("unknown job command " + m.type());
			};
		} catch (IllegalArgumentException | IOException e) {
			return failed(e.getMessage());
		}
	}

	private Message failed(String message) {
		return Message.of(Rse.FAILED).with(Rse.F_STATUS, Status.JOB.name()).with(Rse.F_MESSAGE, message)
				.with(Rse.F_SYSTEM, system).build();
	}
}
