package dev.sysplex.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;
import dev.sysplex.protocol.Rse;

/**
 * An RSE daemon and server that the test scripts, over real sockets on loopback: it does what a
 * test needs at the moment the test wants (answers out of order, late, with an id nobody sent, holds
 * a logon half-way), which the real host side never does on purpose. The real host side drives the
 * same client in the host bundle's tests (SessionProtocolTest, RseLoginTest, SystemFaultTest); this
 * bundle cannot depend on it (the host's tools depend on the client).
 */
final class ScriptedHost implements Closeable {

	/** What the daemon does with one LOGON: answer it (a message), or hold it (null: the test decides later). */
	@FunctionalInterface
	interface Daemon {
		Message answer(int logon, Message request, Socket connection) throws IOException;
	}

	/** One accepted session on the server port, after SESSION was sent; the test speaks for the host. */
	static final class Peer implements Closeable {
		final Socket socket;
		final InputStream in;
		final OutputStream out;

		Peer(Socket socket) throws IOException {
			this.socket = socket;
			this.in = socket.getInputStream();
			this.out = socket.getOutputStream();
		}

		/** The client's next message, within 10 s; null when it closed the connection. */
		Message read() throws IOException {
			socket.setSoTimeout(10_000);
			return Frames.read(in, Rse.MAX_FRAME);
		}

		void send(Message m) throws IOException {
			synchronized (out) {
				Frames.write(out, m, Rse.MAX_FRAME);
			}
		}

		/** Answers {@code request} with {@code type} and its id, plus fields. */
		void answer(Message request, String type, String... fields) throws IOException {
			Message.Builder b = Message.of(type).with(Rse.F_ID, request.get(Rse.F_ID).orElseThrow());
			for (int i = 0; i + 1 < fields.length; i += 2) {
				b.with(fields[i], fields[i + 1]);
			}
			send(b.build());
		}

		@Override
		public void close() throws IOException {
			socket.close();
		}
	}

	final String host = InetAddress.getLoopbackAddress().getHostAddress();
	private final ServerSocket daemon = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
	private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
	final AtomicInteger logons = new AtomicInteger();
	final AtomicInteger tickets = new AtomicInteger();
	final BlockingQueue<Peer> sessions = new LinkedBlockingQueue<>();
	/** Connections whose LOGON the daemon holds unanswered (the script returned null). */
	final BlockingQueue<Socket> held = new LinkedBlockingQueue<>();
	/** Connections to the server port whose TICKET is held unanswered (see {@link #holdTickets}). */
	final BlockingQueue<Socket> heldTickets = new LinkedBlockingQueue<>();
	volatile boolean holdTickets;
	/** Sent right after SESSION, before the test sees the session: what a host announces at logon. */
	volatile List<Message> afterSession = List.of();
	private volatile Daemon script = (n, m, s) -> connected(n);
	private final List<Socket> open = new CopyOnWriteArrayList<>();

	ScriptedHost() throws IOException {
		Thread.ofVirtual().start(this::runDaemon);
		Thread.ofVirtual().start(this::runServer);
	}

	int daemonPort() {
		return daemon.getLocalPort();
	}

	void script(Daemon d) {
		script = d;
	}

	/** CONNECTED with the server's port and a ticket. */
	Message connected(int logon) {
		return Message.of(Rse.CONNECTED).with(Rse.F_PORT, server.getLocalPort()).with(Rse.F_TICKET, "T" + logon)
				.with(Rse.F_SYSTEM, "SYS" + logon).build();
	}

	static Message failed(Rse.Status status, String message) {
		return Message.of(Rse.FAILED).with(Rse.F_STATUS, status.name()).with(Rse.F_MESSAGE, message).build();
	}

	/** The next session, within 10 s. */
	Peer session() throws InterruptedException {
		Peer p = sessions.poll(10, TimeUnit.SECONDS);
		if (p == null) {
			throw new AssertionError("no session reached the scripted host within 10 s");
		}
		return p;
	}

	/** Stops answering at the daemon port: logons are refused. */
	void stopDaemon() throws IOException {
		daemon.close();
	}

	private void runDaemon() {
		while (!daemon.isClosed()) {
			try {
				Socket s = daemon.accept();
				open.add(s);
				Thread.ofVirtual().start(() -> logon(s));
			} catch (IOException e) {
				return;
			}
		}
	}

	private void logon(Socket s) {
		try {
			s.setSoTimeout(10_000);
			Message m = Frames.read(s.getInputStream(), Rse.MAX_FRAME);
			if (m == null) {
				s.close();
				return;
			}
			Message answer = script.answer(logons.incrementAndGet(), m, s);
			if (answer == null) {
				held.add(s);
				return;
			}
			Frames.write(s.getOutputStream(), answer);
			s.close();
		} catch (IOException e) {
			// the client went away
		}
	}

	private void runServer() {
		while (!server.isClosed()) {
			try {
				Socket s = server.accept();
				open.add(s);
				Thread.ofVirtual().start(() -> ticket(s));
			} catch (IOException e) {
				return;
			}
		}
	}

	private void ticket(Socket s) {
		try {
			s.setSoTimeout(10_000);
			Message m = Frames.read(s.getInputStream(), Rse.MAX_FRAME);
			if (m == null || !m.is(Rse.TICKET)) {
				s.close();
				return;
			}
			tickets.incrementAndGet();
			if (holdTickets) {
				heldTickets.add(s);
				return;
			}
			Peer p = new Peer(s);
			String system = "SYS" + m.get(Rse.F_TICKET).orElseThrow().substring(1);
			p.send(Message.of(Rse.SESSION).with(Rse.F_SYSTEM, system).with(Rse.F_USER, "ALICE")
					.with(Rse.F_PORT, server.getLocalPort()).with(Rse.F_ENCRYPTED, false).build());
			for (Message n : afterSession) {
				p.send(n);
			}
			sessions.add(p);
		} catch (IOException e) {
			// the client went away
		}
	}

	/** True when the client closed {@code s} (read returns end of stream) within 10 s. */
	static boolean closedByClient(Socket s) throws IOException {
		s.setSoTimeout(10_000);
		try {
			return s.getInputStream().read() < 0;
		} catch (SocketTimeoutException e) {
			return false;
		} catch (IOException e) {
			return true; // reset
		}
	}

	@Override
	public void close() throws IOException {
		daemon.close();
		server.close();
		for (Socket s : open) {
			s.close();
		}
	}
}
