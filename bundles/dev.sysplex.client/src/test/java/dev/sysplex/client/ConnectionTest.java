package dev.sysplex.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sysplex.client.Connection.State;
import dev.sysplex.protocol.Message;
import dev.sysplex.protocol.Rse;

/**
 * The connection's state machine: connect, the host's events, the reconnect loop with a clock the
 * test holds, and disconnect or close at every step of it, against a scripted host over real sockets.
 */
class ConnectionTest {

	private static final char[] PASSWORD = "pw".toCharArray();
	private final ScriptedHost host;
	private final ManualClock clock = new ManualClock();
	private final List<String> events = new CopyOnWriteArrayList<>();
	private final BlockingQueue<Connection.Snapshot> snapshots = new LinkedBlockingQueue<>();
	private Connection connection;
	/** Runs in the logon's own thread at every step it traces (the test acts exactly then). */
	private volatile java.util.function.Consumer<String> atStep = line -> {
	};

	ConnectionTest() throws IOException {
		host = new ScriptedHost();
	}

	@AfterEach
	void stop() throws IOException {
		host.close(); // first: a logoff on its way out needs no answer then
		if (connection != null) {
			connection.close();
		}
	}

	/** A clock whose sleeps last until the test releases them. */
	static final class ManualClock implements Clock {
		final BlockingQueue<Duration> asked = new LinkedBlockingQueue<>();
		private final Semaphore released = new Semaphore(0);

		@Override
		public void sleep(Duration d) throws InterruptedException {
			asked.add(d);
			released.acquire();
		}

		Duration awaitSleep() throws InterruptedException {
			Duration d = asked.poll(10, TimeUnit.SECONDS);
			if (d == null) {
				throw new AssertionError("the reconnect did not wait on the clock within 10 s");
			}
			return d;
		}

		void release() {
			released.release();
		}
	}

	private Connection connection(int attempts) {
		RseConnector connector = new RseConnector(new RseConnector.Options().readTimeout(Duration.ofSeconds(5))
				.tlsMemory(TlsMemory.disabled()).reconnect(true, attempts, Duration.ofMillis(250), Duration.ofSeconds(1))
				.clock(clock).trace(line -> atStep.accept(line)));
		connection = new Connection(connector, host.host, host.daemonPort(), "ALICE", EncryptionPolicy.DISABLED,
				new Connection.Listener() {
					@Override
					public void stateChanged(Connection.Snapshot now) {
						events.add(now.state() + (now.state() == State.RECONNECTING ? " " + now.attempt() + "/"
								+ now.attempts() : "") + now.system().map(s -> " " + s).orElse(""));
						snapshots.add(now);
					}

					@Override
					public void notification(String kind, Map<String, String> fields) {
						events.add("notification " + kind);
					}
				});
		return connection;
	}

	private Connection.Snapshot awaitState(State state) throws InterruptedException {
		for (int i = 0; i < 50; i++) {
			Connection.Snapshot s = snapshots.poll(10, TimeUnit.SECONDS);
			if (s == null) {
				break;
			}
			if (s.state() == state) {
				return s;
			}
		}
		throw new AssertionError("no " + state + " within 10 s: " + events);
	}

	/** Connected, then the host drops the link: RECONNECTING 1, waiting on the clock. */
	private ScriptedHost.Peer connectedThenLost(Connection c) throws Exception {
		c.connect(PASSWORD, new Cancellation());
		ScriptedHost.Peer first = host.session();
		first.close();
		awaitState(State.RECONNECTING);
		return first;
	}

	@Test
	void connectAndDisconnectGoThroughTheStatesAndLogOff() throws Exception {
		Connection c = connection(3);
		assertEquals(State.DISCONNECTED, c.state());
		Session s = c.connect(PASSWORD, new Cancellation());
		assertEquals(State.CONNECTED, c.state());
		assertEquals(s, c.session().orElseThrow());
		ScriptedHost.Peer peer = host.session();
		Thread off = Thread.ofVirtual().start(() -> {
			try {
				Message logoff = peer.read();
				peer.answer(logoff, Rse.BYE, Rse.F_MESSAGE, "logged off");
			} catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
		});
		c.disconnect();
		off.join(10_000);
		c.disconnect(); // a second Disconnect (the Eclipse core may send one from its job too) changes nothing
		assertEquals(List.of("CONNECTING", "CONNECTED SYS1", "DISCONNECTED"), events);
		assertTrue(c.session().isEmpty());
		assertTrue(clock.asked.isEmpty(), "no reconnect after a disconnect");
	}

