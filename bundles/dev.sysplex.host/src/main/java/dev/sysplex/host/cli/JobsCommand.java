package dev.sysplex.host.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sysplex.client.ConnectException;
import dev.sysplex.host.json.Json;

/** `sysplex jobs`: the user's jobs on every system of the sysplex. */
final class JobsCommand implements Command {

	@Override
	public String name() {
		return "jobs";
	}

	@Override
	public String summary() {
		return "list your jobs (id, program, system, state, return code)";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex jobs [--json] [logon options]

				Logs on and lists your jobs, oldest first: id, program, the system it runs (ran) on, its
				state (WAITING_FOR_DEBUGGER, DEBUGGING, RUNNING, ENDED, CANCELED, FAILED) and, once it
				ended by itself, its return code.
				""" + LogonOptions.HELD + LogonOptions.HELP;
	}

	/** One line of JOBLIST ("JOB00001 Payroll.java SYSB ENDED rc=0") as a JSON object. */
	static Map<String, Object> parse(String line) {
		String[] f = line.strip().split("\\s+");
		Map<String, Object> o = Json.object();
		o.put("job", f.length > 0 ? f[0] : "");
		o.put("program", f.length > 1 ? f[1] : "");
		o.put("system", f.length > 2 ? f[2] : "");
		o.put("state", f.length > 3 ? f[3] : "");
		Integer rc = null;
		for (int i = 4; i < f.length; i++) {
			if (f[i].startsWith("rc=")) {
				rc = Integer.parseInt(f[i].substring(3));
			}
		}
		o.put("rc", rc);
		return o;
	}

	/** {@code job}'s entry in the user's job list, as {@link #parse} gives it; empty when it is not listed. */
	static java.util.Optional<Map<String, Object>> find(JobsApi session, String job) throws java.io.IOException {
		for (String line : session.jobs()) {
			Map<String, Object> j = parse(line);
			if (job.equals(j.get("job"))) {
				return java.util.Optional.of(j);
			}
		}
		return java.util.Optional.empty();
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, LogonOptions.valued(), LogonOptions.flags("--json", "--new-logon"));
		args.positional(0, 0, "");
		LogonOptions logon = LogonOptions.of(args, out, err);
		JobsApi session;
		try {
			session = logon.jobs(List.of(), err);
		} catch (ConnectException e) {
			return logon.failed(e, err);
		}
		try (session) {
			List<String> lines = session.jobs();
			if (args.has("--json")) {
				List<Object> jobs = new ArrayList<>();
				lines.forEach(l -> jobs.add(parse(l)));
				Map<String, Object> o = Json.object();
				o.put("user", session.user());
				o.put("jobs", jobs);
				out.print(Json.write(o));
			} else if (lines.isEmpty()) {
				out.println("No jobs of " + session.user() + ".");
			} else {
				out.printf("%-9s %-24s %-8s %-21s %s%n", "JOB", "PROGRAM", "SYSTEM", "STATE", "RC");
				for (String l : lines) {
					Map<String, Object> j = parse(l);
					out.printf("%-9s %-24s %-8s %-21s %s%n", j.get("job"), j.get("program"), j.get("system"),
							j.get("state"), j.get("rc") == null ? "" : j.get("rc"));
				}
			}
			return 0;
		} catch (java.io.IOException e) {
			err.println("sysplex jobs: " + e.getMessage());
			return 1;
		}
	}
}
