package dev.sysplex.config;

import java.util.ArrayList;
import java.util.List;

/** The lines of a member's text, as every reader of this package numbers them. */
final class Lines {

	private Lines() {
	}

	/**
	 * Splits at LF, dropping the CR of a CRLF; a trailing line break gives a last empty line (as
	 * {@code text.split("\r?\n", -1)} does, without a regular expression on every read).
	 */
	static String[] of(String text) {
		List<String> lines = new ArrayList<>();
		int start = 0;
		for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
			int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
			lines.add(text.substring(start, end));
			start = i + 1;
		}
		lines.add(text.substring(start));
		return lines.toArray(String[]::new);
	}
}
