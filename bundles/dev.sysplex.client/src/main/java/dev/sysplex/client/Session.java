package dev.sysplex.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;
import dev.sysplex.protocol.ProtocolException;
import dev.sysplex.protocol.Rse;

/**
 * One logged-on RSE session on one connection to an RSE server (protocol version 2). It says which
 * system it runs on, whether it is encrypted and on which server port, and carries the host's
 * notifications to its listeners. Requests are numbered: any number may be in flight at once, from
 * any threads, and each waits for the answer with its own number, within its own timeout; an answer
 * that comes after its request timed out is dropped, and one with a number no request had is a
 * protocol error that ends the session.
 * <p>
 * A session does not reconnect: when its connection drops it ends ({@link Ending.Kind#LOST}), and a
 * {@link Connection} (which owns the reconnect) logs on again through the DVIPA with a new session.
 */
public final class Session implements Closeable {

	/** What the session tells about itself; called from the session's reader thread, one call at a time. */
	public interface Listener {
		/** A NOTIFY from the host, for example kind "debug.waiting". */
		default void notification(String kind, Map<String, String> fields) {
		}

		/** The session is gone for good; told once. */
		default void ended(Ending ending) {
		}
	}

	/** How a session ended: {@code cause} is null when nothing went wrong. */
	public record Ending(Kind kind, String reason, IOException cause) {
		public enum Kind {
			/** The client logged off and the host confirmed it. */
			LOGGED_OFF,
			/** The client closed the connection (without logging off). */
			CLOSED,
			/** The host ended the session (idle timeout, shutdown), saying why. */
			ENDED_BY_HOST,
			/** The connection dropped or stopped answering: logging on again may help. */
			LOST,
			/** The host broke the protocol or refused the session: logging on again does not help. */
			PROTOCOL
		}
	}

	/** One connection to an RSE server; {@code certificateSha256} is null when it is not encrypted. */
	record Link(Socket socket, InputStream in, OutputStream out, String system, int port, boolean encrypted,
			String certificateSha256) {
	}

	private final RseConnector connector;
	private final String host;
	private final int daemonPort;
	private final String user;
	private final Link link;
	private volatile boolean closing;
	private volatile boolean ended;
	private volatile boolean started;
	private final List<Listener> listeners = new CopyOnWriteArrayList<>();
	private final Map<Long, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();
	private final AtomicLong lastId = new AtomicLong();
	private final AtomicLong lateAnswers = new AtomicLong();

	/** Not reading yet: the owner installs the session and then calls {@link #start()}. */
	Session(RseConnector connector, String host, int daemonPort, String user, Link link, List<Listener> first) {
		this.connector = connector;
		this.host = host;
		this.daemonPort = daemonPort;
		this.user = user;
		this.link = link;
		listeners.addAll(first);
	}

	/**
	 * Starts reading the host's messages. Until then what the host sends waits in the socket, so a
	 * notification sent right after the ticket was accepted reaches the listeners given at creation.
	 */
	Session start() {
		synchronized (this) {
			if (started) {
				return this;
			}
			started = true;
		}
		Thread.ofVirtual().name("RSE session " + user + "@" + link.system()).start(this::read);
		return this;
	}

	public String host() {
		return host;
	}

	public int daemonPort() {
		return daemonPort;
	}

	public String user() {
		return user;
	}

	/** The system the session runs on. */
	public String system() {
		return link.system();
	}

	/** The RSE server's port (on the DVIPA). */
	public int serverPort() {
		return link.port();
	}

	public boolean encrypted() {
		return link.encrypted();
	}

	/**
	 * The SHA-256 fingerprint of the certificate the encrypted session trusted (pinned or trusted
	 * once); a debug link of this session accepts the Debug Manager's certificate only if it is the same.
	 */
	public java.util.Optional<String> certificateSha256() {
		return java.util.Optional.ofNullable(link.certificateSha256());
	}

	public boolean isOpen() {
		return !ended;
	}

	/** Adds a listener; it hears what the host sends from now on (give listeners to connect to hear everything). */
	public void addListener(Listener l) {
		listeners.add(l);
	}

	public void removeListener(Listener l) {
		listeners.remove(l);
	}

	/** How many answers came after their request had timed out (and were dropped). */
	public long lateAnswers() {
		return lateAnswers.get();
	}

