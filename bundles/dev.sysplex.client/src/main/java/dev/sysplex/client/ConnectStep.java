package dev.sysplex.client;

/** The step of the logon that failed. */
public enum ConnectStep {
	DAEMON_CONNECT("connecting to the RSE daemon"),
	TLS("negotiating encryption"),
	AUTHENTICATION("logging on"),
	SERVER_START("starting the RSE server"),
	SECONDARY_CONNECT("connecting to the RSE server"),
	TICKET("presenting the ticket to the RSE server"),
	SESSION("using the session"),
	DEBUG_CONNECT("connecting to the Debug Manager"),
	DEBUG_LINK("linking to the waiting debug session");

	private final String description;

	ConnectStep(String description) {
		this.description = description;
	}

	public String description() {
		return description;
	}
}
