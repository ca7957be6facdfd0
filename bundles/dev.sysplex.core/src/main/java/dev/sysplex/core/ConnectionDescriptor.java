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
	private static final Pattern USER = Pattern.compile("[A-Za-z@#$][A-Za-z0-9@#$]{0,7}");

	/** Validates the fields; throws IllegalArgumentException naming the field and what it must be. */
	public ConnectionDescriptor {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("The connection name must be 1-64 letters, digits, blanks, '.', '_' or "
					+ "'-', starting with a letter or digit");
		}
		if (host == null || host.isBlank() || host.contains(" ")) {
			throw new IllegalArgumentException("The host must be the sysplex's DVIPA (an address or a host name)");
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
