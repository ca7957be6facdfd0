package dev.sysplex.host.dbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.ConnectException;
import dev.sysplex.client.ConnectStep;
import dev.sysplex.client.DebugLink;
import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.Session;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.demo.BreakpointScript;
import dev.sysplex.host.jobs.JobRunner;
import dev.sysplex.host.security.PassTickets;
import dev.sysplex.host.testing.DebugClient;
import dev.sysplex.host.testing.ExampleCopy;
import dev.sysplex.host.testing.HostTrace;
import dev.sysplex.host.testing.TestPaths;
import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;

/**
 * Attacks on the debug loop by a program on the same machine that has no credentials, and the
 * encryption rules of the debug link: each attack must fail, and the owner's session must still be
 * debuggable afterwards. Real sysplexes, real sockets, real JVM jobs (docs/security.md names each).
 */
class DebugSecurityTest {

	private static final char[] PASSWORD = "owner-pw".toCharArray();
	private static final String PLAIN_RSE = "etc/zexpl/ssl.properties";

	@TempDir
	Path dir;

	private ExampleCopy.Copy copy;
	@RegisterExtension
	final HostTrace trace = new HostTrace();

	private Sysplex start(Map<String, UnaryOperator<String>> edits, String... users) throws Exception {
		copy = ExampleCopy.of("two-systems", dir, 68, edits);
		Sysplex s = Sysplex.start(copy.dir());
		s.addTracer(trace);
		for (String u : users) {
			s.users().setPassword(u, PASSWORD, false, 1_000);
		}
		return s;
	}

	private static UnaryOperator<String> encryptionOff() {
		return t -> t.replace("enable_ssl=true", "enable_ssl=false");
	}

	private DebugClient logon(String user, EncryptionPolicy policy) throws IOException {
		return DebugClient.logon(copy.dvipa(), user, PASSWORD, policy);
	}

	/** The owner debugs the job to its breakpoint and end: total = 17900, rc=0. */
	private void ownerDebugs(Sysplex s, DebugClient owner, DebugLink.Waiting w, DebugLink.Security security)
			throws Exception {
		DebugLink.Linked linked = DebugLink.open(copy.dvipa(), w, Duration.ofSeconds(10), security);
		BreakpointScript.Result r = BreakpointScript.run(BreakpointScript.attach(linked), "Payroll", breakpointLine(),
				"total", Duration.ofSeconds(60));
		assertEquals("17900", r.value());
		assertEquals(0, s.jobs().job(w.job()).orElseThrow().awaitEnd(Duration.ofSeconds(60)).rc().orElseThrow());
	}

	private static int breakpointLine() throws IOException {
		return BreakpointScript.markedLine(TestPaths.examples().resolve("jobs/Payroll.java"));
	}

	private static InetSocketAddress hostPort(Sysplex s, String system) {
		return new InetSocketAddress(s.network().stack(system).orElseThrow().homeAddress(),
				s.dbm(system).orElseThrow().settings().hostPort());
	}

	private static Socket connect(InetSocketAddress where) throws IOException {
		Socket sock = new Socket();
		sock.connect(where, 5_000);
		sock.setSoTimeout(10_000);
		return sock;
	}

	/** Sends one message and reads the answer on a fresh connection to the HOST port. */
	private static Message ask(InetSocketAddress where, Message m) throws IOException {
		try (Socket sock = connect(where)) {
			Frames.write(sock.getOutputStream(), m);
			Message answer = Frames.read(sock.getInputStream(), Dbm.MAX_FRAME);
			if (answer != null && answer.is(Dbm.FAILED)) {
				assertEquals(-1, sock.getInputStream().read(), "a refused peer's connection is closed");
			}
			return answer;
		}
	}

	private static Message register(InetSocketAddress where, String user, String ticket) throws IOException {
		Message.Builder b = Message.of(Dbm.REGISTER).with(Dbm.F_USER, user);
		if (ticket != null) {
			b.with(Dbm.F_PASSTICKET, ticket);
		}
		return ask(where, b.build());
	}

