package dev.sysplex.host.dbm;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.sysplex.host.rse.RseDaemon;
import dev.sysplex.host.rse.RseSession;
import dev.sysplex.host.security.PassTickets;
import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;

/**
 * The Debug Miner inside one system's RSED: it registers the users logged on to this RSED with the
 * Debug Manager of its own system (found through that system's name/token pair), each with a
 * PassTicket RSED makes for the user it authenticated (as z/OS Explorer's RSE does for the automatic
 * logon to Debug Manager), and turns the WAITING the DBM sends into "debug.waiting" notifications on
 * the user's RSE sessions of this system.
 * <p>
 * One connection to the DBM serves every user of this RSED (REGISTER and UNREGISTER per user), so an
 * idle RSE session costs no descriptor here. When no DBM runs, nothing polls: the miner connects
 * when the DBM publishes its name/token pair, and registers everyone logged on then; when the DBM
 * goes away, it waits for the pair again. Only a DBM that publishes its pair but cannot be reached
 * is retried, by one thread, with backoff, while users are logged on.
 */
public final class DebugMiner implements RseDaemon.Listener {

	private final String system;
	private final InetAddress home;
	private final NameTokens nameTokens;
	private final PassTickets tickets;
	private final Consumer<String> trace;
	private final System.Logger log = System.getLogger(DebugMiner.class.getName());
	/** The sessions of this RSED by user, the newest last. */
	private final Map<String, List<RseSession>> sessions = new ConcurrentHashMap<>();
	private final Object linkLock = new Object();
	private Socket link; // guarded by linkLock
	private OutputStream out; // guarded by linkLock
	private boolean retrying; // guarded by linkLock

	public DebugMiner(String system, InetAddress home, NameTokens nameTokens, PassTickets tickets,
			Consumer<String> trace) {
		this.system = system;
		this.home = home;
		this.nameTokens = nameTokens;
		this.tickets = tickets;
		this.trace = trace;
		nameTokens.onCreate(Dbm.NAME_TOKEN, () -> Thread.ofVirtual().name("Debug Miner " + system + " connect")
				.start(this::connect));
	}

	private void trace(String event) {
		String line = "Debug Miner " + system + ": " + event;
		log.log(System.Logger.Level.DEBUG, line);
		trace.accept(line);
	}

	@Override
	public void loggedOn(RseSession session) {
		boolean first;
		synchronized (sessions) {
			List<RseSession> list = sessions.computeIfAbsent(session.user(), u -> new CopyOnWriteArrayList<>());
			list.add(session);
			first = list.size() == 1;
		}
		if (first) {
			synchronized (linkLock) {
				if (out != null) {
					register(session.user());
					return;
				}
			}
			if (nameTokens.retrieve(Dbm.NAME_TOKEN).isEmpty()) {
				trace("no Debug Manager runs on " + system + " (no " + Dbm.NAME_TOKEN + " name/token): debug sessions "
						+ "for " + session.user() + " cannot reach this client until one starts; start DBGMGR on every "
						+ "system where RSED runs");
				return;
			}
			connect();
		}
	}

	@Override
	public void loggedOff(RseSession session) {
		synchronized (sessions) {
			List<RseSession> list = sessions.get(session.user());
			if (list == null || !list.remove(session) || !list.isEmpty()) {
				return;
			}
			sessions.remove(session.user(), list);
		}
		synchronized (linkLock) {
			if (out != null) {
				try {
					Frames.write(out, Message.of(Dbm.UNREGISTER).with(Dbm.F_USER, session.user()).build(), Dbm.MAX_FRAME);
					trace("unregistered " + session.user() + " (logoff)");
				} catch (IOException e) {
					log.log(System.Logger.Level.DEBUG, "Debug Miner " + system + ": " + e.getMessage());
				}
			}
		}
	}

	/** Connects to the DBM of this system (if not connected) and registers every user logged on here. */
	private void connect() {
		Optional<String> port = nameTokens.retrieve(Dbm.NAME_TOKEN);
		if (port.isEmpty()) {
			return;
		}
		Socket s = new Socket();
		synchronized (linkLock) {
			if (out != null) {
				return;
			}
			try {
				s.connect(new InetSocketAddress(home, Integer.parseInt(port.get())), 5_000);
				s.setTcpNoDelay(true);
				link = s;
				out = s.getOutputStream();
			} catch (IOException | NumberFormatException e) {
				close(s);
				trace("cannot reach the Debug Manager of " + system + " at HOST port " + port.get() + ": " + e.getMessage());
				retryLater();
				return;
			}
			for (String user : sessions.keySet()) {
				register(user);
			}
		}
		trace("connected to the Debug Manager of " + system + " (HOST port " + port.get() + ", from the name/token pair)");
		Thread.ofVirtual().name("Debug Miner " + system).start(() -> listen(s));
	}

