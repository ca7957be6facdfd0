package dev.sysplex.host.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.sysplex.client.DebugLink;
import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.protocol.Dbm;

/** A client logged on through a DVIPA that queues its "debug session waiting" notifications. */
public record DebugClient(Session session, BlockingQueue<DebugLink.Waiting> waiting) {

	/** Logs on at DVIPA:4035 (no TLS memory, no reconnect, certificates trusted on first use). */
	public static DebugClient logon(String dvipa, String user, char[] password, EncryptionPolicy policy)
			throws IOException {
		RseConnector c = new RseConnector(new RseConnector.Options().tlsMemory(TlsMemory.disabled())
				.trust(TrustStore.inMemory(), TrustDecision.TRUST_ON_FIRST_USE)
				.reconnect(false, 0, Duration.ZERO, Duration.ZERO));
		BlockingQueue<DebugLink.Waiting> q = new LinkedBlockingQueue<>();
		Session.Listener listener = new Session.Listener() {
			@Override
			public void notification(String kind, Map<String, String> fields) {
				if (kind.equals(Dbm.NOTIFY_WAITING)) {
					q.add(DebugLink.Waiting.of(fields));
				}
			}
		};
		// subscribed before the first message: a session waiting at logon is announced at once
		Session s = c.connect(dvipa, 4035, user, password, policy, new dev.sysplex.client.Cancellation(),
				java.util.List.of(listener));
		return new DebugClient(s, q);
	}

	/** The next notification, within 30 s. */
	public DebugLink.Waiting next() throws InterruptedException {
		DebugLink.Waiting w = waiting.poll(30, TimeUnit.SECONDS);
		assertNotNull(w, "no debug notification within 30 s");
		return w;
	}

	public DebugLink.Security security(DebugLink.PlainLinkPolicy policy, DebugLink.PlainLinkQuestion question) {
		return DebugLink.Security.of(session, policy, question);
	}

	/** The session's rules for debug links: TLS with its certificate when encrypted, never plain then. */
	public DebugLink.Security security() {
		return security(DebugLink.PlainLinkPolicy.REFUSE, DebugLink.PlainLinkQuestion.NOBODY);
	}
}
