package dev.sysplex.host.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.sysplex.client.ConnectException;
import dev.sysplex.client.Session;
import dev.sysplex.host.json.Json;

/** `sysplex output JOB [--follow]`: a job's output, all of it, piece by piece. */
final class OutputCommand implements Command {

	/** The states of a job that can still write. */
	static final Set<String> RUNNING = Set.of("WAITING_FOR_DEBUGGER", "DEBUGGING", "RUNNING");

	@Override
	public String name() {
		return "output";
	}

	@Override
	public String summary() {
		return "print a job's output (--follow: as it is written, to the job's end)";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex output JOB [--follow] [--json] [logon options]

				Logs on and prints all of JOB's output so far (read in pieces of one frame each).
				  --follow   go on printing what the job writes until it ends (checked twice a second)
				  --json     {"job", "state", "text"} (with --follow, once the job has ended)
				""" + LogonOptions.HELD + LogonOptions.HELP;
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, LogonOptions.valued(), LogonOptions.flags("--follow", "--json", "--new-logon"));
		String job = args.positional(1, 1, "a job id, such as JOB00042").get(0);
		boolean json = args.has("--json");
		LogonOptions logon = LogonOptions.of(args, out, err);
		JobsApi session;
		try {
			session = logon.jobs(List.of(), err);
		} catch (ConnectException e) {
			return logon.failed(e, err);
		}
		try (session) {
			StringBuilder all = new StringBuilder();
			int from = 0;
			boolean ended = false;
			while (true) {
				Session.OutputPiece piece = session.output(job, from);
				if (json) {
					all.append(piece.text());
				} else {
					out.print(piece.text());
					out.flush();
				}
				from = piece.to();
				if (!piece.last()) {
					continue; // more is there already
				}
				if (!args.has("--follow") || ended) {
					break; // everything, or everything up to the job's end (read after it ended)
				}
				ended = !RUNNING.contains(state(session, job));
				if (!ended) {
					Thread.sleep(500);
				}
			}
			String state = state(session, job);
			if (json) {
				Map<String, Object> o = Json.object();
				o.put("job", job);
				o.put("state", state);
				o.put("text", all.toString());
				out.print(Json.write(o));
			}
			return 0;
		} catch (java.io.IOException e) {
			err.println("sysplex output: " + e.getMessage());
			return 1;
		}
	}

	/** The job's state from the job list (empty when the job is not listed). */
	static String state(Session session, String job) throws java.io.IOException {
		return state(JobsApi.of(session), job);
	}

	/** The job's state from the job list (empty when the job is not listed). */
	static String state(JobsApi session, String job) throws java.io.IOException {
		return JobsCommand.find(session, job).map(j -> (String) j.get("state")).orElse("");
	}
}
