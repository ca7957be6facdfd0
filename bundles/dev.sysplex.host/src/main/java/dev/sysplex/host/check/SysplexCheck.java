package dev.sysplex.host.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.sysplex.host.Sysplex;
import dev.sysplex.config.ConfigException;
import dev.sysplex.config.Diagnostic;
import dev.sysplex.config.JclProc;
import dev.sysplex.config.SysplexConfig;
import dev.sysplex.config.SystemDefinition;
import dev.sysplex.host.check.Finding.Severity;
import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Rse;

/**
 * Reads a sysplex directory's statements as a system programmer wrote them and says what will go
 * wrong before anything runs: the pitfalls docs/configuration.md lists and IBM's warnings, each as a
 * {@link Finding} with file:line, a one-line explanation and the fix. Nothing is started. The
 * configuration is loaded once, by the loader `sysplex start` uses; each finding id is one
 * {@link CheckRule} ({@link CheckRules#ALL}); the loader's own diagnostics are reported under their
 * ids, and whatever start would refuse is an error here too.
 */
public final class SysplexCheck {

	private final Path dir;
	private final List<Finding> findings = new ArrayList<>();

	private SysplexCheck(Path dir) {
		this.dir = dir.toAbsolutePath().normalize();
	}

	/** Checks {@code directory}; the findings come sorted by file, line and column. */
	public static List<Finding> check(Path directory) {
		SysplexCheck c = new SysplexCheck(directory);
		c.run();
		c.findings.sort(SysplexCheck::byPlace);
		return List.copyOf(c.findings);
	}

	/**
	 * By file, line, column and id. A method of ours rather than Comparator.comparing(...)
	 * .thenComparingInt(...): the JDK spins the classes of its own combinators' lambdas at run time,
	 * 15 ms of a 0.15 s check, where ours come ready from the start-up cache.
	 */
	private static int byPlace(Finding a, Finding b) {
		int c = a.file().toString().compareTo(b.file().toString());
		if (c == 0) {
			c = Integer.compare(a.line(), b.line());
		}
		if (c == 0) {
			c = Integer.compare(a.column(), b.column());
		}
		return c != 0 ? c : a.id().compareTo(b.id());
	}

	/** 2 when a finding is an error, 1 when one is a warning, 0 when there is none. */
	public static int exitCode(List<Finding> findings) {
		if (findings.stream().anyMatch(f -> f.severity() == Severity.ERROR)) {
			return 2;
		}
		return findings.isEmpty() ? 0 : 1;
	}

	/** The errors for which `sysplex start` would refuse {@code dir} (empty: it would start it). */
	public static List<Diagnostic> startRefusals(Path dir) {
		try {
			return Sysplex.validate(SysplexConfig.load(dir)).stream().filter(Diagnostic::isError).toList();
		} catch (ConfigException e) {
			return e.diagnostics().stream().filter(Diagnostic::isError).toList();
		}
	}

	/**
	 * What the loader read and set aside as unable to change what a DVIPA does (INFO), positions
	 * relative to {@code dir}; empty when the directory does not load.
	 */
	public static List<Diagnostic> ignored(Path dir) {
		try {
			SysplexCheck c = new SysplexCheck(dir);
			return SysplexConfig.load(dir).ignored().stream().map(d -> new Diagnostic(d.severity(), d.id(),
					c.show(d.file()), d.line(), d.column(), d.message())).toList();
		} catch (ConfigException e) {
			return List.of();
		}
	}

	private void run() {
		SysplexConfig config;
		try {
			config = SysplexConfig.load(dir);
		} catch (ConfigException e) {
			for (Diagnostic d : e.diagnostics()) {
				add(fromDiagnostic(d));
			}
			return;
		}
		List<SystemView> systems = new ArrayList<>();
		for (SystemDefinition s : config.systems()) {
			systems.add(view(config, s));
		}
		Set<String> explained = new LinkedHashSet<>();
		CheckContext sysplex = new CheckContext(dir, config, systems, explained, this::add);
		for (CheckRule rule : CheckRules.ALL) {
			rule.check(sysplex);
		}
		for (Diagnostic d : config.warnings()) {
			if (!explained.contains(show(d.file()) + ":" + d.line())) {
				add(fromDiagnostic(d));
			}
		}
		startsRefusal(config);
	}