	/** How many requests wait for their answer now. */
	public int inFlight() {
		return pending.size();
	}

	/** Round trip to the RSE server. */
	public Duration ping() throws IOException {
		long t0 = System.nanoTime();
		call(Message.of(Rse.PING), Rse.PONG);
		return Duration.ofNanos(System.nanoTime() - t0);
	}

	/** The host's view of the session: system, user, port, encrypted. */
	public Map<String, String> whoami() throws IOException {
		Map<String, String> fields = new java.util.LinkedHashMap<>(call(Message.of(Rse.WHOAMI), Rse.SESSION)
				.fields());
		fields.remove(Rse.F_ID);
		return fields;
	}

	/**
	 * Sends a request with the next id and waits for its answer, at most the read timeout. A FAILED
	 * answer is returned as it came (the caller says what it means).
	 */
	private Message request(Message.Builder b) throws IOException {
		long id = lastId.incrementAndGet();
		Message m = b.with(Rse.F_ID, id).build();
		CompletableFuture<Message> f = new CompletableFuture<>();
		pending.put(id, f);
		Duration timeout = connector.options().readTimeout;
		try {
			if (ended) {
				throw new ConnectException(ConnectStep.SESSION, endpoint(), system(), null, "the session has ended",
						"log on again", null);
			}
			send(m);
			return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		} catch (TimeoutException e) {
			throw new ConnectException(ConnectStep.SESSION, endpoint(), system(), null, "no answer to " + m.type()
					+ " (request " + id + ") within " + timeout.toMillis() / 1000.0 + " s; the request was sent and "
					+ "may still be carried out", "the connection may be dead; reconnect, then look whether it was",
					e);
		} catch (ExecutionException e) {
			throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while waiting for the answer to " + m.type() + " " + id, e);
		} finally {
			pending.remove(id, f);
		}
	}

	/** A request and its answer of {@code answerType} (a FAILED answer is thrown as the host's refusal). */
	private Message call(Message.Builder b, String answerType) throws IOException {
		return expect(request(b), answerType);
	}

	/** The answer if it has the expected type; FAILED is the host's refusal; anything else breaks the protocol. */
	private Message expect(Message answer, String type) throws IOException {
		if (answer.is(type)) {
			return answer;
		}
		if (answer.is(Rse.FAILED)) {
			Rse.Status status = Rse.Status.of(answer.get(Rse.F_STATUS).orElse(""));
			throw new ConnectException(ConnectStep.SESSION, endpoint(), answer.get(Rse.F_SYSTEM).orElse(system()),
					status, answer.get(Rse.F_MESSAGE).orElse("refused"), status == Rse.Status.JOB
							? "check the program name, the runtime options and the system"
							: status == Rse.Status.BUSY ? "wait for the answers of the requests in progress, then try again"
									: "try again; if it persists, check the RSE server's log on the host",
					null);
		}
		ProtocolException p = new ProtocolException("the RSE server on " + system() + " answered request "
				+ answer.get(Rse.F_ID).orElse("?") + " with " + answer.type() + " where " + type + " was due");
		broken(p);
		throw p;
	}

	private void send(Message m) throws IOException {
		Link l = link;
		synchronized (l.out()) {
			Frames.write(l.out(), m, Rse.MAX_FRAME);
		}
	}

	private String endpoint() {
		return host + ":" + link.port();
	}

	/** A submitted job: its id and the system it runs on. */
	public record SubmittedJob(String id, String system) {
	}

	/**
	 * Submits a job (a program in the host's jobs/ directory) with runtime options such as
	 * TEST(,,,DBMDT%userid); {@code affinity} names a system, or null for the host's choice.
	 */
	public SubmittedJob submit(String program, String args, String options, String affinity) throws IOException {
		Message.Builder b = Message.of(Rse.SUBMIT).with(Rse.F_PROGRAM, program).with(Rse.F_ARGS, args == null ? "" : args)
				.with(Rse.F_OPTIONS, options == null ? "" : options);
		if (affinity != null) {
			b.with(Rse.F_AFFINITY, affinity);
		}
		Message m = call(b, Rse.SUBMITTED);
		return new SubmittedJob(m.require(Rse.F_JOB), m.require(Rse.F_SYSTEM));
	}

