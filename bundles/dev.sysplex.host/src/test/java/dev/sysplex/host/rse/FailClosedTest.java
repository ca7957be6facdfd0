package dev.sysplex.host.rse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.CertificateRefused;
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

/**
 * The client's encryption fails closed: PREFERRED logs on without encryption only after the
 * daemon's explicit answer that it has none, never after a local certificate, pin-store or socket
 * failure, and no password leaves before the TLS session is established. Real daemons, and rogue
 * peers that record every byte they receive.
 */
class FailClosedTest {

	private static final char[] PASSWORD = "never-in-clear".toCharArray();
	private static final String DISTRIBUTE = "VIPADISTRIBUTE DEFINE SYSPLEXPORTS DISTMETHOD ROUNDROBIN DVIPA PORT 4035 "
			+ "DESTIP ALL";

	@TempDir
	Path dir;

	private static RseConnector connector(TrustStore pins, TrustDecision decision) {
		return new RseConnector(new RseConnector.Options().tlsMemory(TlsMemory.disabled()).trust(pins, decision)
				.connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(5))
				.reconnect(false, 0, Duration.ZERO, Duration.ZERO));
	}

	/** A decision a person makes: not instant, so the connector asks outside the handshake. */
	private static TrustDecision person(TrustDecision.Answer answer, Duration thinking) {
		return c -> {
			try {
				Thread.sleep(thinking.toMillis());
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			return answer;
		};
	}

	private static void assertNoPassword(ConnectException e, ConnectStep step) {
		assertEquals(step, e.step(), e.getMessage());
		assertEquals(ConnectException.Password.NOT_SENT, e.password().orElseThrow(), e.getMessage());
		assertTrue(e.getMessage().endsWith("The password was not sent."), e.getMessage());
	}

	/** A rogue TCP peer: answers each connection's first bytes as told and records everything it receives. */
	private static final class RoguePeer implements AutoCloseable {
		interface Answer {
			void answer(Socket s) throws IOException;
		}

		private final ServerSocket listener;
		private final ByteArrayOutputStream received = new ByteArrayOutputStream();
		private int connections;

		RoguePeer(Answer answer) throws IOException {
			listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
			Thread.ofVirtual().start(() -> {
				while (!listener.isClosed()) {
					try (Socket s = listener.accept()) {
						s.setSoTimeout(3_000);
						byte[] buf = new byte[16 * 1024];
						int n = s.getInputStream().read(buf);
						if (n > 0) {
							counted();
						}
						record(buf, Math.max(n, 0));
						answer.answer(s);
						try {
							for (int m; (m = s.getInputStream().read(buf)) > 0;) {
								record(buf, m);
							}
						} catch (IOException endOfConnection) {
							// reset or timeout: what arrived is recorded
						}
					} catch (IOException e) {
						// next connection
					}
				}
			});
		}

		private synchronized void counted() {
			connections++;
			notifyAll();
		}

		/** Waits (bounded, 10 s) until the client sent something on {@code n} connections. */
		synchronized void awaitConnections(int n) throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (connections < n) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				assertTrue(left > 0, "connections: " + connections + " of " + n);
				wait(left);
			}
		}

		private synchronized void record(byte[] b, int n) {
			received.write(b, 0, n);
		}

		/** Connections on which the client sent something. */
		synchronized int connectionsWithData() {
			return connections;
		}

		synchronized String receivedText() {
			return received.toString(StandardCharsets.ISO_8859_1);
		}

		String host() {
			return listener.getInetAddress().getHostAddress();
		}

		int port() {
			return listener.getLocalPort();
		}

		@Override
		public void close() throws IOException {
			listener.close();
		}
	}

	private ConnectException preferredAgainst(RoguePeer rogue) {
		return assertThrows(ConnectException.class, () -> connector(TrustStore.inMemory(),
				TrustDecision.TRUST_ON_FIRST_USE).connect(rogue.host(), rogue.port(), "IBMUSER", PASSWORD,
						EncryptionPolicy.PREFERRED));
	}

	@Test
	void aPeerThatAnswersTheClientHelloWithGarbageGetsNoPasswordAndNoPlainLogon() throws Exception {
		try (RoguePeer rogue = new RoguePeer(s -> s.getOutputStream().write(
				"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))) {
			ConnectException e = preferredAgainst(rogue);
			assertNoPassword(e, ConnectStep.TLS);
			assertTrue(e.getMessage().contains("did not say that it has no encryption"), e.getMessage());
			awaitConnections(rogue, 1);
			assertEquals(1, rogue.connectionsWithData(), "one TLS attempt, no plain retry");
			assertFalse(rogue.receivedText().contains(Rse.LOGON), "no logon frame reached the rogue");
		}
	}

	@Test
	void aResetDuringTheHandshakeSendsNoPasswordAndNoPlainLogon() throws Exception {
		try (RoguePeer rogue = new RoguePeer(s -> {
			s.setSoLinger(true, 0); // close with RST
		})) {
			ConnectException e = preferredAgainst(rogue);
			assertNoPassword(e, ConnectStep.TLS);
			awaitConnections(rogue, 1);
			assertEquals(1, rogue.connectionsWithData());
			assertFalse(rogue.receivedText().contains(Rse.LOGON));
		}
	}

	@Test
	void preferredGoesPlainOnlyAfterTheDaemonsExplicitRefusalAndSaysThePasswordWentUnencrypted() throws Exception {
		// a daemon without TLS answers the ClientHello with a TLS alert (as RSED does with enable_ssl=false)
		try (RoguePeer rogue = new RoguePeer(s -> s.getOutputStream().write(new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02,
				0x02, 40 }))) {
			ConnectException required = assertThrows(ConnectException.class, () -> connector(TrustStore.inMemory(),
					TrustDecision.TRUST_ON_FIRST_USE).connect(rogue.host(), rogue.port(), "IBMUSER", PASSWORD,
							EncryptionPolicy.REQUIRED));
			assertNoPassword(required, ConnectStep.TLS);
			awaitConnections(rogue, 1);
			assertFalse(rogue.receivedText().contains(Rse.LOGON), "REQUIRED never goes plain");

			ConnectException preferred = preferredAgainst(rogue); // the rogue then drops the plain logon
			awaitConnections(rogue, 3);
			assertTrue(rogue.receivedText().contains(Rse.LOGON), "PREFERRED retried without encryption");
			assertEquals(ConnectException.Password.SENT_UNENCRYPTED, preferred.password().orElseThrow(),
					preferred.getMessage());
			assertTrue(preferred.getMessage().contains("The password was sent UNENCRYPTED"), preferred.getMessage());
		}
	}

	private static void awaitConnections(RoguePeer rogue, int n) throws InterruptedException {
		rogue.awaitConnections(n);
	}

	private Sysplex sysplex(boolean ssl) throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 1).write(DISTRIBUTE, true, null).rse(
				"enable.dDVIPA=true\ndeny.nonzero.port=true\n", ssl);
		Sysplex s = f.startSysplex();
		s.users().setPassword("IBMUSER", PASSWORD, false, 1_000);
		dvipa = f.dvipa();
		return s;
	}

	private String dvipa;

	@Test
	void anUnwritablePinStoreSendsNoPasswordWhoeverDecides() throws Exception {
		try (Sysplex s = sysplex(true)) {
			Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
			TrustStore broken = TrustStore.file(notADirectory.resolve("known_servers"));
			for (TrustDecision d : List.of(TrustDecision.TRUST_ON_FIRST_USE, person(TrustDecision.Answer.TRUST_ALWAYS,
					Duration.ZERO))) {
				ConnectException e = assertThrows(ConnectException.class, () -> connector(broken, d).connect(dvipa, 4035,
						"IBMUSER", PASSWORD, EncryptionPolicy.PREFERRED));
				assertNoPassword(e, ConnectStep.TLS);
				assertTrue(e.getMessage().contains("pin could not be saved"), e.getMessage());
			}
			assertTrue(s.users().describe().stream().anyMatch(l -> l.startsWith("IBMUSER") && l.contains("failures 0")),
					"the daemon never saw a logon: " + s.users().describe());
		}
	}

	@Test
	void anExpiredCertificateSendsNoPasswordEvenWhenPinned() throws Exception {
		try (Sysplex s = sysplex(true)) {
			s.close();
			Path ks = dir.resolve("expired.p12");
			Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
					"-genkeypair", "-alias", "rse", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=expired",
					"-startdate", "-10d", "-validity", "1", "-storetype", "PKCS12", "-keystore", ks.toString(),
					"-storepass", "expiredpw", "-keypass", "expiredpw").redirectErrorStream(true).start();
			String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertEquals(0, keytool.waitFor(), out);
			Files.writeString(dir.resolve("etc/zexpl/ssl.properties"), "enable_ssl=true\nserver_keystore_file="
					+ ks + "\nserver_keystore_password=expiredpw\nserver_keystore_label=rse\n");
			try (Sysplex expired = Sysplex.start(dir)) {
				for (EncryptionPolicy p : List.of(EncryptionPolicy.PREFERRED, EncryptionPolicy.REQUIRED)) {
					ConnectException e = assertThrows(ConnectException.class, () -> connector(TrustStore.inMemory(),
							TrustDecision.TRUST_ON_FIRST_USE).connect(dvipa, 4035, "IBMUSER", PASSWORD, p));
					assertNoPassword(e, ConnectStep.TLS);
					assertTrue(e.getMessage().contains("expired"), e.getMessage());
				}
				assertTrue(expired.users().describe().stream().anyMatch(l -> l.startsWith("IBMUSER")
						&& l.contains("failures 0")), "no logon reached the daemon");
			}
		}
	}

	@Test
	void aRejectedCertificateIsNotRetriedPlain() throws Exception {
		try (Sysplex s = sysplex(true)) {
			CertificateRefused e = assertThrows(CertificateRefused.class, () -> connector(TrustStore.inMemory(),
					person(TrustDecision.Answer.REJECT, Duration.ZERO)).connect(dvipa, 4035, "IBMUSER", PASSWORD,
							EncryptionPolicy.PREFERRED));
			assertNoPassword(e, ConnectStep.TLS);
		}
	}

	/** Longer than the daemon's 10 s handshake limit: the question waits with no connection open. */
	@Test
	void aThirtySecondTrustDecisionSucceeds() throws Exception {
		try (Sysplex s = sysplex(true)) {
			TrustStore pins = TrustStore.inMemory();
			long t0 = System.nanoTime();
			Session session = connector(pins, person(TrustDecision.Answer.TRUST_ALWAYS, Duration.ofSeconds(30)))
					.connect(dvipa, 4035, "IBMUSER", PASSWORD, EncryptionPolicy.PREFERRED);
			assertTrue(System.nanoTime() - t0 >= TimeUnit.SECONDS.toNanos(30));
			assertTrue(session.encrypted());
			assertTrue(pins.pinned(dvipa + ":4035").isPresent());
			assertEquals(pins.pinned(dvipa + ":4035").get(), session.certificateSha256().orElseThrow());
			session.logoff();
		}
	}

	/** What a daemon that reads the ClientHello as a frame of the RSE protocol answers: a plaintext FAILED. */
	private static byte[] plainFailedFrame() throws IOException {
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		Frames.write(b, Message.of(Rse.FAILED).with(Rse.F_STATUS, "PROTOCOL").build());
		return b.toByteArray();
	}

	@Test
	void aPlainFrameAnsweringTheClientHelloCountsAsTheDaemonsRefusal() throws Exception {
		byte[] frame = plainFailedFrame();
		try (RoguePeer rogue = new RoguePeer(s -> {
			OutputStream out = s.getOutputStream();
			out.write(frame);
		})) {
			ConnectException e = preferredAgainst(rogue);
			awaitConnections(rogue, 2);
			assertTrue(rogue.receivedText().contains(Rse.LOGON), "the plain retry came: " + e.getMessage());
		}
	}
}