	/** Warnings only start's reading finds (of the Debug Manager's environment), reported as they are. */
	private static final Set<String> START_ONLY_WARNINGS = Set.of(Diagnostic.DBM_SETTING_CONFLICT);

	/**
	 * Whatever `sysplex start` refuses is an error here too, at the same file:line: start's own
	 * validation runs (nothing is started), and each of its errors that no rule above reported at that
	 * place is reported under its own id.
	 */
	private void startsRefusal(SysplexConfig config) {
		Set<String> errorsAt = new java.util.HashSet<>();
		for (Finding f : findings) {
			if (f.severity() == Severity.ERROR) {
				errorsAt.add(f.file() + ":" + f.line());
			}
		}
		Set<String> warningsAt = new java.util.HashSet<>();
		for (Finding f : findings) {
			warningsAt.add(f.id() + " " + f.file() + ":" + f.line());
		}
		for (Diagnostic d : Sysplex.validate(config)) {
			if (d.isError() && errorsAt.add(show(d.file()) + ":" + d.line())) {
				add(fromDiagnostic(d));
			} else if (!d.isError() && START_ONLY_WARNINGS.contains(d.id())
					&& warningsAt.add(d.id() + " " + show(d.file()) + ":" + d.line())) {
				add(fromDiagnostic(d));
			}
		}
	}

	private SystemView view(SysplexConfig config, SystemDefinition s) {
		int rsedPort = Rse.DEFAULT_DAEMON_PORT;
		Optional<JclProc> rsed = proc(Sysplex.RSED_PROC, s);
		if (rsed.isPresent()) {
			JclProc.Parameter p = rsed.get().parameters().get("PORT");
			if (p != null) {
				try {
					rsedPort = Integer.parseInt(p.value().strip());
				} catch (NumberFormatException e) {
					// Sysplex.start reports it; the default is what RSED would not even start with
				}
			}
		}
		Optional<JclProc.Parameter> client = Optional.empty();
		Optional<Integer> clientPort = Optional.empty();
		Optional<JclProc> dbm = Optional.empty();
		if (s.starts("DBGMGR")) {
			dbm = proc(SysplexConfig.DBGMGR_PROC, s);
			if (dbm.isPresent()) {
				// the settings as the Debug Manager sees them: the PROC's, then its environment (ENVAR,
				// _CEE_ENVFILE); what that reading finds wrong is start's to say (startsRefusal)
				dbm = Optional.of(new JclProc(dbm.get().name(), dev.sysplex.host.dbm.DbmSettings.effective(dbm.get(), dir,
						new ArrayList<>()), dbm.get().parm()));
				client = Optional.ofNullable(dbm.get().parameters().get("CLIENT"));
				try {
					clientPort = Optional.of(client.map(p -> Integer.parseInt(p.value().strip()))
							.orElse(Dbm.DEFAULT_CLIENT_PORT));
				} catch (NumberFormatException e) {
					clientPort = Optional.empty(); // an undefined symbol, reported by proc()
				}
			}
		}
		return new SystemView(s, config.profile(s.name()), config.rseEnv(s.name()), rsedPort, client, clientPort, dbm);
	}

	/** The procedure as {@code system} would start it; a symbol it does not define is a finding. */
	private Optional<JclProc> proc(String name, SystemDefinition system) {
		Path file = dir.resolve(name);
		if (!Files.isRegularFile(file)) {
			return Optional.empty();
		}
		List<Diagnostic> d = new ArrayList<>();
		Optional<JclProc> proc;
		try {
			proc = JclProc.parse(Path.of(name), Files.readString(file, StandardCharsets.UTF_8), system.symbols(), d);
		} catch (IOException e) {
			add(new Finding("unreadable-file", Severity.ERROR, Path.of(name), 0, 0, "cannot be read: " + e.getMessage(),
					"make the file readable", List.of()));
			return Optional.empty();
		}
		for (Diagnostic x : d) {
			boolean symbol = x.id().equals(Diagnostic.UNDEFINED_SYMBOL);
			add(new Finding(x.id(), Severity.ERROR, show(x.file()), x.line(),
					x.column(), system.name() + ": " + x.message(), symbol ? "add SYMDEF(&NAME='value') to SYSTEM NAME("
							+ system.name() + ") in sysplex.conf, or use a symbol every system defines"
							: "correct the PROC statement", List.of(system.name())));
		}
		return proc;
	}

