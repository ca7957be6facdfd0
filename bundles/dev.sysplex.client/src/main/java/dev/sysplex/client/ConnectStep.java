package dev.sysplex.client;

/**
 * The step of the logon (or of the session) that failed. Each has a {@link #code() code} that
 * stays the same across releases whatever the order of the constants (the Eclipse client puts it
 * in the IStatus of a failure; docs/protocol.md lists them).
 */
public enum ConnectStep {
	DAEMON_CONNECT(101, "connecting to the RSE daemon"),
	TLS(102, "negotiating encryption"),
	AUTHENTICATION(103, "logging on"),
	SERVER_START(104, "starting the RSE server"),
	SECONDARY_CONNECT(105, "connecting to the RSE server"),
	TICKET(106, "presenting the ticket to the RSE server"),
	SESSION(107, "using the session"),
	DEBUG_CONNECT(108, "connecting to the Debug Manager"),
	DEBUG_LINK(109, "linking to the waiting debug session");

	private final int code;
	private final String description;

	ConnectStep(int code, String description) {
		this.code = code;
		this.description = description;
	}

	/** The stable number of the step: never reused, never changed. */
	public int code() {
		return code;
	}

	public String description() {
		return description;
	}
}
