package dev.sysplex.host.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.sysplex.host.isolated.IsolatedSysplex;
import dev.sysplex.host.net.KernelCommands;

/** `sysplex enter DIR -- COMMAND`: runs a command in the client namespace of a running isolated sysplex. */
final class EnterCommand implements Command {

	@Override
	public String name() {
		return "enter";
	}

	@Override
	public String summary() {
		return "run a command on the client side of an isolated sysplex (start --isolated)";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex enter <sysplex-dir> -- COMMAND [ARGUMENTS...]

				Runs COMMAND in the client network namespace of the isolated sysplex that runs from
				<sysplex-dir> (./sysplex start <sysplex-dir> --isolated): from there the DVIPAs and the
				systems' addresses are reached over the sysplex LAN, as a workstation reaches a sysplex.
				Needs root, as the isolated mode does. Exits with COMMAND's exit code.

				Examples:
				  ./sysplex enter examples/two-systems -- ./sysplex probe 127.0.10.100:6000 --count 4
				  ./sysplex enter examples/two-systems -- ./sysplex login 127.0.10.100 --user IBMUSER
				""";
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		int dashes = argv.indexOf("--");
		Args args = Args.parse(dashes < 0 ? argv : argv.subList(0, dashes), java.util.Set.of(), java.util.Set.of());
		List<String> own = args.positional();
		List<String> command = dashes < 0 ? List.of() : argv.subList(dashes + 1, argv.size());
		if (own.size() != 1 || command.isEmpty()) {
			throw new UsageException("expected a sysplex directory, --, and a command");
		}
		Path state = Path.of(own.get(0)).resolve(IsolatedSysplex.STATE);
		Properties p = new Properties();
		try (var in = Files.newBufferedReader(state)) {
			p.load(in);
		} catch (IOException e) {
			err.println("No isolated sysplex runs from " + own.get(0) + " (" + state + " is not there): start it with "
					+ "./sysplex start " + own.get(0) + " --isolated");
			return 2;
		}
		long pid;
		try {
			pid = Long.parseLong(p.getProperty("client", ""));
		} catch (NumberFormatException e) {
			err.println(state + " names no client namespace; is it from this release?");
			return 2;
		}
		// the pid names the client namespace only while its holder runs: a pid reused since does not count
		String started = IsolatedSysplex.startTime(pid).orElse(null);
		if (started == null || !started.equals(p.getProperty("client.started"))) {
			err.println("The isolated sysplex of " + own.get(0) + " is not running any more (its client namespace's "
					+ "process " + pid + " is gone); " + state + " is left from a run that ended without cleaning up. "
					+ "Start it again with ./sysplex start " + own.get(0) + " --isolated");
			return 2;
		}
		List<String> cmd = new ArrayList<>(List.of(KernelCommands.tool("nsenter"), "--net=/proc/" + pid + "/ns/net", "--"));
		cmd.addAll(command);
		Process proc = new ProcessBuilder(cmd).inheritIO().start();
		return proc.waitFor();
	}
}
