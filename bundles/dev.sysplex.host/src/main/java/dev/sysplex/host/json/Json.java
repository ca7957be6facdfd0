package dev.sysplex.host.json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON (RFC 8259) for the command line's machine-readable output, without a library: values are
 * {@link Map} (keys in their order; use {@link #object()}), {@link Collection}, {@link CharSequence},
 * {@link Number} (finite), {@link Boolean}, {@link Enum} (its name), {@link Optional} (empty: null)
 * and null. {@link #write} escapes every string as the RFC requires (quote, backslash and control
 * characters; U+2028/U+2029 too, for JavaScript readers; a lone surrogate as \\uXXXX), so no value
 * can break the document. {@link #parse} reads strictly (what the RFC does not allow is an error
 * with its position): tests hold every document the command line writes to it.
 *
 * <p>Chosen over Jackson or Gson: `./sysplex` compiles its sources with javac on a fresh clone and
 * has no dependency resolution, and the host bundle would need the library in the target platform
 * and at run time for a few hundred lines of output. Writing through this one class instead of
 * string concatenation is what makes the output safe.
 */
public final class Json {

	/** Deepest nesting {@link #parse} accepts (a bound on recursion). */
	public static final int MAX_DEPTH = 64;

	private Json() {
	}

	/** An empty JSON object that keeps its keys in insertion order. */
	public static Map<String, Object> object() {
		return new LinkedHashMap<>();
	}

	/**
	 * {@code value} as a JSON document, indented by two spaces: the document's own members one per
	 * line, short containers of scalars within it on one line.
	 */
	public static String write(Object value) {
		StringBuilder sb = new StringBuilder();
		write(sb, value, 0);
		return sb.append('\n').toString();
	}

	/** {@code value} on one line, no spaces (JSON Lines). */
	public static String line(Object value) {
		StringBuilder sb = new StringBuilder();
		compact(sb, value);
		return sb.toString();
	}

	private static void write(StringBuilder sb, Object value, int indent) {
		value = normal(value);
		if (value instanceof Map<?, ?> m) {
			if (m.isEmpty()) {
				sb.append("{}");
				return;
			}
			if (indent > 0 && inline(m.values())) {
				compactSpaced(sb, m);
				return;
			}
			sb.append("{\n");
			int i = 0;
			for (Map.Entry<?, ?> e : m.entrySet()) {
				pad(sb, indent + 1);
				string(sb, key(e.getKey()));
				sb.append(": ");
				write(sb, e.getValue(), indent + 1);
				sb.append(++i < m.size() ? ",\n" : "\n");
			}
			pad(sb, indent);
			sb.append('}');
		} else if (value instanceof Collection<?> c) {
			if (c.isEmpty()) {
				sb.append("[]");
				return;
			}
			if (indent > 0 && inline(c)) {
				compactSpaced(sb, c);
				return;
			}
			sb.append("[\n");
			int i = 0;
			for (Object v : c) {
				pad(sb, indent + 1);
				write(sb, v, indent + 1);
				sb.append(++i < c.size() ? ",\n" : "\n");
			}
			pad(sb, indent);
			sb.append(']');
		} else {
			scalar(sb, value);
		}
	}

	/** A container goes on one line when it holds only scalars and flat objects, and is short. */
	private static boolean inline(Collection<?> values) {
		StringBuilder probe = new StringBuilder();
		for (Object v : values) {
			v = normal(v);
			if (v instanceof Collection<?> c && !c.stream().allMatch(Json::isScalar)) {
				return false;
			}
			if (v instanceof Map<?, ?> m && !m.values().stream().allMatch(x -> isScalar(x)
					|| normal(x) instanceof Collection<?> c && c.stream().allMatch(Json::isScalar))) {
				return false;
			}
			compactSpaced(probe, v);
			if (probe.length() > 160) {
				return false;
			}
		}
		return true;
	}

	private static boolean isScalar(Object v) {
		v = normal(v);
		return !(v instanceof Map) && !(v instanceof Collection);
	}

	private static void compactSpaced(StringBuilder sb, Object value) {
		value = normal(value);
		if (value instanceof Map<?, ?> m) {
			sb.append('{');
			int i = 0;
			for (Map.Entry<?, ?> e : m.entrySet()) {
				sb.append(i++ == 0 ? "" : ", ");
				string(sb, key(e.getKey()));
				sb.append(": ");
				compactSpaced(sb, e.getValue());
			}
			sb.append('}');
		} else if (value instanceof Collection<?> c) {
			sb.append('[');
			int i = 0;
			for (Object v : c) {
				sb.append(i++ == 0 ? "" : ", ");
				compactSpaced(sb, v);
			}
			sb.append(']');
		} else {
			scalar(sb, value);
		}
	}

	private static void compact(StringBuilder sb, Object value) {
		value = normal(value);
		if (value instanceof Map<?, ?> m) {
			sb.append('{');
			int i = 0;
			for (Map.Entry<?, ?> e : m.entrySet()) {
				sb.append(i++ == 0 ? "" : ",");
				string(sb, key(e.getKey()));
				sb.append(':');
				compact(sb, e.getValue());
			}
			sb.append('}');
		} else if (value instanceof Collection<?> c) {
			sb.append('[');
			int i = 0;
			for (Object v : c) {
				sb.append(i++ == 0 ? "" : ",");
				compact(sb, v);
			}
			sb.append(']');
		} else {
			scalar(sb, value);
		}
	}

	private static Object normal(Object v) {
		if (v instanceof Optional<?> o) {
			return o.orElse(null);
		}
		if (v instanceof Object[] a) {
			return List.of(a);
		}
		return v;
	}

	private static String key(Object k) {
		if (!(k instanceof CharSequence)) {
			throw new IllegalArgumentException("a JSON object's key must be a string, not " + k);
		}
		return k.toString();
	}

	private static void scalar(StringBuilder sb, Object v) {
		if (v == null) {
			sb.append("null");
		} else if (v instanceof CharSequence s) {
			string(sb, s.toString());
		} else if (v instanceof Boolean b) {
			sb.append(b);
		} else if (v instanceof Double || v instanceof Float) {
			double d = ((Number) v).doubleValue();
			if (!Double.isFinite(d)) {
				throw new IllegalArgumentException("JSON has no " + d);
			}
			sb.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d));
		} else if (v instanceof Number n) {
			sb.append(n);
		} else if (v instanceof Enum<?> e) {
			string(sb, e.name());
		} else {
			throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
		}
	}

	private static void string(StringBuilder sb, String s) {
		sb.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
			case '"' -> sb.append("\\\"");
			case '\\' -> sb.append("\\\\");
			case '\n' -> sb.append("\\n");
			case '\r' -> sb.append("\\r");
			case '\t' -> sb.append("\\t");
			case '\b' -> sb.append("\\b");
			case '\f' -> sb.append("\\f");
			default -> {
				boolean lone = Character.isHighSurrogate(c) ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
						: Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
				if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == 0x7f || lone) {
					sb.append(String.format("\\u%04x", (int) c));
				} else {
					sb.append(c);
				}
			}
			}
		}
		sb.append('"');
	}

	private static void pad(StringBuilder sb, int indent) {
		sb.append("  ".repeat(indent));
	}

	// --- reading ------------------------------------------------------------------------------

	/** A document that is not JSON as RFC 8259 writes it: what and where. */
	public static final class ParseException extends IllegalArgumentException {
		private static final long serialVersionUID = 1L;

		ParseException(String message, int offset) {
			super(message + " at offset " + offset);
		}
	}

	/**
	 * Parses one JSON document strictly: objects as insertion-ordered maps (a key twice is an
	 * error), arrays as lists, numbers as Long when integral and in range, else Double.
	 */
	public static Object parse(String text) {
		Parser p = new Parser(text);
		p.space();
		Object v = p.value(0);
		p.space();
		if (p.i != text.length()) {
			throw new ParseException("text after the document", p.i);
		}
		return v;
	}

	private static final class Parser {
		private final String s;
		private int i;

		Parser(String s) {
			this.s = s;
		}

		void space() {
			while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
				i++;
			}
		}

		Object value(int depth) {
			if (depth > MAX_DEPTH) {
				throw new ParseException("nested deeper than " + MAX_DEPTH, i);
			}
			if (i >= s.length()) {
				throw new ParseException("the document ends where a value was expected", i);
			}
			char c = s.charAt(i);
			switch (c) {
			case '{':
				return object(depth);
			case '[':
				return array(depth);
			case '"':
				return string();
			case 't':
				return word("true", Boolean.TRUE);
			case 'f':
				return word("false", Boolean.FALSE);
			case 'n':
				return word("null", null);
			default:
				if (c == '-' || (c >= '0' && c <= '9')) {
					return number();
				}
				throw new ParseException("unexpected '" + c + "'", i);
			}
		}

		private Object word(String w, Object v) {
			if (!s.startsWith(w, i)) {
				throw new ParseException("expected " + w, i);
			}
			i += w.length();
			return v;
		}

		private Map<String, Object> object(int depth) {
			Map<String, Object> m = new LinkedHashMap<>();
			i++;
			space();
			if (i < s.length() && s.charAt(i) == '}') {
				i++;
				return m;
			}
			while (true) {
				space();
				if (i >= s.length() || s.charAt(i) != '"') {
					throw new ParseException("expected a string key", i);
				}
				int at = i;
				String k = string();
				space();
				expect(':');
				space();
				if (m.containsKey(k)) {
					throw new ParseException("the key \"" + k + "\" twice", at);
				}
				m.put(k, value(depth + 1));
				space();
				if (i < s.length() && s.charAt(i) == ',') {
					i++;
					continue;
				}
				expect('}');
				return m;
			}
		}

		private List<Object> array(int depth) {
			List<Object> l = new ArrayList<>();
			i++;
			space();
			if (i < s.length() && s.charAt(i) == ']') {
				i++;
				return l;
			}
			while (true) {
				space();
				l.add(value(depth + 1));
				space();
				if (i < s.length() && s.charAt(i) == ',') {
					i++;
					continue;
				}
				expect(']');
				return l;
			}
		}

		private void expect(char c) {
			if (i >= s.length() || s.charAt(i) != c) {
				throw new ParseException("expected '" + c + "'", i);
			}
			i++;
		}

		private String string() {
			StringBuilder sb = new StringBuilder();
			i++; // opening quote
			while (true) {
				if (i >= s.length()) {
					throw new ParseException("unterminated string", i);
				}
				char c = s.charAt(i++);
				if (c == '"') {
					return sb.toString();
				}
				if (c < 0x20) {
					throw new ParseException("an unescaped control character in a string", i - 1);
				}
				if (c != '\\') {
					sb.append(c);
					continue;
				}
				if (i >= s.length()) {
					throw new ParseException("unterminated escape", i);
				}
				char e = s.charAt(i++);
				switch (e) {
				case '"', '\\', '/' -> sb.append(e);
				case 'b' -> sb.append('\b');
				case 'f' -> sb.append('\f');
				case 'n' -> sb.append('\n');
				case 'r' -> sb.append('\r');
				case 't' -> sb.append('\t');
				case 'u' -> {
					if (i + 4 > s.length()) {
						throw new ParseException("a \\u escape needs four hex digits", i);
					}
					try {
						sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
					} catch (NumberFormatException x) {
						throw new ParseException("a \\u escape needs four hex digits", i);
					}
					i += 4;
				}
				default -> throw new ParseException("the escape \\" + e + " does not exist", i - 1);
				}
			}
		}

		private Number number() {
			int start = i;
			if (s.charAt(i) == '-') {
				i++;
			}
			if (i >= s.length() || !Character.isDigit(s.charAt(i))) {
				throw new ParseException("a number needs a digit", i);
			}
			if (s.charAt(i) == '0' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
				throw new ParseException("a number with a leading zero", i);
			}
			while (i < s.length() && Character.isDigit(s.charAt(i))) {
				i++;
			}
			boolean integral = true;
			if (i < s.length() && s.charAt(i) == '.') {
				integral = false;
				i++;
				int digits = i;
				while (i < s.length() && Character.isDigit(s.charAt(i))) {
					i++;
				}
				if (i == digits) {
					throw new ParseException("a fraction needs a digit", i);
				}
			}
			if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
				integral = false;
				i++;
				if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
					i++;
				}
				int digits = i;
				while (i < s.length() && Character.isDigit(s.charAt(i))) {
					i++;
				}
				if (i == digits) {
					throw new ParseException("an exponent needs a digit", i);
				}
			}
			String n = s.substring(start, i);
			if (integral) {
				try {
					return Long.parseLong(n);
				} catch (NumberFormatException big) {
					return Double.parseDouble(n);
				}
			}
			return Double.parseDouble(n);
		}
	}
}
