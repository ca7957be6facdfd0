package dev.sysplex.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * z/OS system symbols of one system (&SYSNAME, &SYSCLONE, &SYSPLEX and the installation's own,
 * such as &EQADBM) and their substitution as z/OS performs it: {@code &NAME} ends at the first
 * character that cannot be part of a name; a period right after the name is the symbol's
 * delimiter and is consumed ({@code &SYSCLONE..X} gives {@code 0A.X}); a symbol that is not
 * defined is left as written, and reported.
 */
public final class Symbols {

	/** A symbol name: 1-8 characters, alphabetic or national first (IBM's rule for SYMDEF). */
	public static final Pattern NAME = Pattern.compile("[A-Z@#$][A-Z0-9@#$_]{0,7}");

	private static final Pattern REFERENCE = Pattern.compile("&([A-Za-z@#$][A-Za-z0-9@#$_]{0,7})(\\.?)");

	private final Map<String, String> values;

	public Symbols(Map<String, String> values) {
		this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
	}

	public Map<String, String> values() {
		return values;
	}

	/** A copy with more symbols; later definitions win, as in IEASYMxx. */
	public Symbols with(Map<String, String> more) {
		Map<String, String> all = new LinkedHashMap<>(values);
		all.putAll(more);
		return new Symbols(all);
	}

	public boolean isDefined(String name) {
		return values.containsKey(name.toUpperCase(java.util.Locale.ROOT));
	}

	/**
	 * Substitutes every defined symbol in {@code text}.
	 *
	 * @param undefined called with the name of each symbol that is referenced but not defined
	 */
	public String substitute(String text, Consumer<String> undefined) {
		if (text.indexOf('&') < 0) {
			return text;
		}
		Matcher m = REFERENCE.matcher(text);
		StringBuilder sb = new StringBuilder();
		while (m.find()) {
			String name = m.group(1).toUpperCase(java.util.Locale.ROOT);
			String value = values.get(name);
			if (value == null) {
				undefined.accept(name);
				m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
			} else {
				m.appendReplacement(sb, Matcher.quoteReplacement(value));
			}
		}
		m.appendTail(sb);
		return sb.toString();
	}
}
