package dev.sysplex.host.cli;

import java.io.PrintStream;
import java.util.List;

/** A `sysplex` subcommand. */
interface Command {

	String name();

	/** One line for the command list. */
	String summary();

	/** The full --help text: usage line, options, examples. */
	String help();

	/** Runs the command; returns the process exit code. Throws UsageException for bad arguments. */
	int run(List<String> args, PrintStream out, PrintStream err) throws Exception;

	/** Bad command-line arguments: printed with the command's usage, exit code 2. */
	final class UsageException extends Exception {
		private static final long serialVersionUID = 1L;

		UsageException(String message) {
			super(message);
		}
	}
}
