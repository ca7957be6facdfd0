package dev.sysplex.core;

import java.util.regex.Pattern;

import dev.sysplex.client.EncryptionPolicy;

/**
 * A named connection to a sysplex: its DVIPA, the RSE daemon's port, the user, the encryption
 * policy, whether to remember that TLS was refused, and whether to reconnect by itself.
 */
public record ConnectionDescriptor(String name, String host, int port, String user, EncryptionPolicy encryption,
		boolean tlsMemory, boolean autoReconnect) {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");
	private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
	private static final Pattern DOTTED = Pattern.compile("[0-9.]+");
	private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
	private static final Pattern USER = Pattern.compile("[A-Za-z@#$][A-Za-z0-9@#$]{0,7}");

	/**
	 * Null when {@code host} can be the DVIPA: an IPv4 address (four numbers 0-255), an IPv6 address,
	 * or a host name (labels of letters, digits and inner hyphens, 253 characters at most); else what
	 * is wrong with it. Nothing is looked up.
	 */
	public static String hostProblem(String host) {
		if (host == null || host.isBlank()) {
			return "Enter the host: the sysplex's DVIPA address or host name";
		}
		String h = host.strip();
		if (DOTTED.matcher(h).matches()) {
			String[] parts = h.split("\\.", -1);
			boolean ok = parts.length == 4;
			for (int i = 0; ok && i < parts.length; i++) {
				ok = !parts[i].isEmpty() && parts[i].length() <= 3 && Integer.parseInt(parts[i]) <= 255;
			}
			return ok ? null : "'" + h + "' is not an IPv4 address: it needs four numbers 0-255, such as 127.0.10.100";
		}
		if (h.contains(":")) {
			return IPV6.matcher(h).matches() && h.chars().filter(ch -> ch == ':').count() >= 2 ? null
					: "'" + h + "' is not an IPv6 address";
		}
		if (h.length() > 253) {
			return "The host name is longer than 253 characters";
		}
		for (String label : h.split("\\.", -1)) {
			if (!LABEL.matcher(label).matches()) {
				return "'" + h + "' is not a host name: each part between dots must be 1-63 letters, digits or "
						+ "hyphens, not starting or ending with a hyphen";
			}
		}
		return null;
	}

	/** Validates the fields; throws IllegalArgumentException naming the field and what it must be. */
	public ConnectionDescriptor {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("The connection name must be 1-64 letters, digits, blanks, '.', '_' or "
					+ "'-', starting with a letter or digit");
		}
		String hostProblem = hostProblem(host);
		if (hostProblem != null) {
			throw new IllegalArgumentException(hostProblem);
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("The RSE daemon port must be 1-65535 (4035 unless the host says otherwise)");
		}
		if (user == null || !USER.matcher(user).matches()) {
			throw new IllegalArgumentException("The user id must be 1-8 characters, a letter or @#$ first");
		}
		if (encryption == null) {
			throw new IllegalArgumentException("The encryption policy is missing");
		}
	}
}
