package dev.sysplex.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per endpoint and for a while, that TLS was refused there, so that a PREFERRED logon
 * goes plain directly next time. Without it every plain logon costs a second daemon connection,
 * which makes ROUNDROBIN over an even number of systems send every logon to the even-numbered
 * ones. {@link #disabled()} reproduces that behaviour.
 */
public final class TlsMemory {

	public static final Duration DEFAULT_TTL = Duration.ofHours(1);

	private final boolean enabled;
	private final Duration ttl;
	private final Clock clock;
	private final Map<String, Instant> refusedUntil = new ConcurrentHashMap<>();

	public TlsMemory(boolean enabled, Duration ttl, Clock clock) {
		this.enabled = enabled;
		this.ttl = ttl;
		this.clock = clock;
	}

	public static TlsMemory enabled(Duration ttl) {
		return new TlsMemory(true, ttl, Clock.systemUTC());
	}

	public static TlsMemory disabled() {
		return new TlsMemory(false, Duration.ZERO, Clock.systemUTC());
	}

	public boolean isEnabled() {
		return enabled;
	}

	/** True while TLS is remembered as refused at {@code endpoint}. */
	public boolean refused(String endpoint) {
		if (!enabled) {
			return false;
		}
		Instant until = refusedUntil.get(endpoint);
		if (until == null) {
			return false;
		}
		if (clock.instant().isAfter(until)) {
			refusedUntil.remove(endpoint, until);
			return false;
		}
		return true;
	}

	public void rememberRefused(String endpoint) {
		if (enabled) {
			refusedUntil.put(endpoint, clock.instant().plus(ttl));
		}
	}

	public void forget(String endpoint) {
		refusedUntil.remove(endpoint);
	}
}