	// --- helpers --------------------------------------------------------------------------------

	/** What to do about each kind of the loader's diagnostics, by its id (never by its wording). */
	private static final Map<String, String> FIXES = Map.ofEntries(
			Map.entry(Diagnostic.SHARED_WORK_AREA, "give each system its own WORKAREA(...) and LOGS(...) in sysplex.conf"),
			Map.entry(Diagnostic.SHARED_CONFIG_DIFFERS, "move the setting to etc/zexpl/rse.env, shared by every system"),
			Map.entry(Diagnostic.UNDEFINED_SYMBOL, "define the symbol with SYMDEF(&NAME='value') on every SYSTEM in "
					+ "sysplex.conf"),
			Map.entry(Diagnostic.HOTSTANDBY_PREFERRED, "mark exactly one DESTIP target PREFERRED and the others BACKUP n"),
			Map.entry(Diagnostic.SYSPLEXPORTS_NOT_FIRST, "move SYSPLEXPORTS to the first VIPADISTRIBUTE of that DVIPA"),
			Map.entry(Diagnostic.DISTRIBUTE_UNKNOWN_DVIPA, "define the DVIPA with VIPADEFINE (or VIPABACKUP) in the same "
					+ "VIPADYNAMIC block, or correct the address"),
			Map.entry(Diagnostic.DISTRIBUTE_NEEDS_DYNAMICXCF, "add DYNAMICXCF with the system's XCF address to IPCONFIG"),
			Map.entry(Diagnostic.SYSPLEXROUTING_MISSING, "add SYSPLEXROUTING to IPCONFIG"),
			Map.entry(Diagnostic.METHOD_UNSUPPORTED, "choose BASEWLM, SERVERWLM, ROUNDROBIN, WEIGHTEDACTIVE or HOTSTANDBY"),
			Map.entry(Diagnostic.SYSTEM_CLASH, "give each system its own name, address and SYSCLONE"),
			Map.entry(Diagnostic.FILE_MISSING, "create the file or make it readable (docs/configuration.md, Layout)"),
			Map.entry(Diagnostic.ENV_SET_AGAIN, "keep one line per variable"),
			Map.entry(Diagnostic.NOT_MODELLED, "see docs/configuration.md; the statement is read as the message says"),
			Map.entry(Diagnostic.NO_EFFECT, "remove it, or write what was meant"),
			Map.entry(Diagnostic.UNKNOWN_STATEMENT, "correct the statement's name, or remove it"),
			Map.entry(Diagnostic.PROC_VALUE, "correct the PROC parameter"),
			Map.entry(Diagnostic.RSE_ENV_VALUE, "correct the value in rse.env (docs/configuration.md, RSE)"),
			Map.entry(Diagnostic.DBM_SETTING_VALUE, "correct the Debug Manager's parameter in proclib/DBGMGR"),
			Map.entry(Diagnostic.DBM_SETTING_CONFLICT, "set it in one place: remove it from the PROC or from the "
					+ "environment (ENVAR in the PARM, the _CEE_ENVFILE file)"),
			Map.entry(Diagnostic.ENV_SYNTAX, "write the line as NAME=value"));

	private Finding fromDiagnostic(Diagnostic d) {
		String fix = FIXES.getOrDefault(d.id(), "correct the statement (docs/configuration.md describes it)");
		return new Finding(d.id(), d.isError() ? Severity.ERROR : Severity.WARNING, show(d.file()), d.line(), d.column(),
				d.message(), fix, List.of());
	}

	private Path show(Path p) {
		Path abs = p.isAbsolute() ? p : Path.of("").toAbsolutePath().resolve(p).normalize();
		if (abs.startsWith(dir)) {
			return dir.relativize(abs);
		}
		return p.isAbsolute() ? p : p.normalize();
	}

	private void add(Finding f) {
		findings.add(f);
	}
}
