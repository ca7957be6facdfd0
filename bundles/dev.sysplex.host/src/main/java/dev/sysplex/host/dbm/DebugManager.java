package dev.sysplex.host.dbm;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.net.ssl.SSLSocket;

import dev.sysplex.host.net.AcceptBackoff;
import dev.sysplex.host.net.ServerEndpoint;
import dev.sysplex.host.net.TcpipStack;
import dev.sysplex.host.rse.RseTls;
import dev.sysplex.host.security.LocalPeer;
import dev.sysplex.host.security.PassTickets;
import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Dbm.Status;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;
import dev.sysplex.protocol.ProtocolException;

/**
 * The Debug Manager of one system (z/OS Debugger's DBM, docs/protocol.md).
 * <ul>
 * <li>HOST port, on the system's own address: the Debug Miner registers logged-on users, each with
 * a PassTicket RSED made for the user; a debug engine says a session for a user waits, with the
 * one-time credential its job runner made. Neither is accepted without them (NOT_AUTHORIZED). The
 * port is published as a name/token pair. The job's JDWP agent does not listen: it connects
 * (server=n) to a one-time address this DBM opens for the session, and only a connection from the
 * job's own JVM process is kept ({@link LocalPeer}).</li>
 * <li>A waiting session for a user registered here is told to that user's Debug Miner. For anyone
 * else it goes to the hub (HUBIP/HUBPORT), which hands it, with this DBM's CLIENT port, to the DBM
 * where the user is registered. With no such user anywhere it stays dormant until DORMANT seconds
 * pass; then the engine is told and the job goes on without a debugger.</li>
 * <li>CLIENT port, on the DVIPA: a workstation presents the session's single-use token, with TLS
 * when the port is encrypted (TLS=ON, the sysplex's certificate; a plain client is then refused,
 * as a TLS client is by a plain port); the DBM relays bytes both ways between it and the engine's
 * connection, whatever the protocol.</li>
 * <li>Hub port: with TRUSTEDTCP=ON the hub and every secondary prove to each other, with an HMAC
 * of a fresh challenge under the sysplex's key, that they are Debug Managers of this sysplex before
 * any user or session crosses the link.</li>
 * </ul>
 */
public final class DebugManager implements Closeable {

	/** Session states, as the operator display shows them. */
	public enum State {
		/** The engine was announced; its JVM's agent has not connected yet. */
		STARTING("waiting for engine connection"),
		/** No workstation of the user is known yet. */
		DORMANT("waiting for register connection"),
		/** The user's client was told; waiting for it to connect to the CLIENT port. */
		NOTIFIED("waiting for workstation connection"),
		/** A workstation presented the token; its debugger has not spoken yet. */
		LINKING("workstation connected"),
		LINKED("engine connected"),
		TIMED_OUT("dormant timeout"),
		ENDED("ended");

		private final String display;

		State(String display) {
			this.display = display;
		}

		public String display() {
			return display;
		}
	}

	/** A debug session waiting on this system. */
	public final class Session {
		final String id;
		final String user;
		final String job;
		final Socket control;
		/** The one-time address the job's agent connects to; closed once it did (or gave up). */
		final ServerSocket engineListener;
		/** The job's JVM, from STARTED: the only process whose connection becomes the engine. */
		final CompletableFuture<Long> pid = new CompletableFuture<>();
		/** The agent's connection, verified; the JDWP handshake has not happened on it yet. */
		volatile Socket engine;
		volatile String token;
		volatile Instant tokenExpires;
		volatile State state = State.STARTING;
		/** The linked debugger sent VirtualMachine.Exit; the runner was told. */
		boolean canceled;

		Session(String id, String user, String job, Socket control, ServerSocket engineListener) {
			this.id = id;
			this.user = user;
			this.job = job;
			this.control = control;
			this.engineListener = engineListener;
			newToken();
		}

		void newToken() {
			byte[] t = new byte[24];
			RANDOM.nextBytes(t);
			token = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
			tokenExpires = Instant.now().plusSeconds(settings.tokenSeconds());
		}

		public String user() {
			return user;
		}

		public String job() {
			return job;
		}

		public State state() {
			return state;
		}

		Message waiting() {
			return Message.of(Dbm.WAITING).with(Dbm.F_USER, user).with(Dbm.F_JOB, job).with(Dbm.F_SYSTEM, system())
					.with(Dbm.F_PORT, settings.clientPort()).with(Dbm.F_TOKEN, token).with(Dbm.F_ENCRYPTED, encrypted())
					.with(Dbm.F_SESSION, id).build();
		}
	}

	private static final SecureRandom RANDOM = new SecureRandom();
	private static final AtomicInteger SESSION_IDS = new AtomicInteger();
	/** How long a job's JVM may take from QUEUED to its agent's connection. */
	static final int ENGINE_START_MS = 60_000;

	private final TcpipStack stack;
	private final InetAddress dvipa;
	private final DbmSettings settings;
	private final NameTokens nameTokens;
	private final PassTickets tickets;
	private final Optional<RseTls> tls;
	private final Consumer<String> trace;
	private final System.Logger log = System.getLogger(DebugManager.class.getName());

	private final Map<String, OutputStream> users = new ConcurrentHashMap<>();
	private final Map<String, Session> sessions = new ConcurrentHashMap<>();
	private final List<Closeable> resources = new CopyOnWriteArrayList<>();
	private volatile boolean closed;

