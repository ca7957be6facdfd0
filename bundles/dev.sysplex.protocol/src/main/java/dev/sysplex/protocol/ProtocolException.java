package dev.sysplex.protocol;

import java.io.IOException;

/**
 * A peer sent bytes that do not form a valid message: a frame longer than the limit, a frame
 * cut short, or a payload that is not a message. The connection that produced it is no
 * longer in a known state and must be closed after the error has been reported.
 */
public class ProtocolException extends IOException {

	private static final long serialVersionUID = 1L;

	public ProtocolException(String message) {
		super(message);
	}
}
