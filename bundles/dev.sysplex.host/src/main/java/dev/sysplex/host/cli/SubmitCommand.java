package dev.sysplex.host.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.sysplex.client.ConnectException;
import dev.sysplex.client.Session;
import dev.sysplex.host.json.Json;
import dev.sysplex.protocol.Rse;

/** `sysplex submit`: submit a job (a program of the sysplex's jobs/), optionally with TEST, and follow it. */
final class SubmitCommand implements Command {

	/** The exit code of --wait for a job that was canceled (it has no return code of its own). */
	static final int CANCELED_EXIT = 130;

	@Override
	public String name() {
		return "submit";
	}

	@Override
	public String summary() {
		return "submit a job (--debug: with TEST for you; --wait: follow it to its end)";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex submit PROGRAM [ARGS...] [--system SYS] [--debug] [--wait] [--json] [logon options]
				       ./sysplex submit PROGRAM [options] -- ARGS...   (arguments that begin with --)

				Logs on and submits PROGRAM (a Java source file in the sysplex's jobs/ directory, such as
				Payroll.java) with ARGS; prints the job id and the system it runs on.

				  --system SYS   run it on SYS (else the host chooses: the next active system in turn)
				  --debug        with the runtime option TEST(,,,DBMDT): it waits, suspended, for your
				                 debugger (./sysplex debug JOB, or the Eclipse client)
				  --options OPTS other runtime options, as written (for example TEST(,,,DBMDT%ALICE))
				  --wait         stay logged on until the job ends, and exit with its return code
				                 (130 when it was canceled)
				  --json         print the job (and with --wait its end) as JSON
				""" + LogonOptions.HELD + LogonOptions.HELP + """

				Example:
				  ./sysplex submit Payroll.java --system SYSB --wait --host 127.0.10.100 --user IBMUSER
				""";
	}

	/**
	 * The job's end: its job.ended notification, or (checked every 15 s, which also keeps the session
	 * from going idle) the job list's word that it is no longer running.
	 */
	private static Map<String, String> awaitEnd(JobsApi session, String job,
			CompletableFuture<Map<String, String>> ended) throws Exception {
		while (true) {
			try {
				return ended.get(15, TimeUnit.SECONDS);
			} catch (java.util.concurrent.TimeoutException e) {
				// an IOException here: the session ended; said by the caller
				java.util.Optional<Map<String, Object>> j = JobsCommand.find(session, job);
				if (j.isPresent() && !OutputCommand.RUNNING.contains(j.get().get("state"))) {
					Map<String, String> end = new java.util.HashMap<>();
					end.put(Rse.F_STATE, (String) j.get().get("state"));
					if (j.get().get("rc") != null) {
						end.put(Rse.F_RC, String.valueOf(j.get().get("rc")));
					}
					return end;
				}
			}
		}
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, LogonOptions.valued("--system", "--options"),
				LogonOptions.flags("--debug", "--wait", "--json", "--new-logon"));
		List<String> positional = args.positional(1, Integer.MAX_VALUE, "a program, such as Payroll.java");
		String program = positional.get(0);
		String programArgs = String.join(" ", positional.subList(1, positional.size()));
		String options = args.get("--options", "");
		if (args.has("--debug")) {
			if (options.toUpperCase(java.util.Locale.ROOT).contains("TEST(")) {
				throw new Command.UsageException("--debug adds TEST(,,,DBMDT); --options already has a TEST option");
			}
			options = (options.isBlank() ? "" : options + " ") + "TEST(,,,DBMDT)";
		}
		LogonOptions logon = LogonOptions.of(args, out, err);
		boolean json = args.has("--json");
		// job.ended may come before SUBMITTED's answer is read: keep every one, by job
		Map<String, CompletableFuture<Map<String, String>>> ended = new ConcurrentHashMap<>();
		Session.Listener listener = new Session.Listener() {
			@Override
			public void notification(String kind, Map<String, String> fields) {
				if (kind.equals(Rse.NOTIFY_JOB_ENDED) && fields.get(Rse.F_JOB) != null) {
					ended.computeIfAbsent(fields.get(Rse.F_JOB), k -> new CompletableFuture<>()).complete(fields);
				}
			}
		};
		JobsApi session;
		try {
			// --wait hears job.ended on a session of its own; without it a held session serves
			session = logon.jobs(args.has("--wait") ? List.of(listener) : List.of(), err);
		} catch (ConnectException e) {
			return logon.failed(e, err);
		}
		try (session) {
			Session.SubmittedJob job = session.submit(program, programArgs, options, args.get("--system", null));
			Map<String, Object> o = Json.object();
			o.put("job", job.id());
			o.put("program", program);
			o.put("system", job.system());
			o.put("debug", options.toUpperCase(java.util.Locale.ROOT).contains("TEST("));
			if (!json) {
				out.println(job.id() + " submitted: " + program + " on " + job.system()
						+ ((Boolean) o.get("debug") ? " (TEST: it waits for a debugger: ./sysplex debug " + job.id() + ")" : ""));
				out.flush();
			}
			if (!args.has("--wait")) {
				if (json) {
					out.print(Json.write(o));
				}
				return 0;
			}
			Map<String, String> end = awaitEnd(session, job.id(), ended.computeIfAbsent(job.id(),
					k -> new CompletableFuture<>()));
			String state = end.getOrDefault(Rse.F_STATE, "ENDED");
			Map<String, Object> e = Json.object();
			e.put("state", state);
			e.put("rc", end.containsKey(Rse.F_RC) ? Integer.parseInt(end.get(Rse.F_RC)) : null);
			e.put("message", end.get(Rse.F_MESSAGE));
			o.put("end", e);
			if (json) {
				out.print(Json.write(o));
			} else {
				out.println(job.id() + " " + state + (end.containsKey(Rse.F_RC) ? " rc=" + end.get(Rse.F_RC) : "")
						+ (end.containsKey(Rse.F_MESSAGE) ? ": " + end.get(Rse.F_MESSAGE) : "") + " (on " + job.system() + ")");
			}
			return switch (state) {
			case "ENDED" -> Math.floorMod(Integer.parseInt(end.getOrDefault(Rse.F_RC, "0")), 256);
			case "CANCELED" -> CANCELED_EXIT;
			default -> 1;
			};
		} catch (java.io.IOException e) {
			err.println("sysplex submit: " + e.getMessage() + (args.has("--wait")
					? " (a job already submitted goes on: ./sysplex jobs shows it)" : ""));
			return 1;
		}
	}
}