	// hub side
	private final Map<String, OutputStream> peers = new ConcurrentHashMap<>();
	/**
	 * On the hub: the systems where each user is registered, the latest last. A user logged on from
	 * two systems who logs off one is still found on the other (with one entry per user, the
	 * logoff of the second logon made the user "registered nowhere").
	 */
	private final Map<String, List<String>> userLocations = new ConcurrentHashMap<>();
	/**
	 * On the hub: every session routed through it, by origin system and session id, until its origin
	 * says it ended (UNROUTE) or the origin disconnects; delivered again whenever its user registers.
	 */
	private final Map<String, Message> routes = new ConcurrentHashMap<>();
	/**
	 * On the hub: a generation per registration of a user on a system ({@code USER@SYSTEM}), new at
	 * every logon. A route is delivered once per token and registration: the origin may route a
	 * session again (its user logged off there) while the hub already delivers it to a new logon.
	 */
	private final Map<String, Long> registrations = new ConcurrentHashMap<>();
	private final java.util.concurrent.atomic.AtomicLong registrationCount = new java.util.concurrent.atomic.AtomicLong();
	/** On the hub: by route key, the token and registration it was last delivered to. */
	private final Map<String, String> delivered = new ConcurrentHashMap<>();
	/** How long a workstation that presented the token may take before its debugger speaks. */
	static final int LINK_BEGIN_MS = 30_000;
	// secondary side
	private volatile OutputStream hubLink;

	/**
	 * @param tickets the sysplex's PassTickets: checks registrations, engine credentials and hub peers
	 * @param tls     the CLIENT port's encryption (the sysplex's certificate), or empty for plain
	 */
	public DebugManager(TcpipStack stack, InetAddress dvipa, DbmSettings settings, NameTokens nameTokens,
			PassTickets tickets, Optional<RseTls> tls, Consumer<String> trace) {
		this.stack = stack;
		this.dvipa = dvipa;
		this.settings = settings;
		this.nameTokens = nameTokens;
		this.tickets = tickets;
		this.tls = tls;
		this.trace = trace;
	}

	/** The PassTicket application of a system's Debug Manager, for the Debug Miner's REGISTER. */
	public static String registrationApplication(String system) {
		return "DBGMGR." + system;
	}

	/** The application of a job's one-time engine credential: one system, one job. */
	public static String engineApplication(String system, String job) {
		return "DBGMGR." + system + ".ENGINE." + job;
	}

	/** True when the CLIENT port speaks TLS. */
	public boolean encrypted() {
		return tls.isPresent();
	}

	public String system() {
		return stack.name();
	}

	public DbmSettings settings() {
		return settings;
	}

	public boolean isHub() {
		return settings.hub().map(stack.homeAddress()::equals).orElse(false);
	}

	/** True while a secondary is connected to its hub (a hub or a DBM without sysplex support: false). */
	public boolean hubConnected() {
		return hubLink != null;
	}

	private void trace(String event) {
		String line = "DBM " + system() + ": " + event;
		log.log(settings.trace() ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, line);
		trace.accept(line);
	}

	public void start() throws IOException {
		ServerEndpoint host = stack.listen("DBGMGR", stack.homeAddress(), settings.hostPort());
		resources.add(host);
		ServerEndpoint client;
		try {
			client = stack.listen("DBGMGR", dvipa, settings.clientPort());
		} catch (IOException e) {
			host.close();
			throw new IOException("the Debug Manager of " + system() + " cannot listen on its CLIENT port "
					+ dvipa.getHostAddress() + ":" + settings.clientPort() + ": " + e.getMessage(), e);
		}
		resources.add(client);
		accept(host, this::hostConnection);
		accept(client, this::clientConnection);
		if (isHub()) {
			ServerEndpoint hub = stack.listen("DBGMGR", stack.homeAddress(), settings.hubPort());
			resources.add(hub);
			accept(hub, this::peerConnection);
		} else if (settings.hub().isPresent()) {
			Thread.ofVirtual().name("DBM " + system() + " hub link").start(this::hubLoop);
		}
		nameTokens.create(Dbm.NAME_TOKEN, String.valueOf(settings.hostPort()));
		if (settings.hub().isPresent() && !settings.trustedTcp()) {
			trace("TRUSTEDTCP=OFF: " + (isHub() ? "the hub accepts any program that connects to its port as a Debug "
					+ "Manager" : "this Debug Manager does not check that its hub is one") + "; set TRUSTEDTCP=ON");
		}
		trace("started: HOST " + stack.homeAddress().getHostAddress() + ":" + settings.hostPort() + ", CLIENT "
				+ dvipa.getHostAddress() + ":" + settings.clientPort()
				+ (isHub() ? ", hub on port " + settings.hubPort()
						: settings.hub().map(h -> ", hub at " + h.getHostAddress() + ":" + settings.hubPort())
								.orElse(", no sysplex support"))
				+ (encrypted() ? ", CLIENT port encrypted" : ", CLIENT port NOT encrypted"));
	}

	private interface Handler {
		void handle(Socket s) throws IOException;
	}

	private void accept(ServerEndpoint ep, Handler handler) {
		Thread.ofVirtual().name("DBM " + system() + " " + ep.port()).start(() -> {
			AcceptBackoff backoff = new AcceptBackoff("the Debug Manager of " + system() + " on port " + ep.port(),
					this::trace);
			while (!ep.isClosed()) {
				Socket s;
				try {
					s = ep.accept();
				} catch (IOException e) {
					if (ep.isClosed()) {
						return;
					}
					if (!backoff.failed(e)) {
						return;
					}
					continue;
				}
				backoff.succeeded();
				Thread.ofVirtual().start(() -> {
					try {
						handler.handle(s);
					} catch (IOException e) {
						log.log(System.Logger.Level.DEBUG, "DBM " + system() + ": connection ended: " + e.getMessage());
						quietClose(s);
					}
				});
			}
		});
	}

	// ---- HOST port: Debug Miner and engines ------------------------------------------------------