	/** One retry thread for a DBM whose pair exists but that did not answer; ends once connected. */
	private void retryLater() {
		synchronized (linkLock) {
			if (retrying || sessions.isEmpty()) {
				return;
			}
			retrying = true;
		}
		Thread.ofVirtual().name("Debug Miner " + system + " retry").start(() -> {
			try {
				for (long backoff = 250;; backoff = Math.min(backoff * 2, 8_000)) {
					Thread.sleep(backoff); // the DBM published its pair but did not answer: no event says when it will
					synchronized (linkLock) {
						if (out != null || sessions.isEmpty() || nameTokens.retrieve(Dbm.NAME_TOKEN).isEmpty()) {
							return; // connected, nobody to register, or the DBM is gone (its next pair wakes us)
						}
					}
					connect(); // while retrying is set, a failure here does not start another retry thread
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			} finally {
				synchronized (linkLock) {
					retrying = false;
				}
			}
		});
	}

	/** Sends REGISTER with a fresh PassTicket for the user (caller holds linkLock, connected). */
	private void register(String user) {
		try {
			Frames.write(out, Message.of(Dbm.REGISTER).with(Dbm.F_USER, user).with(Dbm.F_PASSTICKET,
					tickets.generate(user, DebugManager.registrationApplication(system))).build(), Dbm.MAX_FRAME);
		} catch (IOException e) {
			log.log(System.Logger.Level.DEBUG, "Debug Miner " + system + ": " + e.getMessage()); // the reader sees it end
		}
	}

	private void listen(Socket s) {
		try {
			for (Message m; (m = Frames.read(s.getInputStream(), Dbm.MAX_FRAME)) != null;) {
				String user = m.get(Dbm.F_USER).orElse("");
				if (m.is(Dbm.REGISTERED)) {
					trace("registered " + user + " with the Debug Manager of " + system + " (with a PassTicket)");
				} else if (m.is(Dbm.FAILED)) {
					trace("the Debug Manager of " + system + " refused " + user + ": " + m.get(Dbm.F_STATUS).orElse("")
							+ ": " + m.get(Dbm.F_MESSAGE).orElse(""));
				} else if (m.is(Dbm.WAITING)) {
					notify(user, m);
				}
			}
		} catch (IOException e) {
			log.log(System.Logger.Level.DEBUG, "Debug Miner " + system + ": " + e.getMessage());
		} finally {
			boolean mine;
			synchronized (linkLock) {
				mine = link == s;
				if (mine) {
					link = null;
					out = null;
				}
			}
			close(s);
			if (mine && !sessions.isEmpty()) {
				trace("the Debug Manager of " + system + " went away; its users are registered again when it is back");
				if (nameTokens.retrieve(Dbm.NAME_TOKEN).isPresent()) {
					retryLater(); // the pair is still there: a restart in place, or a dropped connection
				}
			}
		}
	}

	/** A waiting debug session for {@code user}: tell every RSE session of the user on this system. */
	private void notify(String user, Message waiting) {
		List<RseSession> list = sessions.getOrDefault(user, List.of());
		Map<String, String> fields = new LinkedHashMap<>(waiting.fields());
		for (RseSession session : list) {
			if (!session.isConnected()) {
				continue;
			}
			try {
				session.notify(Dbm.NOTIFY_WAITING, fields);
				trace("told the client of " + user + " on its RSE session: debug session of job " + fields.get(Dbm.F_JOB)
						+ " waits on " + fields.get(Dbm.F_SYSTEM) + ", CLIENT port " + fields.get(Dbm.F_PORT));
			} catch (IOException e) {
				log.log(System.Logger.Level.DEBUG, "Debug Miner " + system + ": notifying " + session + ": "
						+ e.getMessage());
			}
		}
	}

	private static void close(Socket s) {
		try {
			s.close();
		} catch (IOException e) {
			// closing: nothing more to say
		}
	}
}
