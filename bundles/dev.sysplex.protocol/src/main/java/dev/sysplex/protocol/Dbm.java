package dev.sysplex.protocol;

/**
 * The Debug Manager protocols (docs/protocol.md): the internal HOST port (Debug Miner and debug
 * engines of the same system), the hub port between Debug Managers, and the external CLIENT port
 * where a workstation presents its session token before the bytes of the debug session pass.
 */
public final class Dbm {

	/** z/OS Debugger's defaults: CLIENT (external), HOST (internal), the port between Debug Managers. */
	public static final int DEFAULT_CLIENT_PORT = 5335;
	public static final int DEFAULT_HOST_PORT = 5336;
	public static final int DEFAULT_HUB_PORT = 5337;

	/** The name/token pair under which a Debug Manager publishes its HOST port on its system. */
	public static final String NAME_TOKEN = "EQADBM.HOSTPORT";

	public static final int MAX_FRAME = 16 * 1024;
	public static final int HANDSHAKE_TIMEOUT_MS = 10_000;

	// Debug Miner <-> DBM (HOST port); REGISTER carries a PassTicket RSED made for the user
	public static final String REGISTER = "REGISTER";
	public static final String UNREGISTER = "UNREGISTER";
	public static final String REGISTERED = "REGISTERED";
	/** DBM -> Debug Miner (and hub -> DBM): a debug session for the user waits. */
	public static final String WAITING = "WAITING";

	// debug engine (job runner) <-> DBM (HOST port): ENGINE with the job's one-time credential;
	// QUEUED names the one-time address the job's JDWP agent connects to (server=n); STARTED gives
	// the JVM's process id, the only process whose connection to that address is accepted
	public static final String ENGINE = "ENGINE";
	public static final String QUEUED = "QUEUED";
	public static final String STARTED = "STARTED";
	/** DBM -> engine: the JVM's agent connected from that process; the session waits for a workstation. */
	public static final String READY = "READY";
	public static final String ATTACHED = "ATTACHED";
	public static final String DORMANT_TIMEOUT = "DORMANT_TIMEOUT";
	/**
	 * DBM -> engine, after ATTACHED: the linked debugger sent JDWP VirtualMachine.Exit, so the job's
	 * end is a cancel by that user, not the program's own end (field user).
	 */
	public static final String CANCELED = "CANCELED";

	// DBM <-> hub: the hub sends CHALLENGE, the secondary answers HELLO with an HMAC of it (and a
	// challenge of its own), the hub answers WELCOME with an HMAC of that (TRUSTEDTCP)
	public static final String CHALLENGE = "CHALLENGE";
	public static final String WELCOME = "WELCOME";
	public static final String HELLO = "HELLO";
	public static final String USER = "USER";
	public static final String ROUTE = "ROUTE";
	/** Secondary -> hub: a session it routed no longer waits (linked, timed out, ended). */
	public static final String UNROUTE = "UNROUTE";

	// workstation <-> DBM (CLIENT port)
	public static final String LINK = "LINK";
	public static final String LINKED = "LINKED";
	public static final String FAILED = "FAILED";

	public static final String F_USER = "user";
	public static final String F_JOB = "job";
	public static final String F_SYSTEM = "system";
	public static final String F_PORT = "port";
	public static final String F_TOKEN = "token";
	public static final String F_ENGINE = "engine";
	public static final String F_SESSION = "session";
	public static final String F_ON = "on";
	public static final String F_STATUS = "status";
	public static final String F_MESSAGE = "message";
	public static final String F_CLIENT = "client";
	public static final String F_PASSTICKET = "passticket";
	/** On WAITING: whether the waiting Debug Manager's CLIENT port speaks TLS. */
	public static final String F_ENCRYPTED = "encrypted";
	public static final String F_CREDENTIAL = "credential";
	public static final String F_PID = "pid";
	public static final String F_NONCE = "nonce";
	public static final String F_MAC = "mac";

	/** The notification kind RSED sends the client for a waiting debug session. */
	public static final String NOTIFY_WAITING = "debug.waiting";

	/**
	 * Why a request was refused: a LINK (TOKEN_*, ENGINE_GONE), a REGISTER or ENGINE without a valid
	 * PassTicket or credential, or a hub peer that failed authentication (NOT_AUTHORIZED).
	 */
	public enum Status {
		TOKEN_INVALID, TOKEN_USED, TOKEN_EXPIRED, ENGINE_GONE, NOT_AUTHORIZED, PROTOCOL;

		public static Status of(String name) {
			for (Status s : values()) {
				if (s.name().equals(name)) {
					return s;
				}
			}
			return PROTOCOL;
		}
	}

	private Dbm() {
	}
}
