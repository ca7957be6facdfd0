package dev.sysplex.host.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import dev.sysplex.host.cli.Command.UsageException;

/** Where a command gets a password: --password-env VAR, --password-file FILE, or the terminal. */
final class Passwords {

	private Passwords() {
	}

	static char[] read(Args args, String prompt, boolean confirm) throws UsageException, IOException {
		if (args.has("--password-env")) {
			String var = args.get("--password-env", "");
			String v = System.getenv(var);
			if (v == null || v.isEmpty()) {
				throw new UsageException("environment variable " + var + " (from --password-env) is not set");
			}
			return v.toCharArray();
		}
		if (args.has("--password-file")) {
			Path f = Path.of(args.get("--password-file", ""));
			if (!Files.isRegularFile(f)) {
				throw new UsageException("--password-file " + f + " is not a file");
			}
			String v = Files.readString(f, StandardCharsets.UTF_8).lines().findFirst().orElse("");
			if (v.isEmpty()) {
				throw new UsageException("the first line of " + f + " (from --password-file) is empty");
			}
			return v.toCharArray();
		}
		Console console = System.console();
		if (console == null) {
			throw new UsageException("no terminal to ask for the password; give --password-env VAR or --password-file FILE");
		}
		char[] pw = console.readPassword("%s", prompt);
		if (pw == null || pw.length == 0) {
			throw new UsageException("no password entered");
		}
		if (confirm) {
			char[] again = console.readPassword("Again: ");
			if (again == null || !Arrays.equals(pw, again)) {
				throw new UsageException("the two passwords differ");
			}
			Arrays.fill(again, '\0');
		}
		return pw;
	}
}