	@Test
	void whatRunsOnceThePasswordIsAcceptedRunsBeforeAnyoneHearsConnected() throws Exception {
		Connection c = connection(3);
		c.connect(PASSWORD, new Cancellation(), () -> events.add("accepted"));
		assertEquals(List.of("CONNECTING", "accepted", "CONNECTED SYS1"), events);
	}

	@Test
	void aLostLinkReconnectsAfterTheBackoffWithANewSession() throws Exception {
		Connection c = connection(3);
		Session before = c.connect(PASSWORD, new Cancellation());
		snapshots.clear();
		host.session().close(); // the host's side of the link goes
		assertEquals(Duration.ofMillis(250), clock.awaitSleep(), "the first backoff");
		assertEquals(1, host.logons.get(), "no logon before the backoff is over");
		clock.release();
		awaitState(State.CONNECTED);
		Session after = c.session().orElseThrow();
		assertNotSame(before, after);
		assertEquals("SYS2", after.system(), "the second logon landed on another system");
		assertEquals(List.of("CONNECTING", "CONNECTED SYS1", "RECONNECTING 1/3", "CONNECTED SYS2"), events);
	}

	@Test
	void theBackoffDoublesUpToItsCapAndSpentAttemptsFailTheConnection() throws Exception {
		Connection c = connection(4);
		c.connect(PASSWORD, new Cancellation());
		host.stopDaemon(); // nothing listens: every attempt is refused
		host.session().close();
		for (Duration expected : List.of(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
				Duration.ofSeconds(1))) {
			assertEquals(expected, clock.awaitSleep());
			clock.release();
		}
		Connection.Snapshot failed = awaitState(State.FAILED);
		assertTrue(failed.problem().orElseThrow().contains("4 attempts to log on again through " + host.host + ":"
				+ host.daemonPort() + " failed; the last: Failed connecting to the RSE daemon"), failed.toString());
		assertEquals(List.of("CONNECTING", "CONNECTED SYS1", "RECONNECTING 1/4", "RECONNECTING 2/4",
				"RECONNECTING 3/4", "RECONNECTING 4/4", "FAILED"), events);
	}

	@Test
	void aRefusedPasswordStopsTheReconnectAtOnce() throws Exception {
		Connection c = connection(5);
		c.connect(PASSWORD, new Cancellation());
		host.script((n, m, s) -> ScriptedHost.failed(Rse.Status.AUTH_FAILED, "user or password not valid"));
		host.session().close();
		clock.awaitSleep();
		clock.release();
		Connection.Snapshot failed = awaitState(State.FAILED);
		assertTrue(failed.problem().orElseThrow().startsWith("Reconnecting stopped: the host refused the logon of "
				+ "ALICE"), failed.toString());
		assertEquals(Rse.Status.AUTH_FAILED, failed.failure().orElseThrow().status().orElseThrow());
		assertEquals(2, host.logons.get(), "one attempt, not five");
		assertNull(clock.asked.poll(200, TimeUnit.MILLISECONDS), "and no further wait");
	}

	@Test
	void closeDuringTheBackoffEndsClosedAndNoLogonFollows() throws Exception {
		Connection c = connection(3);
		connectedThenLost(c);
		clock.awaitSleep();
		c.close();
		clock.release(); // would the loop go on, it would log on now
		assertNull(clock.asked.poll(300, TimeUnit.MILLISECONDS));
		assertEquals(1, host.logons.get());
		assertEquals(State.CLOSED, c.state());
		assertEquals(List.of("CONNECTING", "CONNECTED SYS1", "RECONNECTING 1/3", "CLOSED"), events);
		assertThrows(IllegalStateException.class, () -> c.connect(PASSWORD, new Cancellation()));
	}

