package dev.sysplex.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One message of the Sysplex Explorer wire protocols: a type and ordered key/value fields.
 * <p>
 * Encoded as UTF-8 text: the type on the first line, then one {@code key=value} line per
 * field. Values escape backslash and line feed ({@code \\} and {@code \n}) so a value can hold
 * any text. Types and keys are restricted to {@code [A-Za-z0-9._-]} so that a trace stays
 * readable and a hostile peer cannot smuggle structure into them. See docs/protocol.md.
 */
public final class Message {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private final String type;
	private final Map<String, String> fields;

	private Message(String type, Map<String, String> fields) {
		this.type = type;
		this.fields = Collections.unmodifiableMap(fields);
	}

	/** Starts a message of the given type; throws IllegalArgumentException for a bad name. */
	public static Builder of(String type) {
		return new Builder(checkName(type, "message type"));
	}

	public String type() {
		return type;
	}

	public Map<String, String> fields() {
		return fields;
	}

	public Optional<String> get(String key) {
		return Optional.ofNullable(fields.get(key));
	}

	/** The value of a field the protocol requires; a missing field is the peer's protocol error. */
	public String require(String key) throws ProtocolException {
		String value = fields.get(key);
		if (value == null) {
			throw new ProtocolException("message " + type + " lacks the required field '" + key + "'");
		}
		return value;
	}

	/** A required field that must be an integer in [min, max]. */
	public int requireInt(String key, int min, int max) throws ProtocolException {
		String value = require(key);
		try {
			int n = Integer.parseInt(value);
			if (n < min || n > max) {
				throw new ProtocolException("message " + type + " field '" + key + "' is " + n + ", expected "
						+ min + ".." + max);
			}
			return n;
		} catch (NumberFormatException e) {
			throw new ProtocolException("message " + type + " field '" + key + "' is not a number: '"
					+ abbreviate(value) + "'");
		}
	}

	public boolean is(String expectedType) {
		return type.equals(expectedType);
	}

	/** UTF-8 payload bytes as they travel inside a frame. */
	public byte[] encode() {
		StringBuilder sb = new StringBuilder(type);
		fields.forEach((k, v) -> {
			sb.append('\n').append(k).append('=');
			for (int i = 0; i < v.length(); i++) {
				char c = v.charAt(i);
				switch (c) {
				case '\\' -> sb.append("\\\\");
				case '\n' -> sb.append("\\n");
				case '\r' -> sb.append("\\r");
				default -> sb.append(c);
				}
			}
		});
		return sb.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** Parses a payload produced by {@link #encode()}; anything else is a ProtocolException. */
	public static Message decode(byte[] payload) throws ProtocolException {
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(payload)).toString();
		} catch (java.nio.charset.CharacterCodingException e) {
			throw new ProtocolException("message is not valid UTF-8");
		}
		String[] lines = text.split("\n", -1);
		if (!NAME.matcher(lines[0]).matches()) {
			throw new ProtocolException("message type '" + abbreviate(lines[0]) + "' is not a name");
		}
		Map<String, String> fields = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			String line = lines[i];
			int eq = line.indexOf('=');
			if (eq < 0) {
				throw new ProtocolException("line " + (i + 1) + " of message " + lines[0] + " has no '='");
			}
			String key = line.substring(0, eq);
			if (!NAME.matcher(key).matches()) {
				throw new ProtocolException("field name '" + abbreviate(key) + "' in message " + lines[0]
						+ " is not a name");
			}
			if (fields.put(key, unescape(line.substring(eq + 1), lines[0])) != null) {
				throw new ProtocolException("field '" + key + "' appears twice in message " + lines[0]);
			}
		}
		return new Message(lines[0], fields);
	}

	private static String unescape(String v, String type) throws ProtocolException {
		if (v.indexOf('\\') < 0) {
			return v;
		}
		StringBuilder sb = new StringBuilder(v.length());
		for (int i = 0; i < v.length(); i++) {
			char c = v.charAt(i);
			if (c != '\\') {
				sb.append(c);
				continue;
			}
			if (++i == v.length()) {
				throw new ProtocolException("dangling escape in message " + type);
			}
			switch (v.charAt(i)) {
			case '\\' -> sb.append('\\');
			case 'n' -> sb.append('\n');
			case 'r' -> sb.append('\r');
			default -> throw new ProtocolException("unknown escape \\" + v.charAt(i) + " in message " + type);
			}
		}
		return sb.toString();
	}

	private static String checkName(String name, String what) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(what + " must match " + NAME.pattern() + ": " + name);
		}
		return name;
	}

	static String abbreviate(String s) {
		return s.length() <= 40 ? s : s.substring(0, 40) + "...";
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof Message m && m.type.equals(type) && m.fields.equals(fields);
	}

	@Override
	public int hashCode() {
		return Objects.hash(type, fields);
	}

	/** Fields whose key contains "password" or "ticket" or "token" are masked, so traces never leak them. */
	@Override
	public String toString() {
		StringBuilder sb = new StringBuilder(type).append('{');
		String sep = "";
		for (Map.Entry<String, String> e : fields.entrySet()) {
			String k = e.getKey().toLowerCase(java.util.Locale.ROOT);
			boolean secret = k.contains("password") || k.contains("ticket") || k.contains("token");
			sb.append(sep).append(e.getKey()).append('=').append(secret ? "***" : e.getValue());
			sep = ", ";
		}
		return sb.append('}').toString();
	}

	/** Builds a message; fields keep their insertion order. */
	public static final class Builder {
		private final String type;
		private final Map<String, String> fields = new LinkedHashMap<>();

		private Builder(String type) {
			this.type = type;
		}

		public Builder with(String key, Object value) {
			fields.put(checkName(key, "field name"), String.valueOf(Objects.requireNonNull(value, key)));
			return this;
		}

		public Message build() {
			return new Message(type, new LinkedHashMap<>(fields));
		}
	}
}
