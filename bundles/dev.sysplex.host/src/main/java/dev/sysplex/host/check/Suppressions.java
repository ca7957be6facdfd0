package dev.sysplex.host.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Findings a site has looked at and keeps: an inline {@code sysplex-check: ignore <id>[,<id>...]}
 * in a comment on the finding's line or on the line above it (in whatever comment the member has:
 * {@code ;} in PROFILE.TCPIP and sysplex.conf, {@code #} in rse.env, {@code //*} in a PROC), and a
 * baseline file of known findings, one {@code severity id file:line:column} per line, as
 * {@code sysplex check --write-baseline} writes it.
 */
public final class Suppressions {

	private static final Pattern INLINE = Pattern.compile("sysplex-check:\\s*ignore\\s+([a-z0-9,\\s-]+)",
			Pattern.CASE_INSENSITIVE);

	/** What is left after the suppressions, and how many were suppressed. */
	public record Result(List<Finding> findings, int suppressed) {
	}

	private Suppressions() {
	}

	/** Drops the findings {@code dir}'s members ignore inline and those {@code baseline} lists (may be null). */
	public static Result apply(Path dir, List<Finding> findings, List<String> baseline) {
		Set<String> known = new HashSet<>();
		if (baseline != null) {
			for (String line : baseline) {
				String l = line.strip();
				if (!l.isEmpty() && !l.startsWith("#")) {
					known.add(l);
				}
			}
		}
		Map<Path, List<String>> files = new HashMap<>();
		List<Finding> kept = new ArrayList<>();
		int suppressed = 0;
		for (Finding f : findings) {
			if (known.contains(baselineLine(f)) || ignoredInline(dir, f, files)) {
				suppressed++;
			} else {
				kept.add(f);
			}
		}
		return new Result(List.copyOf(kept), suppressed);
	}

	/** The finding as a baseline line: {@code severity id file:line:column}. */
	public static String baselineLine(Finding f) {
		return f.severity().label() + " " + f.id() + " " + f.file().toString().replace('\\', '/') + ":" + f.line() + ":"
				+ f.column();
	}

	private static boolean ignoredInline(Path dir, Finding f, Map<Path, List<String>> files) {
		if (f.line() <= 0) {
			return false;
		}
		List<String> lines = files.computeIfAbsent(f.file(), p -> read(dir.resolve(p)));
		for (int n = f.line(); n >= f.line() - 1 && n >= 1; n--) {
			if (n <= lines.size()) {
				Matcher m = INLINE.matcher(lines.get(n - 1));
				if (m.find()) {
					for (String id : m.group(1).split("[,\\s]+")) {
						if (id.toLowerCase(Locale.ROOT).equals(f.id())) {
							return true;
						}
					}
				}
			}
		}
		return false;
	}

	private static List<String> read(Path file) {
		try {
			return Files.readAllLines(file, StandardCharsets.UTF_8);
		} catch (IOException | RuntimeException e) {
			return List.of(); // nothing to suppress in a file that cannot be read (the check says so)
		}
	}
}
