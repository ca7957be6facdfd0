package dev.sysplex.host.rse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sysplex.client.Cancellation;
import dev.sysplex.client.Clock;
import dev.sysplex.client.Connection;
import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.testing.ExampleCopy;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;
import dev.sysplex.protocol.Rse;

/**
 * Version 2 of the RSE session against the real host side, over real sockets through the DVIPA:
 * numbered requests in flight at once, a version-1 client refused, and the client's
 * {@link Connection} closed or disconnected at every step of its reconnect with no session left
 * on either side.
 */
class SessionProtocolTest {

	private static final char[] PASSWORD = "v2-protocol".toCharArray();

	@TempDir
	Path dir;

	private String dvipa;

	private Sysplex start() throws Exception {
		// plain, so that the raw protocol can be spoken by hand (the client's TLS is tested elsewhere)
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir, 71, Map.of("etc/zexpl/ssl.properties",
				t -> t.replace("enable_ssl=true", "enable_ssl=false")));
		dvipa = copy.dvipa();
		// compiled at SUBMIT: a program of its own, so that its submit takes a compile's time
		Files.writeString(copy.dir().resolve("jobs/Fresh.java"), """
				public class Fresh {
					public static void main(String[] args) {
						System.out.println("fresh");
					}
				}
				""");
		Sysplex s = Sysplex.start(copy.dir());
		s.users().setPassword("ALICE", PASSWORD, false, 1_000);
		return s;
	}

	private static Message read(InputStream in) throws IOException {
		Message m = Frames.read(in, Rse.MAX_FRAME);
		if (m == null) {
			throw new IOException("the host closed the connection");
		}
		return m;
	}

	/** LOGON with the given version; the daemon's answer. */
	private Message logon(int version) throws IOException {
		try (Socket s = new Socket()) {
			s.connect(new InetSocketAddress(dvipa, 4035), 5_000);
			s.setSoTimeout(10_000);
			Frames.write(s.getOutputStream(), Message.of(Rse.LOGON).with(Rse.F_VERSION, version)
					.with(Rse.F_USER, "ALICE").with(Rse.F_PASSWORD, new String(PASSWORD)).with(Rse.F_PORT, 0).build());
			return read(s.getInputStream());
		}
	}

	/** A raw session: LOGON and TICKET by hand (version 2); the caller speaks on. */
	private Socket rawSession() throws IOException {
		Message connected = logon(Rse.VERSION);
		assertEquals(Rse.CONNECTED, connected.type(), connected.toString());
		Socket s = new Socket();
		s.connect(new InetSocketAddress(dvipa, Integer.parseInt(connected.get(Rse.F_PORT).orElseThrow())), 5_000);
		s.setSoTimeout(20_000);
		Frames.write(s.getOutputStream(), Message.of(Rse.TICKET).with(Rse.F_VERSION, Rse.VERSION)
				.with(Rse.F_USER, "ALICE").with(Rse.F_TICKET, connected.get(Rse.F_TICKET).orElseThrow()).build());
		Message session = read(s.getInputStream());
		assertEquals(Rse.SESSION, session.type(), session.toString());
		assertFalse(session.get(Rse.F_ID).isPresent(), "the SESSION that accepts the ticket answers no request");
		return s;
	}

	@Test
	void aVersionOneClientIsRefusedWithTheVersionTheHostSpeaks() throws Exception {
		try (Sysplex s = start()) {
			Message refused = logon(1);
			assertEquals(Rse.FAILED, refused.type());
			assertEquals(Rse.Status.VERSION.name(), refused.get(Rse.F_STATUS).orElseThrow());
			assertTrue(refused.get(Rse.F_MESSAGE).orElseThrow().contains("speaks version 2 of the RSE protocol, the "
					+ "client version 1"), refused.toString());

			Message connected = logon(Rse.VERSION); // a ticket of a version-2 logon, presented as version 1
			try (Socket t = new Socket()) {
				t.connect(new InetSocketAddress(dvipa, Integer.parseInt(connected.get(Rse.F_PORT).orElseThrow())), 5_000);
				t.setSoTimeout(10_000);
				Frames.write(t.getOutputStream(), Message.of(Rse.TICKET).with(Rse.F_VERSION, 1).with(Rse.F_USER, "ALICE")
						.with(Rse.F_TICKET, connected.get(Rse.F_TICKET).orElseThrow()).build());
				Message answer = read(t.getInputStream());
				assertEquals(Rse.Status.VERSION.name(), answer.get(Rse.F_STATUS).orElseThrow(), answer.toString());
				assertTrue(answer.get(Rse.F_MESSAGE).orElseThrow().contains("speaks version 2"), answer.toString());
			}
		}
	}

	@Test
	void answersCarryTheirRequestsIdAndAJobListDoesNotWaitForASubmitThatCompiles() throws Exception {
		try (Sysplex s = start(); Socket raw = rawSession()) {
			OutputStream out = raw.getOutputStream();
			InputStream in = raw.getInputStream();
			Frames.write(out, Message.of(Rse.SUBMIT).with(Rse.F_ID, 7).with(Rse.F_PROGRAM, "Fresh.java")
					.with(Rse.F_ARGS, "").with(Rse.F_OPTIONS, "").build());
			Frames.write(out, Message.of(Rse.JOBS).with(Rse.F_ID, 8).build());
			Frames.write(out, Message.of(Rse.PING).with(Rse.F_ID, 9).build());
			List<Message> answers = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				answers.add(read(in));
			}
			assertEquals(List.of(Rse.SUBMITTED, "7"), List.of(answers.get(2).type(), answers.get(2).get(Rse.F_ID)
					.orElseThrow()), "the submit (it compiles) is answered last: " + answers);
			assertTrue(answers.subList(0, 2).stream().anyMatch(m -> m.is(Rse.JOBLIST) && m.get(Rse.F_ID).orElseThrow()
					.equals("8")), answers.toString());
			assertTrue(answers.subList(0, 2).stream().anyMatch(m -> m.is(Rse.PONG) && m.get(Rse.F_ID).orElseThrow()
					.equals("9")), answers.toString());

			Frames.write(out, Message.of(Rse.WHOAMI).build()); // version 1's unnumbered request
			Message failed = read(in);
			assertEquals(Rse.FAILED, failed.type());
			assertEquals(Rse.Status.PROTOCOL.name(), failed.get(Rse.F_STATUS).orElseThrow());
			assertTrue(failed.get(Rse.F_MESSAGE).orElseThrow().contains("WHOAMI without a valid id="), failed.toString());
			assertNull(Frames.read(in, Rse.MAX_FRAME), "and the session ends");
		}
	}

	@Test
	void manyRequestsFromManyThreadsOnOneSessionEachGetTheirOwnAnswer() throws Exception {
		try (Sysplex s = start()) {
			Session session = connector(Clock.SYSTEM, line -> {
			}).connect(dvipa, 4035, "ALICE", PASSWORD, EncryptionPolicy.DISABLED);
			Session.SubmittedJob first = session.submit("Hello.java", "", "", "SYSB");
			ExecutorService pool = Executors.newFixedThreadPool(8);
			try {
				List<Future<String>> results = new ArrayList<>();
				for (int i = 0; i < 40; i++) {
					int n = i;
					results.add(pool.submit(() -> switch (n % 4) {
					case 0 -> session.whoami().get(Rse.F_USER);
					case 1 -> session.jobs().get(0).substring(0, first.id().length());
					case 2 -> session.ping().isNegative() ? "negative" : "pong";
					default -> session.submit("Fresh.java", "", "", "SYSA").system();
					}));
				}
				for (int i = 0; i < results.size(); i++) {
					String expected = switch (i % 4) {
					case 0 -> "ALICE";
					case 1 -> first.id();
					case 2 -> "pong";
					default -> "SYSA";
					};
					assertEquals(expected, results.get(i).get(60, TimeUnit.SECONDS), "request " + i);
				}
			} finally {
				pool.shutdownNow();
			}
			assertEquals(0, session.inFlight());
			assertEquals(0, session.lateAnswers());
			session.logoff();
		}
	}

	@Test
	void everyClientTheUserIsLoggedOnFromHearsThatAJobEnded() throws Exception {
		try (Sysplex s = start()) {
			List<java.util.concurrent.CompletableFuture<Map<String, String>>> heard = new ArrayList<>();
			List<Session> sessions = new ArrayList<>();
			for (int i = 0; i < 3; i++) { // ROUNDROBIN: on both systems
				java.util.concurrent.CompletableFuture<Map<String, String>> ended = new java.util.concurrent.CompletableFuture<>();
				heard.add(ended);
				sessions.add(connector(Clock.SYSTEM, line -> {
				}).connect(dvipa, 4035, "ALICE", PASSWORD, EncryptionPolicy.DISABLED, new Cancellation(),
						List.of(new Session.Listener() {
							@Override
							public void notification(String kind, Map<String, String> fields) {
								if (kind.equals(Rse.NOTIFY_JOB_ENDED)) {
									ended.complete(fields);
								}
							}
						})));
			}
			// three sessions on two systems: one system has two of ALICE's sessions
			assertEquals(java.util.Set.of("SYSA", "SYSB"), sessions.stream().map(Session::system)
					.collect(java.util.stream.Collectors.toSet()));
			Session.SubmittedJob job = sessions.get(0).submit("Hello.java", "", "", "SYSB");
			for (var ended : heard) {
				assertEquals(job.id(), ended.get(60, TimeUnit.SECONDS).get(Rse.F_JOB));
			}
			for (Session x : sessions) {
				x.logoff();
			}
		}
	}

	private static RseConnector connector(Clock clock, Consumer<String> trace) {
		return new RseConnector(new RseConnector.Options().tlsMemory(TlsMemory.disabled())
				.trust(TrustStore.inMemory(), TrustDecision.TRUST_ON_FIRST_USE)
				.reconnect(true, 3, Duration.ofMillis(250), Duration.ofSeconds(1)).clock(clock).trace(trace));
	}

	/** Where the reconnect loop is when the user acts. */
	enum Step {
		/** waiting out the backoff */
		BACKOFF("reconnect backoff"),
		/** about to connect to the daemon */
		DAEMON("reconnecting through"),
		/** RSED answered with a port and a ticket; the RSE server waits for the client */
		LOGGED_ON("logged on at"),
		/** the RSE server accepted the ticket: the host's session is up, the client has not installed it */
		TICKET_ACCEPTED("accepted the ticket");

		final String trace;

		Step(String trace) {
			this.trace = trace;
		}
	}

	/** States a connection went through, and what came after the state that ended it. */
	private static final class Recorder implements Connection.Listener {
		final List<Connection.State> states = new CopyOnWriteArrayList<>();
		final CountDownLatch reconnecting = new CountDownLatch(1);

		@Override
		public void stateChanged(Connection.Snapshot now) {
			states.add(now.state());
			if (now.state() == Connection.State.RECONNECTING) {
				reconnecting.countDown();
			}
		}
	}

	@ParameterizedTest
	@EnumSource(Step.class)
	void closeAtEveryStepOfTheReconnectEndsClosedWithNoSessionLeftOnEitherSide(Step step) throws Exception {
		actDuringReconnect(step, true);
	}

	@ParameterizedTest
	@EnumSource(value = Step.class, names = { "BACKOFF", "TICKET_ACCEPTED" })
	void disconnectDuringTheReconnectWins(Step step) throws Exception {
		actDuringReconnect(step, false);
	}

	private void actDuringReconnect(Step step, boolean close) throws Exception {
		try (Sysplex s = start()) {
			Connection[] holder = new Connection[1];
			List<String> traced = new CopyOnWriteArrayList<>();
			Runnable act = () -> {
				if (close) {
					holder[0].close();
				} else {
					try {
						holder[0].disconnect();
					} catch (IOException e) {
						throw new AssertionError(e);
					}
				}
			};
			// the user acts in the reconnect's own thread at the step: exactly then, no sooner, no later
			Clock clock = d -> {
				traced.add("reconnect backoff " + d.toMillis() + " ms");
				if (step == Step.BACKOFF) {
					act.run();
				}
				Thread.sleep(d);
			};
			boolean[] armed = { false };
			Recorder recorder = new Recorder();
			Connection c = new Connection(connector(clock, line -> {
				traced.add(line);
				if (armed[0] && step != Step.BACKOFF && line.startsWith(step.trace)
						|| armed[0] && step == Step.TICKET_ACCEPTED && line.contains(step.trace)) {
					armed[0] = false;
					act.run();
				}
			}), dvipa, 4035, "ALICE", EncryptionPolicy.DISABLED, recorder);
			holder[0] = c;
			Session first = c.connect(PASSWORD, new Cancellation());
			String system = first.system();
			armed[0] = true;
			s.rsed(system).orElseThrow().session("ALICE").orElseThrow().close(); // the link drops

			assertTrue(recorder.reconnecting.await(10, TimeUnit.SECONDS), "reconnecting: " + recorder.states);
			Connection.State end = close ? Connection.State.CLOSED : Connection.State.DISCONNECTED;
			awaitState(c, end);
			Thread.sleep(300); // what a leaked attempt would do, it does within this (no assertion waits on it)
			assertEquals(end, c.state(), traced.toString());
			assertEquals(List.of(Connection.State.CONNECTING, Connection.State.CONNECTED, Connection.State.RECONNECTING,
					end), recorder.states, "nothing after " + end + "; traced: " + traced);
			assertTrue(c.session().isEmpty());
			awaitNoConnectedSession(s);
			if (!close) {
				Session again = c.connect(PASSWORD, new Cancellation()); // a disconnected connection connects again
				assertEquals("ALICE", again.whoami().get(Rse.F_USER));
				c.disconnect();
				awaitNoConnectedSession(s);
			}
		}
	}

	@Test
	void aPasswordRefusedWhileReconnectingStopsTheReconnectAndSaysSo() throws Exception {
		try (Sysplex s = start()) {
			List<String> traced = new CopyOnWriteArrayList<>();
			Recorder recorder = new Recorder();
			Connection c = new Connection(connector(Clock.SYSTEM, traced::add), dvipa, 4035, "ALICE",
					EncryptionPolicy.DISABLED, recorder);
			Session first = c.connect(PASSWORD, new Cancellation());
			s.users().setPassword("ALICE", "changed-meanwhile".toCharArray(), false, 1_000);
			s.rsed(first.system()).orElseThrow().session("ALICE").orElseThrow().close();
			awaitState(c, Connection.State.FAILED);
			Connection.Snapshot failed = c.snapshot();
			assertTrue(failed.problem().orElseThrow().startsWith("Reconnecting stopped: the host refused the logon of "
					+ "ALICE"), failed.toString());
			assertEquals(1, traced.stream().filter(l -> l.startsWith("reconnecting through")).count(),
					"one attempt, not three: " + traced);
			assertEquals(List.of(Connection.State.CONNECTING, Connection.State.CONNECTED, Connection.State.RECONNECTING,
					Connection.State.FAILED), recorder.states);
		}
	}

	@Test
	void twoConnectsAtOnceLogOnOnce() throws Exception {
		try (Sysplex s = start()) {
			List<String> traced = new CopyOnWriteArrayList<>();
			Connection c = new Connection(connector(Clock.SYSTEM, traced::add), dvipa, 4035, "ALICE",
					EncryptionPolicy.DISABLED, new Recorder());
			ExecutorService pool = Executors.newFixedThreadPool(2);
			try {
				Future<Session> a = pool.submit(() -> c.connect(PASSWORD, new Cancellation()));
				Future<Session> b = pool.submit(() -> c.connect(PASSWORD, new Cancellation()));
				assertTrue(a.get(30, TimeUnit.SECONDS) == b.get(30, TimeUnit.SECONDS), "the same session");
			} finally {
				pool.shutdownNow();
			}
			assertEquals(1, traced.stream().filter(l -> l.startsWith("logged on at")).count(), traced.toString());
			assertEquals(1, connectedSessions(s));
			c.close();
			awaitNoConnectedSession(s);
		}
	}

	private static void awaitState(Connection c, Connection.State state) throws InterruptedException {
		for (int i = 0; i < 200 && c.state() != state; i++) {
			Thread.sleep(50);
		}
		assertEquals(state, c.state(), c.snapshot().toString());
	}

	private static long connectedSessions(Sysplex s) {
		return List.of("SYSA", "SYSB").stream().flatMap(sys -> s.rsed(sys).orElseThrow().sessions().stream())
				.filter(RseSession::isConnected).count();
	}

	/** The host notices a closed or logged-off client at once: no connected session of ALICE on any system. */
	private static void awaitNoConnectedSession(Sysplex s) throws InterruptedException {
		for (int i = 0; i < 100 && connectedSessions(s) > 0; i++) {
			Thread.sleep(50);
		}
		assertEquals(0, connectedSessions(s), "no session left on the host");
	}
}
