package dev.sysplex.client;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets another thread stop a logon in progress: {@link #cancel()} closes the connection the
 * connector is blocked on (connect, TLS handshake or read), so the attempt ends at once with a
 * {@link ConnectException} whose reason says it was cancelled.
 */
public final class Cancellation {

	private final AtomicReference<Socket> current = new AtomicReference<>();
	private volatile boolean cancelled;

	public void cancel() {
		cancelled = true;
		Socket s = current.get();
		if (s != null) {
			try {
				s.close();
			} catch (IOException e) {
				// closing to interrupt: nothing more to do
			}
		}
	}

	public boolean isCancelled() {
		return cancelled;
	}

	/** The connector registers the socket it is about to block on; closed at once when already cancelled. */
	void track(Socket s) {
		current.set(s);
		if (cancelled) {
			cancel();
		}
	}

	/** Throws when cancelled, naming the step that was interrupted. */
	void check(ConnectStep step, String endpoint) throws ConnectException {
		if (cancelled) {
			throw new ConnectException(step, endpoint, null, null, "cancelled", "", null);
		}
	}
}
