package dev.sysplex.client;

/**
 * Decides about a server certificate seen for the first time at an endpoint (trust on first
 * use). A certificate that differs from the one pinned for the endpoint is never put to the
 * decision: it is refused.
 */
@FunctionalInterface
public interface TrustDecision {

	enum Answer {
		/** Trust it and pin its fingerprint for the endpoint. */
		TRUST_ALWAYS,
		/** Trust it for this connection only. */
		TRUST_ONCE,
		REJECT
	}

	Answer decide(ServerCertificate certificate);

	/** The headless default: refuse what is not pinned. */
	TrustDecision REJECT_UNKNOWN = c -> Answer.REJECT;

	/** Pins whatever is seen first (for scripts that said so explicitly, and tests). */
	TrustDecision TRUST_ON_FIRST_USE = c -> Answer.TRUST_ALWAYS;
}
