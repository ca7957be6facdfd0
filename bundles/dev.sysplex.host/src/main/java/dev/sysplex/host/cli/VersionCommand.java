package dev.sysplex.host.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** `sysplex version` (and `--version`): the project's and the protocols' versions, and the JDK. */
final class VersionCommand implements Command {

	/** The version of this build of Sysplex Explorer (the bundles' version, without the qualifier). */
	static final String VERSION = "0.1.0";

	@Override
	public String name() {
		return "version";
	}

	@Override
	public String summary() {
		return "print the versions of Sysplex Explorer, its RSE protocol and the JDK";
	}

	@Override
	public String help() {
		return "Usage: ./sysplex version [--json]   (or ./sysplex --version)\n";
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, Set.of(), Set.of("--json"));
		args.positional(0, 0, "");
		if (args.has("--json")) {
			java.util.Map<String, Object> o = dev.sysplex.host.json.Json.object();
			o.put("version", VERSION);
			o.put("rseProtocol", dev.sysplex.protocol.Rse.VERSION);
			o.put("java", System.getProperty("java.version"));
			o.put("javaHome", System.getProperty("java.home"));
			out.print(dev.sysplex.host.json.Json.write(o));
		} else {
			out.println("Sysplex Explorer " + VERSION + " (RSE protocol version " + dev.sysplex.protocol.Rse.VERSION
					+ "), Java " + System.getProperty("java.version") + " at " + System.getProperty("java.home"));
		}
		return 0;
	}
}
