package dev.sysplex.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads parmlib-style statements, as in IEASYMxx and the CFRM policy input of IXCMIAPU:
 * {@code VERB KEY(value) KEYWORD ...}, a statement going on until a line begins with one of the
 * known verbs, comments from ';' or from {@code /*} to {@code *}{@code /} on one line. Values are
 * kept as written, quotes included ('...' may contain blanks and parentheses); a bare keyword is
 * an operand with an empty value.
 */
final class OperandStatements {

	/** One statement: its verb, its operands in order (a repeated key keeps every value), and where it began. */
	record Statement(String verb, List<Map.Entry<String, String>> operands, int line, int column,
			Map<String, int[]> operandPositions) {

		String first(String key) {
			return operands.stream().filter(e -> e.getKey().equals(key)).map(Map.Entry::getValue).findFirst()
					.orElse(null);
		}

		List<String> all(String key) {
			return operands.stream().filter(e -> e.getKey().equals(key)).map(Map.Entry::getValue).toList();
		}

		/** Line and column of the first operand with this key, else of the statement. */
		int[] positionOf(String key) {
			return operandPositions.getOrDefault(key, new int[] { line, column });
		}
	}

	private OperandStatements() {
	}

	/** @param verbs the statement verbs; a line whose first word is one of them begins a statement */
	static List<Statement> parse(Path file, String text, java.util.Set<String> verbs, List<Diagnostic> diagnostics) {
		List<Statement> statements = new ArrayList<>();
		String[] lines = Lines.of(text);
		String verb = null;
		int verbLine = 0;
		int verbCol = 0;
		List<Map.Entry<String, String>> operands = null;
		Map<String, int[]> positions = null;
		for (int i = 0; i < lines.length; i++) {
			String line = stripComments(lines[i]);
			if (line.isBlank()) {
				continue;
			}
			int c = 0;
			String firstWord = line.strip().split("\\s+")[0].toUpperCase(Locale.ROOT);
			boolean continuation = verb != null && !verbs.contains(firstWord);
			if (!continuation) {
				if (verb != null) {
					statements.add(new Statement(verb, operands, verbLine, verbCol, positions));
				}
				while (c < line.length() && Character.isWhitespace(line.charAt(c))) {
					c++;
				}
				int start = c;
				while (c < line.length() && !Character.isWhitespace(line.charAt(c))) {
					c++;
				}
				verb = line.substring(start, c).toUpperCase(Locale.ROOT);
				verbLine = i + 1;
				verbCol = start + 1;
				operands = new ArrayList<>();
				positions = new LinkedHashMap<>();
			}
			while (c < line.length()) {
				while (c < line.length() && (Character.isWhitespace(line.charAt(c)) || line.charAt(c) == ',')) {
					c++;
				}
				if (c >= line.length()) {
					break;
				}
				int start = c;
				while (c < line.length() && line.charAt(c) != '(' && !Character.isWhitespace(line.charAt(c))) {
					c++;
				}
				String key = line.substring(start, c).toUpperCase(Locale.ROOT);
				if (c >= line.length() || line.charAt(c) != '(') {
					operands.add(Map.entry(key, "")); // a bare keyword, such as POLICY in DEFINE POLICY
					positions.putIfAbsent(key, new int[] { i + 1, start + 1 });
					continue;
				}
				c++; // '('
				StringBuilder value = new StringBuilder();
				int depth = 1;
				boolean quoted = false;
				while (c < line.length()) {
					char ch = line.charAt(c);
					if (ch == '\'') {
						if (quoted && c + 1 < line.length() && line.charAt(c + 1) == '\'') {
							value.append("''");
							c += 2;
							continue;
						}
						quoted = !quoted;
					}
					if (!quoted && ch == '(') {
						depth++;
					} else if (!quoted && ch == ')' && --depth == 0) {
						break;
					}
					value.append(ch);
					c++;
				}
				if (c >= line.length()) {
					diagnostics.add(Diagnostic.error(Diagnostic.CONF_SYNTAX, file, i + 1, start + 1, "operand " + key
							+ " is not closed; expected ')' before the end of the line"));
					break;
				}
				c++; // ')'
				operands.add(Map.entry(key, value.toString().trim()));
				positions.putIfAbsent(key, new int[] { i + 1, start + 1 });
			}
		}
		if (verb != null) {
			statements.add(new Statement(verb, operands, verbLine, verbCol, positions));
		}
		return statements;
	}

	private static String stripComments(String line) {
		StringBuilder sb = new StringBuilder(line.length());
		boolean quoted = false;
		for (int i = 0; i < line.length(); i++) {
			char ch = line.charAt(i);
			if (ch == '\'') {
				quoted = !quoted;
			}
			if (!quoted && ch == ';') {
				break;
			}
			if (!quoted && ch == '/' && i + 1 < line.length() && line.charAt(i + 1) == '*') {
				int end = line.indexOf("*/", i + 2);
				if (end < 0) {
					break;
				}
				sb.append(" ".repeat(end + 2 - i)); // keep columns
				i = end + 1;
				continue;
			}
			sb.append(ch);
		}
		return sb.toString();
	}
}
