package dev.sysplex.core;

import java.util.Optional;

/**
 * What the UI shows for a connection: its phase and, when connected, the system the session
 * landed on, whether it is encrypted, and the RSE server port.
 */
public record ConnectionState(Phase phase, Optional<String> system, boolean encrypted, int serverPort,
		Optional<String> problem) {

	public enum Phase {
		DISCONNECTED, CONNECTING, CONNECTED, RECONNECTING, FAILED
	}

	public static final ConnectionState DISCONNECTED = new ConnectionState(Phase.DISCONNECTED, Optional.empty(), false,
			0, Optional.empty());

	public static ConnectionState connecting() {
		return new ConnectionState(Phase.CONNECTING, Optional.empty(), false, 0, Optional.empty());
	}

	public static ConnectionState connected(String system, boolean encrypted, int port) {
		return new ConnectionState(Phase.CONNECTED, Optional.of(system), encrypted, port, Optional.empty());
	}

	public static ConnectionState failed(String problem) {
		return new ConnectionState(Phase.FAILED, Optional.empty(), false, 0, Optional.of(problem));
	}
}
