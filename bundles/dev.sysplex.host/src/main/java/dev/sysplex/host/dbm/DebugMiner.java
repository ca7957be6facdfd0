package dev.sysplex.host.dbm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.sysplex.host.rse.RseDaemon;
import dev.sysplex.host.rse.RseSession;
import dev.sysplex.host.security.PassTickets;
import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;

/**
 * The Debug Miner inside one system's RSED: at logon it registers the user with the Debug
 * Manager of its own system (found through that system's name/token pair), presenting a PassTicket
 * RSED makes for the user it authenticated (as z/OS Explorer's RSE does for the automatic logon to
 * Debug Manager), and keeps the connection; a WAITING the DBM sends becomes a "debug.waiting" notification on the user's RSE
 * session. At logoff or session loss it closes the connection, which unregisters the user. When
 * the DBM goes away while the session lasts, it registers the user again once a DBM is back
 * (retrying with backoff for as long as the session lasts).
 */
public final class DebugMiner implements RseDaemon.Listener {

	private final String system;
	private final InetAddress home;
	private final NameTokens nameTokens;
	private final PassTickets tickets;
	private final Consumer<String> trace;
	private final Map<RseSession, Socket> links = new ConcurrentHashMap<>();
	private final System.Logger log = System.getLogger(DebugMiner.class.getName());

	public DebugMiner(String system, InetAddress home, NameTokens nameTokens, PassTickets tickets,
			Consumer<String> trace) {
		this.system = system;
		this.home = home;
		this.nameTokens = nameTokens;
		this.tickets = tickets;
		this.trace = trace;
	}

	private void trace(String event) {
		String line = "Debug Miner " + system + ": " + event;
		log.log(System.Logger.Level.DEBUG, line);
		trace.accept(line);
	}

	@Override
	public void loggedOn(RseSession session) {
		if (!register(session)) {
			Thread.ofVirtual().name("Debug Miner retry " + session).start(() -> retry(session));
		}
	}

	/** Registers again while the session lasts and no DBM has it, with backoff. */
	private void retry(RseSession session) {
		long backoff = 250;
		while (session.isConnected() && !links.containsKey(session)) {
			try {
				Thread.sleep(backoff);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
			if (session.isConnected() && register(session)) {
				return;
			}
			backoff = Math.min(backoff * 2, 4_000);
		}
	}

	private boolean register(RseSession session) {
		Optional<String> port = nameTokens.retrieve(Dbm.NAME_TOKEN);
		if (port.isEmpty()) {
			trace("no Debug Manager runs on " + system + " (no " + Dbm.NAME_TOKEN + " name/token): debug sessions for "
					+ session.user() + " cannot reach this client; start DBGMGR on every system where RSED runs");
			return false;
		}
		Socket s = new Socket();
		try {
			s.connect(new InetSocketAddress(home, Integer.parseInt(port.get())), 5_000);
			s.setSoTimeout(Dbm.HANDSHAKE_TIMEOUT_MS);
			String ticket = tickets.generate(session.user(), DebugManager.registrationApplication(system));
			Frames.write(s.getOutputStream(), Message.of(Dbm.REGISTER).with(Dbm.F_USER, session.user())
					.with(Dbm.F_PASSTICKET, ticket).build());
			Message reply = Frames.read(s.getInputStream(), Dbm.MAX_FRAME);
			if (reply == null || !reply.is(Dbm.REGISTERED)) {
				throw new IOException("the Debug Manager answered " + (reply != null && reply.is(Dbm.FAILED)
						? reply.get(Dbm.F_STATUS).orElse("") + ": " + reply.get(Dbm.F_MESSAGE).orElse("") : reply));
			}
			s.setSoTimeout(0);
			links.put(session, s);
			trace("registered " + session.user() + " with the Debug Manager of " + system + " (HOST port " + port.get()
					+ ", from the name/token pair)");
			Thread.ofVirtual().name("Debug Miner " + session).start(() -> listen(session, s));
			return true;
		} catch (IOException | NumberFormatException e) {
			trace("cannot register " + session.user() + " with the Debug Manager of " + system + " at HOST port "
					+ port.get() + ": " + e.getMessage());
			close(s);
			return false;
		}
	}

	private void listen(RseSession session, Socket s) {
		try {
			for (Message m; (m = Frames.read(s.getInputStream(), Dbm.MAX_FRAME)) != null;) {
				if (m.is(Dbm.WAITING)) {
					Map<String, String> fields = new LinkedHashMap<>(m.fields());
					session.notify(Dbm.NOTIFY_WAITING, fields);
					trace("told the client of " + session.user() + " on its RSE session: debug session of job "
							+ fields.get(Dbm.F_JOB) + " waits on " + fields.get(Dbm.F_SYSTEM) + ", CLIENT port "
							+ fields.get(Dbm.F_PORT));
				}
			}
		} catch (IOException e) {
			log.log(System.Logger.Level.DEBUG, "Debug Miner " + session + ": " + e.getMessage());
		} finally {
			boolean lost = links.remove(session, s);
			close(s);
			if (lost && session.isConnected()) {
				trace("the Debug Manager of " + system + " went away; registering " + session.user() + " again when it is back");
				retry(session);
			}
		}
	}

	@Override
	public void loggedOff(RseSession session) {
		Socket s = links.remove(session);
		if (s != null) {
			close(s); // the DBM unregisters the user when the connection ends
			trace("unregistered " + session.user() + " (logoff)");
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
