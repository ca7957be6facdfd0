package dev.sysplex.host.cli;

import java.io.PrintStream;
import java.util.List;

/** Lets tests of other packages run the `sysplex` command in-process, as MainTest does. */
public final class MainAccess {

	private MainAccess() {
	}

	public static int run(List<String> args, PrintStream out, PrintStream err) {
		return Main.run(args, out, err);
	}
}
