package dev.sysplex.host.rse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.ConnectException;
import dev.sysplex.client.ConnectStep;
import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.net.SysplexFixture;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;
import dev.sysplex.protocol.Rse;
import dev.sysplex.protocol.Rse.Status;

/** RSE daemon, RSE server and the client connector, over real sockets through the DVIPA. */
class RseLoginTest {

	private static final char[] PASSWORD = "s3cret!".toCharArray();
	private static final String ROUNDROBIN_SYSPLEXPORTS = "VIPADISTRIBUTE DEFINE SYSPLEXPORTS DISTMETHOD ROUNDROBIN "
			+ "DVIPA PORT 4035 DESTIP ALL";
	private static final String GOOD_RSE_ENV = "enable.dDVIPA=true\ndeny.nonzero.port=true\n";

	@TempDir
	Path dir;

	private SysplexFixture fixture(int systems, String distribute, String rseEnv, boolean ssl) throws IOException {
		return new SysplexFixture(dir, systems).write(distribute, true, null).rse(rseEnv, ssl);
	}

	private static Sysplex start(SysplexFixture f) throws Exception {
		Sysplex s = f.startSysplex();
		s.users().setPassword("IBMUSER", PASSWORD, false, 1_000); // a cheap hash: these tests log on often
		return s;
	}

	private static RseConnector connector(TlsMemory memory, TrustStore pins, TrustDecision decision) {
		return new RseConnector(new RseConnector.Options().tlsMemory(memory).trust(pins, decision)
				.reconnect(false, 0, Duration.ZERO, Duration.ZERO));
	}

	private static RseConnector plainConnector(TlsMemory memory) {
		return connector(memory, TrustStore.inMemory(), TrustDecision.REJECT_UNKNOWN);
	}

	@Test
	void tlsLoginPinsTheCertificateAndReportsSystemPortAndEncryption() throws Exception {
		SysplexFixture f = fixture(2, ROUNDROBIN_SYSPLEXPORTS, GOOD_RSE_ENV, true);
		try (Sysplex s = start(f)) {
			TrustStore pins = TrustStore.inMemory();
			List<String> trace = new ArrayList<>();
			RseConnector c = new RseConnector(new RseConnector.Options().trust(pins, TrustDecision.TRUST_ON_FIRST_USE)
					.trace(trace::add).reconnect(false, 0, Duration.ZERO, Duration.ZERO));
			Session session = c.connect(f.dvipa(), 4035, "ibmuser", PASSWORD, EncryptionPolicy.REQUIRED);
			assertTrue(session.encrypted());
			assertEquals("SYS1", session.system());
			Map<String, String> who = session.whoami();
			assertEquals("SYS1", who.get(Rse.F_SYSTEM));
			assertEquals("IBMUSER", who.get(Rse.F_USER));
			assertEquals(String.valueOf(session.serverPort()), who.get(Rse.F_PORT));
			assertTrue(s.network().dvipa(f.dvipaAddress()).orElseThrow().sysplexPorts());
			session.ping();
			session.logoff();
			assertTrue(pins.pinned(f.dvipa() + ":4035").isPresent(), "trust on first use pinned it");
			assertTrue(trace.stream().anyMatch(l -> l.contains("RSED on SYS1 answered")), trace.toString());

			// the pinned certificate is accepted without asking again
			Session again = connector(TlsMemory.disabled(), pins, TrustDecision.REJECT_UNKNOWN).connect(f.dvipa(), 4035,
					"IBMUSER", PASSWORD, EncryptionPolicy.REQUIRED);
			assertEquals("SYS2", again.system(), "ROUNDROBIN");
			again.logoff();
		}
	}

