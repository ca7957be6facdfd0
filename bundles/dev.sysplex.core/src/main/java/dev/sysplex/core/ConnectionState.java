package dev.sysplex.core;

import java.util.Optional;

/**
 * What the UI shows for a connection: its phase and, when connected, the system the session
 * landed on, whether it is encrypted, and the RSE server port; while reconnecting, the attempt
 * (1 to {@code attempts}) and why; when failed, why.
 */
public record ConnectionState(Phase phase, Optional<String> system, boolean encrypted, int serverPort,
		Optional<String> problem, int attempt, int attempts) {

	/** The phases of {@link dev.sysplex.client.Connection.State}, as the workbench shows them. */
	public enum Phase {
		DISCONNECTED, CONNECTING, CONNECTED, RECONNECTING, FAILED, CLOSED
	}

	public static final ConnectionState DISCONNECTED = new ConnectionState(Phase.DISCONNECTED, Optional.empty(), false,
			0, Optional.empty(), 0, 0);

	public static ConnectionState connecting() {
		return new ConnectionState(Phase.CONNECTING, Optional.empty(), false, 0, Optional.empty(), 0, 0);
	}

	public static ConnectionState connected(String system, boolean encrypted, int port) {
		return new ConnectionState(Phase.CONNECTED, Optional.of(system), encrypted, port, Optional.empty(), 0, 0);
	}

	public static ConnectionState failed(String problem) {
		return new ConnectionState(Phase.FAILED, Optional.empty(), false, 0, Optional.of(problem), 0, 0);
	}

	public static ConnectionState reconnecting(int attempt, int attempts, String why) {
		return new ConnectionState(Phase.RECONNECTING, Optional.empty(), false, 0, Optional.ofNullable(why), attempt,
				attempts);
	}

	/** The state of a client connection's snapshot. */
	static ConnectionState of(dev.sysplex.client.Connection.Snapshot s) {
		return switch (s.state()) {
		case CONNECTED -> s.session().map(x -> connected(x.system(), x.encrypted(), x.serverPort()))
				.orElse(DISCONNECTED);
		case CONNECTING -> connecting();
		case RECONNECTING -> reconnecting(s.attempt(), s.attempts(), s.problem().orElse(null));
		case FAILED -> failed(s.problem().orElse("failed"));
		case DISCONNECTED -> new ConnectionState(Phase.DISCONNECTED, Optional.empty(), false, 0, s.problem(), 0, 0);
		case CLOSED -> new ConnectionState(Phase.CLOSED, Optional.empty(), false, 0, Optional.empty(), 0, 0);
		};
	}
}
