package dev.sysplex.host.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.sysplex.host.check.CheckReport;
import dev.sysplex.host.check.Finding;
import dev.sysplex.host.check.Simulation;
import dev.sysplex.host.check.Suppressions;
import dev.sysplex.host.check.SysplexCheck;

/** `sysplex check DIR`: lint the statements of a sysplex directory, optionally simulate logons and debug sessions. */
final class CheckCommand implements Command {

	@Override
	public String name() {
		return "check";
	}

	@Override
	public String summary() {
		return "check a sysplex directory's statements for the known pitfalls (--simulate N: try them)";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex check DIR [--simulate N] [--format text|json|sarif] [--verbose]
				                           [--baseline FILE] [--write-baseline FILE]
				                           [--srcroot DIR] [--help-base URL]

				Reads the statements of the sysplex directory DIR (sysplex.conf, cfrm.policy, the TCP/IP
				profiles, etc/zexpl/rse.env and ssl.properties, systems/*/rse.env, proclib/DBGMGR and RSED
				with each system's symbols) and reports what will go wrong, each finding with file:line,
				severity, a one-line explanation and the fix. Nothing is started. docs/configuration.md
				lists every finding.

				Options:
				  --simulate N    also start the configuration in an embedded sysplex (a copy, moved to a
				                  loopback subnet), log on N times as clients do (TLS first, plain after a
				                  refusal) without and with TLS memory and print where the logons landed,
				                  then check that a debug session started on every system reaches a
				                  client logged on to every system (N: 1-10000); done whenever sysplex
				                  start would start the directory, else the errors that keep it from
				                  starting are named
				  --format F      text (default), json, or sarif (SARIF 2.1.0 for code-scanning tools)
				  --srcroot DIR   SARIF: file locations relative to DIR (the repository a code-scanning
				                  tool scans, with the sysplex directory in it) instead of to the
				                  sysplex directory
				  --help-base URL SARIF: where the rules' help is (default: the project's
				                  docs/configuration.md on GitHub); each rule's helpUri is URL#id
				  --baseline FILE leave out the findings FILE lists (known ones a site keeps; one
				                  "severity id file:line:column" per line, # comments)
				  --write-baseline FILE
				                  write the findings (after inline suppressions) to FILE as a baseline
				  --verbose       also list, on standard error, the statements and options that were read
				                  and set aside because they cannot change what a DVIPA does (HOME,
				                  DEVICE, BEGINROUTES, TCPCONFIG TCPSENDBFRSIZE, ...)

				A finding is also left out by a comment on its line or the line above it in the member:
				  ; sysplex-check: ignore no-vipabackup          (PROFILE.TCPIP, sysplex.conf)
				  # sysplex-check: ignore rse-env-value          (rse.env)
				  //* sysplex-check: ignore dbm-no-hub           (a PROC)

				Exit code: 0 no findings, 1 warnings only, 2 errors (or a debug session that does not
				reach its client in the simulation), counting only the findings not left out.

				Example:
				  ./sysplex check examples/two-systems --simulate 20
				""";
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, Set.of("--simulate", "--format", "--baseline", "--write-baseline", "--srcroot",
				"--help-base"),
				Set.of("--verbose"));
		if (args.positional().size() != 1) {
			throw new UsageException("expected one sysplex directory, found " + args.positional().size());
		}
		String format = args.get("--format", "text");
		if (!Set.of("text", "json", "sarif").contains(format)) {
			throw new UsageException("--format must be text, json or sarif, found " + format);
		}
		int simulate = args.has("--simulate") ? args.intValue("--simulate", 0, 1, 10_000) : 0;
		String dirName = args.positional().get(0);
		Path dir = Path.of(dirName);
		if (!Files.isDirectory(dir)) {
			err.println("sysplex check: " + dirName + " is not a directory; give the sysplex directory (the one with "
					+ "sysplex.conf), such as examples/two-systems");
			return 2;
		}
		List<String> baseline = null;
		if (args.has("--baseline")) {
			Path file = Path.of(args.get("--baseline", ""));
			try {
				baseline = Files.readAllLines(file);
			} catch (java.io.IOException e) {
				err.println("sysplex check: the baseline " + file + " cannot be read (" + (e instanceof
						java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()) + "); write one "
						+ "with --write-baseline " + file);
				return 2;
			}
		}
		Suppressions.Result kept = Suppressions.apply(dir, SysplexCheck.check(dir), baseline);
		List<Finding> findings = kept.findings();
		if (args.has("--write-baseline")) {
			Path file = Path.of(args.get("--write-baseline", ""));
			StringBuilder sb = new StringBuilder("# sysplex check baseline of " + dirName + ": the findings a site keeps; "
					+ "./sysplex check " + dirName + " --baseline " + file + " leaves them out\n");
			findings.forEach(f -> sb.append(Suppressions.baselineLine(f)).append('\n'));
			Files.writeString(file, sb.toString());
			err.println("sysplex check: wrote " + findings.size() + " finding(s) to the baseline " + file);
		}
		int code = SysplexCheck.exitCode(findings);
		if (args.has("--verbose")) {
			for (dev.sysplex.config.Diagnostic d : SysplexCheck.ignored(dir)) {
				err.println(d.position() + ": info [" + d.id() + "] " + d.message());
			}
		}
		Optional<Simulation.Result> simulation = Optional.empty();
		if (simulate > 0) {
			// simulated whenever start would start it (a check error such as a CLIENT port two systems
			// share is then seen at work); else the errors that keep it from starting are named
			List<dev.sysplex.config.Diagnostic> blocking = SysplexCheck.startRefusals(dir);
			if (!blocking.isEmpty()) {
				err.println("sysplex check: not simulated: sysplex start would refuse the configuration:");
				blocking.forEach(d -> err.println("  " + d.position() + ": " + d.message()));
			} else {
				simulation = Optional.of(Simulation.run(dir, simulate, line -> err.println("  simulating: " + line)));
				if (!simulation.get().ok()) {
					code = 2;
				}
			}
		}
		switch (format) {
		case "json" -> out.print(CheckReport.json(dirName, findings, simulation));
		case "sarif" -> out.print(CheckReport.sarif(dirName, findings, args.get("--help-base", CheckReport.HELP_BASE),
				args.has("--srcroot") ? Path.of(args.get("--srcroot", ".")) : null));
		default -> out.print(CheckReport.text(dirName, findings, kept.suppressed(), simulation));
		}
		if (format.equals("sarif") && simulation.isPresent()) {
			err.print(simulation.get().text());
		}
		return code;
	}
}
