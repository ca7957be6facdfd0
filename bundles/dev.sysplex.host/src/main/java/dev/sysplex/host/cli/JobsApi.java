package dev.sysplex.host.cli;

import java.io.IOException;
import java.util.List;

import dev.sysplex.client.Session;

/**
 * The job requests the command line makes, on a session of its own (logged on for the command)
 * or on one that `./sysplex session` holds open ({@link HeldSession}).
 */
interface JobsApi extends AutoCloseable {

	String user();

	/** The system the session runs on. */
	String system();

	Session.SubmittedJob submit(String program, String args, String options, String affinity) throws IOException;

	List<String> jobs() throws IOException;

	Session.OutputPiece output(String job, int from) throws IOException;

	Session.Canceled cancel(String job) throws IOException;

	/** Ends this command's use: logs a session of its own off; leaves a held one open. */
	@Override
	void close();

	/** A session of the command's own. */
	static JobsApi of(Session s) {
		return new JobsApi() {
			@Override
			public String user() {
				return s.user();
			}

			@Override
			public String system() {
				return s.system();
			}

			@Override
			public Session.SubmittedJob submit(String program, String args, String options, String affinity)
					throws IOException {
				return s.submit(program, args, options, affinity);
			}

			@Override
			public List<String> jobs() throws IOException {
				return s.jobs();
			}

			@Override
			public Session.OutputPiece output(String job, int from) throws IOException {
				return s.output(job, from);
			}

			@Override
			public Session.Canceled cancel(String job) throws IOException {
				return s.cancel(job);
			}

			@Override
			public void close() {
				try {
					s.logoff();
				} catch (IOException e) {
					// the session ends with the process
				}
			}
		};
	}
}
