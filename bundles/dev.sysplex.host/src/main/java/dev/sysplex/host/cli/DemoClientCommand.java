package dev.sysplex.host.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * `sysplex demo-client DIR --dvipa ADDRESS`: the client's half of `demo --isolated`, run by it in
 * the client namespace. It reads the DEMO user's password as the first line of its standard input
 * (never from the command line or the environment, which other users' ps shows) and asks the
 * launcher, one line each, what only the host side knows; every answer is bounded by the
 * launcher's own waits, and the launcher's end ends this input.
 */
final class DemoClientCommand implements Command {

	/** "?registered SYSTEM USER": has the Debug Miner of SYSTEM registered USER? Answer "yes" or "no". */
	static final String ASK_REGISTERED = "?registered";
	/** "?hostport SYSTEM": the HOST port of SYSTEM's Debug Manager (0: none). */
	static final String ASK_HOST_PORT = "?hostport";
	/** "?systems": the systems' names, comma-separated. */
	static final String ASK_SYSTEMS = "?systems";

	@Override
	public String name() {
		return "demo-client";
	}

	@Override
	public String summary() {
		return "(used by demo --isolated) the demo's client steps, in the client namespace";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex demo-client <sysplex-dir> --dvipa ADDRESS [--started-at EPOCH-MS] [--quiet]

				The client's ten steps of ./sysplex demo --isolated, which runs this in the client network
				namespace of the isolated sysplex it started; not meant to be run by hand. Reads the
				password of the user DEMO as the first line of its standard input, and asks the launcher
				(lines starting with ? on its standard output, answered on its standard input) whether
				a Debug Miner registered DEMO and what a Debug Manager's HOST port is.
				""";
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, Set.of("--dvipa", "--started-at"), Set.of("--quiet"));
		if (args.positional().size() != 1 || !args.has("--dvipa")) {
			throw new UsageException("expected a sysplex directory and --dvipa ADDRESS");
		}
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line = in.readLine();
		if (line == null || line.isEmpty()) {
			err.println("no password on the standard input: demo-client is run by ./sysplex demo --isolated");
			return 2;
		}
		char[] password = line.toCharArray();
		Instant t0 = args.has("--started-at") ? Instant.ofEpochMilli(Long.parseLong(args.get("--started-at", "0")))
				: Instant.now();
		DemoCommand.HostView host = new DemoCommand.HostView() {
			private String ask(String question) throws java.io.IOException {
				synchronized (out) {
					out.println(question);
					out.flush();
				}
				String answer = in.readLine();
				if (answer == null) {
					throw new java.io.IOException("the demo's launcher ended (asked: " + question + ")");
				}
				return answer;
			}

			@Override
			public void awaitRegistered(String system, String user) throws Exception {
				if (!ask(ASK_REGISTERED + " " + system + " " + user).equals("yes")) {
					throw new IllegalStateException(user + " was not registered with the Debug Manager of " + system
							+ " within 10 s of the logon (see the trace of " + system + ")");
				}
			}

			@Override
			public List<String> systems() {
				try {
					return List.of(ask(ASK_SYSTEMS).split(","));
				} catch (java.io.IOException e) {
					throw new java.io.UncheckedIOException(e);
				}
			}

			@Override
			public boolean jobsRunWhereSubmitted() {
				return true;
			}

			@Override
			public int hostPort(String system) throws Exception {
				return Integer.parseInt(ask(ASK_HOST_PORT + " " + system));
			}

			@Override
			public String timing(String job, Instant submitted, Instant stopped) {
				return "submit to stopped at the breakpoint " + java.time.Duration.between(submitted, stopped).toMillis()
						+ " ms (the job's own start is on its system, another process)";
			}
		};
		try {
			return DemoCommand.clientSteps(host, args.get("--dvipa", ""), "DEMO", password, Path.of(args.positional()
					.get(0)), t0, out, !args.has("--quiet"));
		} finally {
			Arrays.fill(password, '\0');
		}
	}
}
