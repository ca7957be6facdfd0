package dev.sysplex.protocol;

/**
 * The RSE login protocol between the client and the RSE daemon (RSED) and RSE server
 * (docs/protocol.md). Message types, field names and failure statuses are API: both sides and
 * the documentation use these constants.
 */
public final class Rse {

	/**
	 * Protocol version; a peer with another version is refused with {@link Status#VERSION}. Version 2
	 * numbers the session's requests ({@link #F_ID}), so that several may be in flight on one session.
	 */
	public static final int VERSION = 2;

	/**
	 * How many requests of one session the RSE server works on at once; one more is answered
	 * FAILED status=BUSY (with its id) and the session goes on.
	 */
	public static final int MAX_IN_FLIGHT = 16;

	/** RSED's port when its PROC does not say otherwise (z/OS Explorer's default). */
	public static final int DEFAULT_DAEMON_PORT = 4035;

	/** Largest frame either side accepts in the login protocol. */
	public static final int MAX_FRAME = 16 * 1024;

	/** Time the daemon gives a client to complete TLS and send LOGON (dstore uses 10 s). */
	public static final int HANDSHAKE_TIMEOUT_MS = 10_000;

	// client -> RSED
	public static final String LOGON = "LOGON";
	// RSED -> client
	public static final String CONNECTED = "CONNECTED";
	public static final String FAILED = "FAILED";
	// client -> RSE server, first message
	public static final String TICKET = "TICKET";
	// RSE server -> client
	public static final String SESSION = "SESSION";
	// session, client -> server
	public static final String PING = "PING";
	public static final String WHOAMI = "WHOAMI";
	public static final String LOGOFF = "LOGOFF";
	public static final String SUBMIT = "SUBMIT";
	public static final String JOBS = "JOBS";
	public static final String OUTPUT = "OUTPUT";
	public static final String CANCEL = "CANCEL";
	// session, server -> client
	public static final String SUBMITTED = "SUBMITTED";
	public static final String JOBLIST = "JOBLIST";
	public static final String JOBOUTPUT = "JOBOUTPUT";
	/** The answer to CANCEL: the job and its state (CANCELED, or the state it had already ended in). */
	public static final String CANCELED = "CANCELED";
	public static final String PONG = "PONG";
	public static final String BYE = "BYE";
	public static final String NOTIFY = "NOTIFY";

	// fields
	public static final String F_VERSION = "version";
	public static final String F_USER = "user";
	public static final String F_PASSWORD = "password";
	public static final String F_PORT = "port";
	public static final String F_TICKET = "ticket";
	public static final String F_SYSTEM = "system";
	public static final String F_ENCRYPTED = "encrypted";
	public static final String F_EXPIRES = "expires";
	public static final String F_STATUS = "status";
	public static final String F_MESSAGE = "message";
	/**
	 * Version 2: the client's number for a session request (PING, WHOAMI, SUBMIT, JOBS, OUTPUT,
	 * LOGOFF), a decimal from 1 up, new for each request; the answer (PONG, SESSION, SUBMITTED, JOBLIST,
	 * JOBOUTPUT, BYE or FAILED) carries the same id. Notifications (NOTIFY) and a BYE or FAILED the
	 * server sends on its own carry none.
	 */
	public static final String F_ID = "id";
	public static final String F_KIND = "kind";
	public static final String F_IDLE = "idle";
	public static final String F_PROGRAM = "program";
	public static final String F_ARGS = "args";
	public static final String F_OPTIONS = "options";
	public static final String F_AFFINITY = "affinity";
	public static final String F_JOB = "job";
	public static final String F_STATE = "state";
	public static final String F_RC = "rc";
	public static final String F_TEXT = "text";
	public static final String F_COUNT = "count";
	/** OUTPUT from=N: the output from character N on; JOBOUTPUT from/to/size: the piece's place in the whole. */
	public static final String F_FROM = "from";
	public static final String F_TO = "to";
	public static final String F_SIZE = "size";
	/** JOBLIST: how many jobs the user has (count says how many are listed, the newest). */
	public static final String F_TOTAL = "total";

	/**
	 * RSED -> client, between LOGON and its answer, every {@value #PENDING_EVERY_MS} ms while the
	 * logon waits for its password check (checks run a few at a time): field ahead = how many
	 * checks are before it. The client keeps waiting, within its own bound for the whole logon.
	 */
	public static final String PENDING = "PENDING";
	public static final String F_AHEAD = "ahead";
	public static final int PENDING_EVERY_MS = 5_000;

	/** The notification kind RSED sends when one of the user's jobs ended. */
	public static final String NOTIFY_JOB_ENDED = "job.ended";

	/** Why RSED or the RSE server refused; sent as FAILED status=NAME. */
	public enum Status {
		/** Unknown user or wrong password (not told apart, as RACF does not tell the client). */
		AUTH_FAILED,
		/** The password is right but expired: change it on the host (sysplex user reset). */
		PASSWORD_EXPIRED,
		/** The user is revoked after too many failed attempts: an administrator must resume it. */
		REVOKED,
		/** The client asked for a port RSED may not use (deny.nonzero.port, or outside 1-65535). */
		PORT_OUT_OF_RANGE,
		/** The requested port, or every port of _RSE_PORTRANGE, is in use. */
		PORT_BUSY,
		/** RSED could not start an RSE server thread. */
		SERVER_FAILURE,
		/** The RSE server did not issue this ticket (wrong system or wrong port). */
		TICKET_INVALID,
		/** The ticket was used already. */
		TICKET_USED,
		/** The ticket expired before the client connected. */
		TICKET_EXPIRED,
		/** The peer speaks another protocol version. */
		VERSION,
		/** A job could not be submitted or found (the message says why). */
		JOB,
		/** The host has too many logons waiting for their password check; try again shortly. */
		BUSY,
		/** Malformed or oversized message. */
		PROTOCOL;

		/** The status a peer sent, or PROTOCOL for one this version does not know. */
		public static Status of(String name) {
			for (Status s : values()) {
				if (s.name().equals(name)) {
					return s;
				}
			}
			return PROTOCOL;
		}
	}

	private Rse() {
	}
}
