package dev.sysplex.client;

import java.time.Duration;

/**
 * What a {@link Connection} waits on between reconnect attempts. The system clock sleeps; a test
 * gives a clock it controls, so that it can act at every step of the reconnect loop without sleeps.
 */
@FunctionalInterface
public interface Clock {

	/** Waits {@code d}; an interrupt (the connection was disconnected or closed) ends the wait early. */
	void sleep(Duration d) throws InterruptedException;

	/** Real time. */
	Clock SYSTEM = Thread::sleep;
}
