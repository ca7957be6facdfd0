package dev.sysplex.host.net;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Keeps an accept loop alive through failures of a listener that is still open: "Too many open
 * files" (EMFILE, ENFILE), no buffers, a connection aborted before it was accepted. The loop says
 * so (at the first failure of a run, then every 100th), waits with a backoff that doubles from
 * 10 ms to 1 s (no event says that descriptors became free), and goes on; the first success after
 * failures says that too. Only a closed listener ends the loop.
 */
public final class AcceptBackoff {

	private static final long FIRST_MS = 10;
	private static final long MAX_MS = 1_000;

	private final String what;
	private final Consumer<String> say;
	private long pauseMs = FIRST_MS;
	private long failures;

	/** @param what names the listener, for example "distributor 127.0.10.100:4035" */
	public AcceptBackoff(String what, Consumer<String> say) {
		this.what = what;
		this.say = say;
		// a logger's first timestamp loads the time zone data from a file: not when no descriptor is left
		java.time.ZonedDateTime.now().getZone().getRules();
	}

	/**
	 * Says it, whatever the saying costs: out of descriptors, a logger may fail to open what it needs
	 * (seen: JUL's first timestamp throwing an Error for tzdb.dat), and that must not end the loop.
	 */
	private void tell(String line) {
		try {
			say.accept(line);
		} catch (RuntimeException | Error e) {
			System.err.println(line + " (the log failed: " + e + ")");
		}
	}

	/**
	 * After accept() failed on a listener that is still open: says so and waits. Returns true to try
	 * again, false when the thread was interrupted (the loop should end).
	 */
	public boolean failed(IOException e) {
		if (Thread.currentThread().isInterrupted()) {
			return false;
		}
		if (failures++ % 100 == 0) {
			tell(what + " cannot accept (" + e.getMessage() + ")" + (failures > 1 ? ", " + failures
					+ " times in a row" : "") + "; retrying in " + pauseMs + " ms, connections wait in the backlog");
		}
		try {
			Thread.sleep(pauseMs);
		} catch (InterruptedException ie) {
			Thread.currentThread().interrupt();
			return false;
		}
		pauseMs = Math.min(pauseMs * 2, MAX_MS);
		return true;
	}

	/** After a successful accept(). */
	public void succeeded() {
		if (failures > 0) {
			tell(what + " accepts again after " + failures + " failed attempts");
			failures = 0;
			pauseMs = FIRST_MS;
		}
	}
}
