package dev.sysplex.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A z/OS UNIX environment file such as rse.env or ssl.properties: {@code key=value} lines,
 * '#' comments, blank lines ignored. Keys are case-sensitive, as in z/OS UNIX. A value is taken
 * as written (no symbol substitution: rse.env is read by the shell-less RSE start-up).
 */
public final class EnvFile {

	/** A value and the line it came from. */
	public record Entry(String value, Path file, int line) {
	}

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
		Map<String, Entry> entries = new LinkedHashMap<>();
		String[] lines = text.split("\r?\n", -1);
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i].strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			if (line.startsWith("export ")) {
				line = line.substring(7).strip();
			}
			int eq = line.indexOf('=');
			if (eq <= 0) {
				diagnostics.add(Diagnostic.error(Diagnostic.ENV_SYNTAX, file, i + 1, 1, "found '" + abbreviate(line)
						+ "', expected key=value (or a # comment)"));
				continue;
			}
			String key = line.substring(0, eq).strip();
			String value = line.substring(eq + 1).strip();
			if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
					|| value.startsWith("'") && value.endsWith("'"))) {
				value = value.substring(1, value.length() - 1);
			}
			Entry previous = entries.put(key, new Entry(value, file, i + 1));
			if (previous != null) {
				diagnostics.add(Diagnostic.warning(Diagnostic.ENV_SET_AGAIN, file, i + 1, 1, key + " is set again; line " + previous.line()
						+ " is overridden"));
			}
		}
		return new EnvFile(file, entries);
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
