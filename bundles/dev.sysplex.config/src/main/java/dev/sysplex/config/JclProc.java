package dev.sysplex.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The PROC statement of a started-task procedure, such as
 * {@code //DBGMGR PROC PRM=,CLIENT=&EQADBM,HOST=5336}: its symbolic parameters and their default
 * values after the system's symbols were substituted, as z/OS does for started tasks. Reads JCL
 * as written: statements begin with {@code //}, {@code //*} lines are comments, a statement whose
 * operand field ends with a comma continues on the next {@code //} line, values may be quoted
 * ('...', with '' for a quote) and text after the operands is a comment.
 */
public record JclProc(String name, Map<String, Parameter> parameters) {

	/** A parameter's value (quotes removed, symbols substituted) and where it was written. */
	public record Parameter(String value, Path file, int line, int column) {
	}

	public Optional<String> get(String parameter) {
		return Optional.ofNullable(parameters.get(parameter.toUpperCase(Locale.ROOT))).map(Parameter::value);
	}

	/**
	 * @param diagnostics receives errors (no PROC statement, malformed operands) and warnings
	 *                    (a symbol that is not defined on this system)
	 * @return the PROC, or empty when there were errors
	 */
	public static Optional<JclProc> parse(Path file, String text, Symbols symbols, List<Diagnostic> diagnostics) {
		String[] lines = text.split("\r?\n", -1);
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i];
			if (!line.startsWith("//") || line.startsWith("//*")) {
				continue;
			}
			String[] fields = line.substring(2).split("\\s+", 3);
			if (fields.length < 2 || !fields[1].equalsIgnoreCase("PROC")) {
				continue;
			}
			String name = fields[0].toUpperCase(Locale.ROOT);
			StringBuilder operands = new StringBuilder();
			// operand text with the line and column each character came from
			List<int[]> where = new java.util.ArrayList<>();
			int lineNo = i;
			int start = line.toUpperCase(Locale.ROOT).indexOf("PROC", 2) + 4;
			while (true) {
				String l = lines[lineNo];
				int c = start;
				while (c < l.length() && l.charAt(c) == ' ') {
					c++;
				}
				boolean quoted = false;
				int depth = 0;
				int end = c;
				while (end < l.length() && (quoted || depth > 0 || l.charAt(end) != ' ')) {
					char ch = l.charAt(end);
					if (ch == '\'') {
						quoted = !quoted;
					} else if (!quoted && ch == '(') {
						depth++;
					} else if (!quoted && ch == ')') {
						depth--;
					}
					end++;
				}
				for (int k = c; k < end; k++) {
					operands.append(l.charAt(k));
					where.add(new int[] { lineNo + 1, k + 1 });
				}
				boolean continues = end > c && l.charAt(end - 1) == ',' && lineNo + 1 < lines.length
						&& lines[lineNo + 1].startsWith("//") && !lines[lineNo + 1].startsWith("//*");
				if (!continues) {
					break;
				}
				lineNo++;
				start = 2;
			}
			return parameters(file, name, operands.toString(), where, symbols, diagnostics);
		}
		diagnostics.add(Diagnostic.error(Diagnostic.PROC_SYNTAX, file, 0, 0, "has no PROC statement; expected a line such as "
				+ "//NAME PROC KEY=value,..."));
		return Optional.empty();
	}

	private static Optional<JclProc> parameters(Path file, String name, String text, List<int[]> where,
			Symbols symbols, List<Diagnostic> diagnostics) {
		Map<String, Parameter> params = new LinkedHashMap<>();
		int i = 0;
		boolean ok = true;
		while (i < text.length()) {
			int keyStart = i;
			while (i < text.length() && text.charAt(i) != '=' && text.charAt(i) != ',') {
				i++;
			}
			int[] pos = where.get(keyStart);
			if (i >= text.length() || text.charAt(i) != '=') {
				diagnostics.add(Diagnostic.error(Diagnostic.PROC_SYNTAX, file, pos[0], pos[1], "found '" + text.substring(keyStart, i)
						+ "', expected a symbolic parameter KEY=value in the PROC statement"));
				ok = false;
				break;
			}
			String key = text.substring(keyStart, i).toUpperCase(Locale.ROOT);
			i++; // '='
			StringBuilder value = new StringBuilder();
			boolean quoted = false;
			while (i < text.length() && (quoted || text.charAt(i) != ',')) {
				char ch = text.charAt(i);
				if (ch == '\'') {
					if (quoted && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
						value.append('\'');
						i += 2;
						continue;
					}
					quoted = !quoted;
					i++;
					continue;
				}
				value.append(ch);
				i++;
			}
			i++; // ','
			String substituted = symbols.substitute(value.toString(), sym -> diagnostics.add(Diagnostic.warning(Diagnostic.UNDEFINED_SYMBOL, file,
					pos[0], pos[1], key + "=" + value + " uses &" + sym + ", which is not defined on this system when "
							+ name + " starts; define it (SYMDEF in sysplex.conf) before the procedure uses it")));
			params.put(key, new Parameter(substituted, file, pos[0], pos[1]));
		}
		return ok ? Optional.of(new JclProc(name, params)) : Optional.empty();
	}
}