	@Test
	void trustOnceIsAskedOncePerLogonAndNotPinned() throws Exception {
		SysplexFixture f = fixture(2, ROUNDROBIN_SYSPLEXPORTS, GOOD_RSE_ENV, true);
		try (Sysplex s = start(f)) {
			TrustStore pins = TrustStore.inMemory();
			List<String> asked = new ArrayList<>();
			TrustDecision once = c -> {
				asked.add(c.endpoint());
				return TrustDecision.Answer.TRUST_ONCE;
			};
			Session session = connector(TlsMemory.disabled(), pins, once).connect(f.dvipa(), 4035, "IBMUSER", PASSWORD,
					EncryptionPolicy.REQUIRED);
			assertTrue(session.encrypted());
			session.logoff();
			assertEquals(List.of(f.dvipa() + ":4035"), asked,
					"one question covers the daemon and the RSE server connection of the logon");
			assertTrue(pins.pinned(f.dvipa() + ":4035").isEmpty(), "trusted once is not pinned");

			Session again = connector(TlsMemory.disabled(), pins, once).connect(f.dvipa(), 4035, "IBMUSER", PASSWORD,
					EncryptionPolicy.REQUIRED);
			again.logoff();
			assertEquals(2, asked.size(), "the next logon asks again");
		}
	}

	@Test
	void unknownOrChangedCertificatesAreRefusedWithoutFallingBackToPlain() throws Exception {
		SysplexFixture f = fixture(1, ROUNDROBIN_SYSPLEXPORTS, GOOD_RSE_ENV, true);
		try (Sysplex s = start(f)) {
			ConnectException unknown = assertThrows(ConnectException.class, () -> plainConnector(TlsMemory.disabled())
					.connect(f.dvipa(), 4035, "IBMUSER", PASSWORD, EncryptionPolicy.PREFERRED));
			assertEquals(ConnectStep.TLS, unknown.step());
			assertTrue(unknown.getMessage().contains("SHA-256"), unknown.getMessage());

			TrustStore pins = TrustStore.inMemory();
			pins.pin(f.dvipa() + ":4035", "00:11:22");
			ConnectException changed = assertThrows(ConnectException.class,
					() -> connector(TlsMemory.disabled(), pins, TrustDecision.TRUST_ON_FIRST_USE).connect(f.dvipa(),
							4035, "IBMUSER", PASSWORD, EncryptionPolicy.PREFERRED));
			assertEquals(ConnectStep.TLS, changed.step());
			assertTrue(changed.getMessage().contains("HAS CHANGED"), changed.getMessage());
			assertEquals("00:11:22", pins.pinned(f.dvipa() + ":4035").orElseThrow(), "the old pin is kept");
			assertTrue(s.rsed("SYS1").orElseThrow().sessions().isEmpty(), "no logon happened");
		}
	}

	@Test
	void preferredFallsBackToPlainWhereEncryptionIsOffAndRequiredRefuses() throws Exception {
		SysplexFixture f = fixture(1, ROUNDROBIN_SYSPLEXPORTS, GOOD_RSE_ENV, false);
		try (Sysplex s = start(f)) {
			long t0 = System.nanoTime();
			Session plain = plainConnector(TlsMemory.disabled()).connect(f.dvipa(), 4035, "IBMUSER", PASSWORD,
					EncryptionPolicy.PREFERRED);
			assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the refused TLS attempt fails at once, not by timeout");
			assertFalse(plain.encrypted());
			plain.logoff();

			ConnectException e = assertThrows(ConnectException.class, () -> plainConnector(TlsMemory.disabled())
					.connect(f.dvipa(), 4035, "IBMUSER", "wrong".toCharArray(), EncryptionPolicy.REQUIRED));
			assertEquals(ConnectStep.TLS, e.step());
			assertTrue(e.getMessage().contains("password was not sent"), e.getMessage());
			// had the wrong password been sent, it would have counted as a failed attempt
			for (int i = 0; i < 2; i++) {
				plainConnector(TlsMemory.disabled()).connect(f.dvipa(), 4035, "IBMUSER", PASSWORD,
						EncryptionPolicy.DISABLED).logoff();
			}
		}
	}

