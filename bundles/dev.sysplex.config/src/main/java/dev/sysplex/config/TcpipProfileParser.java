package dev.sysplex.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.sysplex.config.TcpipProfile.DestIp;
import dev.sysplex.config.TcpipProfile.DistMethod;
import dev.sysplex.config.TcpipProfile.EphemeralPorts;
import dev.sysplex.config.TcpipProfile.IpConfig;
import dev.sysplex.config.TcpipProfile.Moveable;
import dev.sysplex.config.TcpipProfile.PortReservation;
import dev.sysplex.config.TcpipProfile.Position;
import dev.sysplex.config.TcpipProfile.VipaBackup;
import dev.sysplex.config.TcpipProfile.VipaDefine;
import dev.sysplex.config.TcpipProfile.VipaDistribute;

/**
 * Parses a z/OS TCP/IP profile (PROFILE.TCPIP) as the stack reads it: free-form statements
 * that may continue over any number of lines, comments from ';' to the end of the line,
 * keywords in IBM's minimum abbreviations, and system symbols substituted first. Statements
 * Sysplex Explorer does not model are reported as warnings and skipped; errors carry the file,
 * line and column, what was found and what was expected.
 */
public final class TcpipProfileParser {

	private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");
	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

	// Statements we model.
	private static final Keyword IPCONFIG = Keyword.of("IPCONFIG");
	private static final Keyword TCPCONFIG = Keyword.of("TCPCONFIG");
	private static final Keyword PORT = Keyword.of("PORT");
	private static final Keyword PORTRANGE = Keyword.of("PORTRANGE");
	private static final Keyword VIPADYNAMIC = Keyword.of("VIPADYNAMIC");
	private static final Keyword ENDVIPADYNAMIC = Keyword.of("ENDVIPADYNAMIC");
	private static final Keyword VIPADEFINE = Keyword.of("VIPADEFine");
	private static final Keyword VIPABACKUP = Keyword.of("VIPABackup");
	private static final Keyword VIPADISTRIBUTE = Keyword.of("VIPADISTribute");

	// Operands.
	private static final Keyword SYSPLEXROUTING = Keyword.of("SYSPLEXRouting");
	private static final Keyword NOSYSPLEXROUTING = Keyword.of("NOSYSPLEXRouting");
	private static final Keyword DYNAMICXCF = Keyword.of("DYNAMICXcf");
	private static final Keyword NODYNAMICXCF = Keyword.of("NODYNAMICXcf");
	private static final Keyword EPHEMERALPORTS = Keyword.of("EPHEMERALPorts");
	private static final Keyword MOVEABLE = Keyword.of("MOVEable");
	private static final Keyword IMMEDIATE = Keyword.of("IMMEDiate");
	private static final Keyword WHENIDLE = Keyword.of("WHENIDLE");
	private static final Keyword DISRUPTIVE = Keyword.of("DISRUPTive");
	private static final Keyword DEFINE = Keyword.of("DEFINE");
	private static final Keyword DELETE = Keyword.of("DELETE");
	private static final Keyword SYSPLEXPORTS = Keyword.of("SYSPLEXPorts");
	private static final Keyword DISTMETHOD = Keyword.of("DISTMethod");
	private static final Keyword DESTIP = Keyword.of("DESTIP");
	private static final Keyword ALL = Keyword.of("ALL");
	private static final Keyword WEIGHT = Keyword.of("WEIGHT");
	private static final Keyword PREFERRED = Keyword.of("PREFerred");
	private static final Keyword BACKUP = Keyword.of("BACKup");
	private static final Keyword AUTOSWITCHBACK = Keyword.of("AUTOSWitchback");
	private static final Keyword NOAUTOSWITCHBACK = Keyword.of("NOAUTOSWitchback");
	private static final Keyword HEALTHSWITCH = Keyword.of("HEALTHSWitch");
	private static final Keyword NOHEALTHSWITCH = Keyword.of("NOHEALTHSWitch");
	private static final Keyword TIMEDAFFINITY = Keyword.of("TIMEDAFFinity");
	private static final Keyword OPTLOCAL = Keyword.of("OPTLOCAL");
	private static final Keyword BASEWLM = Keyword.of("BASEWLM");
	private static final Keyword SERVERWLM = Keyword.of("SERVERWLM");
	private static final Keyword ROUNDROBIN = Keyword.of("ROUNDROBIN");
	private static final Keyword WEIGHTEDACTIVE = Keyword.of("WEIGHTEDActive");
	private static final Keyword HOTSTANDBY = Keyword.of("HOTSTANDBY");
	private static final Keyword TARGCONTROLLED = Keyword.of("TARGCONTROLLED");

	/** PORT and PORTRANGE entry options that do not change what we model. */
	private static final Set<String> PORT_OPTIONS = Set.of("NOAUTOLOG", "SHAREPORT", "SHAREPORTWLM", "DELAYACKS",
			"NODELAYACKS", "RESERVED", "NOSMC", "NOSMCD");

	/**
	 * z/OS profile statements that cannot change what a DVIPA does (devices, links, routes of the
	 * stack's own interfaces, tracing, SMF, the stack's other protocols, started tasks): read and
	 * skipped quietly (an INFO diagnostic, which `sysplex check --verbose` lists).
	 */
	private static final Set<String> QUIET_STATEMENTS = Set.of("ARPAGE", "AUTOLOG", "ENDAUTOLOG", "BEGINROUTES",
			"ENDROUTES", "BSDROUTINGPARMS", "DEFADDRTABLE", "DEVICE", "LINK", "GATEWAY", "HOME", "INTERFACE",
			"IPCONFIG6", "ITRACE", "PKTTRACE", "PRIMARYINTERFACE", "SACONFIG", "SMFCONFIG", "SOMAXCONN", "START", "STOP",
			"TRANSLATE", "UDPCONFIG", "NETMONITOR", "BEGINPOLICY", "ENDPOLICY");

