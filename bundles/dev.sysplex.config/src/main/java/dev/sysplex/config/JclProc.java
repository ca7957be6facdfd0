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
 * ('...', with '' for a quote) and text after the operands is a comment. Also reads the PARM of
 * the procedure's first EXEC statement, with the procedure's symbolic parameters and the system's
 * symbols substituted, for what it gives the program: {@link #environment()}.
 *
 * @param parm the EXEC statement's PARM, resolved (its quotes and outer parentheses removed)
 */
public record JclProc(String name, Map<String, Parameter> parameters, Optional<Parameter> parm) {

	// compiled once: a check reads each PROC several times
	private static final java.util.regex.Pattern ENVAR = java.util.regex.Pattern.compile("(?i)ENVAR\\(([^)]*)\\)");
	private static final java.util.regex.Pattern ENVAR_ITEM = java.util.regex.Pattern.compile("\"([^\"]*)\"|'([^']*)'|([^,\\s]+)");
	private static final java.util.regex.Pattern EXEC = java.util.regex.Pattern.compile("(?i)^//\\S*\\s+EXEC\\s+");
	private static final java.util.regex.Pattern PARM = java.util.regex.Pattern.compile("(?i)(?:^|,)PARM=");
	private static final java.util.regex.Pattern PROC_SYMBOL = java.util.regex.Pattern.compile("&([A-Za-z@#$][A-Za-z0-9@#$]{0,7})\\.?");
	private static final java.util.regex.Pattern PROC_OR_PEND = java.util.regex.Pattern.compile("(?i)^//\\S*\\s+(PROC|PEND)\\b.*");
	private static final java.util.regex.Pattern BLANKS = java.util.regex.Pattern.compile("\\s+");

	/** A parameter's value (quotes removed, symbols substituted) and where it was written. */
	public record Parameter(String value, Path file, int line, int column) {
	}

	public Optional<String> get(String parameter) {
		return Optional.ofNullable(parameters.get(parameter.toUpperCase(Locale.ROOT))).map(Parameter::value);
	}

	/**
	 * The environment variables the PARM's Language Environment options set, as LE reads them: the
	 * options are the PARM's text before its first '/' outside quotes, and each {@code ENVAR("NAME=value",...)}
	 * sets NAME (a later one wins). Positions are the EXEC statement's.
	 */
	public Map<String, Parameter> environment() {
		Map<String, Parameter> env = new LinkedHashMap<>();
		if (parm.isEmpty()) {
			return env;
		}
		String text = parm.get().value();
		int slash = -1;
		char quote = 0;
		for (int i = 0; i < text.length() && slash < 0; i++) {
			char ch = text.charAt(i);
			if (quote != 0) {
				quote = ch == quote ? 0 : quote;
			} else if (ch == '"' || ch == '\'') {
				quote = ch;
			} else if (ch == '/') {
				slash = i; // the first '/' outside quotes: ENVAR("F=/etc/x") keeps its path
			}
		}
		String options = slash < 0 ? text : text.substring(0, slash);
		java.util.regex.Matcher m = ENVAR.matcher(options);
		while (m.find()) {
			java.util.regex.Matcher item = ENVAR_ITEM
					.matcher(m.group(1));
			while (item.find()) {
				String setting = item.group(1) != null ? item.group(1) : item.group(2) != null ? item.group(2) : item.group(3);
				int eq = setting.indexOf('=');
				if (eq > 0) {
					env.put(setting.substring(0, eq).strip(), new Parameter(setting.substring(eq + 1), parm.get().file(),
							parm.get().line(), parm.get().column()));
				}
			}
		}
		return env;
	}

	/**
	 * @param diagnostics receives errors (no PROC statement, malformed operands) and warnings
	 *                    (a symbol that is not defined on this system)
	 * @return the PROC, or empty when there were errors
	 */
	public static Optional<JclProc> parse(Path file, String text, Symbols symbols, List<Diagnostic> diagnostics) {
		String[] lines = Lines.of(text);
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i];
			if (!line.startsWith("//") || line.startsWith("//*")) {
				continue;
			}
			String[] fields = BLANKS.split(line.substring(2), 3);
			if (fields.length < 2 || !fields[1].equalsIgnoreCase("PROC")) {
				continue;
			}
			String name = fields[0].toUpperCase(Locale.ROOT);
			StringBuilder operands = new StringBuilder();
			// operand text with the line and column each character came from
			List<int[]> where = new java.util.ArrayList<>();
			int lineNo = operandField(lines, i, line.toUpperCase(Locale.ROOT).indexOf("PROC", 2) + 4, false, operands,
					where);
			Optional<JclProc> proc = parameters(file, name, operands.toString(), where, symbols, diagnostics);
			if (proc.isEmpty()) {
				return proc;
			}
			return Optional.of(new JclProc(name, proc.get().parameters(), execParm(file, lines, lineNo + 1,
					proc.get().parameters(), symbols)));
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
		return ok ? Optional.of(new JclProc(name, params, Optional.empty())) : Optional.empty();
	}

	/**
	 * The PARM of the first EXEC statement from line {@code from} (0-based), continued as the PROC
	 * statement is; {@code &NAME} (with an optional '.') replaced by the procedure's parameters,
	 * then the system's symbols. Empty when there is no EXEC statement or it has no PARM.
	 */
	private static Optional<Parameter> execParm(Path file, String[] lines, int from, Map<String, Parameter> params,
			Symbols symbols) {
		for (int i = from; i < lines.length; i++) {
			String line = lines[i];
			if (!line.startsWith("//") || line.startsWith("//*")) {
				continue;
			}
			java.util.regex.Matcher exec = EXEC.matcher(line);
			if (!exec.find()) {
				if (PROC_OR_PEND.matcher(line).matches()) {
					return Optional.empty();
				}
				continue;
			}
			StringBuilder operands = new StringBuilder();
			// a quoted PARM may go on to the next line (JCL continues it from column 16)
			operandField(lines, i, exec.end(), true, operands, null);
			String ops = operands.toString();
			java.util.regex.Matcher parm = PARM.matcher(ops);
			if (!parm.find()) {
				return Optional.empty();
			}
			String value = operand(ops.substring(parm.end()));
			if (value.startsWith("(") && value.endsWith(")")) {
				value = value.substring(1, value.length() - 1);
			}
			value = unquote(value);
			// the procedure's symbolic parameters first (as the converter substitutes them), then the system's
			StringBuilder sb = new StringBuilder();
			java.util.regex.Matcher sym = PROC_SYMBOL.matcher(value);
			while (sym.find()) {
				Parameter p = params.get(sym.group(1).toUpperCase(Locale.ROOT));
				sym.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(p != null ? p.value() : sym.group()));
			}
			sym.appendTail(sb);
			String resolved = symbols.substitute(sb.toString(), undefined -> {
			});
			return Optional.of(new Parameter(resolved, file, i + 1, exec.end() + 1));
		}
		return Optional.empty();
	}

	/**
	 * Reads the operand field of the statement on line {@code first} (0-based) from column
	 * {@code start}: up to a blank outside apostrophes and parentheses, on the next {@code //} line
	 * too when this one ends with a comma, or, with {@code carry}, inside an apostrophe or a
	 * parenthesis (they then stay open across the line's end, as a continued PARM's do).
	 *
	 * @param where receives the line and column (1-based) of each character read; may be null
	 * @return the last line read (0-based)
	 */
	private static int operandField(String[] lines, int first, int start, boolean carry, StringBuilder operands,
			List<int[]> where) {
		int lineNo = first;
		boolean quoted = false;
		int depth = 0;
		while (true) {
			String l = lines[lineNo];
			int c = start;
			while (c < l.length() && l.charAt(c) == ' ') {
				c++;
			}
			if (!carry) {
				quoted = false;
				depth = 0;
			}
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
				if (where != null) {
					where.add(new int[] { lineNo + 1, k + 1 });
				}
			}
			boolean open = carry && (quoted || depth > 0);
			boolean continues = end > c && (open || l.charAt(end - 1) == ',') && lineNo + 1 < lines.length
					&& lines[lineNo + 1].startsWith("//") && !lines[lineNo + 1].startsWith("//*");
			if (!continues) {
				return lineNo;
			}
			lineNo++;
			start = 2;
		}
	}

	/** One operand from the start of {@code text}: up to a comma outside quotes and parentheses. */
	private static String operand(String text) {
		boolean quoted = false;
		int depth = 0;
		int i = 0;
		for (; i < text.length(); i++) {
			char ch = text.charAt(i);
			if (ch == '\'') {
				quoted = !quoted;
			} else if (!quoted && ch == '(') {
				depth++;
			} else if (!quoted && ch == ')') {
				depth--;
			} else if (!quoted && depth == 0 && ch == ',') {
				break;
			}
		}
		return text.substring(0, i);
	}

	/** 'text' without its quotes, '' as one quote; anything else as it is. */
	private static String unquote(String v) {
		if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
			return v.substring(1, v.length() - 1).replace("''", "'");
		}
		return v;
	}
}
