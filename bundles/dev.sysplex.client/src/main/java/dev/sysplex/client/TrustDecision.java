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

	/**
	 * True when the decision is made at once, without asking anybody: the connector may then take it
	 * inside the TLS handshake. Otherwise (the default: a person decides, for as long as it takes) the
	 * connector ends the handshake, asks with no connection open, and connects again.
	 */
	default boolean instant() {
		return false;
	}

	/** A decision that needs nobody (a rule, not a question). */
	static TrustDecision instant(TrustDecision rule) {
		return new TrustDecision() {
			@Override
			public Answer decide(ServerCertificate certificate) {
				return rule.decide(certificate);
			}

			@Override
			public boolean instant() {
				return true;
			}
		};
	}

	/** The headless default: refuse what is not pinned. */
	TrustDecision REJECT_UNKNOWN = instant(c -> Answer.REJECT);

	/** Pins whatever is seen first (for scripts that said so explicitly, and tests). */
	TrustDecision TRUST_ON_FIRST_USE = instant(c -> Answer.TRUST_ALWAYS);
}
