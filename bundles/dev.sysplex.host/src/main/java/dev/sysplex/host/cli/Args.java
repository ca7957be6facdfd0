package dev.sysplex.host.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.sysplex.host.cli.Command.UsageException;

/** Parsed options ("--name value", "--flag") and positional arguments of one subcommand. */
final class Args {

	private final Map<String, String> options = new LinkedHashMap<>();
	private final List<String> positional = new ArrayList<>();

	/**
	 * @param valued options that take a value
	 * @param flags  options without a value
	 */
	static Args parse(List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
		Args a = new Args();
		for (int i = 0; i < args.size(); i++) {
			String s = args.get(i);
			if (s.equals("--")) {
				a.positional.addAll(args.subList(i + 1, args.size())); // the rest is the program's, as written
				break;
			}
			if (s.startsWith("--")) {
				String name = s;
				String value = null;
				int eq = s.indexOf('=');
				if (eq > 0) {
					name = s.substring(0, eq);
					value = s.substring(eq + 1);
				}
				if (valued.contains(name)) {
					if (value == null) {
						if (i + 1 >= args.size()) {
							throw new UsageException(name + " needs a value");
						}
						value = args.get(++i);
					}
					a.options.put(name, value);
				} else if (flags.contains(name) && value == null) {
					a.options.put(name, "true");
				} else {
					throw new UsageException("unknown option " + name);
				}
			} else {
				a.positional.add(s);
			}
		}
		return a;
	}

	String get(String name, String fallback) {
		return options.getOrDefault(name, fallback);
	}

	boolean has(String name) {
		return options.containsKey(name);
	}

	int intValue(String name, int fallback, int min, int max) throws UsageException {
		String v = options.get(name);
		if (v == null) {
			return fallback;
		}
		try {
			int n = Integer.parseInt(v);
			if (n < min || n > max) {
				throw new NumberFormatException();
			}
			return n;
		} catch (NumberFormatException e) {
			throw new UsageException(name + " must be a number in " + min + "-" + max + ", not '" + v + "'");
		}
	}

	List<String> positional() {
		return positional;
	}

	/**
	 * The positional arguments, refused unless there are {@code min} to {@code max} of them;
	 * {@code what} names them in the message ("a job id").
	 */
	List<String> positional(int min, int max, String what) throws UsageException {
		if (positional.size() > max) {
			throw new UsageException("unexpected argument" + (positional.size() - max > 1 ? "s " : " ")
					+ String.join(" ", positional.subList(max, positional.size()))
					+ (max == 0 ? " (this command takes none)" : " (expected " + what + ")"));
		}
		if (positional.size() < min) {
			throw new UsageException("expected " + what);
		}
		return positional;
	}
}
