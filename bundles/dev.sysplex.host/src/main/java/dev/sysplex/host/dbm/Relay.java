package dev.sysplex.host.dbm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies bytes both ways between two connected sockets (either may be TLS), protocol-agnostic,
 * on two platform threads: a blocked read on a virtual thread waits for the JDK's poller and then
 * for a carrier, which made a relayed JDWP round trip 3.4x a direct one instead of about 1.3x
 * (docs/performance.md); a relayed debug session is rare enough for two threads. Backpressure is the sockets' own: a side that does not read stops the other side's
 * writes. End of stream on one side is passed on as a half-close (shutdownOutput); an error on
 * either side closes both. {@code onClose} runs once, after both sockets are closed.
 * <p>
 * Memory: each direction starts with a small buffer and moves to a large one only after a read
 * filled the small one, so an idle relayed connection holds 2 x {@value #SMALL} bytes while bulk
 * transfers use {@value #LARGE}-byte reads.
 */
public final class Relay {

	static final int SMALL = 4 * 1024;
	static final int LARGE = 256 * 1024;

	private final Socket a;
	private final Socket b;
	private final Runnable onClose;
	private final AtomicInteger running = new AtomicInteger(2);
	private volatile Tap tap = (buf, off, len) -> {
	};

	/** Sees each buffer from {@code a} to {@code b} before it is written on (on the relay's thread). */
	@FunctionalInterface
	public interface Tap {
		void passing(byte[] buf, int off, int len);
	}

	private Relay(Socket a, Socket b, Runnable onClose) {
		this.a = a;
		this.b = b;
		this.onClose = onClose;
	}

	/** A relay between {@code a} and {@code b} that has not started yet: register it, then {@link #start}. */
	public static Relay between(Socket a, Socket b, Runnable onClose) {
		return new Relay(a, b, onClose);
	}

	/** Gives every buffer from {@code a} to {@code b} to {@code t} before writing it; call before {@link #start}. */
	public Relay tapping(Tap t) {
		this.tap = t;
		return this;
	}

	/** Starts relaying; returns at once. {@code onClose} may run before this returns. */
	public Relay start(String name) {
		Tap forward = tap;
		Thread.ofPlatform().daemon().name(name + " >").start(() -> pump(a, b, forward));
		Thread.ofPlatform().daemon().name(name + " <").start(() -> pump(b, a, (buf, off, len) -> {
		}));
		return this;
	}

	private void pump(Socket from, Socket to, Tap seen) {
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			byte[] buf = new byte[SMALL];
			int n;
			while ((n = in.read(buf)) >= 0) {
				seen.passing(buf, 0, n);
				out.write(buf, 0, n);
				if (n == buf.length && buf.length < LARGE) {
					buf = new byte[LARGE];
				}
			}
			if (!to.isClosed()) {
				to.shutdownOutput(); // half-close (TLS: close_notify): the other direction may still carry data
			}
		} catch (IOException | UnsupportedOperationException e) {
			closeBoth(); // reset, timeout or close on either side ends the whole connection
		} finally {
			if (running.decrementAndGet() == 0) {
				closeBoth();
				onClose.run();
			}
		}
	}

	/** Ends the relayed connection now (both sockets are closed). */
	public void close() {
		closeBoth();
	}

	private void closeBoth() {
		quietClose(a);
		quietClose(b);
	}

	static void quietClose(Socket s) {
		try {
			s.close();
		} catch (IOException e) {
			// closing after an error: nothing more to tell anyone
			System.getLogger(Relay.class.getName()).log(System.Logger.Level.TRACE, "close: " + e);
		}
	}
}