	/** The user's jobs, one line each: id, program, system, state, rc. */
	public List<String> jobs() throws IOException {
		Message m = call(Message.of(Rse.JOBS), Rse.JOBLIST);
		int n = m.requireInt(Rse.F_COUNT, 0, 100_000);
		List<String> lines = new java.util.ArrayList<>();
		for (int i = 0; i < n; i++) {
			lines.add(m.require("job." + i));
		}
		return lines;
	}

	/** A job's output so far (the end of it when long: as much as one frame carries). */
	public String output(String job) throws IOException {
		return call(Message.of(Rse.OUTPUT).with(Rse.F_JOB, job), Rse.JOBOUTPUT).require(Rse.F_TEXT);
	}

	/**
	 * A piece of a job's output: characters {@code from} (inclusive) to {@code to} (exclusive) of the
	 * {@code size} written so far.
	 */
	public record OutputPiece(String text, int from, int to, int size) {
		/** True when the piece reaches the end of what the job has written so far. */
		public boolean last() {
			return to >= size;
		}
	}

	/** The job's output from character {@code from} on, as much as one frame carries; read on from {@code to()}. */
	public OutputPiece output(String job, int from) throws IOException {
		Message m = call(Message.of(Rse.OUTPUT).with(Rse.F_JOB, job).with(Rse.F_FROM, from), Rse.JOBOUTPUT);
		return new OutputPiece(m.require(Rse.F_TEXT), m.requireInt(Rse.F_FROM, 0, Integer.MAX_VALUE),
				m.requireInt(Rse.F_TO, 0, Integer.MAX_VALUE), m.requireInt(Rse.F_SIZE, 0, Integer.MAX_VALUE));
	}

	/** What CANCEL did: the job's state after it (CANCELED, or the state it had already ended in). */
	public record Canceled(String job, String system, String state, java.util.Optional<Integer> rc, String message) {
		/** True when this request canceled the job (it had not ended before). */
		public boolean canceled() {
			return message.isEmpty();
		}
	}

	/** Cancels one of the user's jobs: its JVM is ended, and it ends CANCELED (with no return code). */
	public Canceled cancel(String job) throws IOException {
		Message m = call(Message.of(Rse.CANCEL).with(Rse.F_JOB, job), Rse.CANCELED);
		return new Canceled(m.require(Rse.F_JOB), m.require(Rse.F_SYSTEM), m.require(Rse.F_STATE),
				m.get(Rse.F_RC).map(Integer::parseInt), m.get(Rse.F_MESSAGE).orElse(""));
	}

	/** Logs off: the RSE server ends the session (and the connection is closed in any case). */
	public void logoff() throws IOException {
		if (ended) {
			return;
		}
		closing = true;
		try {
			call(Message.of(Rse.LOGOFF), Rse.BYE);
		} finally {
			close();
		}
	}

	/** Closes the connection without logging off (the host ends the session when it sees it go). */
	@Override
	public void close() {
		closing = true;
		RseConnector.closeQuietly(link.socket());
		end(new Ending(Ending.Kind.CLOSED, "closed by the client", null));
	}

	private void end(Ending ending) {
		synchronized (this) {
			if (ended) {
				return;
			}
			ended = true;
		}
		IOException failure = ending.cause() != null ? ending.cause()
				: new ConnectException(ConnectStep.SESSION, endpoint(), system(), null, "the session ended before the "
						+ "answer came (" + ending.reason() + ")", "log on again", null);
		pending.values().forEach(f -> f.completeExceptionally(failure));
		listeners.forEach(l -> l.ended(ending));
	}

	/** The host broke the protocol: the session ends, and reconnecting will not mend it. */
	private void broken(IOException why) {
		RseConnector.closeQuietly(link.socket());
		end(new Ending(Ending.Kind.PROTOCOL, why.getMessage(), why));
	}

	private void read() {
		Link l = link;
		try {
			while (!ended) {
				Message m = Frames.read(l.in(), Rse.MAX_FRAME);
				if (m == null) {
					lost(new IOException("the RSE server on " + l.system() + " closed the connection"));
					return;
				}
				if (!dispatch(m)) {
					return;
				}
			}
		} catch (ProtocolException e) {
			broken(new ProtocolException("the RSE server on " + l.system() + " sent a malformed message: "
					+ e.getMessage()));
		} catch (IOException e) {
			lost(e);
		}
	}