	@Test
	void closeWhileTheDaemonHoldsTheLogonCancelsIt() throws Exception {
		Connection c = connection(3);
		connectedThenLost(c);
		host.script((n, m, s) -> null); // hold every LOGON from now on
		clock.awaitSleep();
		clock.release();
		Socket held = host.held.poll(10, TimeUnit.SECONDS);
		assertTrue(held != null, "the reconnect's logon reached the daemon");
		c.close();
		assertTrue(ScriptedHost.closedByClient(held), "the logon under way was cancelled: its connection closed");
		host.script((n, m, s) -> host.connected(n));
		Thread.sleep(200);
		assertEquals(List.of("CONNECTING", "CONNECTED SYS1", "RECONNECTING 1/3", "CLOSED"), events);
		assertTrue(host.sessions.isEmpty());
	}

	/** Lost, and the reconnect's TICKET held by the RSE server: the connection to it, unanswered. */
	private Socket reconnectHeldAtTheTicket(Connection c) throws Exception {
		connectedThenLost(c);
		host.holdTickets = true;
		clock.awaitSleep();
		clock.release();
		Socket held = host.heldTickets.poll(10, TimeUnit.SECONDS);
		assertTrue(held != null, "the reconnect presented its ticket");
		return held;
	}

	@Test
	void closeWhileTheServerHoldsTheTicketCancelsIt() throws Exception {
		Connection c = connection(3);
		Socket held = reconnectHeldAtTheTicket(c);
		c.close();
		assertTrue(ScriptedHost.closedByClient(held), "the secondary connection was closed");
		assertEquals(List.of("CONNECTING", "CONNECTED SYS1", "RECONNECTING 1/3", "CLOSED"), events);
	}

	@Test
	void disconnectDuringTheReconnectWinsAndTheConnectionCanConnectAgain() throws Exception {
		Connection c = connection(3);
		connectedThenLost(c);
		clock.awaitSleep();
		c.disconnect();
		clock.release();
		assertNull(clock.asked.poll(300, TimeUnit.MILLISECONDS));
		assertEquals(1, host.logons.get(), "no logon after the disconnect");
		Session again = c.connect(PASSWORD, new Cancellation());
		assertEquals("SYS2", again.system());
		assertEquals(List.of("CONNECTING", "CONNECTED SYS1", "RECONNECTING 1/3", "DISCONNECTED", "CONNECTING",
				"CONNECTED SYS2"), events);
	}

	@Test
	void aLogonCompletedAfterTheDisconnectIsLoggedOffNotInstalled() throws Exception {
		Connection c = connection(3);
		Socket held = reconnectHeldAtTheTicket(c);
		// the user disconnects while the ticket is being checked; the host accepts it all the same
		Thread disconnect = Thread.ofVirtual().start(() -> {
			try {
				c.disconnect();
			} catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
		});
		disconnect.join(10_000);
		ScriptedHost.Peer late = new ScriptedHost.Peer(held);
		try {
			late.send(Message.of(Rse.SESSION).with(Rse.F_SYSTEM, "SYS2").with(Rse.F_USER, "ALICE").build());
		} catch (IOException e) {
			// the client closed it first: as good
		}
		assertNull(readOrNull(late), "the client never uses the late session");
		assertEquals(State.DISCONNECTED, c.state());
		assertEquals(List.of("CONNECTING", "CONNECTED SYS1", "RECONNECTING 1/3", "DISCONNECTED"), events);
	}

	@Test
	void aDisconnectBetweenTheAcceptedTicketAndItsInstallationLogsTheNewSessionOff() throws Exception {
		Connection c = connection(3);
		connectedThenLost(c);
		atStep = line -> {
			if (line.contains("accepted the ticket")) { // the link is complete, not yet the connection's
				atStep = x -> {
				};
				try {
					c.disconnect();
				} catch (IOException e) {
					throw new java.io.UncheckedIOException(e);
				}
			}
		};
		clock.awaitSleep();
		clock.release();
		ScriptedHost.Peer late = host.session();
		assertNull(readOrNull(late), "the new session is closed, not used");
		Thread.sleep(200);
		assertEquals(State.DISCONNECTED, c.state());
		assertTrue(c.session().isEmpty());
		assertEquals(List.of("CONNECTING", "CONNECTED SYS1", "RECONNECTING 1/3", "DISCONNECTED"), events);
	}