	/**
	 * z/OS profile statements that can change what a DVIPA does and that Sysplex Explorer does not
	 * model: skipped with a warning that names them.
	 */
	private static final Set<String> OTHER_STATEMENTS = Set.of("DELETE", "GLOBALCONFIG", "IPSEC",
			"NETACCESS", "SRCIP", "VIPARANGE", "VIPASMPARMS", "VIPAROUTE", "VIPADELETE", "DEFAULTTCPSTACK");

	/** What each of {@link #OTHER_STATEMENTS} can change, for its warning. */
	private static final java.util.Map<String, String> WHY_IT_MATTERS = java.util.Map.ofEntries(
			java.util.Map.entry("DELETE", "it may delete a PORT reservation or a device the DVIPA uses"),
			java.util.Map.entry("IPSEC", "its filters may block the DVIPA's connections"),
			java.util.Map.entry("NETACCESS", "it may deny clients the DVIPA"),
			java.util.Map.entry("SRCIP", "it changes the source address of connections the stack makes"),
			java.util.Map.entry("VIPARANGE", "it defines application DVIPAs that programs may activate"),
			java.util.Map.entry("VIPASMPARMS", "it changes the XCF links of the sysplex distributor"),
			java.util.Map.entry("VIPAROUTE", "it routes distributed connections to their targets other than over "
					+ "XCF"),
			java.util.Map.entry("VIPADELETE", "it deletes a DVIPA"),
			java.util.Map.entry("DEFAULTTCPSTACK", "it applies to a common INET configuration only"));

	/** IPCONFIG options that change what a DVIPA does beyond what is modelled: a warning; the others are quiet. */
	private static final Set<String> IPCONFIG_WARN = Set.of("SYSPLEXWLMPOLL", "DYNAMICXCFRANGE", "IQDIOROUTING",
			"SYSPLEXROUTINGIPV6");

	/** A value after a TCPCONFIG or IPCONFIG option: a number (with K or M), an address, a prefix. */
	private static final Pattern OPTION_VALUE = Pattern.compile("(?i)TRUE|FALSE|\\d+[KkMm]?|\\d+\\.\\d+\\.\\d+\\.\\d+(/\\d+)?");

	private final Path file;
	private final Symbols symbols;
	private final List<Diagnostic> diagnostics = new ArrayList<>();
	private final List<Token> tokens = new ArrayList<>();
	private int at;

	private boolean sysplexRouting;
	private Inet4Address dynamicXcf;
	private Position ipConfigPosition;
	private EphemeralPorts ephemeral = EphemeralPorts.DEFAULT;
	private final List<PortReservation> reservations = new ArrayList<>();
	private final List<VipaDefine> defines = new ArrayList<>();
	private final List<VipaBackup> backups = new ArrayList<>();
	private final List<VipaDistribute> distributes = new ArrayList<>();
	private boolean inVipaDynamic;
	private Position vipaDynamicStart;

	/** A word of the profile, in the file it was written in (the profile or a member it INCLUDEs). */
	private record Token(String text, Path file, int line, int column, boolean firstOnLine) {
	}

	/**
	 * Finds the member an INCLUDE names: its path as shown in diagnostics and its text, or empty
	 * (with the places it looked) when there is none.
	 */
	public interface Includes {
		/** @param dsname as written after INCLUDE, quotes removed; @param from the including file */
		Member find(String dsname, Path from);

		/** Found ({@code shown} and {@code text} set) or not ({@code looked} says where it was looked for). */
		record Member(Path shown, String text, String looked) {
		}

		/** No INCLUDE can be resolved (a profile read on its own). */
		Includes NONE = (dsname, from) -> new Member(null, null, "nowhere: this profile is read on its own");
	}

	private final Includes includes;
	/** Where each included member was included from, for its diagnostics: "PROFILE.TCPIP:5". */
	private final java.util.Map<Path, String> includedFrom = new java.util.LinkedHashMap<>();

	private TcpipProfileParser(Path file, Symbols symbols, Includes includes) {
		this.file = file;
		this.symbols = symbols;
		this.includes = includes;
	}

	/** The parsed profile and every diagnostic; a profile is usable only if no diagnostic is an error. */
	public record Result(TcpipProfile profile, List<Diagnostic> diagnostics) {
		public boolean hasErrors() {
			return diagnostics.stream().anyMatch(Diagnostic::isError);
		}
	}

	/**
	 * @param file    shown in diagnostics
	 * @param text    the profile's contents
	 * @param symbols the system's symbols, substituted before parsing as z/OS does
	 */
	public static Result parse(Path file, String text, Symbols symbols) {
		return parse(file, text, symbols, Includes.NONE);
	}

	/** As {@link #parse(Path, String, Symbols)}, with INCLUDE statements resolved by {@code includes}. */
	public static Result parse(Path file, String text, Symbols symbols, Includes includes) {
		TcpipProfileParser p = new TcpipProfileParser(file, symbols, includes);
		p.tokenize(file, text, 0);
		p.statements();
		TcpipProfile profile = new TcpipProfile(file,
				new IpConfig(p.sysplexRouting, Optional.ofNullable(p.dynamicXcf), p.ipConfigPosition), p.ephemeral,
				List.copyOf(p.reservations), List.copyOf(p.defines), List.copyOf(p.backups),
				List.copyOf(p.distributes));
		p.validate(profile);
		return new Result(profile, p.withIncludeChains());
	}

