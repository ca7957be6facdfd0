package dev.sysplex.core;

/**
 * The codes of the IStatus of Sysplex Explorer's failures (plug-in dev.sysplex.core). They stay
 * the same across releases: a failed logon step has the code of its
 * {@link dev.sysplex.client.ConnectStep#code() ConnectStep} (101 to 109); the others are here.
 */
public final class StatusCodes {

	/** No connection of that name is defined. */
	public static final int NO_SUCH_CONNECTION = 201;
	/** No password is saved and nobody can be asked for one (headless). */
	public static final int NO_PASSWORD = 202;
	/** The connection is not connected (a job request, a submit, a debug launch). */
	public static final int NOT_CONNECTED = 203;
	/** The connection was disconnected or closed while the operation was under way. */
	public static final int DISCONNECTED_MEANWHILE = 204;
	/** A job request on a connected session failed. */
	public static final int JOB_REQUEST = 205;
	/** The host accepted a password the user asked to save, and Secure Storage could not keep it. */
	public static final int PASSWORD_NOT_SAVED = 206;

	private StatusCodes() {
	}
}
