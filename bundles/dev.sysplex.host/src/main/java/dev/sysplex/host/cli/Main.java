package dev.sysplex.host.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.sysplex.host.cli.Command.UsageException;

/** The `sysplex` command: run as ./sysplex from the repository root. */
public final class Main {

	static final List<Command> COMMANDS = List.of(new DemoCommand(), new StartCommand(), new UserCommand(), new LoginCommand(),
			new SessionCommand(), new SubmitCommand(), new JobsCommand(), new OutputCommand(), new CancelCommand(), new DebugCommand(),
			new ProbeCommand(), new BenchCommand(), new CheckCommand(), new VersionCommand(), new CompletionCommand(),
			new EnterCommand(), new SystemRunCommand(), new DemoClientCommand());

	private Main() {
	}

	public static void main(String[] args) {
		System.exit(run(List.of(args), System.out, System.err));
	}

	static int run(List<String> args, PrintStream out, PrintStream err) {
		if (args.isEmpty() || Arrays.asList("-h", "--help", "help").contains(args.get(0)) && args.size() == 1) {
			out.print(usage());
			return args.isEmpty() ? 2 : 0;
		}
		if (args.size() == 1 && (args.get(0).equals("--version") || args.get(0).equals("-V"))) {
			return run(List.of("version"), out, err);
		}
		if (args.get(0).equals("help")) {
			return find(args.get(1)).map(c -> {
				out.print(c.help());
				return 0;
			}).orElseGet(() -> unknown(args.get(1), err));
		}
		Optional<Command> command = find(args.get(0));
		if (command.isEmpty()) {
			return unknown(args.get(0), err);
		}
		Command c = command.get();
		List<String> rest = args.subList(1, args.size());
		int dashes = rest.indexOf("--");
		List<String> own = dashes < 0 ? rest : rest.subList(0, dashes); // after --: the program's arguments
		if (own.contains("--help") || own.contains("-h")) {
			out.print(c.help());
			return 0;
		}
		try {
			return c.run(rest, out, err);
		} catch (UsageException e) {
			err.println("sysplex " + c.name() + ": " + e.getMessage());
			err.println("Run ./sysplex " + c.name() + " --help for its usage.");
			return 2;
		} catch (Exception e) {
			err.println("sysplex " + c.name() + " failed: " + e.getMessage());
			return 1;
		}
	}

	private static Optional<Command> find(String name) {
		return COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst();
	}

	private static int unknown(String name, PrintStream err) {
		err.println("sysplex: unknown command '" + name + "'");
		err.print(usage());
		return 2;
	}

	static String usage() {
		StringBuilder sb = new StringBuilder("Usage: ./sysplex <command> [options]   (./sysplex <command> --help)\n\n");
		for (Command c : COMMANDS) {
			sb.append(String.format("  %-11s %s%n", c.name(), c.summary()));
		}
		return sb.toString();
	}
}
