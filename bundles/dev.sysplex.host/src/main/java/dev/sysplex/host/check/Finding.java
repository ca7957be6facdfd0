package dev.sysplex.host.check;

import java.nio.file.Path;
import java.util.List;

/**
 * One thing `sysplex check` found: its rule id (docs/configuration.md lists every one), severity,
 * where (file relative to the sysplex directory, line and column; 0 when the whole file is meant),
 * a one-line explanation, the fix, and the systems concerned when the finding needs a
 * sysplex-wide view (which systems disagree).
 */
public record Finding(String id, Severity severity, Path file, int line, int column, String message, String fix,
		List<String> systems) {

	public enum Severity {
		ERROR, WARNING;

		public String label() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	public Finding {
		systems = List.copyOf(systems);
	}

	/** "etc/zexpl/rse.env:3:1", "etc/zexpl/rse.env" when the whole file is meant. */
	public String position() {
		String f = file.toString().replace('\\', '/');
		return line > 0 ? f + ":" + line + ":" + Math.max(column, 1) : f;
	}
}
