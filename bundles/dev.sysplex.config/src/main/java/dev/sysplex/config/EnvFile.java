package dev.sysplex.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A z/OS UNIX environment file such as rse.env or ssl.properties, read in z/OS UNIX shell
 * syntax as RSE reads rse.env: {@code NAME=value} assignments (no spaces around '='), optionally
 * after {@code export}; {@code export NAME} alone; '#' comments (at the start of a word); values
 * unquoted, in '...' (taken literally) or in "..." ($NAME, ${NAME}, \", \\ and \$ inside), parts
 * joined; $NAME and ${NAME} expanded from what the file set before (unset: empty, as the shell
 * does); a line ending in '\' continues on the next. Keys are case-sensitive.
 * <p>
 * RSE's Java properties are given as {@code -Dname=value} in {@code _RSE_JAVAOPTS}, usually as
 * {@code _RSE_JAVAOPTS="$_RSE_JAVAOPTS -Dname=value"}: each such property is an entry of its own
 * (unless a variable of that name is set, which wins), at the line that set it. Appending to a
 * variable through its own $NAME is no "set again".
 */
public final class EnvFile {

	/** A value and the line it came from. */
	public record Entry(String value, Path file, int line) {
	}

	/** The variable RSE takes its JVM options from. */
	public static final String JAVAOPTS = "_RSE_JAVAOPTS";

	private final Path file;
	private final Map<String, Entry> entries;

	private EnvFile(Path file, Map<String, Entry> entries) {
		this.file = file;
		this.entries = Collections.unmodifiableMap(entries);
	}

	public static EnvFile empty(Path file) {
		return new EnvFile(file, new LinkedHashMap<>());
	}

	public static EnvFile parse(Path file, String text, List<Diagnostic> diagnostics) {
		Map<String, Entry> variables = new LinkedHashMap<>();
		Map<String, Entry> properties = new LinkedHashMap<>();
		String[] lines = Lines.of(text);
		for (int i = 0; i < lines.length; i++) {
			int lineNo = i + 1;
			StringBuilder logical = new StringBuilder(lines[i]);
			while (endsInContinuation(logical) && i + 1 < lines.length) {
				logical.setLength(logical.length() - 1);
				logical.append(lines[++i]);
			}
			String line = logical.toString().strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			if (line.startsWith("export ") || line.startsWith("export\t")) {
				line = line.substring(7).strip();
				if (NAME.matcher(line).matches()) {
					continue; // export NAME: the variable is exported; its value does not change
				}
			}
			int eq = line.indexOf('=');
			if (eq <= 0 || !NAME.matcher(line.substring(0, eq)).matches()) {
				String why = eq > 0 && line.substring(0, eq).endsWith(" ")
						? "; the shell allows no space before '='" : "";
				diagnostics.add(Diagnostic.error(Diagnostic.ENV_SYNTAX, file, lineNo, 1, "found '" + abbreviate(line)
						+ "', expected NAME=value (or export NAME=value, or a # comment)" + why));
				continue;
			}
			String key = line.substring(0, eq);
			String[] problem = { null };
			boolean[] selfReference = { false };
			String value = value(line.substring(eq + 1), variables, key, problem, selfReference);
			if (problem[0] != null) {
				diagnostics.add(Diagnostic.error(Diagnostic.ENV_SYNTAX, file, lineNo, eq + 2, key + "=" + abbreviate(
						line.substring(eq + 1)) + ": " + problem[0]));
				continue;
			}
			Entry previous = variables.put(key, new Entry(value, file, lineNo));
			if (previous != null && !selfReference[0]) {
				diagnostics.add(Diagnostic.warning(Diagnostic.ENV_SET_AGAIN, file, lineNo, 1, key + " is set again; line "
						+ previous.line() + " is overridden"));
			}
			if (key.equals(JAVAOPTS)) {
				for (String option : value.trim().split("\\s+")) {
					if (option.startsWith("-D") && option.length() > 2) {
						int peq = option.indexOf('=');
						String name = peq < 0 ? option.substring(2) : option.substring(2, peq);
						String v = peq < 0 ? "" : option.substring(peq + 1);
						Entry before = properties.get(name);
						if (before == null || !before.value().equals(v)) {
							properties.put(name, new Entry(v, file, before != null && before.value().equals(v)
									? before.line() : lineNo));
						}
					}
				}
			}
		}
		Map<String, Entry> entries = new LinkedHashMap<>(properties);
		entries.putAll(variables); // a variable of the same name wins over a -D property
		return new EnvFile(file, entries);
	}

	/** A variable name as RSE reads it (the shell's, and dots, as in enable.dDVIPA). */
	private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

	private static boolean endsInContinuation(CharSequence s) {
		int n = 0;
		for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
			n++;
		}
		return n % 2 == 1;
	}

	/**
	 * The value of an assignment's right-hand side, as the shell makes it; sets {@code problem[0]}
	 * when it is not one word (an unclosed quote, or a command after it).
	 */
	private static String value(String rhs, Map<String, Entry> variables, String self, String[] problem,
			boolean[] selfReference) {
		StringBuilder out = new StringBuilder();
		int i = 0;
		while (i < rhs.length()) {
			char c = rhs.charAt(i);
			if (c == '\'') {
				int end = rhs.indexOf('\'', i + 1);
				if (end < 0) {
					problem[0] = "the ' quote is not closed";
					return "";
				}
				out.append(rhs, i + 1, end);
				i = end + 1;
			} else if (c == '"') {
				i++;
				boolean closed = false;
				while (i < rhs.length()) {
					char d = rhs.charAt(i);
					if (d == '"') {
						closed = true;
						i++;
						break;
					}
					if (d == '\\' && i + 1 < rhs.length() && "\"\\$`".indexOf(rhs.charAt(i + 1)) >= 0) {
						out.append(rhs.charAt(i + 1));
						i += 2;
					} else if (d == '$') {
						i = expand(rhs, i, out, variables, self, selfReference);
					} else {
						out.append(d);
						i++;
					}
				}
				if (!closed) {
					problem[0] = "the \" quote is not closed";
					return "";
				}
			} else if (c == '$') {
				i = expand(rhs, i, out, variables, self, selfReference);
			} else if (c == '\\' && i + 1 < rhs.length()) {
				out.append(rhs.charAt(i + 1));
				i += 2;
			} else if (Character.isWhitespace(c)) {
				String rest = rhs.substring(i).strip();
				if (!rest.isEmpty() && !rest.startsWith("#")) {
					problem[0] = "the value ends at the blank; quote it if '" + abbreviate(rest) + "' belongs to it "
							+ "(the shell would run it as a command)";
				}
				return out.toString();
			} else {
				out.append(c);
				i++;
			}
		}
		return out.toString();
	}

	/** Expands $NAME or ${NAME} at {@code i}; returns the index after it. */
	private static int expand(String s, int i, StringBuilder out, Map<String, Entry> variables, String self,
			boolean[] selfReference) {
		int start = i + 1;
		int end;
		String name;
		if (start < s.length() && s.charAt(start) == '{') {
			end = s.indexOf('}', start);
			if (end < 0) {
				out.append('$');
				return i + 1;
			}
			name = s.substring(start + 1, end);
			end++;
		} else {
			end = start;
			while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
				end++;
			}
			name = s.substring(start, end);
		}
		if (name.isEmpty()) {
			out.append('$');
			return i + 1;
		}
		if (name.equals(self)) {
			selfReference[0] = true;
		}
		Entry e = variables.get(name);
		if (e != null) {
			out.append(e.value());
		}
		return end;
	}

	public Path file() {
		return file;
	}

	public Map<String, Entry> entries() {
		return entries;
	}

	public Optional<String> get(String key) {
		return Optional.ofNullable(entries.get(key)).map(Entry::value);
	}

	public Optional<Entry> entry(String key) {
		return Optional.ofNullable(entries.get(key));
	}

	public boolean flag(String key) {
		return get(key).map(v -> v.equalsIgnoreCase("true")).orElse(false);
	}

	/** This file with the other's entries on top (a per-system override of a shared file). */
	public EnvFile overriddenBy(EnvFile other) {
		Map<String, Entry> merged = new LinkedHashMap<>(entries);
		merged.putAll(other.entries);
		return new EnvFile(other.file, merged);
	}

	private static String abbreviate(String s) {
		return s.length() <= 40 ? s : s.substring(0, 40) + "...";
	}
}
