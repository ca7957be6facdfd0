package dev.sysplex.host.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import dev.sysplex.client.ConnectException;
import dev.sysplex.client.Session;
import dev.sysplex.host.json.Json;

/** `sysplex cancel JOB`: end one of your jobs now. */
final class CancelCommand implements Command {

	@Override
	public String name() {
		return "cancel";
	}

	@Override
	public String summary() {
		return "cancel one of your jobs (its JVM is ended; it ends CANCELED)";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex cancel JOB [--json] [logon options]

				Logs on and cancels JOB, one of yours: its JVM is ended at once, it ends CANCELED with no
				return code, and its output ends with "JOB CANCELED by USERID". A job that had already
				ended is left as it is (exit code 1, and the state it ended in).
				""" + LogonOptions.HELD + LogonOptions.HELP;
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, LogonOptions.valued(), LogonOptions.flags("--json", "--new-logon"));
		String job = args.positional(1, 1, "a job id, such as JOB00042").get(0);
		LogonOptions logon = LogonOptions.of(args, out, err);
		JobsApi session;
		try {
			session = logon.jobs(List.of(), err);
		} catch (ConnectException e) {
			return logon.failed(e, err);
		}
		try (session) {
			Session.Canceled c = session.cancel(job);
			if (args.has("--json")) {
				Map<String, Object> o = Json.object();
				o.put("job", c.job());
				o.put("system", c.system());
				o.put("canceled", c.canceled());
				o.put("state", c.state());
				o.put("rc", c.rc());
				o.put("message", c.message().isEmpty() ? null : c.message());
				out.print(Json.write(o));
			} else {
				out.println(c.canceled() ? c.job() + " on " + c.system() + " is canceled (" + c.state() + ")"
						: c.message());
			}
			return c.canceled() ? 0 : 1;
		} catch (java.io.IOException e) {
			err.println("sysplex cancel: " + e.getMessage());
			return 1;
		}
	}
}
