package dev.sysplex.client;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import dev.sysplex.protocol.Rse;

/**
 * One user's connection to a sysplex through its DVIPA, as one state machine:
 *
 * <pre>
 * DISCONNECTED --connect--> CONNECTING --logged on--> CONNECTED --link lost--> RECONNECTING --logged on--> CONNECTED
 *       ^                       |                         |                        |
 *       |                       +--failed--> FAILED <-----+--protocol error        +--refused, or attempts spent--> FAILED
 *       +----------------- disconnect (from any state but CLOSED) ----------------------------------------------+
 * close (from any state) --> CLOSED, for good
 * </pre>
 *
 * Every transition happens under the connection's lock and ends an <em>epoch</em>: a logon that
 * was under way when the user disconnected (or closed, or connected anew) belongs to an old epoch,
 * so when it completes its session is logged off at once instead of being installed; no session is
 * left on either side and nothing is announced after the state that ended it. Connect calls take
 * turns (a second one finds the first's session); disconnect and close never wait for a logon, they
 * cancel it. The reconnect runs in a thread of its own with backoff on the {@link Clock}, not on the
 * session's reader; a refused password stops it at once. Listeners hear the states and the host's
 * notifications in the order they happened, one call at a time, never under the lock.
 */
public final class Connection implements Closeable {

	public enum State {
		DISCONNECTED, CONNECTING, CONNECTED, RECONNECTING, FAILED, CLOSED
	}

	/**
	 * The connection at one moment: the session when CONNECTED; in RECONNECTING the attempt under way
	 * (1 to {@code attempts}) and why; in FAILED why, with the logon's failure when there was one; in
	 * DISCONNECTED after the host ended the session, what it said.
	 */
	public record Snapshot(State state, Optional<Session> session, int attempt, int attempts, Optional<String> problem,
			Optional<ConnectException> failure) {

		/** A state with no session, attempt or problem. */
		static Snapshot of(State state) {
			return new Snapshot(state, Optional.empty(), 0, 0, Optional.empty(), Optional.empty());
		}

		/** A state with no session that says why, with the logon's failure when there was one (may be null). */
		static Snapshot of(State state, String problem, ConnectException failure) {
			return new Snapshot(state, Optional.empty(), 0, 0, Optional.of(problem), Optional.ofNullable(failure));
		}

		static Snapshot connected(Session session) {
			return new Snapshot(State.CONNECTED, Optional.of(session), 0, 0, Optional.empty(), Optional.empty());
		}

		static Snapshot reconnecting(int attempt, int attempts, String why, ConnectException failure) {
			return new Snapshot(State.RECONNECTING, Optional.empty(), attempt, attempts, Optional.of(why),
					Optional.ofNullable(failure));
		}

		/** The system the session runs on, when CONNECTED. */
		public Optional<String> system() {
			return session.map(Session::system);
		}
	}

	/** Told about the connection; calls come one at a time, in order, from whichever thread acted. */
	public interface Listener {
		default void stateChanged(Snapshot now) {
		}

		/** A NOTIFY of the current session (never one of a session that is no longer the current one). */
		default void notification(String kind, Map<String, String> fields) {
		}
	}

	private final RseConnector connector;
	private final String host;
	private final int port;
	private final String user;
	private final EncryptionPolicy policy;
	private final Listener listener;
	private final ReentrantLock connectTurn = new ReentrantLock();
	private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
	private final AtomicBoolean delivering = new AtomicBoolean();

	// guarded by this
	private Snapshot now = Snapshot.of(State.DISCONNECTED);
	private long epoch;
	private char[] password;
	private Cancellation logon;
	private Thread reconnector;

	/** {@code listener} hears everything from the first logon on (there is no later subscription to miss). */
	public Connection(RseConnector connector, String host, int port, String user, EncryptionPolicy policy,
			Listener listener) {
		this.connector = connector;
		this.host = host;
		this.port = port;
		this.user = user;
		this.policy = policy;
		this.listener = listener;
	}

	public String host() {
		return host;
	}

	public int port() {
		return port;
	}

	public String user() {
		return user;
	}

	public synchronized Snapshot snapshot() {
		return now;
	}

	public synchronized State state() {
		return now.state();
	}

	/** The session when CONNECTED. */
	public synchronized Optional<Session> session() {
		return now.session();
	}

	/**
	 * Logs on (DISCONNECTED, FAILED or RECONNECTING: the user's logon replaces the reconnect loop)
	 * and returns the session; when CONNECTED already, returns its session without a second logon.
	 * The password is kept (a copy, until disconnect, close or failure) only when the connector
	 * reconnects by itself.
	 *
	 * @throws ConnectException the logon failed (the state is FAILED), or was cancelled, or the
	 *             connection was disconnected or closed meanwhile (the state is what that made it)
	 * @throws IllegalStateException the connection is closed
	 */
	public Session connect(char[] password, Cancellation cancellation) throws ConnectException {
		return connect(password, cancellation, () -> {
		});
	}