	private static void assertNotAuthorized(Message answer, String why) {
		assertNotNull(answer, "an answer");
		assertTrue(answer.is(Dbm.FAILED), "refused: " + answer);
		assertEquals(Dbm.Status.NOT_AUTHORIZED.name(), answer.get(Dbm.F_STATUS).orElse(""), answer.toString());
		assertTrue(answer.get(Dbm.F_MESSAGE).orElse("").contains(why), answer.toString());
	}

	/** A TLS connection that trusts any certificate: a hand-written client (or attacker) of a TLS port. */
	static Socket tlsToAnyone(String host, int port) throws IOException {
		try {
			SSLContext ctx = SSLContext.getInstance("TLS");
			ctx.init(null, new TrustManager[] { new X509TrustManager() {
				@Override
				public void checkClientTrusted(X509Certificate[] chain, String authType) {
				}

				@Override
				public void checkServerTrusted(X509Certificate[] chain, String authType) {
				}

				@Override
				public X509Certificate[] getAcceptedIssuers() {
					return new X509Certificate[0];
				}
			} }, new SecureRandom());
			Socket raw = new Socket();
			raw.connect(new InetSocketAddress(host, port), 5_000);
			raw.setSoTimeout(10_000);
			SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, host, port, true);
			s.startHandshake();
			return s;
		} catch (java.security.GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	// ---- the attack of the issue, step by step, with encryption off ------------------------------

	@Test
	void aProgramWithoutCredentialsCannotRegisterAsTheVictimNorTakeTheVictimsDebugSession() throws Exception {
		try (Sysplex s = start(Map.of(PLAIN_RSE, encryptionOff()), "VICTIM")) {
			InetSocketAddress sysbHost = hostPort(s, "SYSB");
			// 1. REGISTER user=VICTIM at SYSB's HOST port: refused, and the peer is traced
			assertNotAuthorized(register(sysbHost, "VICTIM", null), "no PassTicket");
			trace.await("refused REGISTER of VICTIM from 127.");
			// a made-up ticket of the right shape does not help
			long now = System.currentTimeMillis() / 1000;
			assertNotAuthorized(register(sysbHost, "VICTIM", "PT1." + now + ".AAAAAAAAAAAAAAAA.AAAA"),
					"not made for this user");
			assertFalse(s.dbm("SYSB").orElseThrow().isRegistered("VICTIM"));

			// 2. VICTIM logs on (SYSA) and submits a debug job that runs on SYSB
			DebugClient victim = logon("VICTIM", EncryptionPolicy.DISABLED);
			assertEquals("SYSA", victim.session().system());
			Socket rogue = connect(sysbHost); // a rogue that stays connected, hoping for WAITING
			Frames.write(rogue.getOutputStream(), Message.of(Dbm.REGISTER).with(Dbm.F_USER, "VICTIM").build());
			Session.SubmittedJob job = victim.session().submit("Payroll.java", "", "TEST(,,,DBMDT%VICTIM)", "SYSB");

			// 3. only VICTIM's client hears of the session; the rogue got a refusal and a closed connection
			DebugLink.Waiting w = victim.next();
			assertEquals(job.id(), w.job());
			assertNotAuthorized(Frames.read(rogue.getInputStream(), Dbm.MAX_FRAME), "no PassTicket");
			assertNull(Frames.read(rogue.getInputStream(), Dbm.MAX_FRAME), "nothing more reaches the rogue");
			rogue.close();
			// guessing a token does not link
			try (Socket guess = connect(new InetSocketAddress(copy.dvipa(), w.port()))) {
				Frames.write(guess.getOutputStream(), Message.of(Dbm.LINK).with(Dbm.F_TOKEN, "guessed").build());
				assertEquals(Dbm.Status.TOKEN_INVALID.name(),
						Frames.read(guess.getInputStream(), Dbm.MAX_FRAME).require(Dbm.F_STATUS));
			}
			ownerDebugs(s, victim, w, victim.security(DebugLink.PlainLinkPolicy.REFUSE,
					DebugLink.PlainLinkQuestion.NOBODY));
		}
	}

	@Test
	void passTicketsAreSingleUseShortLivedAndBoundToUserSystemAndKey() throws Exception {
		try (Sysplex s = start(Map.of(), "ALICE")) {
			InetSocketAddress sysb = hostPort(s, "SYSB");
			PassTickets rsed = s.passTickets();
			String ticket = rsed.generate("ALICE", DebugManager.registrationApplication("SYSB"));
			Message ok = register(sysb, "ALICE", ticket);
			assertTrue(ok.is(Dbm.REGISTERED), "a ticket RSED made is accepted: " + ok);
			assertNotAuthorized(register(sysb, "ALICE", ticket), "was used already");
			assertNotAuthorized(register(sysb, "ALICE", rsed.generate("BOB", DebugManager.registrationApplication(
					"SYSB"))), "not made for this user");
			assertNotAuthorized(register(sysb, "ALICE", rsed.generate("ALICE", DebugManager.registrationApplication(
					"SYSA"))), "not made for this user");
			PassTickets twoMinutesAgo = PassTickets.open(copy.dir().resolve(Sysplex.PTKTDATA),
					Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-120)));
			assertNotAuthorized(register(sysb, "ALICE", twoMinutesAgo.generate("ALICE",
					DebugManager.registrationApplication("SYSB"))), "expired");
			byte[] otherKey = new byte[32];
			new SecureRandom().nextBytes(otherKey);
			assertNotAuthorized(register(sysb, "ALICE", PassTickets.of(otherKey, Clock.systemUTC()).generate("ALICE",
					DebugManager.registrationApplication("SYSB"))), "not made for this user");

			DebugClient alice = logon("ALICE", EncryptionPolicy.REQUIRED);
			alice.session().submit("Payroll.java", "", "TEST(,,,DBMDT%ALICE)", "SYSB");
			ownerDebugs(s, alice, alice.next(), alice.security());
		}
	}

	@Test
	void aRogueEngineIsRefused() throws Exception {
		try (Sysplex s = start(Map.of(), "ALICE")) {
			DebugClient alice = logon("ALICE", EncryptionPolicy.REQUIRED);
			InetSocketAddress sysb = hostPort(s, "SYSB");
			Message.Builder engine = Message.of(Dbm.ENGINE).with(Dbm.F_USER, "ALICE").with(Dbm.F_JOB, "JOB77777");
			assertNotAuthorized(ask(sysb, engine.build()), "no engine credential");
			String forAnother = s.passTickets().generate("ALICE", DebugManager.engineApplication("SYSB", "JOB11111"));
			assertNotAuthorized(ask(sysb, Message.of(Dbm.ENGINE).with(Dbm.F_USER, "ALICE").with(Dbm.F_JOB, "JOB77777")
					.with(Dbm.F_CREDENTIAL, forAnother).build()), "not made for this user");
			trace.await("refused ENGINE for job JOB77777 of ALICE from 127.");
			assertTrue(s.dbm("SYSB").orElseThrow().session("JOB77777").isEmpty(), "no session was made");
			Session.SubmittedJob job = alice.session().submit("Payroll.java", "", "TEST(,,,DBMDT%ALICE)", "SYSB");
			DebugLink.Waiting w = alice.next();
			assertEquals(job.id(), w.job(), "the only notification is the real job's");
			ownerDebugs(s, alice, w, alice.security());
		}
	}

	@Test
	void aRogueHubPeerIsRefusedAndARogueHubLearnsNothing() throws Exception {
		try (Sysplex s = start(Map.of(), "ALICE")) {
			DebugClient alice = logon("ALICE", EncryptionPolicy.REQUIRED);
			assertEquals("SYSA", alice.session().system(), "ALICE is on the hub's system");
			InetAddress hubAddress = s.network().stack("SYSA").orElseThrow().homeAddress();
			int hubPort = s.dbm("SYSA").orElseThrow().settings().hubPort();
			try (Socket rogue = connect(new InetSocketAddress(hubAddress, hubPort))) {
				Message challenge = Frames.read(rogue.getInputStream(), Dbm.MAX_FRAME);
				assertTrue(challenge.is(Dbm.CHALLENGE), challenge.toString());
				Frames.write(rogue.getOutputStream(), Message.of(Dbm.HELLO).with(Dbm.F_SYSTEM, "SYSB")
						.with(Dbm.F_CLIENT, 5302).with(Dbm.F_NONCE, "n").with(Dbm.F_MAC, "forged").build());
				assertNotAuthorized(Frames.read(rogue.getInputStream(), Dbm.MAX_FRAME), "sysplex's key");
				try {
					Frames.write(rogue.getOutputStream(), Message.of(Dbm.USER).with(Dbm.F_USER, "ALICE")
							.with(Dbm.F_ON, true).build());
				} catch (IOException closed) {
					// the hub closed the connection already
				}
				assertEquals(-1, rogue.getInputStream().read(), "the hub closed the rogue's connection");
			}
			trace.await("hub: a connection claiming to be the Debug Manager of SYSB");
			Session.SubmittedJob job = alice.session().submit("Payroll.java", "", "TEST(,,,DBMDT%ALICE)", "SYSB");
			DebugLink.Waiting w = alice.next();
			assertEquals(job.id(), w.job(), "the real SYSB still reaches ALICE through the hub");
			ownerDebugs(s, alice, w, alice.security());

			// a rogue in the hub's place while the hub's DBM is down gets SYSB's HELLO, and then nothing
			s.stopDbm("SYSA");
			HostTrace.awaitDisplay(s, "SYSB", "hub NOT connected");
			try (ServerSocket fake = new ServerSocket()) {
				fake.setReuseAddress(true);
				fake.bind(new InetSocketAddress(hubAddress, hubPort));
				fake.setSoTimeout(20_000);
				try (Socket secondary = fake.accept()) {
					secondary.setSoTimeout(10_000);
					Frames.write(secondary.getOutputStream(), Message.of(Dbm.CHALLENGE).with(Dbm.F_SYSTEM, "SYSA")
							.with(Dbm.F_NONCE, PassTickets.nonce()).build());
					Message hello = Frames.read(secondary.getInputStream(), Dbm.MAX_FRAME);
					assertTrue(hello.is(Dbm.HELLO) && hello.get(Dbm.F_MAC).isPresent(), hello.toString());
					Frames.write(secondary.getOutputStream(), Message.of(Dbm.WELCOME).with(Dbm.F_SYSTEM, "SYSA")
							.with(Dbm.F_MAC, "forged").build());
					assertNull(Frames.read(secondary.getInputStream(), Dbm.MAX_FRAME),
							"no USER or ROUTE reaches a hub that failed authentication");
				}
			}
			trace.await("failed authentication: it is not a Debug Manager of this sysplex");
			s.startDbm("SYSA");
			HostTrace.awaitDisplay(s, "SYSB", "hub connected");
			HostTrace.awaitDisplay(s, alice.session().system(), "users registered: ALICE");
			Session.SubmittedJob again = alice.session().submit("Payroll.java", "", "TEST(,,,DBMDT%ALICE)", "SYSB");
			DebugLink.Waiting w2 = alice.next();
			assertEquals(again.id(), w2.job());
			ownerDebugs(s, alice, w2, alice.security());
		}
	}

	// ---- the job's JDWP agent --------------------------------------------------------------------

	@Test
	void theJobsAgentListensNowhere() throws Exception {
		try (Sysplex s = start(Map.of(), "ALICE")) {
			DebugClient alice = logon("ALICE", EncryptionPolicy.REQUIRED);
			Session.SubmittedJob job = alice.session().submit("Payroll.java", "", "TEST(,,,DBMDT%ALICE)", "SYSB");
			DebugLink.Waiting w = alice.next();
			JobRunner.Job j = s.jobs().job(job.id()).orElseThrow();
			long pid = j.pid().orElseThrow();
			List<String> listening = listeningSocketsOf(pid);
			assertTrue(listening.isEmpty(), "the job's JVM (pid " + pid + ") listens on " + listening);
			ownerDebugs(s, alice, w, alice.security());
		}
	}

	@Test
	void aProgramThatConnectsToTheEngineAddressFirstIsNotTakenForTheJob() throws Exception {
		try (Sysplex s = start(Map.of(), "ALICE")) {
			DebugClient alice = logon("ALICE", EncryptionPolicy.REQUIRED);
			Path classes = compilePayroll();
			String job = "JOB88888"; // this test plays the job runner, with a real credential
			try (Socket control = connect(hostPort(s, "SYSB"))) {
				Frames.write(control.getOutputStream(), Message.of(Dbm.ENGINE).with(Dbm.F_USER, "ALICE")
						.with(Dbm.F_JOB, job).with(Dbm.F_CREDENTIAL, s.passTickets().generate("ALICE",
								DebugManager.engineApplication("SYSB", job)))
						.build());
				Message queued = Frames.read(control.getInputStream(), Dbm.MAX_FRAME);
				assertTrue(queued.is(Dbm.QUEUED), queued.toString());
				String[] engine = queued.require(Dbm.F_ENGINE).split(":");
				// the attacker is there first
				Socket attacker = connect(new InetSocketAddress(engine[0], Integer.parseInt(engine[1])));
				Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
						"-agentlib:jdwp=transport=dt_socket,server=n,suspend=y,address=" + queued.require(Dbm.F_ENGINE),
						"-cp", classes.toString(), "Payroll").redirectErrorStream(true).start();
				try {
					Frames.write(control.getOutputStream(), Message.of(Dbm.STARTED).with(Dbm.F_PID, jvm.pid()).build());
					control.setSoTimeout(30_000);
					Message ready = Frames.read(control.getInputStream(), Dbm.MAX_FRAME);
					assertTrue(ready.is(Dbm.READY), "the JVM's own connection became the engine: " + ready);
					attacker.getOutputStream().write("JDWP-Handshake".getBytes(StandardCharsets.US_ASCII));
					assertEquals(-1, attacker.getInputStream().read(), "the attacker's connection was closed unanswered");
					attacker.close();
					trace.await("refused a connection to the engine address of job " + job);
					DebugLink.Waiting w = alice.next();
					assertEquals(job, w.job());
					DebugLink.Linked linked = DebugLink.open(copy.dvipa(), w, Duration.ofSeconds(10), alice.security());
					BreakpointScript.Result r = BreakpointScript.run(BreakpointScript.attach(linked), "Payroll",
							breakpointLine(), "total", Duration.ofSeconds(60));
					assertEquals("17900", r.value());
					assertTrue(jvm.waitFor(60, TimeUnit.SECONDS));
					assertEquals(0, jvm.exitValue());
				} finally {
					jvm.destroyForcibly();
				}
			}
		}
	}

	private Path compilePayroll() throws Exception {
		Path classes = Files.createDirectories(dir.resolve("payroll-classes"));
		Process javac = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "javac").toString(), "-g",
				"-d", classes.toString(), TestPaths.examples().resolve("jobs/Payroll.java").toString())
				.redirectErrorStream(true).start();
		String out = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(0, javac.waitFor(), out);
		return classes;
	}

	/** The listening TCP sockets process {@code pid} holds, from /proc (state 0A is LISTEN). */
	private static List<String> listeningSocketsOf(long pid) throws IOException {
		List<String> inodes = new ArrayList<>();
		try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
			for (Path fd : fds.toList()) {
				try {
					String link = Files.readSymbolicLink(fd).toString();
					if (link.startsWith("socket:[")) {
						inodes.add(link.substring(8, link.length() - 1));
					}
				} catch (IOException closed) {
					// gone while we looked
				}
			}
		}
		assertFalse(inodes.isEmpty(), "the JVM holds its agent's connection");
		List<String> listening = new ArrayList<>();
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			for (String line : Files.readAllLines(Path.of(table))) {
				String[] f = line.strip().split("\\s+");
				if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
					listening.add(table + " " + f[1]);
				}
			}
		}
		return listening;
	}

	// ---- encryption of the debug link ------------------------------------------------------------

	@Test
	void anEncryptedSessionsDebugLinkIsTlsAndJdwpNeverCrossesInClear() throws Exception {
		try (Sysplex s = start(Map.of(), "ALICE")) {
			DebugClient alice = logon("ALICE", EncryptionPolicy.REQUIRED);
			alice.session().submit("Payroll.java", "", "TEST(,,,DBMDT%ALICE)", "SYSB");
			DebugLink.Waiting w = alice.next();
			assertTrue(w.encrypted(), "the Debug Manager says its CLIENT port is encrypted");
			try (RecordingProxy proxy = new RecordingProxy(new InetSocketAddress(copy.dvipa(), w.port()))) {
				DebugLink.Waiting viaProxy = new DebugLink.Waiting(w.job(), w.system(), proxy.port(), w.token(), w.user(),
						w.encrypted());
				DebugLink.Linked linked = DebugLink.open("127.0.0.1", viaProxy, Duration.ofSeconds(10), alice.security());
				assertTrue(linked.socket() instanceof SSLSocket);
				BreakpointScript.Result r = BreakpointScript.run(BreakpointScript.attach(linked), "Payroll",
						breakpointLine(), "total", Duration.ofSeconds(60));
				assertEquals("17900", r.value());
				s.jobs().job(w.job()).orElseThrow().awaitEnd(Duration.ofSeconds(60));
				proxy.awaitClosed();
				for (byte[] direction : List.of(proxy.clientToServer(), proxy.serverToClient())) {
					assertTrue(direction.length > 1000, "bytes went both ways: " + direction.length);
					assertOnlyTlsRecords(direction);
					assertFalse(new String(direction, StandardCharsets.ISO_8859_1).contains("JDWP-Handshake"),
							"the JDWP handshake never appears in clear");
					assertFalse(new String(direction, StandardCharsets.ISO_8859_1).contains(w.token()),
							"nor the session token");
				}
			}
		}
	}

	/** Every byte belongs to a TLS record: type 20-23, version 3.x, a length within the limit. */
	private static void assertOnlyTlsRecords(byte[] b) {
		int at = 0;
		int records = 0;
		while (at < b.length) {
			assertTrue(at + 5 <= b.length, "a TLS record header is cut at " + at);
			int type = b[at] & 0xFF;
			assertTrue(type >= 20 && type <= 23, "byte " + at + " starts a record of type " + type);
			assertEquals(3, b[at + 1], "TLS major version at " + at);
			int length = ((b[at + 3] & 0xFF) << 8) | (b[at + 4] & 0xFF);
			assertTrue(length <= 16384 + 2048, "record length " + length);
			at += 5 + length;
			records++;
		}
		assertEquals(b.length, at, "the records end where the bytes end");
		assertTrue(records > 2, "records: " + records);
	}

	@Test
	void anEncryptedSessionAndAPlainDebugManagerAskRefuseOrAllowAsConfigured() throws Exception {
		Map<String, UnaryOperator<String>> edits = Map.of("proclib/DBGMGR", t -> t.replace("HUBIP=", "TLS=OFF,HUBIP="));
		try (Sysplex s = start(edits, "ALICE")) {
			DebugClient alice = logon("ALICE", EncryptionPolicy.REQUIRED);
			assertTrue(alice.session().encrypted());
			alice.session().submit("Payroll.java", "", "TEST(,,,DBMDT%ALICE)", "SYSB");
			DebugLink.Waiting w = alice.next();
			assertFalse(w.encrypted());
			int before = workstationTraces();
			ConnectException refused = assertThrows(ConnectException.class, () -> DebugLink.open(copy.dvipa(), w,
					Duration.ofSeconds(10), alice.security(DebugLink.PlainLinkPolicy.REFUSE,
							DebugLink.PlainLinkQuestion.NOBODY)));
			assertEquals(ConnectStep.DEBUG_LINK, refused.step());
			assertTrue(refused.getMessage().contains("does not encrypt") && refused.getMessage().contains(
					"nothing was sent") && refused.getMessage().contains("TLS=ON"), refused.getMessage());
			List<String> asked = new ArrayList<>();
			ConnectException declined = assertThrows(ConnectException.class, () -> DebugLink.open(copy.dvipa(), w,
					Duration.ofSeconds(10), alice.security(DebugLink.PlainLinkPolicy.ASK, (x, endpoint) -> {
						asked.add(endpoint);
						return false;
					})));
			assertTrue(declined.getMessage().contains("declined"), declined.getMessage());
			assertEquals(List.of(copy.dvipa() + ":" + w.port()), asked);
			assertEquals(before, workstationTraces(), "neither attempt reached the Debug Manager");
			ownerDebugs(s, alice, w, alice.security(DebugLink.PlainLinkPolicy.ASK, (x, endpoint) -> true));
			assertTrue(trace.stream().anyMatch(l -> l.contains("(NOT encrypted); relaying")), "linked plain, as allowed");
		}
	}

	private int workstationTraces() {
		return (int) trace.stream().filter(l -> l.contains("workstation")).count();
	}

	@Test
	void aPlainSessionCannotStartADebugSessionOnAnEncryptedDebugManager() throws Exception {
		Map<String, UnaryOperator<String>> edits = Map.of(PLAIN_RSE, encryptionOff(), "proclib/DBGMGR",
				t -> t.replace("HUBIP=", "TLS=ON,HUBIP="));
		try (Sysplex s = start(edits, "ALICE")) {
			DebugClient alice = logon("ALICE", EncryptionPolicy.DISABLED);
			assertFalse(alice.session().encrypted());
			alice.session().submit("Payroll.java", "", "TEST(,,,DBMDT%ALICE)", "SYSB");
			DebugLink.Waiting w = alice.next();
			assertTrue(w.encrypted());
			ConnectException e = assertThrows(ConnectException.class, () -> DebugLink.open(copy.dvipa(), w,
					Duration.ofSeconds(10), alice.security(DebugLink.PlainLinkPolicy.ALLOW,
							DebugLink.PlainLinkQuestion.NOBODY)));
			assertTrue(e.getMessage().contains("cannot start") && e.getMessage().contains("nothing was sent"),
					e.getMessage());
			// and the Debug Manager itself refuses a plaintext LINK on its encrypted port
			try (Socket plain = connect(new InetSocketAddress(copy.dvipa(), w.port()))) {
				Frames.write(plain.getOutputStream(), Message.of(Dbm.LINK).with(Dbm.F_TOKEN, w.token()).build());
				assertThrows(Frames.TlsRecordException.class, () -> Frames.read(plain.getInputStream(), Dbm.MAX_FRAME));
			}
			trace.await("refused a plain workstation connection from 127.");
			assertEquals(JobRunner.State.WAITING_FOR_DEBUGGER, s.jobs().job(w.job()).orElseThrow().state());
		}
	}

	/** A TCP relay on 127.0.0.1 that keeps every byte each way, for looking at what crosses the wire. */
	private static final class RecordingProxy implements AutoCloseable {
		private final ServerSocket listener;
		private final ByteArrayOutputStream up = new ByteArrayOutputStream();
		private final ByteArrayOutputStream down = new ByteArrayOutputStream();
		private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(2);

		RecordingProxy(InetSocketAddress target) throws IOException {
			listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
			Thread.ofVirtual().start(() -> {
				try {
					Socket client = listener.accept();
					Socket server = new Socket();
					server.connect(target, 5_000);
					Thread.ofVirtual().start(() -> pump(client, server, up));
					Thread.ofVirtual().start(() -> pump(server, client, down));
				} catch (IOException e) {
					done.countDown();
					done.countDown();
				}
			});
		}

		private void pump(Socket from, Socket to, ByteArrayOutputStream record) {
			try {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				byte[] buf = new byte[8192];
				for (int n; (n = in.read(buf)) >= 0;) {
					synchronized (record) {
						record.write(buf, 0, n);
					}
					out.write(buf, 0, n);
				}
				to.shutdownOutput();
			} catch (IOException e) {
				closeBoth(from, to);
			} finally {
				done.countDown();
			}
		}

		private static void closeBoth(Socket a, Socket b) {
			try {
				a.close();
				b.close();
			} catch (IOException e) {
				// closing after an error
			}
		}

		int port() {
			return listener.getLocalPort();
		}

		void awaitClosed() throws InterruptedException {
			assertTrue(done.await(30, TimeUnit.SECONDS), "the proxied connection ended");
		}

		byte[] clientToServer() {
			synchronized (up) {
				return up.toByteArray();
			}
		}

		byte[] serverToClient() {
			synchronized (down) {
				return down.toByteArray();
			}
		}

		@Override
		public void close() throws IOException {
			listener.close();
		}
	}
}
