package dev.sysplex.host.check;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.sysplex.host.Sysplex;
import dev.sysplex.config.ConfigException;
import dev.sysplex.config.Diagnostic;
import dev.sysplex.config.EnvFile;
import dev.sysplex.config.JclProc;
import dev.sysplex.config.SysplexConfig;
import dev.sysplex.config.SystemDefinition;
import dev.sysplex.config.TcpipProfile;
import dev.sysplex.config.TcpipProfile.DistMethod;
import dev.sysplex.config.TcpipProfile.VipaDistribute;
import dev.sysplex.host.check.Finding.Severity;
import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Rse;

/**
 * Reads a sysplex directory's statements as a system programmer wrote them and says what will go
 * wrong before anything runs: the pitfalls docs/configuration.md lists and IBM's warnings, each as a
 * {@link Finding} with file:line, a one-line explanation and the fix. Nothing is started.
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
		c.findings.sort(Comparator.comparing((Finding f) -> f.file().toString()).thenComparingInt(Finding::line)
				.thenComparingInt(Finding::column).thenComparing(Finding::id));
		return List.copyOf(c.findings);
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

	/** What one system runs, as its statements say. */
	private record SystemView(SystemDefinition def, TcpipProfile profile, EnvFile rseEnv, int rsedPort,
			Optional<JclProc.Parameter> client, Optional<Integer> clientPort, Optional<JclProc> dbmProc) {
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
		// the systems that run RSED, and the VIPADISTRIBUTE that takes their daemon port (if any)
		List<SystemView> rsed = systems.stream().filter(s -> s.def().starts("RSED")).toList();
		Optional<VipaDistribute> rsedRule = rsed.isEmpty() ? Optional.empty() : ruleFor(systems, rsed.get(0).rsedPort());
		Set<String> reported = new LinkedHashSet<>();
		rsedRule.ifPresent(rule -> rsedDistribution(config, systems, rsed, rule, reported));
		sysplexPortsPlacement(systems, reported);
		rseEnvFlags(config, rsed, rsedRule.isPresent());
		portRanges(rsed);
		debugManagers(systems, rsedRule);
		sslSettings(config);
		vipaBackups(systems);
		for (Diagnostic d : config.warnings()) {
			if (!reported.contains(show(d.file()) + ":" + d.line())) {
				add(fromDiagnostic(d));
			}
		}
		startsRefusal(config);
	}

	/**
	 * Whatever `sysplex start` refuses is an error here too, at the same file:line: start's own
	 * validation runs (nothing is started), and each of its errors that no rule above reported at that
	 * place is reported under its own id.
	 */
	/** Warnings only start's reading finds (of the Debug Manager's environment), reported as they are. */
	private static final Set<String> START_ONLY_WARNINGS = Set.of(Diagnostic.DBM_SETTING_CONFLICT);

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

	// --- RSED behind the DVIPA -------------------------------------------------------------

	/** The first VIPADISTRIBUTE (in any profile) that distributes {@code port}, with its owner's name. */
	private static Optional<VipaDistribute> ruleFor(List<SystemView> systems, int port) {
		for (SystemView s : systems) {
			for (VipaDistribute d : s.profile().vipaDistributes()) {
				if (!d.delete() && d.distributes(port)) {
					return Optional.of(d);
				}
			}
		}
		return Optional.empty();
	}

	/** True when some VIPADISTRIBUTE of the DVIPA {@code address} (in any profile) distributes {@code port}. */
	private static boolean distributedOn(List<SystemView> systems, Inet4Address address, int port) {
		return systems.stream().flatMap(s -> s.profile().vipaDistributes().stream())
				.anyMatch(d -> !d.delete() && d.address().equals(address) && d.distributes(port));
	}

	/** The systems a VIPADISTRIBUTE sends connections to that also run {@code task}. */
	private static List<String> targets(VipaDistribute d, List<SystemView> systems, String task) {
		List<String> names = new ArrayList<>();
		for (SystemView s : systems) {
			if (!s.def().starts(task)) {
				continue;
			}
			boolean target = d.destIpAll() ? s.profile().ipConfig().sysplexRouting()
					: d.destinations().stream().anyMatch(t -> s.profile().ipConfig().dynamicXcf()
							.map(x -> x.equals(t.address())).orElse(false));
			if (target) {
				names.add(s.def().name());
			}
		}
		return names;
	}

	/** The RSED port's distribution (RSED without a DVIPA, each system on its own address, has none to check). */
	private void rsedDistribution(SysplexConfig config, List<SystemView> systems, List<SystemView> rsed,
			VipaDistribute d, Set<String> reported) {
		int port = rsed.get(0).rsedPort();
		Path file = show(d.position().file());
		List<String> targets = targets(d, systems, "RSED");
		boolean tls = config.sslProperties().flag("enable_ssl")
				&& systems.stream().allMatch(s -> ownSsl(s.def().name()).map(e -> e.flag("enable_ssl")).orElse(true));
		if (d.method() == DistMethod.ROUNDROBIN && targets.size() > 1 && targets.size() % 2 == 0 && !tls) {
			List<String> landing = new ArrayList<>();
			for (int i = 1; i < targets.size(); i += 2) {
				landing.add(targets.get(i));
			}
			add(new Finding("roundrobin-even-plain", Severity.WARNING, file, d.position().line(), d.position().column(),
					"DISTMETHOD ROUNDROBIN on the RSED port " + port + " spreads over " + targets.size() + " systems "
							+ targets + " while encryption is off: a client that tries TLS first and retries in plain "
							+ "uses two daemon connections per logon, so every logon lands on " + landing,
					"turn encryption on (enable_ssl=true in etc/zexpl/ssl.properties), or use DISTMETHOD BASEWLM or "
							+ "WEIGHTEDACTIVE, or an odd number of targets; clients can remember that TLS is refused",
					targets));
		}
		if (d.method() == DistMethod.SERVERWLM) {
			add(new Finding("serverwlm-rsed", Severity.WARNING, file, d.position().line(), d.position().column(),
					"DISTMETHOD SERVERWLM on the RSED port " + port + " weighs the RSE daemon, which only authenticates; "
							+ "the RSE server threads that do the work are not weighed",
					"use DISTMETHOD BASEWLM or WEIGHTEDACTIVE (or ROUNDROBIN with encryption on) for the RSED port",
					targets));
		}
		boolean sysplexPorts = systems.stream().flatMap(s -> s.profile().vipaDistributes().stream())
				.anyMatch(x -> !x.delete() && x.address().equals(d.address()) && x.sysplexPorts());
		if (!sysplexPorts && !uniqueRanges(rsed)) {
			add(new Finding("no-sysplexports", Severity.ERROR, file, d.position().line(), d.position().column(),
					"the DVIPA " + d.address().getHostAddress() + " of RSED has no SYSPLEXPORTS and the systems have no "
							+ "unique _RSE_PORTRANGE: RSE server ports collide between systems, and a client's second "
							+ "connection can reach the wrong system",
					"add SYSPLEXPORTS to the first VIPADISTRIBUTE of " + d.address().getHostAddress()
							+ " (with STRUCTURE NAME(EZBEPORT) in cfrm.policy), or give each system its own "
							+ "_RSE_PORTRANGE in systems/SYSNAME/rse.env",
					targets));
		}
		if (sysplexPorts) {
			for (SystemView s : rsed) {
				s.rseEnv().entry("_RSE_PORTRANGE").ifPresent(e -> {
					reported.add(show(e.file()) + ":" + e.line());
					add(new Finding("reservation-ignored", Severity.WARNING, show(e.file()), e.line(), 1,
							s.def().name() + ": _RSE_PORTRANGE=" + e.value() + " is set while the DVIPA "
									+ d.address().getHostAddress() + " has SYSPLEXPORTS, which makes RSE server "
									+ "ports unique only when RSED leaves the choice to the stack",
							"remove _RSE_PORTRANGE (or drop SYSPLEXPORTS and give each system its own range)",
							List.of(s.def().name())));
				});
				for (TcpipProfile.PortReservation r : s.profile().reservations()) {
					// a reservation for RSE's servers names RSED (or a prefix of it); one for any job ("*", as
					// IBM's sample has for FTP's PORT 20 TCP * NOAUTOLOG, or 623 TCP * SAF) reserves nothing for them
					boolean forServers = !r.jobName().equals("*") && r.allows("RSED")
							&& !(r.low() == r.high() && r.low() == s.rsedPort());
					if (forServers) {
						add(new Finding("reservation-ignored", Severity.WARNING, show(r.position().file()),
								r.position().line(), r.position().column(), s.def().name() + ": "
										+ (r.range() ? "PORTRANGE " : "PORT ") + r.low()
										+ (r.range() ? "-" + r.high() : "") + " for " + r.jobName()
										+ " reserves RSE server ports that SYSPLEXPORTS hands out on the DVIPA "
										+ d.address().getHostAddress() + " anyway",
								"remove the reservation; keep only PORT " + s.rsedPort() + " TCP RSED for the daemon",
								List.of(s.def().name())));
					}
				}
			}
			if (!config.hasEzbeportStructure()) {
				add(new Finding("sysplexports-no-ezbeport", Severity.ERROR, file, d.position().line(),
						d.position().column(), "SYSPLEXPORTS needs the EZBEPORT structure in the coupling facility, "
								+ "and cfrm.policy defines none: the DVIPA cannot hand out sysplex-unique ports",
						"add STRUCTURE NAME(EZBEPORT) SIZE(...) PREFLIST(...) to cfrm.policy", targets));
			}
		}
	}

	/** The SYSPLEXPORTS of a DVIPA counts only on its first VIPADISTRIBUTE (in each profile). */
	private void sysplexPortsPlacement(List<SystemView> systems, Set<String> reported) {
		for (SystemView s : systems) {
			Map<Inet4Address, VipaDistribute> first = new LinkedHashMap<>();
			for (VipaDistribute d : s.profile().vipaDistributes()) {
				if (d.delete()) {
					continue;
				}
				VipaDistribute f = first.putIfAbsent(d.address(), d);
				if (f != null && d.sysplexPorts() && !f.sysplexPorts()) {
					Path file = show(d.position().file());
					reported.add(file + ":" + d.position().line());
					add(new Finding("sysplexports-not-first", Severity.ERROR, file, d.position().line(),
							d.position().column(), "SYSPLEXPORTS on a later VIPADISTRIBUTE of "
									+ d.address().getHostAddress() + " is ignored: the stack takes it from the first "
									+ "one (line " + f.position().line() + ")",
							"move SYSPLEXPORTS to the first VIPADISTRIBUTE of " + d.address().getHostAddress(),
							List.of(s.def().name())));
				}
			}
		}
	}

	private void rseEnvFlags(SysplexConfig config, List<SystemView> rsedSystems, boolean behindDvipa) {
		if (rsedSystems.isEmpty()) {
			return;
		}
		List<String> rsed = rsedSystems.stream().map(s -> s.def().name()).toList();
		EnvFile shared = config.sharedRseEnv();
		flag(shared, "enable.dDVIPA", behindDvipa ? Severity.ERROR : null, "enable-ddvipa",
				"RSE servers bind the system's own address, so a client's second connection through the DVIPA cannot "
						+ "reach them",
				"set enable.dDVIPA=true in etc/zexpl/rse.env", rsed);
		flag(shared, "deny.nonzero.port", Severity.WARNING, "deny-nonzero-port",
				"clients may ask for their own RSE server port, which defeats SYSPLEXPORTS and _RSE_PORTRANGE",
				"set deny.nonzero.port=true in etc/zexpl/rse.env", rsed);
	}

	private void flag(EnvFile env, String key, Severity severity, String id, String why, String fix,
			List<String> systems) {
		if (severity == null) {
			return;
		}
		Optional<EnvFile.Entry> e = env.entry(key);
		if (e.isPresent() && e.get().value().strip().equalsIgnoreCase("true")) {
			return;
		}
		add(new Finding(id, severity, show(e.map(EnvFile.Entry::file).orElse(env.file())), e.map(EnvFile.Entry::line)
				.orElse(0), e.isPresent() ? 1 : 0, key + (e.isPresent() ? "=" + e.get().value() : " is not set") + ": "
						+ why, fix, systems));
	}

	/** True when every RSED system has its own _RSE_PORTRANGE and none overlap. */
	private static boolean uniqueRanges(List<SystemView> rsed) {
		List<int[]> ranges = new ArrayList<>();
		for (SystemView s : rsed) {
			Optional<int[]> r = range(s.rseEnv());
			if (r.isEmpty()) {
				return false;
			}
			ranges.add(r.get());
		}
		for (int i = 0; i < ranges.size(); i++) {
			for (int j = i + 1; j < ranges.size(); j++) {
				if (overlap(ranges.get(i), ranges.get(j))) {
					return false;
				}
			}
		}
		return true;
	}

	private static Optional<int[]> range(EnvFile env) {
		return env.get("_RSE_PORTRANGE").map(v -> {
			String[] p = v.split("-");
			try {
				return new int[] { Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip()) };
			} catch (RuntimeException e) {
				return null;
			}
		});
	}

	private static boolean overlap(int[] a, int[] b) {
		return a[0] < b[1] && b[0] < a[1]; // max is exclusive
	}

	/** Per-system _RSE_PORTRANGE overrides must not overlap (the same range shared is an overlap too). */
	private void portRanges(List<SystemView> rsed) {
		for (int i = 0; i < rsed.size(); i++) {
			for (int j = i + 1; j < rsed.size(); j++) {
				SystemView a = rsed.get(i);
				SystemView b = rsed.get(j);
				Optional<int[]> ra = range(a.rseEnv());
				Optional<int[]> rb = range(b.rseEnv());
				if (ra.isPresent() && rb.isPresent() && overlap(ra.get(), rb.get())) {
					EnvFile.Entry e = b.rseEnv().entry("_RSE_PORTRANGE").orElseThrow();
					EnvFile.Entry other = a.rseEnv().entry("_RSE_PORTRANGE").orElseThrow();
					add(new Finding("portrange-overlap", Severity.ERROR, show(e.file()), e.line(), 1,
							"_RSE_PORTRANGE of " + b.def().name() + " (" + e.value() + ") overlaps that of "
									+ a.def().name() + " (" + other.value() + ", " + show(other.file()) + ":"
									+ other.line() + "): RSE servers of both systems can get the same port",
							"give each system a range of its own in systems/SYSNAME/rse.env",
							List.of(a.def().name(), b.def().name())));
				}
			}
		}
	}

	// --- Debug Managers ------------------------------------------------------------------------

	private void debugManagers(List<SystemView> systems, Optional<VipaDistribute> rule) {
		Path conf = Path.of(SysplexConfig.SYSPLEX_CONF);
		boolean procExists = Files.isRegularFile(dir.resolve(SysplexConfig.DBGMGR_PROC));
		for (SystemView s : systems) {
			if (s.def().starts("RSED") && (!s.def().starts("DBGMGR") || !procExists)) {
				// a warning: many sites run RSED without z/OS Debugger; where it is used, this loses sessions
				add(new Finding("rsed-without-dbm", Severity.WARNING, show(s.def().definedIn()), s.def().line(), 1,
						s.def().name() + " runs RSED but no Debug Manager" + (procExists ? "" : " (proclib/DBGMGR is "
								+ "missing)") + ": debug sessions never reach clients logged on to " + s.def().name(),
						procExists ? "if the site debugs with z/OS Debugger, add DBGMGR to START(...) of SYSTEM NAME("
								+ s.def().name() + ")"
								: "if the site debugs with z/OS Debugger, add the DBGMGR procedure to proclib/ and "
										+ "start it on every RSED system",
						List.of(s.def().name())));
			}
		}
		Map<Integer, List<SystemView>> byPort = new TreeMap<>();
		for (SystemView s : systems) {
			s.clientPort().ifPresent(p -> byPort.computeIfAbsent(p, k -> new ArrayList<>()).add(s));
		}
		byPort.forEach((port, users) -> {
			if (users.size() > 1) {
				SystemView s = users.get(1);
				JclProc.Parameter p = s.client().orElse(null);
				add(new Finding("dbm-client-port-not-unique", Severity.ERROR,
						p == null ? Path.of(SysplexConfig.DBGMGR_PROC) : show(p.file()), p == null ? 0 : p.line(),
						p == null ? 0 : p.column(), "the Debug Managers of " + users.stream().map(u -> u.def().name())
								.toList() + " all use CLIENT port " + port + ": through the DVIPA a debugger reaches "
								+ "only one of them, and sessions waiting on the others are lost",
						"give each system its own CLIENT port, e.g. CLIENT=&EQADBM with SYMDEF(&EQADBM='53nn') per "
								+ "system (a SYSCLONE such as 0A is no digit: CLIENT=53&SYSCLONE. would give 530A)",
						users.stream().map(u -> u.def().name()).toList()));
			}
		});
		trustedTcp(systems);
		hub(systems);
		if (rule.isPresent()) {
			VipaDistribute d = rule.get();
			List<String> missing = new ArrayList<>();
			List<Integer> ports = new ArrayList<>();
			for (SystemView s : systems) {
				if (s.clientPort().isPresent() && !distributedOn(systems, d.address(), s.clientPort().get())) {
					missing.add(s.def().name());
					ports.add(s.clientPort().get());
				}
			}
			if (!missing.isEmpty()) {
				add(new Finding("dbm-client-port-not-distributed", Severity.ERROR, show(d.position().file()),
						d.position().line(), d.position().column(), "CLIENT port(s) " + ports + " of the Debug Managers of "
								+ missing + " are not in VIPADISTRIBUTE PORT of " + d.address().getHostAddress()
								+ ": a debugger connecting through the DVIPA reaches only the owning stack",
						"add " + ports.stream().map(String::valueOf).reduce((a, b) -> a + " " + b).orElse("")
								+ " to the PORT operand of that VIPADISTRIBUTE",
						missing));
			}
		}
	}

	/**
	 * Debug Managers on more than one RSED system with no hub (HUBIP): each knows only the users
	 * logged on to its own system, so a job debugged on one system never reaches a user logged on to
	 * another; the runtime is quiet about it (each Debug Manager runs alone). One finding, at the
	 * shared PROC, naming the systems.
	 */
	private void hub(List<SystemView> systems) {
		List<SystemView> alone = systems.stream().filter(s -> s.def().starts("RSED") && s.dbmProc().isPresent()
				&& s.dbmProc().get().get("HUBIP").map(String::isBlank).orElse(true)).toList();
		long withDbm = systems.stream().filter(s -> s.def().starts("RSED") && s.dbmProc().isPresent()).count();
		if (withDbm < 2) {
			return;
		}
		if (alone.isEmpty()) {
			return;
		}
		List<String> names = alone.stream().map(s -> s.def().name()).toList();
		add(new Finding("dbm-no-hub", Severity.WARNING, Path.of(SysplexConfig.DBGMGR_PROC), 1, 1, "the Debug Managers of "
				+ names + " have no hub (no HUBIP): each knows only the users logged on to its own system, so a job "
				+ "started with TEST(,,,DBMDT%userid) on one never reaches a user logged on to another",
				"name one system's Debug Manager the hub in proclib/DBGMGR: HUBIP=its address,HUBPORT=5337 for every "
						+ "system (the hub's own address makes it the hub)",
				names));
	}

	/**
	 * TRUSTEDTCP=OFF on a Debug Manager with sysplex support: its hub port takes any program as a
	 * Debug Manager (and a secondary trusts whatever answers at the hub's address), so users' debug
	 * sessions and their tokens go to whoever connects. One finding per place it is written.
	 */
	private void trustedTcp(List<SystemView> systems) {
		Map<String, List<String>> offAt = new TreeMap<>();
		Map<String, JclProc.Parameter> where = new TreeMap<>();
		for (SystemView s : systems) {
			Optional<JclProc> proc = s.dbmProc();
			if (proc.isEmpty() || proc.get().get("HUBIP").map(String::isBlank).orElse(true)) {
				continue;
			}
			JclProc.Parameter p = proc.get().parameters().get("TRUSTEDTCP");
			if (p != null && List.of("OFF", "NO").contains(p.value().strip().toUpperCase(java.util.Locale.ROOT))) {
				String key = show(p.file()) + ":" + p.line() + ":" + p.column();
				offAt.computeIfAbsent(key, k -> new ArrayList<>()).add(s.def().name());
				where.put(key, p);
			}
		}
		offAt.forEach((key, names) -> {
			JclProc.Parameter p = where.get(key);
			add(new Finding("trustedtcp-off", Severity.WARNING, show(p.file()), p.line(), p.column(),
					"TRUSTEDTCP=OFF for the Debug Managers of " + names + ": the hub accepts any program that connects "
							+ "to its port as a Debug Manager, and a secondary trusts whatever answers at the hub's "
							+ "address; either can receive users' waiting debug sessions and their session tokens",
					"set TRUSTEDTCP=ON (the default here; every Debug Manager of the sysplex proves it holds the "
							+ "sysplex's key, security/ptktdata)",
					names));
		});
	}

	// --- shared configuration ------------------------------------------------------------------

	private Optional<EnvFile> ownSsl(String system) {
		Path f = dir.resolve("systems").resolve(system).resolve("ssl.properties");
		if (!Files.isRegularFile(f)) {
			return Optional.empty();
		}
		try {
			return Optional.of(EnvFile.parse(Path.of("systems", system, "ssl.properties"),
					Files.readString(f, StandardCharsets.UTF_8), new ArrayList<>()));
		} catch (IOException e) {
			return Optional.empty();
		}
	}

	/** ssl.properties is shared on z/OS (/etc/zexpl); a system's own copy that differs splits the sysplex. */
	private void sslSettings(SysplexConfig config) {
		EnvFile shared = config.sslProperties();
		for (SystemDefinition s : config.systems()) {
			Optional<EnvFile> own = ownSsl(s.name());
			if (own.isEmpty()) {
				continue;
			}
			Set<String> keys = new LinkedHashSet<>(shared.entries().keySet());
			keys.addAll(own.get().entries().keySet());
			for (String key : keys) {
				Optional<String> a = shared.get(key);
				Optional<String> b = own.get().get(key);
				if (!a.equals(b)) {
					int line = own.get().entry(key).map(EnvFile.Entry::line).orElse(0);
					add(new Finding("ssl-differs", Severity.ERROR, own.get().file(), line, line > 0 ? 1 : 0,
							s.name() + " has " + key + "=" + b.orElse("(not set)") + " where the other systems have "
									+ key + "=" + a.orElse("(not set)") + " (" + show(shared.file()) + "): clients "
									+ "get a different encryption depending on the system the DVIPA picks",
							"keep ssl.properties only in etc/zexpl/, shared by every system", List.of(s.name())));
				}
			}
		}
	}

	// --- DVIPA availability --------------------------------------------------------------------

	/**
	 * A DVIPA that only one system can own dies with it. The stacks that can own it are those with its
	 * VIPADEFINE (the first to start owns it, the others take over in turn) and those with its
	 * VIPABACKUP, as the runtime orders them; one finding per DVIPA, at its first VIPADEFINE.
	 */
	private void vipaBackups(List<SystemView> systems) {
		Map<Inet4Address, List<SystemView>> owners = new java.util.LinkedHashMap<>();
		Map<Inet4Address, TcpipProfile.VipaDefine> firstDefine = new java.util.LinkedHashMap<>();
		for (SystemView s : systems) {
			for (TcpipProfile.VipaDefine v : s.profile().vipaDefines()) {
				for (Inet4Address a : v.addresses()) {
					firstDefine.putIfAbsent(a, v);
					List<SystemView> list = owners.computeIfAbsent(a, k -> new ArrayList<>());
					if (!list.contains(s)) {
						list.add(s);
					}
				}
			}
			for (TcpipProfile.VipaBackup b : s.profile().vipaBackups()) {
				for (Inet4Address a : b.addresses()) {
					List<SystemView> list = owners.computeIfAbsent(a, k -> new ArrayList<>());
					if (!list.contains(s)) {
						list.add(s);
					}
				}
			}
		}
		firstDefine.forEach((a, v) -> {
			List<SystemView> can = owners.get(a);
			if (can.size() < 2) {
				String owner = can.get(0).def().name();
				add(new Finding("no-vipabackup", Severity.WARNING, show(v.position().file()), v.position().line(),
						v.position().column(), "only " + owner + " can own " + a.getHostAddress() + " (no other system "
								+ "has VIPADEFINE or VIPABACKUP for it): when " + owner + " ends, the DVIPA and every "
								+ "logon through it end too",
						"add VIPABACKUP 100 " + a.getHostAddress() + " (and the same VIPADISTRIBUTE) to the profile of "
								+ "another system",
						List.of(owner)));
			}
		});
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