	/** Every diagnostic about an included member says where it was included from, up to the profile. */
	private List<Diagnostic> withIncludeChains() {
		List<Diagnostic> out = new ArrayList<>();
		for (Diagnostic d : diagnostics) {
			String chain = chain(d.file());
			out.add(chain.isEmpty() ? d : new Diagnostic(d.severity(), d.id(), d.file(), d.line(), d.column(),
					d.message() + " (" + chain + ")"));
		}
		return List.copyOf(out);
	}

	private String chain(Path member) {
		StringBuilder sb = new StringBuilder();
		Path at = member;
		for (int depth = 0; depth < MAX_INCLUDE_DEPTH + 1 && includedFrom.containsKey(at); depth++) {
			String from = includedFrom.get(at);
			sb.append(sb.isEmpty() ? "included from " : ", from ").append(from);
			at = Path.of(from.substring(0, from.lastIndexOf(':')));
		}
		return sb.toString();
	}

	/** z/OS nests INCLUDEs; a deeper chain here is taken as a loop. */
	private static final int MAX_INCLUDE_DEPTH = 8;

	private void tokenize(Path in, String text, int depth) {
		String[] lines = Lines.of(text);
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i];
			if (line.length() >= 80 && line.substring(72, 80).chars().allMatch(Character::isDigit)
					&& line.substring(80).isBlank() && line.length() > 72) {
				// IBM: "sequence numbers are not allowed"; z/OS reads columns 73-80 as part of the statement
				diagnostics.add(Diagnostic.error(Diagnostic.SEQUENCE_NUMBERS, in, i + 1, 73, "columns 73-80 hold a "
						+ "sequence number (" + line.substring(72, 80) + "): the TCP/IP profile allows none, and z/OS reads "
						+ "it as a word of the statement; remove them (ISPF: UNNUM, then NUMBER OFF), and check the "
						+ "profile with VARY TCPIP,,SYNTAXCHECK"));
				line = line.substring(0, 72);
			}
			int semi = comment(line);
			if (semi >= 0) {
				line = line.substring(0, semi);
			}
			List<Token> words = new ArrayList<>();
			boolean first = true;
			int c = 0;
			while (c < line.length()) {
				while (c < line.length() && Character.isWhitespace(line.charAt(c))) {
					c++;
				}
				int start = c;
				while (c < line.length() && !Character.isWhitespace(line.charAt(c))) {
					c++;
				}
				if (c > start) {
					int lineNo = i + 1;
					int col = start + 1;
					String raw = line.substring(start, c);
					if (raw.indexOf(';') > 0) {
						diagnostics.add(Diagnostic.warning(Diagnostic.PROFILE_SYNTAX, in, lineNo, col + raw.indexOf(';'),
								"'" + raw + "' is one word: a comment needs a blank before its ';' (IBM's statement "
										+ "syntax), so z/OS reads the ';' and what follows as part of the argument"));
					}
					String value = symbols.substitute(raw, name -> diagnostics.add(Diagnostic.warning(
							Diagnostic.UNDEFINED_SYMBOL, in, lineNo, col, "system symbol &" + name + " is not defined on "
									+ "this system; '" + raw + "' is left as written (define it with SYMDEF in "
									+ "sysplex.conf)")));
					words.add(new Token(value, in, lineNo, col, first));
					first = false;
				}
			}
			if (!words.isEmpty() && words.get(0).text().equalsIgnoreCase("INCLUDE")) {
				include(words, depth);
			} else {
				tokens.addAll(words);
			}
		}
	}

	/**
	 * Where the line's comment begins: a ';' at the start or after a blank (IBM: an argument followed
	 * by a comment needs a blank before the semicolon, else the ';' is part of it), or -1.
	 */
	private static int comment(String line) {
		for (int i = 0; i < line.length(); i++) {
			if (line.charAt(i) == ';' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
				return i;
			}
		}
		return -1;
	}

	/** INCLUDE dsname: the member's statements take the INCLUDE's place, as z/OS reads them. */
	private void include(List<Token> words, int depth) {
		Token statement = words.get(0);
		if (words.size() < 2) {
			error(statement, "INCLUDE needs the data set (or z/OS UNIX file) of the member to include");
			return;
		}
		if (words.size() > 2) {
			error(words.get(2), "found '" + words.get(2).text() + "' after INCLUDE " + words.get(1).text()
					+ ", expected the end of the line");
		}
		String dsname = words.get(1).text().replace("'", "");
		if (depth >= MAX_INCLUDE_DEPTH) {
			error(words.get(1), "INCLUDE " + dsname + " is nested " + (depth + 1) + " deep; a member that includes "
					+ "itself? z/OS would loop");
			return;
		}
		Includes.Member m = includes.find(dsname, statement.file());
		if (m == null || m.shown() == null) {
			error(words.get(1), Diagnostic.FILE_MISSING, "INCLUDE " + dsname + ": no such member (looked for "
					+ (m == null ? "nothing" : m.looked()) + "); z/OS skips it, and every statement in it is missing");
			return;
		}
		includedFrom.put(m.shown(), statement.file() + ":" + statement.line());
		info(statement, Diagnostic.IGNORED, "INCLUDE " + dsname + " read from " + m.shown());
		tokenize(m.shown(), m.text(), depth + 1);
	}

	private void statements() {
		while (at < tokens.size()) {
			Token t = tokens.get(at);
			String word = t.text().toUpperCase(Locale.ROOT);
			int before = diagnostics.size();
			if (IPCONFIG.matches(word)) {
				at++;
				ipConfig(t);
			} else if (TCPCONFIG.matches(word)) {
				at++;
				tcpConfig();
			} else if (PORTRANGE.matches(word) && word.length() > 4) {
				at++;
				portEntries(t, true);
			} else if (PORT.matches(word)) {
				at++;
				portEntries(t, false);
			} else if (VIPADYNAMIC.matches(word)) {
				at++;
				if (inVipaDynamic) {
					error(t, "found VIPADYNAMIC inside the VIPADYNAMIC block begun at line " + vipaDynamicStart.line()
							+ ", expected ENDVIPADYNAMIC first");
				}
				inVipaDynamic = true;
				vipaDynamicStart = pos(t);
			} else if (ENDVIPADYNAMIC.matches(word)) {
				at++;
				if (!inVipaDynamic) {
					error(t, "found ENDVIPADYNAMIC without VIPADYNAMIC before it");
				}
				inVipaDynamic = false;
			} else if (VIPADEFINE.matches(word) || VIPABACKUP.matches(word) || VIPADISTRIBUTE.matches(word)) {
				at++;
				if (!inVipaDynamic) {
					error(t, "found " + word + " outside a VIPADYNAMIC ... ENDVIPADYNAMIC block, expected it inside one");
				}
				if (VIPADEFINE.matches(word)) {
					vipaDefine(t);
				} else if (VIPABACKUP.matches(word)) {
					vipaBackup(t);
				} else {
					vipaDistribute(t);
				}
			} else if (word.equals("GLOBALCONFIG")) {
				at++;
				globalConfig();
			} else if (QUIET_STATEMENTS.contains(word)) {
				info(t, Diagnostic.IGNORED, "statement " + word + " cannot change what a DVIPA does; read and ignored");
				at++;
				skipStatement(word.equals("BEGINROUTES") ? "ENDROUTES" : word.equals("AUTOLOG") ? "ENDAUTOLOG"
						: word.equals("BEGINPOLICY") ? "ENDPOLICY" : null);
			} else if (OTHER_STATEMENTS.contains(word)) {
				warning(t, Diagnostic.NOT_MODELLED, "statement " + word + " is not modelled by Sysplex Explorer, and "
						+ WHY_IT_MATTERS.get(word) + "; ignored");
				at++;
				skipStatement(null);
			} else {
				String meant = t.firstOnLine() ? closestStatement(word) : null;
				if (meant != null) {
					// z/OS skips a statement it does not know; what it would have set is then missing
					error(t, Diagnostic.UNKNOWN_STATEMENT, "unknown statement '" + t.text() + "': did you mean "
							+ meant + "? z/OS skips the statement, so what it sets is missing");
				} else if (t.firstOnLine()) {
					warning(t, Diagnostic.UNKNOWN_STATEMENT, "unknown statement '" + t.text()
							+ "'; ignored up to the next statement");
				} else {
					error(t, "found '" + t.text() + "', expected a profile statement (the statement before it ends here)");
				}
				at++;
				skipStatement(null);
			}
			if (diagnostics.size() > before && diagnostics.subList(before, diagnostics.size()).stream()
					.anyMatch(Diagnostic::isError)) {
				skipStatement(null); // recover at the next line that begins with a statement
			}
		}
		if (inVipaDynamic) {
			diagnostics.add(Diagnostic.error(Diagnostic.PROFILE_SYNTAX, vipaDynamicStart.file(), vipaDynamicStart.line(),
					vipaDynamicStart.column(),
					"VIPADYNAMIC block is not closed; expected ENDVIPADYNAMIC before the end of the file"));
		}
	}

	/** Skips to the next token that begins a line with a statement keyword (or past {@code end}). */
	private void skipStatement(String end) {
		while (at < tokens.size()) {
			Token t = tokens.get(at);
			if (end != null) {
				at++;
				if (t.text().equalsIgnoreCase(end)) {
					return;
				}
				continue;
			}
			if (t.firstOnLine() && isStatement(t.text())) {
				return;
			}
			at++;
		}
	}

	/** The statements that are modelled (in IBM's abbreviations). */
	private static final List<Keyword> MODELLED_STATEMENTS = List.of(IPCONFIG, TCPCONFIG, PORT, PORTRANGE, VIPADYNAMIC,
			ENDVIPADYNAMIC, VIPADEFINE, VIPABACKUP, VIPADISTRIBUTE);

	private static boolean isStatement(String text) {
		String w = text.toUpperCase(Locale.ROOT);
		return MODELLED_STATEMENTS.stream().anyMatch(k -> k.matches(w)) || OTHER_STATEMENTS.contains(w)
				|| QUIET_STATEMENTS.contains(w);
	}

	/** The statement {@code word} is most likely a misspelling of (at most two edits away), or null. */
	static String closestStatement(String word) {
		if (word.length() < 4 || !word.chars().allMatch(Character::isLetterOrDigit)) {
			return null;
		}
		String best = null;
		int bestDistance = 3;
		List<String> all = new ArrayList<>(MODELLED_STATEMENTS.stream().map(Keyword::full).toList());
		all.addAll(OTHER_STATEMENTS);
		all.addAll(QUIET_STATEMENTS);
		for (String s : all) {
			int d = distance(word, s);
			if (d < bestDistance && d <= Math.max(1, s.length() / 4)) {
				best = s;
				bestDistance = d;
			}
		}
		return best;
	}

	/** Levenshtein distance. */
	private static int distance(String a, String b) {
		int[] prev = new int[b.length() + 1];
		int[] cur = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			prev[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			cur[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
				cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
			}
			int[] t = prev;
			prev = cur;
			cur = t;
		}
		return prev[b.length()];
	}

	private void ipConfig(Token statement) {
		ipConfigPosition = pos(statement);
		while (at < tokens.size() && !startsStatement()) {
			Token t = tokens.get(at++);
			String w = t.text();
			if (SYSPLEXROUTING.matches(w)) {
				sysplexRouting = true;
			} else if (NOSYSPLEXROUTING.matches(w)) {
				sysplexRouting = false;
			} else if (NODYNAMICXCF.matches(w)) {
				dynamicXcf = null;
			} else if (DYNAMICXCF.matches(w)) {
				Token addr = next("the DYNAMICXCF IPv4 address");
				if (addr == null) {
					return;
				}
				String a = addr.text();
				int slash = a.indexOf('/');
				dynamicXcf = address(addr, slash < 0 ? a : a.substring(0, slash));
				if (slash < 0) {
					Token mask = next("the DYNAMICXCF subnet mask (or write address/prefix)");
					if (mask == null) {
						return;
					}
					address(mask, mask.text());
				}
				Token cost = next("the DYNAMICXCF cost metric (1-99)");
				if (cost != null) {
					number(cost, "the DYNAMICXCF cost metric", 1, 99);
				}
			} else {
				String option = w.toUpperCase(Locale.ROOT);
				if (IPCONFIG_WARN.contains(option)) {
					warning(t, Diagnostic.NOT_MODELLED, "IPCONFIG option " + option + " is not modelled, and it changes "
							+ "how distributed connections are routed or weighed; ignored");
				} else {
					info(t, Diagnostic.IGNORED, "IPCONFIG option " + option + " cannot change what a DVIPA does; ignored");
				}
				skipValues();
			}
		}
	}

	private void tcpConfig() {
		while (at < tokens.size() && !startsStatement()) {
			Token t = tokens.get(at++);
			if (EPHEMERALPORTS.matches(t.text())) {
				Token lo = next("the lowest ephemeral port");
				Token hi = lo == null ? null : next("the highest ephemeral port");
				if (hi == null) {
					return;
				}
				int low = number(lo, "the lowest ephemeral port", 1024, 65535);
				int high = number(hi, "the highest ephemeral port", 1024, 65535);
				if (low > high) {
					error(lo, "EPHEMERALPORTS " + low + " " + high + ": the low port is above the high port");
				} else {
					ephemeral = new EphemeralPorts(low, high);
				}
			} else {
				info(t, Diagnostic.IGNORED, "TCPCONFIG option " + t.text().toUpperCase(Locale.ROOT)
						+ " cannot change what a DVIPA does; ignored");
				skipValues();
			}
		}
	}

	/** PORT: entries "port TCP|UDP jobname [options]"; PORTRANGE: "first count TCP|UDP jobname [options]". */
	private void portEntries(Token statement, boolean range) {
		int entries = 0;
		while (at < tokens.size() && NUMBER.matcher(tokens.get(at).text()).matches()) {
			Token first = tokens.get(at++);
			int low = number(first, range ? "the first port of the range" : "a port number", 1, 65535);
			int high = low;
			if (range) {
				Token count = next("the number of ports in the range");
				if (count == null) {
					return;
				}
				int n = number(count, "the number of ports in the range", 1, 65535);
				high = low + n - 1;
				if (high > 65535) {
					error(count, "PORTRANGE " + low + " " + n + " ends at " + high + ", above 65535");
					return;
				}
			}
			Token proto = next("TCP or UDP");
			if (proto == null) {
				return;
			}
			String p = proto.text().toUpperCase(Locale.ROOT);
			if (!p.equals("TCP") && !p.equals("UDP")) {
				error(proto, "found '" + proto.text() + "', expected TCP or UDP");
				return;
			}
			Token job = next("a job name (or * for any job)");
			if (job == null) {
				return;
			}
			reservations.add(new PortReservation(low, high, p, job.text().toUpperCase(Locale.ROOT), range, pos(first)));
			entries++;
			while (at < tokens.size()) {
				String opt = tokens.get(at).text().toUpperCase(Locale.ROOT);
				if (PORT_OPTIONS.contains(opt)) {
					at++;
				} else if (opt.equals("BIND") || opt.equals("SAF")) {
					at++;
					next(opt.equals("BIND") ? "the BIND address" : "the SAF resource name");
				} else {
					break;
				}
			}
		}
		if (entries > 0 && at < tokens.size() && !startsStatement()) {
			Token t = tokens.get(at);
			error(t, "found '" + t.text() + "', expected a port number or the next statement in this "
					+ statement.text().toUpperCase(Locale.ROOT) + " statement");
		} else if (entries == 0) {
			Token t = at < tokens.size() ? tokens.get(at) : null;
			if (t == null) {
				error(statement, "found the end of the file, expected a port entry after " + statement.text());
			} else {
				error(t, "found '" + t.text() + "', expected a port number after " + statement.text().toUpperCase(Locale.ROOT));
			}
		}
	}

	private void vipaDefine(Token statement) {
		Moveable moveable = Moveable.IMMEDIATE;
		if (at < tokens.size() && MOVEABLE.matches(tokens.get(at).text())) {
			at++;
			moveable = moveOption();
		}
		Token maskToken = next("the address mask (for example 255.255.255.0)");
		if (maskToken == null) {
			return;
		}
		Inet4Address mask = address(maskToken, maskToken.text());
		if (mask != null && !isMask(mask)) {
			error(maskToken, "found " + maskToken.text() + ", expected an address mask such as 255.255.255.0 "
					+ "before the DVIPA addresses");
			return;
		}
		List<Inet4Address> addrs = addresses("a DVIPA address after the mask");
		if (!addrs.isEmpty()) {
			defines.add(new VipaDefine(moveable, mask, addrs, pos(statement)));
		}
	}

	private Moveable moveOption() {
		Token t = next("IMMEDIATE, WHENIDLE or DISRUPTIVE after MOVEABLE");
		if (t == null) {
			return Moveable.IMMEDIATE;
		}
		if (IMMEDIATE.matches(t.text())) {
			return Moveable.IMMEDIATE;
		} else if (WHENIDLE.matches(t.text())) {
			return Moveable.WHENIDLE;
		} else if (DISRUPTIVE.matches(t.text())) {
			return Moveable.DISRUPTIVE;
		}
		error(t, "found '" + t.text() + "', expected IMMEDIATE, WHENIDLE or DISRUPTIVE after MOVEABLE");
		return Moveable.IMMEDIATE;
	}

	private void vipaBackup(Token statement) {
		int rank = 1;
		if (at < tokens.size() && NUMBER.matcher(tokens.get(at).text()).matches()) {
			rank = number(tokens.get(at++), "the backup rank", 1, 254);
		}
		if (at < tokens.size() && MOVEABLE.matches(tokens.get(at).text())) {
			at++;
			moveOption();
		}
		if (at + 1 < tokens.size() && IPV4.matcher(tokens.get(at).text()).matches()
				&& IPV4.matcher(tokens.get(at + 1).text()).matches()) {
			Inet4Address maybeMask = parseQuietly(tokens.get(at).text());
			if (maybeMask != null && isMask(maybeMask)) {
				at++; // optional address mask
			}
		}
		List<Inet4Address> addrs = addresses("a DVIPA address to back up");
		if (!addrs.isEmpty()) {
			backups.add(new VipaBackup(rank, addrs, pos(statement)));
		}
	}

	private void vipaDistribute(Token statement) {
		boolean delete = false;
		boolean sysplexPorts = false;
		boolean autoSwitchBack = true;
		DistMethod method = DistMethod.BASEWLM;
		Inet4Address address = null;
		while (at < tokens.size() && address == null) {
			Token t = tokens.get(at++);
			String w = t.text();
			if (DEFINE.matches(w)) {
				delete = false;
			} else if (DELETE.matches(w)) {
				delete = true;
			} else if (SYSPLEXPORTS.matches(w)) {
				sysplexPorts = true;
			} else if (TIMEDAFFINITY.matches(w) || OPTLOCAL.matches(w)) {
				Token n = next("a number after " + w.toUpperCase(Locale.ROOT));
				if (n == null) {
					return;
				}
				number(n, "the " + w.toUpperCase(Locale.ROOT) + " value", 0, 99999);
			} else if (DISTMETHOD.matches(w)) {
				Token m = next("BASEWLM, SERVERWLM, ROUNDROBIN, WEIGHTEDACTIVE or HOTSTANDBY");
				if (m == null) {
					return;
				}
				String mw = m.text();
				if (BASEWLM.matches(mw)) {
					method = DistMethod.BASEWLM;
				} else if (SERVERWLM.matches(mw)) {
					method = DistMethod.SERVERWLM;
				} else if (ROUNDROBIN.matches(mw)) {
					method = DistMethod.ROUNDROBIN;
				} else if (WEIGHTEDACTIVE.matches(mw)) {
					method = DistMethod.WEIGHTEDACTIVE;
				} else if (HOTSTANDBY.matches(mw)) {
					method = DistMethod.HOTSTANDBY;
				} else if (TARGCONTROLLED.matches(mw)) {
					error(m, Diagnostic.METHOD_UNSUPPORTED, "DISTMETHOD TARGCONTROLLED needs GRE or ENCAP tier-1 targets, which Sysplex Explorer "
							+ "does not model; use BASEWLM, SERVERWLM, ROUNDROBIN, WEIGHTEDACTIVE or HOTSTANDBY");
					return;
				} else {
					error(m, "found '" + mw + "', expected BASEWLM, SERVERWLM, ROUNDROBIN, WEIGHTEDACTIVE or HOTSTANDBY");
					return;
				}
			} else if (AUTOSWITCHBACK.matches(w)) {
				autoSwitchBack = true;
			} else if (NOAUTOSWITCHBACK.matches(w)) {
				autoSwitchBack = false;
			} else if (HEALTHSWITCH.matches(w) || NOHEALTHSWITCH.matches(w)) {
				// health switching is how HOTSTANDBY reacts to a target without a listener: always on here
			} else if (IPV4.matcher(w).matches()) {
				address = address(t, w);
				if (address == null) {
					return;
				}
			} else {
				error(t, "found '" + w + "', expected VIPADISTRIBUTE options (DEFINE, DELETE, SYSPLEXPORTS, "
						+ "DISTMETHOD ...) followed by the DVIPA address");
				return;
			}
		}
		if (address == null) {
			error(statement, "VIPADISTRIBUTE has no DVIPA address; expected one before PORT and DESTIP");
			return;
		}
		List<Integer> ports = new ArrayList<>();
		if (at < tokens.size() && PORT.matches(tokens.get(at).text()) && !PORTRANGE.matches(tokens.get(at).text())) {
			Token portKw = tokens.get(at++);
			Set<Integer> seen = new LinkedHashSet<>();
			while (at < tokens.size() && NUMBER.matcher(tokens.get(at).text()).matches()) {
				Token p = tokens.get(at++);
				int port = number(p, "a port number", 1, 65535);
				if (!seen.add(port)) {
					warning(p, Diagnostic.NO_EFFECT, "port " + port + " is listed twice in this PORT operand");
				}
			}
			if (seen.isEmpty()) {
				error(portKw, "PORT needs at least one port number");
				return;
			}
			if (seen.size() > 64) {
				error(portKw, "PORT lists " + seen.size() + " ports; z/OS allows at most 64 per VIPADISTRIBUTE");
				return;
			}
			ports.addAll(seen);
		}
		List<DestIp> dests = new ArrayList<>();
		if (delete && (at >= tokens.size() || !DESTIP.matches(tokens.get(at).text()))) {
			distributes.add(new VipaDistribute(true, sysplexPorts, method, autoSwitchBack, address, ports, dests,
					pos(statement)));
			return;
		}
		Token destKw = next("DESTIP ALL or DESTIP followed by target (DYNAMICXCF) addresses");
		if (destKw == null) {
			return;
		}
		if (!DESTIP.matches(destKw.text())) {
			at--; // it may begin the next statement
			error(destKw, "found '" + destKw.text() + "', expected PORT or DESTIP");
			return;
		}
		if (at < tokens.size() && ALL.matches(tokens.get(at).text())) {
			at++;
		} else {
			while (at < tokens.size() && IPV4.matcher(tokens.get(at).text()).matches()) {
				Token a = tokens.get(at++);
				Inet4Address dest = address(a, a.text());
				int weight = 1;
				boolean preferred = false;
				int backupRank = 0;
				boolean more = true;
				while (more && at < tokens.size()) {
					String w = tokens.get(at).text();
					if (WEIGHT.matches(w)) {
						at++;
						Token n = next("a weight (1-99)");
						if (n == null) {
							return;
						}
						weight = number(n, "the weight", 1, 99);
					} else if (PREFERRED.matches(w)) {
						at++;
						preferred = true;
					} else if (BACKUP.matches(w)) {
						at++;
						Token n = next("the backup rank (1-254)");
						if (n == null) {
							return;
						}
						backupRank = number(n, "the backup rank", 1, 254);
					} else {
						more = false;
					}
				}
				dests.add(new DestIp(dest, weight, preferred, backupRank, pos(a)));
			}
			if (dests.isEmpty()) {
				Token t = at < tokens.size() ? tokens.get(at) : destKw;
				error(t, "found '" + (t == destKw ? "the end of the file" : t.text())
						+ "', expected ALL or a target's DYNAMICXCF address after DESTIP");
				return;
			}
		}
		distributes.add(new VipaDistribute(delete, sysplexPorts, method, autoSwitchBack, address, List.copyOf(ports),
				List.copyOf(dests), pos(statement)));
		checkMethodTargets(statement, method, dests);
	}

	private void checkMethodTargets(Token statement, DistMethod method, List<DestIp> dests) {
		if (method == DistMethod.HOTSTANDBY) {
			long preferred = dests.stream().filter(DestIp::preferred).count();
			long backups = dests.stream().filter(d -> d.backupRank() > 0).count();
			if (dests.isEmpty()) {
				error(statement, Diagnostic.HOTSTANDBY_PREFERRED, "DISTMETHOD HOTSTANDBY cannot use DESTIP ALL; expected DESTIP with exactly one "
						+ "PREFERRED target and at least one BACKUP target");
			} else if (preferred != 1 || backups < 1 || preferred + backups != dests.size()) {
				error(statement, Diagnostic.HOTSTANDBY_PREFERRED, "DISTMETHOD HOTSTANDBY needs exactly one PREFERRED target and at least one BACKUP "
						+ "target, every target being one of the two; found " + preferred + " PREFERRED and "
						+ backups + " BACKUP among " + dests.size() + " targets");
			}
		} else {
			for (DestIp d : dests) {
				if (d.preferred() || d.backupRank() > 0) {
					error(statement, Diagnostic.HOTSTANDBY_PREFERRED, "PREFERRED and BACKUP apply only to DISTMETHOD "
							+ "HOTSTANDBY (target " + d.address().getHostAddress() + " at " + d.position() + ")");
				}
				if (d.weight() != 1 && method != DistMethod.WEIGHTEDACTIVE) {
					warning(statement, Diagnostic.NO_EFFECT, "WEIGHT of target " + d.address().getHostAddress()
							+ " is used only by DISTMETHOD WEIGHTEDACTIVE; with " + method + " it has no effect");
				}
			}
		}
	}

	/** Checks that need the whole profile. */
	private void validate(TcpipProfile profile) {
		Set<Inet4Address> known = new LinkedHashSet<>();
		profile.vipaDefines().forEach(d -> known.addAll(d.addresses()));
		profile.vipaBackups().forEach(b -> known.addAll(b.addresses()));
		Set<Inet4Address> seenDistribution = new LinkedHashSet<>();
		for (VipaDistribute d : profile.vipaDistributes()) {
			Position p = d.position();
			if (!known.contains(d.address())) {
				diagnostics.add(Diagnostic.error(Diagnostic.DISTRIBUTE_UNKNOWN_DVIPA, p.file(), p.line(), p.column(), "VIPADISTRIBUTE names "
						+ d.address().getHostAddress() + ", which no VIPADEFINE or VIPABACKUP of this profile defines"));
			}
			if (!d.delete() && !seenDistribution.add(d.address()) && d.sysplexPorts()) {
				diagnostics.add(Diagnostic.warning(Diagnostic.SYSPLEXPORTS_NOT_FIRST, p.file(), p.line(), p.column(), "SYSPLEXPORTS on a VIPADISTRIBUTE "
						+ "that is not the first for " + d.address().getHostAddress() + " has no effect (z/OS "
						+ "takes it only from the first); put SYSPLEXPORTS on the first VIPADISTRIBUTE of that DVIPA"));
			}
			if (!d.delete() && profile.ipConfig().dynamicXcf().isEmpty()) {
				diagnostics.add(Diagnostic.error(Diagnostic.DISTRIBUTE_NEEDS_DYNAMICXCF, p.file(), p.line(), p.column(), "VIPADISTRIBUTE needs IPCONFIG "
						+ "DYNAMICXCF on this stack (the sysplex distributor reaches its targets through XCF)"));
			}
		}
		if (!profile.vipaDistributes().isEmpty() && !profile.ipConfig().sysplexRouting()) {
			Position p = profile.vipaDistributes().get(0).position();
			diagnostics.add(Diagnostic.warning(Diagnostic.SYSPLEXROUTING_MISSING, p.file(), p.line(), p.column(),
					"VIPADISTRIBUTE without IPCONFIG "
					+ "SYSPLEXROUTING: WLM-based methods get no weights; add SYSPLEXROUTING to IPCONFIG"));
		}
	}

	private boolean startsStatement() {
		return tokens.get(at).firstOnLine() && isStatement(tokens.get(at).text());
	}

	/**
	 * GLOBALCONFIG options that decide which stacks join the sysplex, when, or how explicit binds get
	 * their ports: a warning naming them; every other option is quiet.
	 */
	private static final Set<String> GLOBALCONFIG_WARN = Set.of("XCFGRPID", "SYSPLEXMONITOR", "EXPLICITBINDPORTRANGE",
			"AUTODELETE", "ADJUSTDVIPAMSS");

	private void globalConfig() {
		while (at < tokens.size() && !startsStatement()) {
			Token t = tokens.get(at++);
			String option = t.text().toUpperCase(Locale.ROOT);
			if (GLOBALCONFIG_WARN.contains(option)) {
				warning(t, Diagnostic.NOT_MODELLED, "GLOBALCONFIG option " + option + " is not modelled, and it "
						+ "changes which stacks join the sysplex, when, or which ports explicit binds get; ignored");
			} else if (!OPTION_VALUE.matcher(t.text()).matches()) {
				info(t, Diagnostic.IGNORED, "GLOBALCONFIG option " + option + " cannot change what a DVIPA does; ignored");
			}
			skipValues();
		}
	}

	/** Skips the values of an option that is not modelled (256K, 600, an address): they are no options. */
	private void skipValues() {
		while (at < tokens.size() && !startsStatement() && OPTION_VALUE.matcher(tokens.get(at).text()).matches()) {
			at++;
		}
	}

	private List<Inet4Address> addresses(String expected) {
		List<Inet4Address> list = new ArrayList<>();
		boolean seen = false;
		while (at < tokens.size() && IPV4.matcher(tokens.get(at).text()).matches()) {
			Token t = tokens.get(at++);
			seen = true;
			Inet4Address a = address(t, t.text());
			if (a != null) {
				list.add(a);
			}
		}
		if (!seen) {
			Token t = at < tokens.size() ? tokens.get(at) : null;
			if (t == null) {
				diagnostics.add(Diagnostic.error(Diagnostic.PROFILE_SYNTAX, lastFile(), lastLine(), 0, "found the end of the file, "
						+ "expected " + expected));
			} else {
				error(t, "found '" + t.text() + "', expected " + expected);
			}
		}
		return list;
	}

	private Token next(String expected) {
		if (at >= tokens.size()) {
			diagnostics.add(Diagnostic.error(Diagnostic.PROFILE_SYNTAX, lastFile(), lastLine(), 0, "found the end of the file, "
					+ "expected " + expected));
			return null;
		}
		return tokens.get(at++);
	}

	private int lastLine() {
		return tokens.isEmpty() ? 1 : tokens.get(tokens.size() - 1).line();
	}

	/** The file the last word came from (the end of the profile may be the end of an included member). */
	private Path lastFile() {
		return tokens.isEmpty() ? file : tokens.get(tokens.size() - 1).file();
	}

	private int number(Token t, String what, int min, int max) {
		if (!NUMBER.matcher(t.text()).matches()) {
			error(t, "found '" + t.text() + "', expected " + what + " (" + min + "-" + max + ")");
			return min;
		}
		int n = Integer.parseInt(t.text());
		if (n < min || n > max) {
			error(t, "found " + n + ", expected " + what + " in " + min + "-" + max);
			return Math.max(min, Math.min(max, n));
		}
		return n;
	}

	private Inet4Address address(Token t, String text) {
		Inet4Address a = IPV4.matcher(text).matches() ? parseQuietly(text) : null;
		if (a == null) {
			error(t, "found '" + text + "', expected an IPv4 address (such as 10.1.1.1)");
		}
		return a;
	}

	private static Inet4Address parseQuietly(String text) {
		for (String part : text.split("\\.")) {
			if (Integer.parseInt(part) > 255) {
				return null;
			}
		}
		try {
			return (Inet4Address) InetAddress.getByName(text);
		} catch (UnknownHostException e) {
			return null;
		}
	}

	static boolean isMask(Inet4Address a) {
		byte[] b = a.getAddress();
		int v = ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
		return v != 0 && (~v & (~v + 1)) == 0; // ones then zeros
	}

	private Position pos(Token t) {
		return new Position(t.file(), t.line(), t.column());
	}

	/** A statement z/OS would not accept as written. */
	private void error(Token t, String message) {
		error(t, Diagnostic.PROFILE_SYNTAX, message);
	}

	private void error(Token t, String id, String message) {
		diagnostics.add(Diagnostic.error(id, t.file(), t.line(), t.column(), message));
	}

	private void warning(Token t, String id, String message) {
		diagnostics.add(Diagnostic.warning(id, t.file(), t.line(), t.column(), message));
	}

	private void info(Token t, String id, String message) {
		diagnostics.add(Diagnostic.info(id, t.file(), t.line(), t.column(), message));
	}
}