	/**
	 * As {@link #connect(char[], Cancellation)}; {@code accepted} runs once the host accepted the
	 * password and before anyone hears CONNECTED (the Eclipse client saves the password there, so
	 * that whoever hears "connected" finds it saved).
	 */
	public Session connect(char[] password, Cancellation cancellation, Runnable accepted) throws ConnectException {
		try {
			connectTurn.lockInterruptibly();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new ConnectException(ConnectStep.DAEMON_CONNECT, host + ":" + port, null, null,
					"interrupted while another connect of this connection was under way", "", e);
		}
		try {
			long mine;
			synchronized (this) {
				switch (now.state()) {
				case CLOSED -> throw new IllegalStateException("the connection to " + host + ":" + port + " is closed");
				case CONNECTED -> {
					return now.session().orElseThrow();
				}
				default -> {
				}
				}
				mine = newEpoch();
				logon = cancellation;
				clearPassword();
				move(Snapshot.of(State.CONNECTING));
			}
			deliver();
			Session.Link link;
			try {
				link = connector.login(host, port, user, password, policy, cancellation);
			} catch (ConnectException e) {
				synchronized (this) {
					if (epoch == mine) {
						logon = null;
						move(cancellation.isCancelled()
								? Snapshot.of(State.DISCONNECTED)
								: Snapshot.of(State.FAILED, e.getMessage(), e));
					}
				}
				deliver();
				throw e;
			}
			try {
				accepted.run();
			} catch (RuntimeException e) {
				connector.options().trace.accept("after the logon of " + user + ": " + e);
			}
			Session s = install(mine, link, password);
			if (s == null) {
				throw new ConnectException(ConnectStep.TICKET, host + ":" + link.port(), link.system(), null,
						"the connection was disconnected while the logon was under way", "connect again if you meant to; "
								+ "the session that the logon opened was logged off again",
						null);
			}
			return s;
		} finally {
			connectTurn.unlock();
		}
	}

	/**
	 * Makes the link the current session if the epoch is still {@code mine}; otherwise logs it off
	 * and returns null. The session starts reading only once installed.
	 */
	private Session install(long mine, Session.Link link, char[] pw) {
		Session[] made = new Session[1];
		Session s = connector.session(host, port, user, link, List.of(new Session.Listener() {
			@Override
			public void notification(String kind, Map<String, String> fields) {
				Session me = made[0];
				synchronized (Connection.this) {
					if (now.session().orElse(null) != me) {
						return;
					}
					events.add(() -> listener.notification(kind, fields));
				}
				deliver();
			}

			@Override
			public void ended(Session.Ending ending) {
				Connection.this.ended(made[0], ending);
			}
		}));
		made[0] = s;
		boolean installed;
		synchronized (this) {
			installed = epoch == mine;
			if (installed) {
				logon = null;
				if (password == null && connector.options().autoReconnect) {
					password = pw.clone();
				}
				move(Snapshot.connected(s));
			}
		}
		s.start();
		deliver();
		if (!installed) {
			Thread.interrupted(); // a reconnect thread woken by the disconnect still logs off what it opened
			logoffQuietly(s);
			return null;
		}
		return s;
	}

	/** The current session ended (an old one's end is of no interest). */
	private void ended(Session s, Session.Ending ending) {
		synchronized (this) {
			if (now.session().orElse(null) != s) {
				return;
			}
			RseConnector.Options o = connector.options();
			switch (ending.kind()) {
			case LOGGED_OFF, CLOSED -> {
				clearPassword();
				move(Snapshot.of(State.DISCONNECTED));
			}
			case ENDED_BY_HOST -> {
				clearPassword();
				move(Snapshot.of(State.DISCONNECTED, ending.reason(), null));
			}
			case PROTOCOL -> {
				clearPassword();
				move(Snapshot.of(State.FAILED, ending.reason(), null));
			}
			case LOST -> {
				if (password == null || !o.autoReconnect || o.reconnectAttempts < 1) {
					clearPassword();
					move(Snapshot.of(State.FAILED, ending.reason(), null));
				} else {
					long mine = newEpoch();
					String lostOn = s.system();
					String why = ending.reason();
					move(Snapshot.reconnecting(1, o.reconnectAttempts, why, null));
					reconnector = Thread.ofVirtual().name("RSE reconnect " + user + " via " + host + ":" + port)
							.unstarted(() -> reconnect(mine, lostOn, why));
					reconnector.start();
				}
			}
			}
		}
		deliver();
	}

