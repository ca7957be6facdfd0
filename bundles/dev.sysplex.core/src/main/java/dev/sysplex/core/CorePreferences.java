package dev.sysplex.core;

/** Preference keys of dev.sysplex.core (instance scope; defaults in its preference initializer). */
public final class CorePreferences {

	public static final String PLUGIN_ID = "dev.sysplex.core";

	/** The encryption policy new connections get: REQUIRED, PREFERRED or DISABLED. */
	public static final String DEFAULT_ENCRYPTION = "defaultEncryption";
	/** How long, in minutes, a refused TLS is remembered per endpoint. */
	public static final String TLS_MEMORY_MINUTES = "tlsMemoryMinutes";
	/** Whether new connections reconnect by themselves. */
	public static final String AUTO_RECONNECT = "autoReconnect";
	/** What a waiting debug session does: "launch" (at once) or "ask". */
	public static final String DEBUG_SESSIONS = "debugSessions";
	/**
	 * When the RSE session is encrypted and the waiting Debug Manager's CLIENT port is not: "ask"
	 * (each time, as z/OS Debugger does), "allow" or "refuse".
	 */
	public static final String PLAIN_DEBUG_LINK = "plainDebugLink";
	/**
	 * Whether a debugged job stops at the first line of its main method before it runs on, as z/OS
	 * Debugger stops a program at entry (default true): with no breakpoint set, the user still gets
	 * a stopped program.
	 */
	public static final String STOP_AT_ENTRY = "stopAtEntry";
	public static final String CONNECT_TIMEOUT_SECONDS = "connectTimeoutSeconds";
	public static final String READ_TIMEOUT_SECONDS = "readTimeoutSeconds";

	/** Node of the connection definitions, below the plug-in's node. */
	public static final String CONNECTIONS_NODE = "connections";
	/** Node of the pinned certificate fingerprints, below the plug-in's node. */
	public static final String PINS_NODE = "pins";

	private CorePreferences() {
	}
}
