package dev.sysplex.client;

import java.io.IOException;
import java.util.Optional;

import dev.sysplex.protocol.Rse.Status;

/**
 * A logon failed. Says which step, at which endpoint, on which system when known, why, and what
 * the user can do; {@link #getMessage()} puts all of it in one sentence for people.
 */
public class ConnectException extends IOException {

	private static final long serialVersionUID = 1L;

	private final ConnectStep step;
	private final String endpoint;
	private final String reason;
	private final String advice;
	private final transient Optional<Status> status;
	private final String system;
	private Password password;

	/** Whether the logon's password left this machine before the failure, and how. */
	public enum Password {
		NOT_SENT("The password was not sent."),
		SENT_ENCRYPTED("The password was sent, encrypted."),
		SENT_UNENCRYPTED("The password was sent UNENCRYPTED; consider changing it.");

		private final String sentence;

		Password(String sentence) {
			this.sentence = sentence;
		}

		public String sentence() {
			return sentence;
		}
	}

	public ConnectException(ConnectStep step, String endpoint, String system, Status status, String reason,
			String advice, Throwable cause) {
		super(null, cause);
		this.step = step;
		this.endpoint = endpoint;
		this.system = system;
		this.status = Optional.ofNullable(status);
		this.reason = reason;
		this.advice = advice;
	}

	public ConnectStep step() {
		return step;
	}

	/** host:port the step talked to. */
	public String endpoint() {
		return endpoint;
	}

	/** The system that answered, when one did. */
	public Optional<String> system() {
		return Optional.ofNullable(system);
	}

	/** The host's status, when the host refused. */
	public Optional<Status> status() {
		return status;
	}

	public String reason() {
		return reason;
	}

	public String advice() {
		return advice;
	}

	/** For a logon: whether the password was sent before it failed; empty for steps without one. */
	public Optional<Password> password() {
		return Optional.ofNullable(password);
	}

	/** Records what happened to the password (set once, by the connector that knows). */
	ConnectException password(Password p) {
		if (password == null) {
			password = p;
		}
		return this;
	}

	@Override
	public String getMessage() {
		return "Failed " + step.description() + " at " + endpoint + (system == null ? "" : " (system " + system + ")")
				+ ": " + reason + (advice == null || advice.isEmpty() ? "" : ". What to do: " + advice)
				+ (password == null ? "" : ". " + password.sentence());
	}
}