	/** Logs on again through the DVIPA while the epoch is {@code mine}: backoff, attempts, a refused logon stops it. */
	private void reconnect(long mine, String lostOn, String why) {
		RseConnector.Options o = connector.options();
		Duration backoff = o.reconnectBackoff;
		ConnectException last = null;
		for (int attempt = 1; attempt <= o.reconnectAttempts; attempt++) {
			if (attempt > 1) {
				synchronized (this) {
					if (epoch != mine) {
						return;
					}
					move(Snapshot.reconnecting(attempt, o.reconnectAttempts, last.getMessage(), last));
				}
				deliver();
			}
			try {
				o.clock.sleep(backoff);
			} catch (InterruptedException e) {
				return; // disconnected or closed: whoever interrupted has set the state
			}
			char[] pw;
			Cancellation c = new Cancellation();
			synchronized (this) {
				if (epoch != mine || password == null) {
					return;
				}
				pw = password.clone();
				logon = c;
			}
			o.trace.accept("reconnecting through " + host + ":" + port + " (attempt " + attempt + " of "
					+ o.reconnectAttempts + ") after: " + why);
			Session.Link link;
			try {
				link = connector.login(host, port, user, pw, policy, c);
			} catch (ConnectException e) {
				if (c.isCancelled()) {
					return;
				}
				last = e;
				if (refused(e)) {
					synchronized (this) {
						if (epoch == mine) {
							clearPassword();
							logon = null;
							move(Snapshot.of(State.FAILED, "Reconnecting stopped: the host refused the logon of "
									+ user + " (" + e.getMessage() + ")", e));
						}
					}
					deliver();
					return;
				}
				backoff = backoff.multipliedBy(2).compareTo(o.reconnectMaxBackoff) > 0 ? o.reconnectMaxBackoff
						: backoff.multipliedBy(2);
				continue;
			} finally {
				RseConnector.clear(pw);
			}
			Session s = install(mine, link, null);
			if (s != null) {
				o.trace.accept("reconnected: the session now runs on " + s.system()
						+ (s.system().equals(lostOn) ? "" : " (was " + lostOn + ")"));
			}
			return;
		}
		synchronized (this) {
			if (epoch == mine) {
				clearPassword();
				logon = null;
				move(Snapshot.of(State.FAILED, "The connection to " + lostOn + " was lost (" + why + ") and "
						+ o.reconnectAttempts + " attempts to log on again through " + host + ":" + port + " failed"
						+ (last == null ? "" : "; the last: " + last.getMessage()), last));
			}
		}
		deliver();
	}

	/** The host refused the user or the password: trying again does not help and may revoke the user. */
	private static boolean refused(ConnectException e) {
		return e.step() == ConnectStep.AUTHENTICATION && e.status().map(st -> st == Rse.Status.AUTH_FAILED
				|| st == Rse.Status.REVOKED || st == Rse.Status.PASSWORD_EXPIRED || st == Rse.Status.VERSION)
				.orElse(false) || e instanceof CertificateRefused;
	}

	/**
	 * Logs off (and stops a logon or reconnect under way): DISCONNECTED at once, whatever the state
	 * was; a logon that completes later is logged off again.
	 *
	 * @throws IOException the host did not confirm the logoff (the connection is closed anyway)
	 */
	public void disconnect() throws IOException {
		stop(State.DISCONNECTED);
	}

	/** As {@link #disconnect()}, for good: the connection cannot connect again. */
	@Override
	public void close() {
		try {
			stop(State.CLOSED);
		} catch (IOException e) {
			// closing: the logoff was tried, the socket is closed either way
		}
	}

	private void stop(State to) throws IOException {
		Session s;
		synchronized (this) {
			if (now.state() == State.CLOSED || now.state() == to && logon == null && reconnector == null) {
				return; // nothing to stop: no second DISCONNECTED for a second Disconnect
			}
			newEpoch();
			s = now.session().orElse(null);
			clearPassword();
			move(Snapshot.of(to));
		}
		deliver();
		if (s != null) {
			s.logoff();
		}
	}

	/** Ends the epoch: the logon under way is cancelled, the reconnect thread woken to stop. */
	private long newEpoch() {
		epoch++;
		if (logon != null) {
			logon.cancel();
			logon = null;
		}
		if (reconnector != null) {
			reconnector.interrupt();
			reconnector = null;
		}
		return epoch;
	}

	private void clearPassword() {
		RseConnector.clear(password);
		password = null;
	}

	/** Under the lock: the new state, queued for the listener in order. */
	private void move(Snapshot next) {
		now = next;
		events.add(() -> listener.stateChanged(next));
	}

	/** Runs queued events, one thread at a time, outside the lock. */
	private void deliver() {
		while (!events.isEmpty() && delivering.compareAndSet(false, true)) {
			try {
				Runnable r;
				while ((r = events.poll()) != null) {
					try {
						r.run();
					} catch (RuntimeException e) {
						connector.options().trace.accept("a connection listener failed: " + e);
					}
				}
			} finally {
				delivering.set(false);
			}
		}
	}

	private static void logoffQuietly(Session s) {
		try {
			s.logoff();
		} catch (IOException e) {
			// the link is closed either way; the host ends the session when it sees it go
		}
	}

	@Override
	public synchronized String toString() {
		return user + " via " + host + ":" + port + ": " + now.state();
	}
}