	@Test
	void disabledAgainstAHostThatRequiresEncryptionFailsCleanly() throws Exception {
		SysplexFixture f = fixture(1, ROUNDROBIN_SYSPLEXPORTS, GOOD_RSE_ENV, true);
		try (Sysplex s = start(f)) {
			ConnectException e = assertThrows(ConnectException.class, () -> plainConnector(TlsMemory.disabled())
					.connect(f.dvipa(), 4035, "IBMUSER", PASSWORD, EncryptionPolicy.DISABLED));
			assertEquals(ConnectStep.TLS, e.step());
			assertTrue(e.getMessage().contains("requires encryption"), e.getMessage());
			// plaintext to the TLS daemon is answered with a fatal TLS alert (unexpected_message)
			try (Socket raw = new Socket()) {
				raw.connect(new InetSocketAddress(f.dvipa(), 4035), 5000);
				raw.setSoTimeout(5000);
				raw.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
				byte[] alert = raw.getInputStream().readNBytes(7);
				assertEquals(List.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 10), toList(alert));
			}
		}
	}

	private static List<Integer> toList(byte[] b) {
		List<Integer> l = new ArrayList<>();
		for (byte x : b) {
			l.add(x & 0xFF);
		}
		return l;
	}

	private Map<String, Integer> logons(SysplexFixture f, RseConnector c, int n) throws IOException {
		Map<String, Integer> landed = new TreeMap<>();
		for (int i = 0; i < n; i++) {
			Session s = c.connect(f.dvipa(), 4035, "IBMUSER", PASSWORD, EncryptionPolicy.PREFERRED);
			landed.merge(s.system(), 1, Integer::sum);
			s.logoff();
		}
		return landed;
	}

	/**
	 * The even-systems pitfall: ROUNDROBIN, encryption off, and the client's encrypt-then-plain retry.
	 * Each logon costs two daemon connections, so with an even number of systems every logon
	 * lands on an even-numbered one. Remembering that TLS was refused spreads them evenly.
	 */
	@Test
	void roundRobinWithEncryptionOffSkipsOddSystemsUnlessTlsIsRemembered() throws Exception {
		for (int systems : new int[] { 2, 4 }) {
			Path sub = java.nio.file.Files.createDirectories(dir.resolve("n" + systems));
			SysplexFixture f = new SysplexFixture(sub, systems).write(ROUNDROBIN_SYSPLEXPORTS, true, null)
					.rse(GOOD_RSE_ENV, false);
			try (Sysplex s = start(f)) {
				Map<String, Integer> without = logons(f, plainConnector(TlsMemory.disabled()), 2 * systems);
				Map<String, Integer> with = logons(f, plainConnector(TlsMemory.enabled(Duration.ofMinutes(5))),
						2 * systems);
				if (systems == 2) {
					assertEquals(Map.of("SYS2", 4), without);
					assertEquals(Map.of("SYS1", 2, "SYS2", 2), with);
				} else {
					assertEquals(Map.of("SYS2", 4, "SYS4", 4), without);
					assertEquals(Map.of("SYS1", 2, "SYS2", 2, "SYS3", 2, "SYS4", 2), with);
				}
			}
		}
	}

	/** Logs on with raw protocol messages and leaves the RSE server waiting for its ticket. */
	private static Message rawLogon(String host, int requestedPort) throws IOException {
		try (Socket s = new Socket()) {
			s.connect(new InetSocketAddress(host, 4035), 5000);
			s.setSoTimeout(10_000);
			Frames.write(s.getOutputStream(), Message.of(Rse.LOGON).with(Rse.F_VERSION, Rse.VERSION)
					.with(Rse.F_USER, "IBMUSER").with(Rse.F_PASSWORD, new String(PASSWORD))
					.with(Rse.F_PORT, requestedPort).build());
			return Frames.read(s.getInputStream(), Rse.MAX_FRAME);
		}
	}

	private static Message presentTicket(String host, int port, String ticket) throws IOException {
		try (Socket s = new Socket()) {
			s.connect(new InetSocketAddress(host, port), 5000);
			s.setSoTimeout(10_000);
			Frames.write(s.getOutputStream(), Message.of(Rse.TICKET).with(Rse.F_VERSION, Rse.VERSION)
					.with(Rse.F_USER, "IBMUSER").with(Rse.F_TICKET, ticket).build());
			return Frames.read(s.getInputStream(), Rse.MAX_FRAME);
		}
	}

	/**
	 * Without SYSPLEXPORTS both stacks hand out the same first ephemeral port; with every port
	 * distributed, the secondary connection reaches the other system's RSE server, and the client
	 * says what happened and what to fix. With SYSPLEXPORTS the same logons get distinct ports.
	 */
	@Test
	void withoutSysplexPortsTheSecondaryConnectionReachesTheWrongSystemAndTheClientSaysSo() throws Exception {
		SysplexFixture f = fixture(2, "VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA DESTIP ALL",
				"enable.dDVIPA=true\n", false);
		try (Sysplex s = start(f)) {
			Message pending = rawLogon(f.dvipa(), 0); // lands on SYS1; its server holds port 20000
			assertEquals("SYS1", pending.require(Rse.F_SYSTEM));
			assertEquals("20000", pending.require(Rse.F_PORT));
			ConnectException e = assertThrows(ConnectException.class, () -> plainConnector(TlsMemory.disabled())
					.connect(f.dvipa(), 4035, "IBMUSER", PASSWORD, EncryptionPolicy.DISABLED));
			assertEquals(ConnectStep.TICKET, e.step());
			assertEquals(Status.TICKET_INVALID, e.status().orElseThrow());
			assertTrue(e.getMessage().contains("reached SYS1, but the ticket was issued by SYS2")
					&& e.getMessage().contains("SYSPLEXPORTS"), e.getMessage());
		}
		SysplexFixture g = new SysplexFixture(java.nio.file.Files.createDirectories(dir.resolve("with")), 2)
				.write("VIPADISTRIBUTE DEFINE SYSPLEXPORTS DISTMETHOD ROUNDROBIN DVIPA DESTIP ALL", true, null)
				.rse("enable.dDVIPA=true\n", false);
		try (Sysplex s = start(g)) {
			Message pending = rawLogon(g.dvipa(), 0);
			Session ok = plainConnector(TlsMemory.disabled()).connect(g.dvipa(), 4035, "IBMUSER", PASSWORD,
					EncryptionPolicy.DISABLED);
			assertEquals("SYS2", ok.system());
			assertTrue(ok.serverPort() != Integer.parseInt(pending.require(Rse.F_PORT)));
			ok.logoff();
		}
	}

	@Test
	void withoutEnableDdvipaTheSecondaryConnectionFailsAndTheErrorSaysWhy() throws Exception {
		SysplexFixture f = fixture(1, ROUNDROBIN_SYSPLEXPORTS, "deny.nonzero.port=true\n", false);
		try (Sysplex s = start(f)) {
			assertTrue(s.warnings().stream().anyMatch(w -> w.message().contains("enable.dDVIPA is not true")));
			ConnectException e = assertThrows(ConnectException.class, () -> plainConnector(TlsMemory.disabled())
					.connect(f.dvipa(), 4035, "IBMUSER", PASSWORD, EncryptionPolicy.DISABLED));
			assertEquals(ConnectStep.SECONDARY_CONNECT, e.step());
			assertTrue(e.getMessage().contains("enable.dDVIPA=true") && e.getMessage().contains(f.dvipa()),
					e.getMessage());
		}
	}

	@Test
	void denyNonzeroPortAndRequestedPorts() throws Exception {
		SysplexFixture f = fixture(1, ROUNDROBIN_SYSPLEXPORTS, GOOD_RSE_ENV, false);
		try (Sysplex s = start(f)) {
			Message m = rawLogon(f.dvipa(), 30000);
			assertEquals(Rse.FAILED, m.type());
			assertEquals(Status.PORT_OUT_OF_RANGE.name(), m.require(Rse.F_STATUS));
			assertTrue(m.require(Rse.F_MESSAGE).contains("deny.nonzero.port"));
		}
		SysplexFixture g = new SysplexFixture(java.nio.file.Files.createDirectories(dir.resolve("allow")), 1)
				.write(ROUNDROBIN_SYSPLEXPORTS, true, null).rse("enable.dDVIPA=true\n", false);
		try (Sysplex s = start(g)) {
			Message m = rawLogon(g.dvipa(), 30000);
			assertEquals("30000", m.require(Rse.F_PORT), "a requested port is used as is");
			Message busy = rawLogon(g.dvipa(), 30000);
			assertEquals(Status.PORT_BUSY.name(), busy.require(Rse.F_STATUS), "and fails when it is busy");
			assertEquals(Rse.SESSION, presentTicket(g.dvipa(), 30000, m.require(Rse.F_TICKET)).type());
		}
	}

	@Test
	void rsePortRangeIsMaxExclusiveAndItsFirstPortIsReusedOnceFree() throws Exception {
		SysplexFixture f = fixture(1, "VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA DESTIP ALL",
				"enable.dDVIPA=true\n_RSE_PORTRANGE=8108-8110\n", false);
		try (Sysplex s = start(f)) {
			Message a = rawLogon(f.dvipa(), 0);
			Message b = rawLogon(f.dvipa(), 0);
			assertEquals("8108", a.require(Rse.F_PORT));
			assertEquals("8109", b.require(Rse.F_PORT));
			Message c = rawLogon(f.dvipa(), 0);
			assertEquals(Status.PORT_BUSY.name(), c.require(Rse.F_STATUS), "8110 is outside 8108-8110");
			assertEquals(Rse.SESSION, presentTicket(f.dvipa(), 8108, a.require(Rse.F_TICKET)).type());
			// the port is held only until the client connects: the next logon gets 8108 again
			awaitClosed(f.dvipa(), 8108);
			assertEquals("8108", rawLogon(f.dvipa(), 0).require(Rse.F_PORT));
		}
	}

	/**
	 * Waits (bounded) until a connection to the port is refused. While the listener closes, the
	 * distributor may still accept a connection and reset it (no listener left): that means "not yet".
	 */
	private static void awaitClosed(String host, int port) throws Exception {
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (true) {
			try (Socket s = new Socket()) {
				s.connect(new InetSocketAddress(host, port), 1000);
			} catch (java.net.ConnectException refused) {
				return;
			} catch (java.net.SocketException resetWhileClosing) {
				// try again
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError(host + ":" + port + " still accepts connections");
			}
			Thread.onSpinWait();
		}
	}

	@Test
	void ticketsAreSingleUseAndExpire() throws Exception {
		SysplexFixture f = fixture(1, ROUNDROBIN_SYSPLEXPORTS, GOOD_RSE_ENV + "sysplex.ticket.timeout=1\n", false);
		try (Sysplex s = start(f)) {
			Message m = rawLogon(f.dvipa(), 0);
			int port = Integer.parseInt(m.require(Rse.F_PORT));
			Message wrong = presentTicket(f.dvipa(), port, "not-the-ticket");
			assertEquals(Status.TICKET_INVALID.name(), wrong.require(Rse.F_STATUS), "a wrong ticket is refused");
			assertEquals(Rse.SESSION, presentTicket(f.dvipa(), port, m.require(Rse.F_TICKET)).type(),
					"the right one still works after a wrong one");
			awaitClosed(f.dvipa(), port);
			assertThrows(java.net.ConnectException.class, () -> presentTicket(f.dvipa(), port, m.require(Rse.F_TICKET)),
					"reused: nothing listens on the port any more");

			Message late = rawLogon(f.dvipa(), 0);
			int latePort = Integer.parseInt(late.require(Rse.F_PORT));
			try (Socket slow = new Socket()) {
				slow.connect(new InetSocketAddress(f.dvipa(), latePort), 5000);
				slow.setSoTimeout(10_000);
				new CountDownLatch(1).await(1_500, TimeUnit.MILLISECONDS); // let the 1 s ticket expire
				Frames.write(slow.getOutputStream(), Message.of(Rse.TICKET).with(Rse.F_VERSION, Rse.VERSION)
						.with(Rse.F_TICKET, late.require(Rse.F_TICKET)).build());
				Message answer = Frames.read(slow.getInputStream(), Rse.MAX_FRAME);
				assertEquals(Status.TICKET_EXPIRED.name(), answer.require(Rse.F_STATUS));
			}
			awaitClosed(f.dvipa(), latePort);

			// a client that vanishes after CONNECTED leaves nothing behind once its ticket expired
			Message vanished = rawLogon(f.dvipa(), 0);
			int vanishedPort = Integer.parseInt(vanished.require(Rse.F_PORT));
			awaitClosed(f.dvipa(), vanishedPort);
			var vipa = s.network().dvipa(f.dvipaAddress()).orElseThrow();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while ((!s.rsed("SYS1").orElseThrow().sessions().isEmpty()
					|| vipa.portTable().stream().anyMatch(r -> r.port() != 4035)) && System.nanoTime() < deadline) {
				Thread.sleep(20); // the server thread ends right after its listener closed; no event for the test
			}
			assertTrue(s.rsed("SYS1").orElseThrow().sessions().isEmpty(), "no RSE server thread is left");
			assertEquals(List.of(4035), vipa.portTable().stream().map(r -> r.port()).distinct().toList(),
					"no port is left in the distributor's table: " + vipa.portTable());
		}
	}

	@Test
	void failedAttemptsRevokeTheUserAndExpiredPasswordsAreReported() throws Exception {
		SysplexFixture f = fixture(1, ROUNDROBIN_SYSPLEXPORTS, GOOD_RSE_ENV, false);
		try (Sysplex s = start(f)) {
			RseConnector c = plainConnector(TlsMemory.disabled());
			for (int i = 1; i <= 3; i++) {
				ConnectException e = assertThrows(ConnectException.class,
						() -> c.connect(f.dvipa(), 4035, "IBMUSER", "bad".toCharArray(), EncryptionPolicy.DISABLED));
				assertEquals(ConnectStep.AUTHENTICATION, e.step());
				assertEquals(i < 3 ? Status.AUTH_FAILED : Status.REVOKED, e.status().orElseThrow());
			}
			ConnectException revoked = assertThrows(ConnectException.class,
					() -> c.connect(f.dvipa(), 4035, "IBMUSER", PASSWORD, EncryptionPolicy.DISABLED));
			assertEquals(Status.REVOKED, revoked.status().orElseThrow(), "even with the right password");
			assertTrue(revoked.getMessage().contains("resume"), revoked.getMessage());
			s.users().resume("IBMUSER");
			c.connect(f.dvipa(), 4035, "IBMUSER", PASSWORD, EncryptionPolicy.DISABLED).logoff();

			s.users().setPassword("IBMUSER", PASSWORD, true, 1_000);
			ConnectException expired = assertThrows(ConnectException.class,
					() -> c.connect(f.dvipa(), 4035, "IBMUSER", PASSWORD, EncryptionPolicy.DISABLED));
			assertEquals(Status.PASSWORD_EXPIRED, expired.status().orElseThrow());
			ConnectException unknown = assertThrows(ConnectException.class,
					() -> c.connect(f.dvipa(), 4035, "NOBODY", PASSWORD, EncryptionPolicy.DISABLED));
			assertEquals(Status.AUTH_FAILED, unknown.status().orElseThrow());
			assertTrue(java.nio.file.Files.readString(f.dir.resolve(Sysplex.USERS)).contains("pbkdf2-sha256:"));
			assertFalse(java.nio.file.Files.readString(f.dir.resolve(Sysplex.USERS)).contains(new String(PASSWORD)),
					"never the password itself");
		}
	}

	@Test
	void theSessionReconnectsThroughTheDvipaWhenItsSystemStops() throws Exception {
		SysplexFixture f = fixture(2, ROUNDROBIN_SYSPLEXPORTS, GOOD_RSE_ENV, false);
		try (Sysplex s = start(f)) {
			RseConnector c = new RseConnector(new RseConnector.Options().tlsMemory(TlsMemory.disabled())
					.reconnect(true, 5, Duration.ofMillis(50), Duration.ofMillis(400)));
			CountDownLatch reconnected = new CountDownLatch(1);
			List<String> states = new java.util.concurrent.CopyOnWriteArrayList<>();
			dev.sysplex.client.Connection connection = new dev.sysplex.client.Connection(c, f.dvipa(), 4035, "IBMUSER",
					EncryptionPolicy.DISABLED, new dev.sysplex.client.Connection.Listener() {
						@Override
						public void stateChanged(dev.sysplex.client.Connection.Snapshot now) {
							states.add(now.state() + now.system().map(x -> " " + x).orElse(""));
							if (states.size() > 2 && now.state() == dev.sysplex.client.Connection.State.CONNECTED) {
								reconnected.countDown();
							}
						}
					});
			Session session = connection.connect(PASSWORD, new dev.sysplex.client.Cancellation());
			assertEquals("SYS1", session.system());
			s.stopSystem("SYS1"); // SYS1's stack ends; SYS2 (VIPABACKUP) takes the DVIPA over
			assertTrue(reconnected.await(10, TimeUnit.SECONDS), "reconnected: " + states);
			assertEquals(List.of("CONNECTING", "CONNECTED SYS1", "RECONNECTING", "CONNECTED SYS2"), states);
			Session now = connection.session().orElseThrow();
			assertFalse(session.isOpen(), "the lost session has ended; the connection has a new one");
			assertEquals("SYS2", now.whoami().get(Rse.F_SYSTEM));
			connection.disconnect();
			assertEquals(dev.sysplex.client.Connection.State.DISCONNECTED, connection.state());
		}
	}

	@Test
	void malformedAndOversizedMessagesGetAnErrorAndTheDaemonServesOthers() throws Exception {
		SysplexFixture f = fixture(1, ROUNDROBIN_SYSPLEXPORTS, GOOD_RSE_ENV, false);
		try (Sysplex s = start(f)) {
			for (byte[] bad : List.of(new byte[] { 0x00, 0x10, 0x00, 0x00 }, // a 1 MiB frame announced
					"GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
					frame("NOT A MESSAGE TYPE\nx=1"), frame("LOGON\nversion=" + Rse.VERSION + "\nuser=IBMUSER"))) {
				try (Socket raw = new Socket()) {
					raw.connect(new InetSocketAddress(f.dvipa(), 4035), 5000);
					raw.setSoTimeout(5000);
					OutputStream out = raw.getOutputStream();
					out.write(bad);
					out.flush();
					InputStream in = raw.getInputStream();
					Message answer = Frames.read(in, Rse.MAX_FRAME);
					assertEquals(Rse.FAILED, answer.type());
					assertEquals(Status.PROTOCOL.name(), answer.require(Rse.F_STATUS));
					assertEquals(-1, in.read(), "and the connection is closed");
				}
			}
			plainConnector(TlsMemory.disabled()).connect(f.dvipa(), 4035, "IBMUSER", PASSWORD,
					EncryptionPolicy.DISABLED).logoff();
		}
	}

	private static byte[] frame(String payload) {
		byte[] p = payload.getBytes(StandardCharsets.UTF_8);
		byte[] f = new byte[p.length + 4];
		f[3] = (byte) p.length;
		System.arraycopy(p, 0, f, 4, p.length);
		return f;
	}

	@Test
	void opensslCompletesATls13Handshake() throws Exception {
		SysplexFixture f = fixture(1, ROUNDROBIN_SYSPLEXPORTS, GOOD_RSE_ENV, true);
		try (Sysplex s = start(f)) {
			Process p = new ProcessBuilder("openssl", "s_client", "-connect", f.dvipa() + ":4035", "-tls1_3")
					.redirectErrorStream(true).start();
			p.getOutputStream().close();
			assertTrue(p.waitFor(20, TimeUnit.SECONDS), "openssl finished");
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertTrue(out.contains("TLSv1.3"), out);
			assertTrue(out.contains("CN = Sysplex Explorer RSE") || out.contains("CN=Sysplex Explorer RSE"), out);
		}
	}

	/** Unique _RSE_PORTRANGEs per system: the firewall-friendly alternative to SYSPLEXPORTS. */
	@Test
	void uniquePortRangesPerSystemAvoidTheCollisionWithoutSysplexPorts() throws Exception {
		SysplexFixture f = fixture(2, "VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA DESTIP ALL",
				"enable.dDVIPA=true\n_RSE_PORTRANGE=8108-8118\n", false);
		java.nio.file.Files.writeString(f.dir.resolve("systems/SYS2/rse.env"), "_RSE_PORTRANGE=8118-8128\n");
		try (Sysplex s = start(f)) {
			Message pending = rawLogon(f.dvipa(), 0);
			assertEquals("SYS1", pending.require(Rse.F_SYSTEM));
			assertEquals("8108", pending.require(Rse.F_PORT));
			Session ok = plainConnector(TlsMemory.disabled()).connect(f.dvipa(), 4035, "IBMUSER", PASSWORD,
					EncryptionPolicy.DISABLED);
			assertEquals("SYS2", ok.system());
			assertEquals(8118, ok.serverPort());
			ok.logoff();
		}
	}

	@Test
	void hostNotificationsReachTheClientAndIdleSessionsEnd() throws Exception {
		SysplexFixture f = fixture(1, ROUNDROBIN_SYSPLEXPORTS, GOOD_RSE_ENV + "sysplex.session.idle.timeout=2\n",
				false);
		try (Sysplex s = start(f)) {
			Session session = plainConnector(TlsMemory.disabled()).connect(f.dvipa(), 4035, "IBMUSER", PASSWORD,
					EncryptionPolicy.DISABLED);
			CountDownLatch notified = new CountDownLatch(1);
			CountDownLatch ended = new CountDownLatch(1);
			AtomicReference<String> got = new AtomicReference<>();
			AtomicReference<String> why = new AtomicReference<>();
			session.addListener(new Session.Listener() {
				@Override
				public void notification(String kind, Map<String, String> fields) {
					got.set(kind + " " + fields);
					notified.countDown();
				}

				@Override
				public void ended(Session.Ending ending) {
					why.set(ending.kind() + " " + ending.reason());
					ended.countDown();
				}
			});
			RseSession host = s.rsed("SYS1").orElseThrow().session("ibmuser").orElseThrow();
			host.notify("debug.waiting", Map.of("port", "5301"));
			assertTrue(notified.await(5, TimeUnit.SECONDS));
			assertEquals("debug.waiting {port=5301}", got.get());
			assertTrue(ended.await(10, TimeUnit.SECONDS), "the idle session ended");
			assertTrue(why.get().startsWith("ENDED_BY_HOST ") && why.get().contains("idle for 2 s"), why.get());
			assertFalse(session.isOpen());
		}
	}

	/**
	 * NETSTAT VDPT shows every system's RSE server port (SYSPLEXPORTS routes it to the system that
	 * bound it) with its open connection, and the row leaves with the session: after many logons the
	 * table holds the configured ports and the open sessions only.
	 */
	@Test
	void vdptShowsEachSystemsServerPortsAndTheirRowsLeaveWithTheirSessions() throws Exception {
		SysplexFixture f = fixture(2, ROUNDROBIN_SYSPLEXPORTS, GOOD_RSE_ENV, false);
		try (Sysplex s = start(f)) {
			var vipa = s.network().dvipa(f.dvipaAddress()).orElseThrow();
			// a session's logoff is told after its server closed its end, which is when its port retires
			CountDownLatch loggedOff = new CountDownLatch(32);
			for (RseDaemon d : s.daemons()) {
				d.addListener(new RseDaemon.Listener() {
					@Override
					public void loggedOff(RseSession session) {
						loggedOff.countDown();
					}
				});
			}
			RseConnector c = plainConnector(TlsMemory.disabled());
			Session a = c.connect(f.dvipa(), 4035, "IBMUSER", PASSWORD, EncryptionPolicy.DISABLED);
			Session b = c.connect(f.dvipa(), 4035, "IBMUSER", PASSWORD, EncryptionPolicy.DISABLED);
			for (Session x : List.of(a, b)) {
				var rows = vipa.portTable().stream().filter(r -> r.port() == x.serverPort()).toList();
				assertEquals(1, rows.size(), "one row for port " + x.serverPort() + ": " + rows);
				assertEquals(x.system(), rows.get(0).system(), "the system that bound it");
				assertEquals(1, rows.get(0).active(), "its open connection");
			}
			a.logoff();
			b.logoff();
			for (int i = 0; i < 30; i++) {
				c.connect(f.dvipa(), 4035, "IBMUSER", PASSWORD, EncryptionPolicy.DISABLED).logoff();
			}
			assertTrue(loggedOff.await(10, TimeUnit.SECONDS), "all 32 sessions ended on the host");
			assertEquals(List.of(4035), vipa.portTable().stream().map(r -> r.port()).distinct().toList(),
					"only the configured port is left: " + vipa.portTable());
		}
	}
}
