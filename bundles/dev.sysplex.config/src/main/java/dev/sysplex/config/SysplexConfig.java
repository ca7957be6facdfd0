package dev.sysplex.config;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sysplex read from its directory, as docs/configuration.md lays it out:
 *
 * <pre>
 * sysplex.conf                       SYSPLEX and SYSTEM statements (names, SYSCLONE, addresses, symbols)
 * cfrm.policy                        coupling facility structures (STRUCTURE NAME(EZBEPORT) ...)
 * etc/zexpl/rse.env                  shared RSE configuration, as /etc/zexpl on z/OS
 * etc/zexpl/ssl.properties           shared encryption settings
 * proclib/DBGMGR                     the Debug Manager started-task JCL (shared, with symbols)
 * systems/SYSNAME/PROFILE.TCPIP      each system's TCP/IP profile
 * systems/SYSNAME/rse.env            optional per-system override (only what z/OS allows per system)
 * </pre>
 *
 * {@link #load(Path)} either returns a complete configuration or throws a ConfigException with
 * every error found: nothing is ever started half-configured.
 */
public final class SysplexConfig {

	public static final String SYSPLEX_CONF = "sysplex.conf";
	public static final String CFRM_POLICY = "cfrm.policy";
	public static final String RSE_ENV = "etc/zexpl/rse.env";
	public static final String SSL_PROPERTIES = "etc/zexpl/ssl.properties";
	public static final String DBGMGR_PROC = "proclib/DBGMGR";
	public static final String PROFILE = "PROFILE.TCPIP";

	/** rse.env keys z/OS lets each system set on its own; any other per-system key breaks the shared configuration. */
	public static final Set<String> PER_SYSTEM_RSE_KEYS = Set.of("_RSE_PORTRANGE", "daemon.log", "user.log");

	/** The started tasks Sysplex Explorer runs on a system, in START order. */
	public static final List<String> STARTED_TASKS = List.of("DBGMGR", "RSED");

	private static final Pattern SYSTEM_NAME = Pattern.compile("[A-Z@#$][A-Z0-9@#$]{0,7}");
	private static final Pattern SYSCLONE = Pattern.compile("[A-Z0-9@#$]{1,2}");
	private static final Pattern SYMDEF = Pattern.compile("&([A-Za-z@#$][A-Za-z0-9@#$_]{0,7})\\.?\\s*=\\s*'((?:[^']|'')*)'");

	private final Path directory;
	private final String sysplexName;
	private final List<SystemDefinition> systems;
	private final Map<String, TcpipProfile> profiles;
	private final Map<String, EnvFile> rseEnv;
	private final EnvFile sharedRseEnv;
	private final EnvFile sslProperties;
	private final Set<String> cfStructures;
	private final List<Diagnostic> warnings;

	private SysplexConfig(Path directory, String sysplexName, List<SystemDefinition> systems,
			Map<String, TcpipProfile> profiles, EnvFile sharedRseEnv, Map<String, EnvFile> rseEnv,
			EnvFile sslProperties, Set<String> cfStructures, List<Diagnostic> warnings) {
		this.directory = directory;
		this.sysplexName = sysplexName;
		this.systems = List.copyOf(systems);
		this.profiles = Collections.unmodifiableMap(profiles);
		this.sharedRseEnv = sharedRseEnv;
		this.rseEnv = Collections.unmodifiableMap(rseEnv);
		this.sslProperties = sslProperties;
		this.cfStructures = Collections.unmodifiableSet(cfStructures);
		this.warnings = List.copyOf(warnings);
	}

	public Path directory() {
		return directory;
	}

	public String sysplexName() {
		return sysplexName;
	}

	public List<SystemDefinition> systems() {
		return systems;
	}

	public Optional<SystemDefinition> system(String name) {
		return systems.stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
	}

	public TcpipProfile profile(String systemName) {
		return profiles.get(systemName);
	}

	/** The rse.env a system sees: the shared file with its own overrides on top. */
	public EnvFile rseEnv(String systemName) {
		return rseEnv.get(systemName);
	}

	public EnvFile sharedRseEnv() {
		return sharedRseEnv;
	}

	public EnvFile sslProperties() {
		return sslProperties;
	}

	/** Names of the coupling facility structures the CFRM policy defines. */
	public Set<String> cfStructures() {
		return cfStructures;
	}

	/** z/OS names the sysplex ports structure EZBEPORT (EZBEPORTvvtt with an XCF group suffix). */
	public boolean hasEzbeportStructure() {
		return cfStructures.stream().anyMatch(s -> s.startsWith("EZBEPORT"));
	}

	/** Warnings found while loading (the load succeeded). */
	public List<Diagnostic> warnings() {
		return warnings.stream().filter(d -> d.severity() == Diagnostic.Severity.WARNING).toList();
	}

	/** What the loader read and set aside because it cannot change what a DVIPA does (INFO). */
	public List<Diagnostic> ignored() {
		return warnings.stream().filter(d -> d.severity() == Diagnostic.Severity.INFO).toList();
	}

	/** Reads and checks a sysplex directory. */
	public static SysplexConfig load(Path directory) throws ConfigException {
		Path dir = directory.toAbsolutePath().normalize();
		List<Diagnostic> d = new ArrayList<>();
		Path conf = dir.resolve(SYSPLEX_CONF);
		if (!Files.isDirectory(dir)) {
			throw new ConfigException(Diagnostic.error(Diagnostic.FILE_MISSING, dir, 0, 0, "is not a directory; expected a sysplex directory "
					+ "with " + SYSPLEX_CONF + " (see examples/ and docs/configuration.md)"));
		}
		if (!Files.isRegularFile(conf)) {
			throw new ConfigException(Diagnostic.error(Diagnostic.FILE_MISSING, rel(dir, conf), 0, 0, "is missing; a sysplex directory "
					+ "needs SYSPLEX and SYSTEM statements there (see examples/two-systems/sysplex.conf)"));
		}
		String sysplexName = "SYSPLEX";
		List<SystemDefinition> systems = new ArrayList<>();
		Path confRel = rel(dir, conf);
		List<OperandStatements.Statement> statements = OperandStatements.parse(confRel, read(conf, d, confRel),
				Set.of("SYSPLEX", "SYSTEM"), d);
		List<SysDef> sysdefs = new ArrayList<>();
		for (OperandStatements.Statement s : statements) { // SYSPLEX first: its IEASYM members serve every SYSTEM
			if (s.verb().equals("SYSPLEX")) {
				String name = s.first("NAME");
				if (name == null || !SYSTEM_NAME.matcher(name.toUpperCase(Locale.ROOT)).matches()) {
					d.add(Diagnostic.error(Diagnostic.CONF_SYNTAX, confRel, s.line(), s.column(), "SYSPLEX needs NAME(name), 1-8 characters"));
				} else {
					sysplexName = name.toUpperCase(Locale.ROOT);
				}
				String suffixes = s.first("IEASYM");
				if (suffixes != null) {
					sysdefs.addAll(ieasym(dir, confRel, s, suffixes, d));
				}
			}
		}
		for (OperandStatements.Statement s : statements) {
			switch (s.verb()) {
			case "SYSPLEX" -> {
			}
			case "SYSTEM" -> systemStatement(dir, confRel, s, sysdefs, systems, d);
			default -> d.add(Diagnostic.warning(Diagnostic.UNKNOWN_STATEMENT, confRel, s.line(), s.column(), "unknown statement " + s.verb()
					+ "; expected SYSPLEX or SYSTEM; ignored"));
			}
		}
		if (systems.isEmpty() && d.stream().noneMatch(Diagnostic::isError)) {
			d.add(Diagnostic.error(Diagnostic.CONF_SYNTAX, confRel, 0, 0, "defines no system; expected at least one SYSTEM statement"));
		}
		final String plexName = sysplexName;
		systems.replaceAll(s -> new SystemDefinition(s.name(), s.sysclone(), s.address(),
				s.symbols().with(Map.of("SYSPLEX", plexName)), s.wlmWeight(), s.workArea(), s.logs(), s.startedTasks(),
				s.definedIn(), s.line()));
		checkUnique(systems, confRel, d);

		Set<String> structures = new LinkedHashSet<>();
		Path cfrm = dir.resolve(CFRM_POLICY);
		if (Files.isRegularFile(cfrm)) {
			Path cfrmRel = rel(dir, cfrm);
			for (OperandStatements.Statement s : OperandStatements.parse(cfrmRel, read(cfrm, d, cfrmRel),
					Set.of("DATA", "DEFINE", "CF", "STRUCTURE", "CFRM"), d)) {
				if (s.verb().equals("STRUCTURE")) {
					String name = s.first("NAME");
					if (name == null) {
						d.add(Diagnostic.error(Diagnostic.CONF_SYNTAX, cfrmRel, s.line(), s.column(), "STRUCTURE needs NAME(name)"));
					} else {
						structures.add(name.toUpperCase(Locale.ROOT));
					}
				} else if (!Set.of("DATA", "DEFINE", "CF").contains(s.verb())) {
					d.add(Diagnostic.warning(Diagnostic.NOT_MODELLED, cfrmRel, s.line(), s.column(), "statement " + s.verb()
							+ " is not modelled; only STRUCTURE NAME(...) is read"));
				}
			}
		}

		EnvFile shared = optionalEnv(dir, RSE_ENV, d);
		EnvFile ssl = optionalEnv(dir, SSL_PROPERTIES, d);
		Map<String, TcpipProfile> profiles = new LinkedHashMap<>();
		Map<String, EnvFile> rse = new LinkedHashMap<>();
		for (SystemDefinition sys : systems) {
			Path profile = dir.resolve("systems").resolve(sys.name()).resolve(PROFILE);
			Path profileRel = rel(dir, profile);
			if (!Files.isRegularFile(profile)) {
				d.add(Diagnostic.error(Diagnostic.FILE_MISSING, profileRel, 0, 0, "is missing; system " + sys.name()
						+ " needs its TCP/IP profile there"));
			} else {
				TcpipProfileParser.Result r = TcpipProfileParser.parse(profileRel, read(profile, d, profileRel),
						sys.symbols(), includes(dir));
				d.addAll(r.diagnostics());
				profiles.put(sys.name(), r.profile());
			}
			Path override = dir.resolve("systems").resolve(sys.name()).resolve("rse.env");
			EnvFile env = shared;
			if (Files.isRegularFile(override)) {
				Path overrideRel = rel(dir, override);
				EnvFile own = EnvFile.parse(overrideRel, read(override, d, overrideRel), d);
				own.entries().forEach((k, e) -> {
					if (!PER_SYSTEM_RSE_KEYS.contains(k)) {
						d.add(Diagnostic.warning(Diagnostic.SHARED_CONFIG_DIFFERS, overrideRel, e.line(), 1, k + " is set for " + sys.name()
								+ " only; z/OS shares it among all systems (only " + PER_SYSTEM_RSE_KEYS
								+ " may differ): set it in " + RSE_ENV));
					}
				});
				env = shared.overriddenBy(own);
			}
			rse.put(sys.name(), env);
		}
		List<Diagnostic> errors = d.stream().filter(Diagnostic::isError).toList();
		if (!errors.isEmpty()) {
			throw new ConfigException(d);
		}
		return new SysplexConfig(dir, sysplexName, systems, profiles, shared, rse, ssl, structures, d);
	}

	/**
	 * One SYSDEF statement of an IEASYMxx member: its filters (HWNAME, LPARNAME, VMUSERID: empty
	 * when not given) and what it sets for the systems it applies to.
	 */
	record SysDef(Optional<String> hwName, Optional<String> lparName, Optional<String> vmUserId,
			Optional<String> sysName, Optional<String> sysClone, Map<String, String> symbols, Path file, int line) {

		boolean filtered() {
			return hwName.isPresent() || lparName.isPresent() || vmUserId.isPresent();
		}

		/**
		 * Whether it applies to the SYSTEM: no filter applies to all; else its LPARNAME must be the
		 * SYSTEM's, and its HWNAME too when the SYSTEM gives one (an LPAR name is unique in the
		 * sysplex here); a SYSTEM that gives neither is matched by the SYSDEF's SYSNAME instead
		 * (sysplex.conf need not repeat what the hardware says). VMUSERID (z/VM guests) never matches.
		 */
		boolean appliesTo(String name, Optional<String> hw, Optional<String> lpar) {
			if (!filtered()) {
				return true;
			}
			if (hw.isEmpty() && lpar.isEmpty()) {
				return sysName.map(n -> n.equals(name)).orElse(false);
			}
			return vmUserId.isEmpty() && hwName.map(h -> hw.map(h::equals).orElse(true)).orElse(true)
					&& lparName.map(l -> lpar.map(l::equals).orElse(false)).orElse(true);
		}
	}

	/** The SYSDEFs of parmlib/IEASYMxx for each suffix of IEASYM(xx,yy), in order (a later one wins). */
	private static List<SysDef> ieasym(Path dir, Path confRel, OperandStatements.Statement sysplex, String suffixes,
			List<Diagnostic> d) {
		List<SysDef> defs = new ArrayList<>();
		for (String suffix : suffixes.split("[,\\s]+")) {
			String sfx = suffix.strip().toUpperCase(Locale.ROOT);
			if (sfx.isEmpty()) {
				continue;
			}
			if (!sfx.matches("[A-Z0-9@#$]{2}")) {
				at(d, confRel, sysplex, "IEASYM", "found IEASYM(" + suffixes + "), expected suffixes of two characters "
						+ "such as IEASYM(00) or IEASYM(00,L1)");
				continue;
			}
			Path member = dir.resolve("parmlib").resolve("IEASYM" + sfx);
			Path shown = rel(dir, member);
			if (!Files.isRegularFile(member)) {
				at(d, confRel, sysplex, "IEASYM", shown + " is missing; IEASYM(" + suffixes + ") names it (z/OS reads "
						+ "SYS1.PARMLIB(IEASYM" + sfx + "); here it is parmlib/IEASYM" + sfx + ")");
				continue;
			}
			for (OperandStatements.Statement s : OperandStatements.parse(shown, read(member, d, shown), Set.of("SYSDEF"),
					d)) {
				if (!s.verb().equals("SYSDEF")) {
					continue;
				}
				Map<String, String> symbols = new LinkedHashMap<>();
				for (String def : s.all("SYMDEF")) {
					Matcher m = SYMDEF.matcher(def.strip());
					if (!m.matches()) {
						at(d, shown, s, "SYMDEF", "found SYMDEF(" + def + "), expected SYMDEF(&NAME='value')");
						continue;
					}
					symbols.put(m.group(1).toUpperCase(Locale.ROOT), m.group(2).replace("''", "'"));
				}
				defs.add(new SysDef(Optional.ofNullable(upper(s.first("HWNAME"))),
						Optional.ofNullable(upper(s.first("LPARNAME"))), Optional.ofNullable(upper(s.first("VMUSERID"))),
						Optional.ofNullable(upper(s.first("SYSNAME"))), Optional.ofNullable(upper(s.first("SYSCLONE"))),
						symbols, shown, s.line()));
			}
		}
		return defs;
	}

	private static void systemStatement(Path dir, Path file, OperandStatements.Statement s, List<SysDef> sysdefs,
			List<SystemDefinition> systems, List<Diagnostic> d) {
		int before = d.size();
		String name = upper(s.first("NAME"));
		String clone = upper(s.first("SYSCLONE"));
		String address = s.first("ADDRESS");
		Optional<String> hw = Optional.ofNullable(upper(s.first("HWNAME")));
		Optional<String> lpar = Optional.ofNullable(upper(s.first("LPARNAME")));
		Map<String, String> fromIeasym = new LinkedHashMap<>();
		if (!sysdefs.isEmpty()) {
			// the SYSDEFs that apply, in order: a later one's SYSNAME, SYSCLONE and SYMDEF win, as on z/OS
			String ieaName = null;
			String ieaClone = null;
			String where = null;
			for (SysDef def : sysdefs) {
				if (!def.appliesTo(name, hw, lpar)) {
					continue;
				}
				if (def.sysName().isPresent()) {
					ieaName = def.sysName().get();
				}
				if (def.sysClone().isPresent()) {
					ieaClone = def.sysClone().get();
					where = def.file() + ":" + def.line();
				}
				fromIeasym.putAll(def.symbols());
			}
			if (name == null) {
				name = ieaName;
			} else if (ieaName != null && !ieaName.equals(name)) {
				at(d, file, s, "NAME", "SYSTEM NAME(" + name + ") but its SYSDEF in IEASYM says SYSNAME(" + ieaName
						+ "); give one name (or leave NAME out and let IEASYM name it)");
			}
			if (clone == null) {
				clone = ieaClone;
			} else if (ieaClone != null && !ieaClone.equals(clone)) {
				at(d, file, s, "SYSCLONE", "SYSTEM SYSCLONE(" + clone + ") but " + where + " says SYSCLONE(" + ieaClone
						+ "); give it in one place");
			}
		}
		if (name == null || !SYSTEM_NAME.matcher(name).matches()) {
			at(d, file, s, "NAME", "SYSTEM needs NAME(sysname): 1-8 characters, a letter or @#$ first"
					+ (sysdefs.isEmpty() ? "" : " (or a SYSDEF in IEASYM with SYSNAME that applies to it: LPARNAME, "
							+ "HWNAME, or its SYSNAME)"));
		}
		if (clone == null || !SYSCLONE.matcher(clone).matches()) {
			at(d, file, s, "SYSCLONE", "SYSTEM needs SYSCLONE(xx): 1 or 2 characters, unique in the sysplex"
					+ (sysdefs.isEmpty() ? "" : " (or a SYSDEF in IEASYM that sets it)"));
		}
		Inet4Address addr = null;
		if (address == null) {
			at(d, file, s, "ADDRESS", "SYSTEM needs ADDRESS(ipv4), the system's own address (for example 127.0.10.1)");
		} else {
			addr = ipv4(address);
			if (addr == null) {
				at(d, file, s, "ADDRESS", "found ADDRESS(" + address + "), expected an IPv4 address such as 127.0.10.1");
			}
		}
		int weight = 64;
		String w = s.first("WLMWEIGHT");
		if (w != null) {
			try {
				weight = Integer.parseInt(w);
				if (weight < 1 || weight > 64) {
					throw new NumberFormatException();
				}
			} catch (NumberFormatException e) {
				at(d, file, s, "WLMWEIGHT", "found WLMWEIGHT(" + w + "), expected 1-64");
			}
		}
		Map<String, String> symbols = new LinkedHashMap<>(fromIeasym);
		symbols.keySet().removeAll(Set.of("SYSNAME", "SYSCLONE", "SYSPLEX"));
		for (String def : s.all("SYMDEF")) {
			Matcher m = SYMDEF.matcher(def.strip());
			if (!m.matches()) {
				at(d, file, s, "SYMDEF", "found SYMDEF(" + def + "), expected SYMDEF(&NAME='value')");
				continue;
			}
			String symbol = m.group(1).toUpperCase(Locale.ROOT);
			if (Set.of("SYSNAME", "SYSCLONE", "SYSPLEX").contains(symbol)) {
				at(d, file, s, "SYMDEF", "&" + symbol + " is a static system symbol; it cannot be redefined");
				continue;
			}
			symbols.put(symbol, m.group(2).replace("''", "'"));
		}
		if (d.size() > before && d.subList(before, d.size()).stream().anyMatch(Diagnostic::isError)) {
			return;
		}
		Map<String, String> all = new LinkedHashMap<>();
		all.put("SYSNAME", name);
		all.put("SYSCLONE", clone);
		all.putAll(symbols);
		Symbols sym = new Symbols(all);
		Path work = path(dir, sym, s.first("WORKAREA"), "var/" + name + "/workarea");
		Path logs = path(dir, sym, s.first("LOGS"), "var/" + name + "/logs");
		Set<String> tasks = new LinkedHashSet<>(STARTED_TASKS);
		String start = s.first("START");
		if (start != null) {
			tasks.clear();
			for (String t : start.split("[,\\s]+")) {
				String task = t.strip().toUpperCase(Locale.ROOT);
				if (task.isEmpty()) {
					continue;
				}
				if (!STARTED_TASKS.contains(task)) {
					at(d, file, s, "START", "found START(" + start + "), expected started tasks out of " + STARTED_TASKS);
					return;
				}
				tasks.add(task);
			}
		}
		systems.add(new SystemDefinition(name, clone, addr, sym, weight, work, logs, Set.copyOf(tasks), file, s.line()));
	}

	private static Path path(Path dir, Symbols symbols, String configured, String fallback) {
		String p = configured == null ? fallback : symbols.substitute(configured, n -> {
		});
		return dir.resolve(p).normalize();
	}

	private static void checkUnique(List<SystemDefinition> systems, Path file, List<Diagnostic> d) {
		Map<String, SystemDefinition> names = new HashMap<>();
		Map<String, SystemDefinition> clones = new HashMap<>();
		Map<Inet4Address, SystemDefinition> addrs = new HashMap<>();
		Map<Path, SystemDefinition> dirs = new HashMap<>();
		for (SystemDefinition s : systems) {
			dup(names.put(s.name(), s), s, "NAME(" + s.name() + ")", file, d);
			dup(clones.put(s.sysclone(), s), s, "SYSCLONE(" + s.sysclone() + ")", file, d);
			dup(addrs.put(s.address(), s), s, "ADDRESS(" + s.address().getHostAddress() + ")", file, d);
			for (Path p : List.of(s.workArea(), s.logs())) {
				SystemDefinition other = dirs.put(p, s);
				if (other != null && other != s) {
					d.add(Diagnostic.error(Diagnostic.SHARED_WORK_AREA, file, s.line(), 0, "systems " + other.name() + " and " + s.name()
							+ " share the directory " + p + "; each system keeps its own work area and logs "
							+ "(z/OS: /var/zexpl per system); give one of them its own WORKAREA(...)/LOGS(...)"));
				}
			}
		}
	}

	private static void dup(SystemDefinition other, SystemDefinition s, String what, Path file, List<Diagnostic> d) {
		if (other != null) {
			d.add(Diagnostic.error(Diagnostic.SYSTEM_CLASH, file, s.line(), 0, what + " of system " + s.name() + " is already used by system "
					+ other.name() + " (line " + other.line() + "); it must be unique in the sysplex"));
		}
	}

	private static void at(List<Diagnostic> d, Path file, OperandStatements.Statement s, String key, String message) {
		int[] p = s.positionOf(key);
		d.add(Diagnostic.error(Diagnostic.CONF_SYNTAX, file, p[0], p[1], message));
	}

	private static EnvFile optionalEnv(Path dir, String name, List<Diagnostic> d) {
		Path f = dir.resolve(name);
		Path r = rel(dir, f);
		return Files.isRegularFile(f) ? EnvFile.parse(r, read(f, d, r), d) : EnvFile.empty(r);
	}

	/**
	 * Where a profile's INCLUDE finds its member in the sysplex directory: {@code DSN(MEMBER)} is
	 * MEMBER next to the including file, else {@code DSN/MEMBER} (a PDS as a directory), else MEMBER,
	 * in the sysplex directory; a sequential data set DSN the same without the member; a z/OS UNIX
	 * file {@code /path} is {@code path} in the sysplex directory. Nothing outside it is read.
	 */
	static TcpipProfileParser.Includes includes(Path dir) {
		Path root = dir.toAbsolutePath().normalize();
		return (dsname, from) -> {
			Path beside = Path.of("").toAbsolutePath().resolve(from).normalize().getParent();
			List<Path> candidates = new ArrayList<>();
			if (dsname.startsWith("/")) {
				candidates.add(root.resolve(dsname.substring(1)));
			} else {
				int open = dsname.indexOf('(');
				if (open > 0 && dsname.endsWith(")")) {
					String dsn = dsname.substring(0, open);
					String member = dsname.substring(open + 1, dsname.length() - 1);
					candidates.add(beside.resolve(member));
					candidates.add(root.resolve(dsn).resolve(member));
					candidates.add(root.resolve(member));
				} else {
					candidates.add(beside.resolve(dsname));
					candidates.add(root.resolve(dsname));
				}
			}
			List<String> looked = new ArrayList<>();
			for (Path c : candidates) {
				Path n;
				try {
					n = c.normalize();
				} catch (java.nio.file.InvalidPathException e) {
					continue;
				}
				if (!n.startsWith(root)) {
					continue; // INCLUDE ../../etc/passwd reads nothing outside the sysplex directory
				}
				looked.add(String.valueOf(rel(dir, n)));
				if (Files.isRegularFile(n)) {
					try {
						return new TcpipProfileParser.Includes.Member(rel(dir, n), Files.readString(n,
								StandardCharsets.UTF_8), null);
					} catch (IOException e) {
						return new TcpipProfileParser.Includes.Member(null, null, rel(dir, n) + ", which cannot be "
								+ "read: " + e.getMessage());
					}
				}
			}
			return new TcpipProfileParser.Includes.Member(null, null, looked.isEmpty() ? "nothing inside the sysplex "
					+ "directory" : String.join(", ", looked));
		};
	}

	private static String read(Path file, List<Diagnostic> d, Path shown) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		} catch (IOException e) {
			d.add(Diagnostic.error(Diagnostic.FILE_MISSING, shown, 0, 0, "cannot be read: " + e.getMessage()));
			return "";
		}
	}

	private static Path rel(Path dir, Path f) {
		Path cwd = Path.of("").toAbsolutePath();
		return f.startsWith(cwd) ? cwd.relativize(f) : f;
	}

	private static String upper(String s) {
		return s == null ? null : s.toUpperCase(Locale.ROOT);
	}

	static Inet4Address ipv4(String text) {
		if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
			return null;
		}
		for (String part : text.split("\\.")) {
			if (Integer.parseInt(part) > 255) {
				return null;
			}
		}
		try {
			return (Inet4Address) InetAddress.getByName(text);
		} catch (IOException e) {
			return null;
		}
	}
}
