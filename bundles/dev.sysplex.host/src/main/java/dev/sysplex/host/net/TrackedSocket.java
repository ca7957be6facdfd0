package dev.sysplex.host.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection the distributor accepted on a DVIPA and handed to the chosen server as is (no
 * relay: the connection terminates on the target, as a distributed connection does on z/OS).
 * Closing it, from whichever side, tells the distributor the connection ended.
 */
final class TrackedSocket extends Socket {

	private final AtomicBoolean closed = new AtomicBoolean();
	private volatile Runnable onClose = () -> {
	};

	TrackedSocket() {
	}

	void onClose(Runnable action) {
		this.onClose = action;
	}

	@Override
	public void close() throws IOException {
		try {
			super.close();
		} finally {
			if (closed.compareAndSet(false, true)) {
				onClose.run();
			}
		}
	}

	/** A listening socket whose accepted connections are TrackedSockets. */
	static final class Acceptor extends ServerSocket {

		Acceptor() throws IOException {
		}

		@Override
		public TrackedSocket accept() throws IOException {
			TrackedSocket s = new TrackedSocket();
			implAccept(s);
			return s;
		}
	}
}