	/** Handles one message from the host; false when the session has ended. */
	private boolean dispatch(Message m) {
		String id = m.get(Rse.F_ID).orElse(null);
		switch (m.type()) {
		case Rse.NOTIFY -> {
			String kind = m.get(Rse.F_KIND).orElse("");
			Map<String, String> fields = new java.util.LinkedHashMap<>(m.fields());
			fields.remove(Rse.F_KIND);
			for (Listener x : listeners) {
				try {
					x.notification(kind, fields);
				} catch (RuntimeException e) {
					connector.options().trace.accept("a listener failed on the notification " + kind + ": " + e);
				}
			}
			return true;
		}
		case Rse.BYE -> {
			CompletableFuture<Message> logoff = null;
			if (id != null) {
				logoff = pending.remove(parseId(id));
				if (logoff == null && !answer(id, m)) {
					return false; // an id no request had: ended as a protocol error
				} // else the logoff's answer, or a late one (the logoff timed out): the host ended the session
			}
			closing = true;
			RseConnector.closeQuietly(link.socket());
			String why = m.get(Rse.F_MESSAGE).orElse("ended by the host");
			// ended as LOGGED_OFF before the logoff hears its answer (which then closes a closed session)
			end(new Ending(id != null ? Ending.Kind.LOGGED_OFF : Ending.Kind.ENDED_BY_HOST, why, null));
			if (logoff != null) {
				logoff.complete(m);
			}
			return false;
		}
		case Rse.FAILED -> {
			if (id == null) { // the host's refusal of the session itself, not of one request
				broken(new ConnectException(ConnectStep.SESSION, endpoint(), m.get(Rse.F_SYSTEM).orElse(system()),
						Rse.Status.of(m.get(Rse.F_STATUS).orElse("")), "the RSE server ended the session: "
								+ m.get(Rse.F_MESSAGE).orElse(m.toString()),
						"log on again; if it persists, the client and the host may disagree about the protocol", null));
				return false;
			}
			return answer(id, m);
		}
		case Rse.PONG, Rse.SESSION, Rse.SUBMITTED, Rse.JOBLIST, Rse.JOBOUTPUT, Rse.CANCELED -> {
			if (id == null) {
				broken(new ProtocolException("the RSE server on " + system() + " sent " + m.type() + " without "
						+ Rse.F_ID + "= (an answer of version " + Rse.VERSION + " names its request)"));
				return false;
			}
			return answer(id, m);
		}
		default -> {
			broken(new ProtocolException("the RSE server on " + system() + " sent " + m.type()
					+ ", which is not part of version " + Rse.VERSION + " of the session protocol"));
			return false;
		}
		}
	}

	/**
	 * Gives an answer to the request with its id. One whose request timed out is dropped; an id this
	 * session never sent ends the session: false then.
	 */
	private boolean answer(String id, Message m) {
		long n = parseId(id);
		CompletableFuture<Message> f = n > 0 ? pending.remove(n) : null;
		if (f != null) {
			f.complete(m);
			return true;
		}
		if (n > 0 && n <= lastId.get()) {
			lateAnswers.incrementAndGet();
			connector.options().trace.accept("the answer " + m.type() + " to request " + n + " came after the "
					+ "request had timed out; dropped");
			return true;
		}
		broken(new ProtocolException("the RSE server on " + system() + " sent " + m.type() + " with " + Rse.F_ID
				+ "=" + abbreviate(id) + ", which no request of this session had"));
		return false;
	}

	/** The id as a number; -1 when it is none. */
	private static long parseId(String id) {
		try {
			return Long.parseLong(id);
		} catch (NumberFormatException e) {
			return -1;
		}
	}

	private static String abbreviate(String s) {
		return s.length() > 24 ? s.substring(0, 24) + "..." : s;
	}

	private void lost(IOException why) {
		RseConnector.closeQuietly(link.socket());
		if (closing) {
			end(new Ending(Ending.Kind.CLOSED, "closed by the client", null));
		} else {
			end(new Ending(Ending.Kind.LOST, "the connection to the RSE server on " + system() + " was lost: "
					+ why.getMessage(), why));
		}
	}

	@Override
	public String toString() {
		return user + "@" + system() + " via " + host + ":" + daemonPort + ", RSE server port " + serverPort()
				+ (encrypted() ? ", encrypted" : ", NOT encrypted");
	}
}