	private void hostConnection(Socket s) throws IOException {
		s.setSoTimeout(Dbm.HANDSHAKE_TIMEOUT_MS);
		InputStream in = s.getInputStream();
		OutputStream out = s.getOutputStream();
		Message first = Frames.read(in, Dbm.MAX_FRAME);
		if (first == null) {
			s.close();
			return;
		}
		if (first.is(Dbm.ENGINE)) {
			engine(s, first);
			return;
		}
		// a Debug Miner: REGISTER / UNREGISTER for as long as the connection lasts
		s.setSoTimeout(0);
		track(s); // closed when this DBM stops, so the miner registers again when one is back
		List<String> registered = new ArrayList<>();
		boolean proven = false; // the connection presented a good PassTicket once: it is RSED's Debug Miner
		try {
			for (Message m = first; m != null; m = Frames.read(in, Dbm.MAX_FRAME)) {
				String user = m.require(Dbm.F_USER);
				if (m.is(Dbm.REGISTER)) {
					PassTickets.Verdict v = tickets.evaluate(m.get(Dbm.F_PASSTICKET).orElse(null), user,
							registrationApplication(system()));
					if (v != PassTickets.Verdict.OK) {
						String reason = m.get(Dbm.F_PASSTICKET).isEmpty() ? "no PassTicket was presented"
								: "the PassTicket " + v.reason();
						String advice = "only RSED's Debug Miner registers users, with a PassTicket RSED makes after "
								+ "the user logged on";
						if (!proven) {
							notAuthorized(s, "REGISTER of " + user, reason, advice);
							return;
						}
						// the miner's shared connection carries other users: refuse this one, keep it
						trace("refused REGISTER of " + user + " from the Debug Miner's connection: NOT_AUTHORIZED: "
								+ reason);
						send(out, Message.of(Dbm.FAILED).with(Dbm.F_STATUS, Status.NOT_AUTHORIZED.name())
								.with(Dbm.F_USER, user).with(Dbm.F_MESSAGE, reason + "; " + advice)
								.with(Dbm.F_SYSTEM, system()).build());
						continue;
					}
					proven = true;
					users.put(user, out);
					registered.add(user);
					send(out, Message.of(Dbm.REGISTERED).with(Dbm.F_USER, user).build());
					trace("registered " + user + " (Debug Miner of RSED on " + system() + ")");
					userChanged(user, true);
				} else if (m.is(Dbm.UNREGISTER)) {
					unregister(user, out);
					registered.remove(user);
				} else {
					throw new ProtocolException("unexpected " + m.type() + " from a Debug Miner");
				}
			}
		} finally {
			for (String user : registered) {
				unregister(user, out);
			}
			resources.remove(s);
			quietClose(s);
		}
	}

	private void unregister(String user, OutputStream out) {
		if (users.remove(user, out)) {
			trace("unregistered " + user);
			userChanged(user, false);
		}
	}

	/** A user registered or left here: tell the hub (or, on the hub, the table), and wake dormant sessions. */
	private void userChanged(String user, boolean on) {
		if (isHub()) {
			hubUserChanged(user, system(), on);
		} else {
			OutputStream hub = hubLink;
			if (hub != null) {
				try {
					send(hub, Message.of(Dbm.USER).with(Dbm.F_USER, user).with(Dbm.F_ON, on).build());
				} catch (IOException e) {
					log.log(System.Logger.Level.DEBUG, "hub link: " + e.getMessage());
				}
			}
		}
		if (on) { // announce again every session of the user that still waits: at every logon, until linked
			sessions.values().stream().filter(x -> x.user.equals(user) && waits(x) && !routes.containsKey(key(x)))
					.forEach(this::route);
		} else if (!users.containsKey(user)) {
			// the workstation here that was told of a session logged off before linking it: tell the user's
			// other logons (through the hub); else a debugger waiting elsewhere never hears of it
			sessions.values().stream().filter(x -> x.user.equals(user) && x.state == State.NOTIFIED).forEach(x -> {
				x.state = State.DORMANT;
				trace(user + " logged off " + system() + " before linking session " + x.id + " of job " + x.job
						+ "; announcing it to the user's other logons");
				route(x);
			});
		}
	}

	private static boolean waits(Session x) {
		return x.state == State.DORMANT || x.state == State.NOTIFIED;
	}

	private String key(Session x) {
		return system() + "/" + x.id;
	}

	private static String key(Message waiting) {
		return waiting.get(Dbm.F_SYSTEM).orElse("?") + "/" + waiting.get(Dbm.F_SESSION).orElse("?");
	}

	/** A session of this DBM no longer waits: the hub forgets its route (it must not announce it again). */
	private void sessionLeft(Session x) {
		if (isHub()) {
			forgetRoute(key(x));
			return;
		}
		OutputStream hub = hubLink;
		if (hub != null) {
			try {
				send(hub, Message.of(Dbm.UNROUTE).with(Dbm.F_SYSTEM, system()).with(Dbm.F_SESSION, x.id).build());
			} catch (IOException e) {
				log.log(System.Logger.Level.DEBUG, "hub link: " + e.getMessage()); // the hub drops our routes with us
			}
		}
	}

	/**
	 * A debug engine: checks the job's credential, opens the one-time address its JVM's agent is to
	 * connect to (QUEUED), learns the JVM's process id (STARTED) and keeps the first connection that
	 * comes from that process. The control connection then stays open for ATTACHED or DORMANT_TIMEOUT.
	 */
	private void engine(Socket s, Message m) throws IOException {
		String user = m.require(Dbm.F_USER);
		String job = m.require(Dbm.F_JOB);
		PassTickets.Verdict v = tickets.evaluate(m.get(Dbm.F_CREDENTIAL).orElse(null), user,
				engineApplication(system(), job));
		if (v != PassTickets.Verdict.OK) {
			notAuthorized(s, "ENGINE for job " + job + " of " + user, m.get(Dbm.F_CREDENTIAL).isEmpty()
					? "no engine credential was presented" : "the engine credential " + v.reason(),
					"only the job runner starts debug engines, with the one-time credential it makes for the job");
			return;
		}
		ServerSocket listener = new ServerSocket();
		try {
			listener.bind(new InetSocketAddress(stack.homeAddress(), 0), 4);
		} catch (IOException e) {
			listener.close();
			throw e;
		}
		String id = "S" + SESSION_IDS.incrementAndGet();
		Session session = new Session(id, user, job, s, listener);
		sessions.put(id, session);
		String address = stack.homeAddress().getHostAddress() + ":" + listener.getLocalPort();
		send(s.getOutputStream(), Message.of(Dbm.QUEUED).with(Dbm.F_SESSION, id).with(Dbm.F_ENGINE, address).build());
		trace("debug session " + id + " of job " + job + " for " + user + ": its engine is to connect to " + address);
		Thread.ofVirtual().name("DBM " + system() + " engine " + id).start(() -> acceptEngine(session));
		try {
			s.setSoTimeout(ENGINE_START_MS);
			Message started = Frames.read(s.getInputStream(), Dbm.MAX_FRAME);
			if (started == null || !started.is(Dbm.STARTED)) {
				throw new ProtocolException("expected " + Dbm.STARTED + " with the JVM's pid, got " + started);
			}
			session.pid.complete((long) started.requireInt(Dbm.F_PID, 1, Integer.MAX_VALUE));
			s.setSoTimeout(0);
		} catch (IOException e) {
			session.pid.completeExceptionally(e);
			throw e;
		}
	}