	private static Message readOrNull(ScriptedHost.Peer p) {
		try {
			return p.read();
		} catch (IOException e) {
			return null;
		}
	}

	@Test
	void twoConnectsAtOnceLogOnOnceAndShareTheSession() throws Exception {
		Connection c = connection(3);
		host.script((n, m, s) -> {
			try {
				Thread.sleep(200); // both connects are under way while the first logon waits
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			return host.connected(n);
		});
		java.util.concurrent.CompletableFuture<Session> a = java.util.concurrent.CompletableFuture
				.supplyAsync(() -> connect(c));
		java.util.concurrent.CompletableFuture<Session> b = java.util.concurrent.CompletableFuture
				.supplyAsync(() -> connect(c));
		assertTrue(a.get(10, TimeUnit.SECONDS) == b.get(10, TimeUnit.SECONDS));
		assertEquals(1, host.logons.get());
		assertEquals(List.of("CONNECTING", "CONNECTED SYS1"), events);
	}

	@Test
	void aNotificationRightAfterTheTicketComesAfterConnected() throws Exception {
		host.afterSession = List.of(Message.of(Rse.NOTIFY).with(Rse.F_KIND, "debug.waiting").build());
		Connection c = connection(3);
		c.connect(PASSWORD, new Cancellation());
		for (int i = 0; i < 100 && events.size() < 3; i++) {
			Thread.sleep(20);
		}
		assertEquals(List.of("CONNECTING", "CONNECTED SYS1", "notification debug.waiting"), events,
				"the listener finds the session connected when the notification comes");
	}

	@Test
	void aProtocolErrorFailsTheConnectionWithoutReconnecting() throws Exception {
		Connection c = connection(3);
		c.connect(PASSWORD, new Cancellation());
		host.session().send(Message.of(Rse.JOBLIST).with(Rse.F_ID, 4711).build());
		Connection.Snapshot failed = awaitState(State.FAILED);
		assertTrue(failed.problem().orElseThrow().contains("which no request of this session had"), failed.toString());
		assertNull(clock.asked.poll(200, TimeUnit.MILLISECONDS), "no reconnect");
	}

	@Test
	void aFailedLogonIsFailedAndAConnectAfterItTriesAgain() throws Exception {
		Connection c = connection(3);
		host.script((n, m, s) -> n == 1 ? ScriptedHost.failed(Rse.Status.SERVER_FAILURE, "no thread") : host.connected(n));
		ConnectException e = assertThrows(ConnectException.class, () -> c.connect(PASSWORD, new Cancellation()));
		assertEquals(ConnectStep.SERVER_START, e.step());
		assertEquals(State.FAILED, c.state());
		assertEquals(e, c.snapshot().failure().orElseThrow());
		c.connect(PASSWORD, new Cancellation());
		assertEquals(List.of("CONNECTING", "FAILED", "CONNECTING", "CONNECTED SYS2"), events);
	}

	@Test
	void stepCodesAreStable() {
		// documented in docs/protocol.md; the Eclipse client puts them in its IStatus
		assertEquals(101, ConnectStep.DAEMON_CONNECT.code());
		assertEquals(103, ConnectStep.AUTHENTICATION.code());
		assertEquals(107, ConnectStep.SESSION.code());
		assertEquals(109, ConnectStep.DEBUG_LINK.code());
		assertEquals(ConnectStep.values().length, java.util.Arrays.stream(ConnectStep.values())
				.mapToInt(ConnectStep::code).distinct().count(), "no code twice");
	}

	private static Session connect(Connection c) {
		try {
			return c.connect(PASSWORD, new Cancellation());
		} catch (ConnectException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}
}
