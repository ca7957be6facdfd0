package dev.sysplex.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration has errors: nothing was started. Carries every error and warning found,
 * so the user can fix all of them in one pass.
 */
public class ConfigException extends Exception {

	private static final long serialVersionUID = 1L;

	private final transient List<Diagnostic> diagnostics;

	public ConfigException(List<Diagnostic> diagnostics) {
		super(summary(diagnostics));
		this.diagnostics = List.copyOf(diagnostics);
	}

	public ConfigException(Diagnostic single) {
		this(List.of(single));
	}

	public List<Diagnostic> diagnostics() {
		return diagnostics;
	}

	public List<Diagnostic> errors() {
		return diagnostics.stream().filter(Diagnostic::isError).toList();
	}

	private static String summary(List<Diagnostic> diagnostics) {
		long errors = diagnostics.stream().filter(Diagnostic::isError).count();
		return errors + " error(s) in the sysplex configuration; nothing was started:\n"
				+ diagnostics.stream().filter(Diagnostic::isError).map(d -> "  " + d)
						.collect(Collectors.joining("\n"));
	}
}