	/** Keeps the first connection to the session's one-time address that comes from the job's JVM. */
	private void acceptEngine(Session session) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ENGINE_START_MS);
		ServerSocket listener = session.engineListener;
		try {
			while (true) {
				int left = (int) TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					throw new SocketTimeoutException("no connection from the job's JVM within " + ENGINE_START_MS / 1000
							+ " s");
				}
				listener.setSoTimeout(left);
				Socket c = listener.accept();
				long pid;
				try {
					pid = session.pid.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
							TimeUnit.MILLISECONDS);
				} catch (ExecutionException | TimeoutException e) {
					quietClose(c);
					throw new IOException("the job runner did not say which process the job's JVM is", e);
				}
				LocalPeer.Check check = LocalPeer.check(c, pid);
				if (check == LocalPeer.Check.OTHER_PROCESS) {
					trace("refused a connection to the engine address of job " + session.job + " from "
							+ c.getInetAddress().getHostAddress() + ":" + c.getPort() + ": it does not come from the "
							+ "job's JVM (pid " + pid + ")");
					quietClose(c);
					continue;
				}
				if (check == LocalPeer.Check.UNSUPPORTED) {
					trace("cannot tell which process connected to the engine address of job " + session.job
							+ " (no /proc socket table on this system); taking the first connection");
				}
				c.setTcpNoDelay(true);
				quietClose(listener); // one-time: nothing else can connect to it from now on
				session.engine = c;
				track(c);
				synchronized (session) {
					if (session.state == State.STARTING) {
						session.state = State.DORMANT;
					}
				}
				trace("debug session " + session.id + " of job " + session.job + " waits for " + session.user
						+ (check == LocalPeer.Check.VERIFIED ? " (the engine connected from the job's JVM, pid " + pid + ")"
								: " (the engine connected; its process could not be checked)"));
				try {
					send(session.control.getOutputStream(), Message.of(Dbm.READY).with(Dbm.F_SESSION, session.id)
							.build());
				} catch (IOException e) {
					log.log(System.Logger.Level.DEBUG, "engine control: " + e.getMessage());
				}
				watchControl(session);
				route(session);
				dormantTimer(session);
				return;
			}
		} catch (IOException | InterruptedException e) {
			if (e instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			if (!closed) {
				trace("debug session " + session.id + " of job " + session.job + ": the engine did not connect ("
						+ e.getMessage() + ")");
			}
			endSession(session, Message.of(Dbm.FAILED).with(Dbm.F_STATUS, Status.ENGINE_GONE.name())
					.with(Dbm.F_MESSAGE, "the job's JVM did not connect to its engine address").build());
		} finally {
			quietClose(listener); // one-time, whatever happened
		}
	}

	/**
	 * While the session waits, its job runner says nothing on the control connection; its end (the
	 * job's JVM ended: canceled, its system stopped) ends the session, so that it is neither
	 * announced again nor linked to a dead JVM. Once linked, the connection is the link's concern.
	 */
	private void watchControl(Session session) {
		Thread.ofVirtual().name("DBM " + system() + " control of " + session.job).start(() -> {
			try {
				session.control.getInputStream().read(); // nothing is sent after STARTED: end of stream or an error
			} catch (IOException e) {
				// closed: the same
			}
			synchronized (session) {
				if (session.state != State.DORMANT && session.state != State.NOTIFIED) {
					return; // linking, linked or over: not a waiting session's end
				}
			}
			trace("session " + session.id + " of job " + session.job + ": the job's JVM ended while it waited; the "
					+ "session ends");
			endSession(session, Message.of(Dbm.FAILED).with(Dbm.F_STATUS, Status.ENGINE_GONE.name())
					.with(Dbm.F_MESSAGE, "the job ended while its session waited").build());
		});
	}

	/** Ends a session that was not linked: tells its job runner, closes what it holds. */
	private void endSession(Session session, Message why) {
		session.state = State.ENDED;
		sessions.remove(session.id);
		sessionLeft(session);
		quietClose(session.engineListener);
		quietClose(session.engine);
		resources.remove(session.engine);
		try {
			send(session.control.getOutputStream(), why);
		} catch (IOException e) {
			log.log(System.Logger.Level.DEBUG, "engine control: " + e.getMessage());
		}
		quietClose(session.control);
	}

	/** Refuses a request that lacks a valid PassTicket or credential, tracing who sent it. */
	private void notAuthorized(Socket s, String what, String reason, String advice) {
		trace("refused " + what + " from " + s.getInetAddress().getHostAddress() + ":" + s.getPort()
				+ ": NOT_AUTHORIZED: " + reason);
		try {
			send(s.getOutputStream(), Message.of(Dbm.FAILED).with(Dbm.F_STATUS, Status.NOT_AUTHORIZED.name())
					.with(Dbm.F_MESSAGE, reason + "; " + advice).with(Dbm.F_SYSTEM, system()).build());
		} catch (IOException e) {
			log.log(System.Logger.Level.DEBUG, "refused peer is gone: " + e.getMessage());
		}
		quietClose(s);
	}

	/** Finds the user's workstation: here, or through the hub; else the session stays dormant. */
	private void route(Session session) {
		OutputStream miner = users.get(session.user);
		try {
			if (miner != null) {
				// NOTIFIED before the telling, so that a logoff from now on announces it to the user's other
				// logons (userChanged); a logoff that came first shows here: the miner is no longer registered
				synchronized (session) {
					if (session.state == State.LINKING || session.state == State.LINKED || session.state == State.ENDED
							|| session.state == State.TIMED_OUT) {
						return;
					}
					session.state = State.NOTIFIED;
				}
				if (users.get(session.user) != miner) {
					synchronized (session) {
						if (session.state == State.NOTIFIED) {
							session.state = State.DORMANT;
						}
					}
					route(session);
					return;
				}
				try {
					send(miner, session.waiting());
				} catch (IOException e) {
					synchronized (session) {
						if (session.state == State.NOTIFIED) {
							session.state = State.DORMANT;
						}
					}
					throw e;
				}
				trace(session.user + " is registered here: told its Debug Miner that session " + session.id
						+ " waits at CLIENT port " + settings.clientPort());
			} else if (isHub()) {
				trace(session.user + " is not registered here; looking in the hub's table");
				hubRoute(session.waiting());
			} else if (hubLink != null) {
				send(hubLink, route(session.waiting()));
				trace(session.user + " is not registered here: asked the hub to find its workstation (session "
						+ session.id + ", CLIENT port " + settings.clientPort() + ")");
			} else {
				trace(session.user + " is not registered here and no hub is connected: session " + session.id
						+ " stays dormant");
			}
		} catch (IOException e) {
			log.log(System.Logger.Level.WARNING, "DBM " + system() + ": routing session " + session.id + " failed: "
					+ e.getMessage());
		}
	}

	private static Message route(Message waiting) {
		Message.Builder b = Message.of(Dbm.ROUTE);
		waiting.fields().forEach(b::with);
		return b.build();
	}

	private void dormantTimer(Session session) {
		Instant deadline = Instant.now().plusSeconds(settings.dormantSeconds());
		// the deadline moves only while a workstation is linking (LINK_BEGIN_MS at most, once per link)
		while (!closed && session.state != State.LINKED && session.state != State.ENDED) {
			Duration left = Duration.between(Instant.now(), deadline);
			if (left.isNegative() || left.isZero()) {
				synchronized (session) {
					if (session.state == State.LINKED || session.state == State.ENDED) {
						return;
					}
					if (session.state == State.LINKING) {
						deadline = Instant.now().plusMillis(LINK_BEGIN_MS); // a debugger is coming: judge it then
						continue;
					}
					session.state = State.TIMED_OUT;
				}
				sessions.remove(session.id);
				sessionLeft(session);
				trace("session " + session.id + " of job " + session.job + ": no workstation within "
						+ settings.dormantSeconds() + " s; the job goes on without the debugger");
				release(session);
				try {
					send(session.control.getOutputStream(), Message.of(Dbm.DORMANT_TIMEOUT)
							.with(Dbm.F_SESSION, session.id).build());
				} catch (IOException e) {
					log.log(System.Logger.Level.DEBUG, "engine gone: " + e.getMessage());
				}
				quietClose(session.control);
				return;
			}
			try {
				Thread.sleep(Math.min(left.toMillis(), 250));
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** Lets the job's JVM run on without a debugger (its agent's connection is ours alone). */
	private void release(Session session) {
		Socket engine = session.engine;
		if (engine == null) {
			return;
		}
		try {
			EngineRelease.release(engine, 5_000);
		} catch (IOException e) {
			trace("could not let job " + session.job + " go on (" + e.getMessage() + "); its JVM ends");
		} finally {
			resources.remove(engine);
		}
	}

	// ---- hub -----------------------------------------------------------------------------------

	private void peerConnection(Socket s) throws IOException {
		s.setSoTimeout(Dbm.HANDSHAKE_TIMEOUT_MS);
		InputStream in = s.getInputStream();
		OutputStream out = s.getOutputStream();
		String challenge = PassTickets.nonce();
		send(out, Message.of(Dbm.CHALLENGE).with(Dbm.F_SYSTEM, system()).with(Dbm.F_NONCE, challenge).build());
		Message hello = Frames.read(in, Dbm.MAX_FRAME);
		if (hello == null || !hello.is(Dbm.HELLO)) {
			throw new ProtocolException("a Debug Manager must answer CHALLENGE with HELLO");
		}
		String peer = hello.require(Dbm.F_SYSTEM);
		String peerNonce = hello.get(Dbm.F_NONCE).orElse("");
		if (!tickets.verifyMac(hello.get(Dbm.F_MAC).orElse(null), "DBM-HELLO", challenge, peer,
				hello.get(Dbm.F_CLIENT).orElse(""), peerNonce)) {
			if (settings.trustedTcp()) {
				notAuthorized(s, "hub: a connection claiming to be the Debug Manager of " + peer,
						"it did not prove that it holds the sysplex's key (TRUSTEDTCP=ON)",
						"only Debug Managers of this sysplex may connect to the hub port");
				return;
			}
			trace("hub: TRUSTEDTCP=OFF: accepted " + s.getInetAddress().getHostAddress() + ":" + s.getPort()
					+ " as the Debug Manager of " + peer + " without authentication");
		}
		send(out, Message.of(Dbm.WELCOME).with(Dbm.F_SYSTEM, system())
				.with(Dbm.F_MAC, tickets.mac("DBM-WELCOME", peerNonce, system(), peer)).build());
		s.setSoTimeout(0);
		track(s); // closed when the hub stops: its secondaries notice and run alone
		peers.put(peer, out);
		trace("hub: Debug Manager of " + peer + " connected");
		try {
			for (Message m; (m = Frames.read(in, Dbm.MAX_FRAME)) != null;) {
				if (m.is(Dbm.USER)) {
					hubUserChanged(m.require(Dbm.F_USER), peer, Boolean.parseBoolean(m.require(Dbm.F_ON)));
				} else if (m.is(Dbm.ROUTE)) {
					hubRoute(m);
				} else if (m.is(Dbm.UNROUTE)) {
					if (forgetRoute(peer + "/" + m.require(Dbm.F_SESSION))) {
						trace("hub: the session " + m.require(Dbm.F_SESSION) + " of " + peer + " no longer waits");
					}
				}
			}
		} finally {
			resources.remove(s);
			peers.remove(peer, out);
			synchronized (userLocations) {
				userLocations.values().forEach(l -> l.remove(peer));
				userLocations.values().removeIf(List::isEmpty);
			}
			registrations.keySet().removeIf(k -> k.endsWith("@" + peer));
			routes.keySet().removeIf(k -> k.startsWith(peer + "/")); // it routes them again when it is back
			delivered.keySet().removeIf(k -> k.startsWith(peer + "/"));
			trace("hub: Debug Manager of " + peer + " disconnected");
			quietClose(s);
		}
	}

	/** On the hub: a route ends (its session no longer waits); true when there was one. */
	private boolean forgetRoute(String key) {
		delivered.remove(key);
		return routes.remove(key) != null;
	}

	private void hubUserChanged(String user, String where, boolean on) {
		if (on) {
			registrations.put(user + "@" + where, registrationCount.incrementAndGet());
			synchronized (userLocations) {
				List<String> at = userLocations.computeIfAbsent(user, k -> new ArrayList<>());
				at.remove(where);
				at.add(where);
			}
			routes.values().stream().filter(r -> r.get(Dbm.F_USER).orElse("").equals(user)).forEach(this::deliver);
			if (!where.equals(system())) { // the hub's own sessions that went to the user directly: through the table now
				sessions.values().stream().filter(x -> x.user.equals(user) && waits(x) && !routes.containsKey(key(x)))
						.forEach(this::route);
			}
		} else {
			registrations.remove(user + "@" + where);
			synchronized (userLocations) {
				List<String> at = userLocations.get(user);
				if (at != null) {
					at.remove(where);
					if (at.isEmpty()) {
						userLocations.remove(user);
					}
				}
			}
		}
	}

	/** On the hub: the system where {@code user} registered last and still is, or null. */
	private String location(String user) {
		synchronized (userLocations) {
			List<String> at = userLocations.get(user);
			return at == null || at.isEmpty() ? null : at.get(at.size() - 1);
		}
	}

	/** On the hub: keep a waiting session in the table and hand it to the DBM where its user is registered. */
	private void hubRoute(Message waitingOrRoute) {
		Message.Builder b = Message.of(Dbm.WAITING);
		waitingOrRoute.fields().forEach(b::with);
		Message waiting = b.build();
		routes.put(key(waiting), waiting); // a new token for the same session replaces the old route
		deliver(waiting);
	}

	private void deliver(Message waiting) {
		String user = waiting.get(Dbm.F_USER).orElse("");
		String from = waiting.get(Dbm.F_SYSTEM).orElse("?");
		String where = users.containsKey(user) ? system() : location(user);
		try {
			if (where == null) {
				trace("hub: " + user + " is registered nowhere; the session of " + from + " waits for it");
			} else if (where.equals(from) && !from.equals(system())) {
				return; // the user is on the session's own system, whose DBM announces it there itself
			} else if (alreadyDelivered(waiting, user, where)) {
				trace("hub: the session " + waiting.get(Dbm.F_SESSION).orElse("?") + " of " + from + " was already told to "
						+ user + "'s logon on " + where + "; not again");
			} else if (where.equals(system())) {
				send(users.get(user), waiting);
				trace("hub: " + user + " is registered here: told its Debug Miner that a session waits on " + from
						+ " at CLIENT port " + waiting.get(Dbm.F_PORT).orElse("?"));
				markNotified(waiting);
			} else {
				send(peers.get(where), waiting);
				trace("hub: handed the session of " + from + " (CLIENT port " + waiting.get(Dbm.F_PORT).orElse("?")
						+ ") to the Debug Manager of " + where + ", where " + user + " is registered");
			}
		} catch (IOException | NullPointerException e) {
			delivered.remove(key(waiting)); // not told: the next registration or route tries again
			trace("hub: could not reach the Debug Manager of " + where + "; the session of " + from + " waits");
		}
	}

	/** Records that this token goes to the user's current registration on {@code where}; true if it went already. */
	private boolean alreadyDelivered(Message waiting, String user, String where) {
		String mark = waiting.get(Dbm.F_TOKEN).orElse("") + " to " + where + "#" + registrations.get(user + "@" + where);
		return mark.equals(delivered.put(key(waiting), mark));
	}

	/** A session of this DBM was told to a workstation by the hub (we are the hub and the origin). */
	private void markNotified(Message waiting) {
		String token = waiting.get(Dbm.F_TOKEN).orElse("");
		sessions.values().stream().filter(s -> s.token.equals(token)).forEach(s -> s.state = State.NOTIFIED);
	}

	/** On a secondary: keep a connection to the hub, retrying with backoff while it is down. */
	private void hubLoop() {
		InetSocketAddress hub = new InetSocketAddress(settings.hub().orElseThrow(), settings.hubPort());
		long backoff = 250;
		while (!closed) {
			try (Socket s = new Socket()) {
				s.connect(hub, 5_000);
				track(s);
				OutputStream out = s.getOutputStream();
				InputStream in = s.getInputStream();
				if (!authenticateHub(s, in, out, hub)) {
					throw new IOException("the hub failed authentication");
				}
				hubLink = out;
				backoff = 250;
				trace("connected to the hub at " + hub.getAddress().getHostAddress() + ":" + hub.getPort());
				for (String user : users.keySet()) {
					send(out, Message.of(Dbm.USER).with(Dbm.F_USER, user).with(Dbm.F_ON, true).build());
				}
				sessions.values().stream().filter(x -> x.state == State.DORMANT).forEach(this::route);
				for (Message m; (m = Frames.read(in, Dbm.MAX_FRAME)) != null;) {
					if (m.is(Dbm.WAITING)) {
						deliverFromHub(m);
					}
				}
			} catch (IOException e) {
				if (hubLink != null) {
					trace("lost the hub: " + e.getMessage() + "; running alone and retrying");
				}
			} finally {
				hubLink = null;
			}
			if (closed) {
				return;
			}
			try {
				Thread.sleep(backoff);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
			backoff = Math.min(backoff * 2, 8_000);
		}
	}

	/**
	 * The secondary's side of TRUSTEDTCP: answers the hub's challenge with an HMAC under the
	 * sysplex's key and checks the hub's answer to its own challenge, so neither side sends a user or
	 * a session token to a program that merely listens on, or connects to, the hub port.
	 */
	private boolean authenticateHub(Socket s, InputStream in, OutputStream out, InetSocketAddress hub)
			throws IOException {
		String where = hub.getAddress().getHostAddress() + ":" + hub.getPort();
		s.setSoTimeout(Dbm.HANDSHAKE_TIMEOUT_MS);
		Message challenge = Frames.read(in, Dbm.MAX_FRAME);
		if (challenge == null || !challenge.is(Dbm.CHALLENGE)) {
			trace("the hub at " + where + " did not send a CHALLENGE (" + challenge + "); not a Debug Manager of this "
					+ "release");
			return false;
		}
		String hubSystem = challenge.get(Dbm.F_SYSTEM).orElse("");
		String nonce = PassTickets.nonce();
		String client = String.valueOf(settings.clientPort());
		send(out, Message.of(Dbm.HELLO).with(Dbm.F_SYSTEM, system()).with(Dbm.F_CLIENT, client)
				.with(Dbm.F_NONCE, nonce)
				.with(Dbm.F_MAC, tickets.mac("DBM-HELLO", challenge.require(Dbm.F_NONCE), system(), client, nonce))
				.build());
		Message welcome = Frames.read(in, Dbm.MAX_FRAME);
		if (welcome != null && welcome.is(Dbm.FAILED)) {
			trace("the hub at " + where + " refused this Debug Manager: " + welcome.get(Dbm.F_MESSAGE).orElse("")
					+ " (do both use the same sysplex key, security/ptktdata?)");
			return false;
		}
		if (welcome == null || !welcome.is(Dbm.WELCOME)) {
			trace("the hub at " + where + " answered " + welcome + " instead of WELCOME");
			return false;
		}
		if (!tickets.verifyMac(welcome.get(Dbm.F_MAC).orElse(null), "DBM-WELCOME", nonce, hubSystem, system())) {
			if (settings.trustedTcp()) {
				trace("the program at the hub address " + where + " failed authentication: it is not a Debug Manager "
						+ "of this sysplex (TRUSTEDTCP=ON); nothing was sent to it");
				return false;
			}
			trace("TRUSTEDTCP=OFF: using the hub at " + where + " without checking that it is one");
		}
		s.setSoTimeout(0);
		return true;
	}

	private void deliverFromHub(Message waiting) throws IOException {
		String user = waiting.require(Dbm.F_USER);
		OutputStream miner = users.get(user);
		if (miner == null) {
			trace("the hub sent a session for " + user + ", who is no longer registered here");
			return;
		}
		send(miner, waiting);
		trace("the hub handed over the session of " + waiting.get(Dbm.F_SYSTEM).orElse("?") + " for " + user
				+ ": told its Debug Miner (CLIENT port " + waiting.get(Dbm.F_PORT).orElse("?") + ")");
	}

	// ---- CLIENT port: workstations ------------------------------------------------------------

	private void clientConnection(Socket raw) throws IOException {
		raw.setSoTimeout(Dbm.HANDSHAKE_TIMEOUT_MS);
		raw.setTcpNoDelay(true);
		String from = raw.getInetAddress().getHostAddress() + ":" + raw.getPort();
		RseTls.Accepted accepted = RseTls.accept(raw, tls, Dbm.HANDSHAKE_TIMEOUT_MS, why -> trace(
				why == RseTls.Mismatch.TLS_TO_PLAIN
						? "refused an encrypted workstation connection from " + from + ": the CLIENT port "
								+ settings.clientPort() + " is not encrypted (TLS=OFF or no enable_ssl)"
						: "refused a plain workstation connection from " + from + ": the CLIENT port "
								+ settings.clientPort() + " is encrypted, and a client whose RSE session is not cannot link"));
		if (accepted == null) {
			raw.close();
			return;
		}
		Socket s = accepted.socket();
		InputStream in = accepted.in();
		OutputStream out = s.getOutputStream();
		Message link;
		try {
			link = Frames.read(in, Dbm.MAX_FRAME);
		} catch (ProtocolException e) {
			refuse(s, Status.PROTOCOL, e.getMessage());
			return;
		}
		if (link == null || !link.is(Dbm.LINK)) {
			refuse(s, Status.PROTOCOL, "expected " + Dbm.LINK + " with the session token first");
			return;
		}
		byte[] presented = link.get(Dbm.F_TOKEN).orElse("").getBytes(StandardCharsets.US_ASCII);
		Session session = null;
		for (Session x : sessions.values()) {
			if (MessageDigest.isEqual(presented, x.token.getBytes(StandardCharsets.US_ASCII))) {
				session = x;
			}
		}
		if (session == null) {
			refuse(s, Status.TOKEN_INVALID, "no debug session with that token waits on " + system());
			return;
		}
		Socket engine;
		synchronized (session) {
			if (session.state == State.LINKING || session.state == State.LINKED || session.state == State.ENDED
					|| session.state == State.TIMED_OUT) {
				refuse(s, Status.TOKEN_USED, "the session of job " + session.job + " is already linked");
				return;
			}
			if (Instant.now().isAfter(session.tokenExpires)) {
				session.newToken();
				refuse(s, Status.TOKEN_EXPIRED, "the token expired; a new notification is on its way");
				route(session);
				return;
			}
			engine = session.engine;
			if (engine == null || engine.isClosed()) {
				refuse(s, Status.ENGINE_GONE, "the debug engine of job " + session.job + " is not connected");
				return;
			}
			session.state = State.LINKING;
		}
		send(out, Message.of(Dbm.LINKED).with(Dbm.F_JOB, session.job).with(Dbm.F_SYSTEM, system())
				.with(Dbm.F_USER, session.user).build());
		// the debugger's first bytes: a workstation that leaves (or says nothing) before them gives the session back
		byte[] first = new byte[Relay.SMALL];
		int n;
		try {
			s.setSoTimeout(LINK_BEGIN_MS);
			n = in.read(first);
		} catch (IOException e) {
			n = -1;
		}
		if (n <= 0) {
			quietClose(s);
			synchronized (session) {
				session.state = State.DORMANT;
				session.newToken();
			}
			trace("workstation " + from + " left before its debugger spoke; session " + session.id + " of job "
					+ session.job + " waits again, with a new token");
			route(session);
			return;
		}
		Session watched = session;
		JdwpCommands commands = new JdwpCommands((set, command) -> {
			if (JdwpCommands.isExit(set, command)) {
				canceledByDebugger(watched);
			}
		});
		commands.feed(first, 0, n); // before the bytes go on: the runner hears of a cancel before the JVM ends
		try {
			engine.getOutputStream().write(first, 0, n);
		} catch (IOException e) {
			quietClose(s);
			endSession(session, Message.of(Dbm.FAILED).with(Dbm.F_STATUS, Status.ENGINE_GONE.name())
					.with(Dbm.F_MESSAGE, "the job's engine went away: " + e.getMessage()).build());
			return;
		}
		session.state = State.LINKED;
		sessionLeft(session);
		try {
			send(session.control.getOutputStream(), Message.of(Dbm.ATTACHED).with(Dbm.F_SESSION, session.id).build());
		} catch (IOException e) {
			log.log(System.Logger.Level.DEBUG, "engine control: " + e.getMessage());
		}
		s.setSoTimeout(0);
		trace("workstation " + from + " linked to job " + session.job + " through CLIENT port " + settings.clientPort()
				+ (s instanceof SSLSocket ? " (encrypted)" : " (NOT encrypted)") + "; relaying");
		Session linked = session;
		Relay.between(s, engine, () -> {
			linked.state = State.ENDED;
			sessions.remove(linked.id);
			resources.remove(engine);
			quietClose(linked.control);
			trace("debug session " + linked.id + " of job " + linked.job + " ended");
		}).tapping(commands::feed).start("DBM " + system() + " relay " + session.id);
	}

	/**
	 * The linked debugger asked the JVM to exit (Eclipse's Terminate, any JDI client's exit()): tell the
	 * job runner first, so that the job ends as canceled by its user, not with the exit code the
	 * debugger chose. Once per session.
	 */
	private void canceledByDebugger(Session session) {
		synchronized (session) {
			if (session.canceled) {
				return;
			}
			session.canceled = true;
		}
		trace("the debugger of " + session.user + " ends job " + session.job + " (JDWP VirtualMachine.Exit): canceled");
		try {
			send(session.control.getOutputStream(), Message.of(Dbm.CANCELED).with(Dbm.F_USER, session.user).build());
		} catch (IOException e) {
			trace("could not tell the job runner that job " + session.job + " is canceled: " + e.getMessage());
		}
	}

	private void refuse(Socket s, Status status, String message) {
		trace("refused a workstation connection: " + status + ": " + message);
		try {
			send(s.getOutputStream(), Message.of(Dbm.FAILED).with(Dbm.F_STATUS, status.name())
					.with(Dbm.F_MESSAGE, message).with(Dbm.F_SYSTEM, system()).build());
		} catch (IOException e) {
			// the workstation is gone
		}
		quietClose(s);
	}

	// ---- display and life cycle ------------------------------------------------------------------

	/** The operator display, like F DBGMGR,APPL=DBM,D,U: users, sessions and their states. */
	public String display() {
		StringBuilder sb = new StringBuilder("DBM " + system() + (isHub() ? " (hub)" : hubConnected() ? " (hub connected)"
				: settings.hub().isPresent() ? " (hub NOT connected)" : "") + "\n");
		sb.append("  users registered: ").append(users.isEmpty() ? "none" : String.join(", ", users.keySet()))
				.append('\n');
		if (isHub()) {
			String table;
			synchronized (userLocations) {
				table = userLocations.isEmpty() ? "none" : userLocations.toString();
			}
			sb.append("  sysplex users: ").append(table).append('\n');
			sb.append("  routes: ").append(routes.size()).append('\n');
		}
		for (Session s : sessions.values()) {
			sb.append("  session ").append(s.id).append(" job ").append(s.job).append(" user ").append(s.user)
					.append(": ").append(s.state.display()).append('\n');
		}
		return sb.toString();
	}

	public List<Session> sessions() {
		return List.copyOf(sessions.values());
	}

	public Optional<Session> session(String job) {
		return sessions.values().stream().filter(s -> s.job.equals(job)).findFirst();
	}

	public boolean isRegistered(String user) {
		return users.containsKey(user);
	}

	/**
	 * Keeps a connection to close when this DBM stops; one that arrives while or after it stops is
	 * closed at once (close() may already have gone through the list).
	 */
	private void track(Closeable c) {
		resources.add(c);
		if (closed) {
			quietClose(c);
		}
	}

	private static void send(OutputStream out, Message m) throws IOException {
		synchronized (out) {
			Frames.write(out, m, Dbm.MAX_FRAME);
		}
	}

	private static void quietClose(Closeable c) {
		try {
			if (c != null) {
				c.close();
			}
		} catch (IOException e) {
			// closing: nothing more to say
		}
	}

	@Override
	public void close() {
		closed = true;
		nameTokens.delete(Dbm.NAME_TOKEN, String.valueOf(settings.hostPort()));
		for (Session s : sessions.values()) {
			if (s.state != State.LINKED) {
				release(s); // the job goes on without a debugger instead of ending with its agent's connection
			}
		}
		resources.forEach(DebugManager::quietClose);
		sessions.values().forEach(s -> {
			quietClose(s.control);
			quietClose(s.engineListener);
		});
		sessions.clear();
		users.clear();
		trace("stopped");
	}
}
