package dev.sysplex.config;

import java.nio.file.Path;

/**
 * A finding about a configuration file, with its position. Rendered as
 * {@code file:line:column: severity: message}, the form compilers and editors understand.
 *
 * @param file   the file, as the user named it (relative to the sysplex directory when possible)
 * @param line   1-based line, 0 when the finding concerns the whole file
 * @param column 1-based column, 0 when the finding concerns the whole line or file
 */
public record Diagnostic(Severity severity, Path file, int line, int column, String message) {

	public enum Severity {
		ERROR, WARNING, INFO;

		public String label() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	public static Diagnostic error(Path file, int line, int column, String message) {
		return new Diagnostic(Severity.ERROR, file, line, column, message);
	}

	public static Diagnostic warning(Path file, int line, int column, String message) {
		return new Diagnostic(Severity.WARNING, file, line, column, message);
	}

	public boolean isError() {
		return severity == Severity.ERROR;
	}

	/** {@code file:line:column} with the parts that are known. */
	public String position() {
		StringBuilder sb = new StringBuilder(String.valueOf(file));
		if (line > 0) {
			sb.append(':').append(line);
			if (column > 0) {
				sb.append(':').append(column);
			}
		}
		return sb.toString();
	}

	@Override
	public String toString() {
		return position() + ": " + severity.label() + ": " + message;
	}
}
