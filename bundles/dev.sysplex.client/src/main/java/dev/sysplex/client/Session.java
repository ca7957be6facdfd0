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
import dev.sysplex.protocol.Rse;

/**
 * A logged-on RSE session. It says which system it runs on, whether it is encrypted and on which
 * server port; it carries the host's notifications to its listeners. When the connection drops,
 * it logs on again through the DVIPA (with backoff, a bounded number of times), which may land on
 * another system, and tells its listeners so.
 */
public final class Session implements Closeable {

	/** What the session tells about itself. */
	public interface Listener {
		/** A NOTIFY from the host, for example kind "debug.waiting". */
		default void notification(String kind, Map<String, String> fields) {
		}

		/** The connection dropped and the session logged on again, maybe on another system. */
		default void reconnected(String previousSystem, String system) {
		}

		/** The session is gone for good: logged off, ended by the host, or reconnecting failed. */
		default void ended(String reason, IOException cause) {
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
	private final EncryptionPolicy policy;
	private char[] password;
	private volatile Link link;
	private volatile boolean closing;
	private volatile boolean ended;
	private final List<Listener> listeners = new CopyOnWriteArrayList<>();
	private final Map<String, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();
	private final AtomicLong seq = new AtomicLong();

	Session(RseConnector connector, String host, int daemonPort, String user, char[] password, EncryptionPolicy policy,
			Link link, List<Listener> first) {
		this.connector = connector;
		this.host = host;
		this.daemonPort = daemonPort;
		this.user = user;
		this.password = password;
		this.policy = policy;
		this.link = link;
		listeners.addAll(first); // before the reader starts: nothing the host sends first is missed
		startReader(link);
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

	/** The system the session runs on now. */
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

	public void addListener(Listener l) {
		listeners.add(l);
	}

	public void removeListener(Listener l) {
		listeners.remove(l);
	}

	/** Round trip to the RSE server. */
	public Duration ping() throws IOException {
		long t0 = System.nanoTime();
		String n = Long.toString(seq.incrementAndGet());
		request("PONG:" + n, Message.of(Rse.PING).with(Rse.F_SEQ, n).build());
		return Duration.ofNanos(System.nanoTime() - t0);
	}

	/** The host's view of the session: system, user, port, encrypted. */
	public Map<String, String> whoami() throws IOException {
		return request(Rse.SESSION, Message.of(Rse.WHOAMI).build()).fields();
	}

	private Message request(String key, Message m) throws IOException {
		CompletableFuture<Message> f = new CompletableFuture<>();
		if (pending.putIfAbsent(key, f) != null) {
			throw new IOException("another " + m.type() + " is still waiting for its answer");
		}
		try {
			send(m);
			return f.get(connector.options().readTimeout.toMillis(), TimeUnit.MILLISECONDS);
		} catch (TimeoutException e) {
			throw new ConnectException(ConnectStep.SESSION, endpoint(), system(), null, "no answer to " + m.type()
					+ " within " + connector.options().readTimeout.toSeconds() + " s", "the connection may be dead; "
							+ "reconnect", e);
		} catch (ExecutionException e) {
			throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", e);
		} finally {
			pending.remove(key, f);
		}
	}

	private void send(Message m) throws IOException {
		Link l = link;
		if (ended) {
			throw new ConnectException(ConnectStep.SESSION, endpoint(), l.system(), null, "the session has ended",
					"log on again", null);
		}
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
		Message m = jobRequest(b.build());
		return new SubmittedJob(m.require(Rse.F_JOB), m.require(Rse.F_SYSTEM));
	}

	/** The user's jobs, one line each: id, program, system, state, rc. */
	public List<String> jobs() throws IOException {
		Message m = jobRequest(Message.of(Rse.JOBS).build());
		int n = m.requireInt(Rse.F_COUNT, 0, 100_000);
		List<String> lines = new java.util.ArrayList<>();
		for (int i = 0; i < n; i++) {
			lines.add(m.require("job." + i));
		}
		return lines;
	}

	/** A job's output so far (the end of it when long: as much as one frame carries). */
	public String output(String job) throws IOException {
		return jobRequest(Message.of(Rse.OUTPUT).with(Rse.F_JOB, job).build()).require(Rse.F_TEXT);
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
		Message m = jobRequest(Message.of(Rse.OUTPUT).with(Rse.F_JOB, job).with(Rse.F_FROM, from).build());
		return new OutputPiece(m.require(Rse.F_TEXT), m.requireInt(Rse.F_FROM, 0, Integer.MAX_VALUE),
				m.requireInt(Rse.F_TO, 0, Integer.MAX_VALUE), m.requireInt(Rse.F_SIZE, 0, Integer.MAX_VALUE));
	}

	/**
	 * Job requests share one answer slot (the protocol does not number them), so callers take
	 * turns: a list refresh and a submit from two threads wait for each other, at most a read
	 * timeout, instead of one of them failing.
	 */
	private final java.util.concurrent.locks.ReentrantLock jobTurn = new java.util.concurrent.locks.ReentrantLock();

	private Message jobRequest(Message m) throws IOException {
		try {
			if (!jobTurn.tryLock(connector.options().readTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new ConnectException(ConnectStep.SESSION, endpoint(), system(), null, "another job request on "
						+ "this session got no answer within " + connector.options().readTimeout.toSeconds() + " s",
						"the connection may be dead; reconnect", null);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", e);
		}
		try {
			return jobAnswer(m);
		} finally {
			jobTurn.unlock();
		}
	}

	private Message jobAnswer(Message m) throws IOException {
		Message answer = request(JOB_KEY, m);
		if (answer.is(Rse.FAILED)) {
			throw new ConnectException(ConnectStep.SESSION, endpoint(), answer.get(Rse.F_SYSTEM).orElse(system()),
					Rse.Status.of(answer.get(Rse.F_STATUS).orElse("")), answer.get(Rse.F_MESSAGE).orElse("refused"),
					"check the program name, the runtime options and the system", null);
		}
		return answer;
	}

	private static final String JOB_KEY = "JOB";

	/** Logs off: the RSE server ends the session. */
	public void logoff() throws IOException {
		closing = true;
		try {
			request(Rse.BYE, Message.of(Rse.LOGOFF).build());
		} finally {
			close();
		}
	}

	/** Closes the connection without logging off (the host ends the session when it sees it go). */
	@Override
	public void close() {
		closing = true;
		RseConnector.closeQuietly(link.socket());
		end("closed by the client", null);
	}

	private synchronized void end(String reason, IOException cause) {
		if (ended) {
			return;
		}
		ended = true;
		RseConnector.clear(password);
		password = null;
		IOException failure = cause != null ? cause : new IOException("the session " + reason);
		pending.values().forEach(f -> f.completeExceptionally(failure));
		listeners.forEach(l -> l.ended(reason, cause));
	}

	private void startReader(Link l) {
		Thread.ofVirtual().name("RSE session " + user + "@" + l.system()).start(() -> read(l));
	}

	private void read(Link l) {
		IOException failure;
		try {
			while (true) {
				Message m = Frames.read(l.in(), Rse.MAX_FRAME);
				if (m == null) {
					failure = new IOException("the RSE server on " + l.system() + " closed the connection");
					break;
				}
				switch (m.type()) {
				case Rse.PONG -> complete("PONG:" + m.get(Rse.F_SEQ).orElse(""), m);
				case Rse.SESSION -> complete(Rse.SESSION, m);
				case Rse.SUBMITTED, Rse.JOBLIST, Rse.JOBOUTPUT -> complete(JOB_KEY, m);
				case Rse.FAILED -> {
					if (Rse.Status.of(m.get(Rse.F_STATUS).orElse("")) == Rse.Status.JOB) {
						complete(JOB_KEY, m);
					} else {
						failure = new IOException("the RSE server on " + l.system() + " refused: "
								+ m.get(Rse.F_MESSAGE).orElse(m.toString()));
						RseConnector.closeQuietly(l.socket());
						lost(l, failure);
						return;
					}
				}
				case Rse.BYE -> {
					complete(Rse.BYE, m);
					closing = true;
					RseConnector.closeQuietly(l.socket());
					end(m.get(Rse.F_MESSAGE).orElse("ended by the host"), null);
					return;
				}
				case Rse.NOTIFY -> {
					String kind = m.get(Rse.F_KIND).orElse("");
					Map<String, String> fields = new java.util.LinkedHashMap<>(m.fields());
					fields.remove(Rse.F_KIND);
					listeners.forEach(x -> x.notification(kind, fields));
				}
				default -> {
					failure = new IOException("the RSE server on " + l.system() + " sent " + m);
					RseConnector.closeQuietly(l.socket());
					lost(l, failure);
					return;
				}
				}
			}
		} catch (IOException e) {
			failure = e;
		}
		RseConnector.closeQuietly(l.socket());
		lost(l, failure);
	}

	private void complete(String key, Message m) {
		CompletableFuture<Message> f = pending.get(key);
		if (f != null) {
			f.complete(m);
		}
	}

	/** The connection dropped: log on again through the DVIPA, or end. */
	private void lost(Link old, IOException why) {
		if (closing || ended) {
			end("closed", null);
			return;
		}
		pending.values().forEach(f -> f.completeExceptionally(why));
		RseConnector.Options o = connector.options();
		if (!o.autoReconnect || password == null) {
			end("connection to " + old.system() + " lost", why);
			return;
		}
		Duration backoff = o.reconnectBackoff;
		ConnectException last = null;
		for (int attempt = 1; attempt <= o.reconnectAttempts && !closing; attempt++) {
			try {
				Thread.sleep(backoff.toMillis());
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
			o.trace.accept("reconnecting through " + host + ":" + daemonPort + " (attempt " + attempt + " of "
					+ o.reconnectAttempts + ") after: " + why.getMessage());
			try {
				Link fresh = connector.login(host, daemonPort, user, password, policy);
				link = fresh;
				startReader(fresh);
				listeners.forEach(x -> x.reconnected(old.system(), fresh.system()));
				o.trace.accept("reconnected: the session now runs on " + fresh.system()
						+ (fresh.system().equals(old.system()) ? "" : " (was " + old.system() + ")"));
				return;
			} catch (ConnectException e) {
				last = e;
				if (e.step() == ConnectStep.AUTHENTICATION) {
					break; // a refused logon does not get better by retrying (and may revoke the user)
				}
			}
			backoff = backoff.multipliedBy(2).compareTo(o.reconnectMaxBackoff) > 0 ? o.reconnectMaxBackoff
					: backoff.multipliedBy(2);
		}
		end("connection to " + old.system() + " lost and reconnecting failed", last != null ? last : why);
	}

	@Override
	public String toString() {
		return user + "@" + system() + " via " + host + ":" + daemonPort + ", RSE server port " + serverPort()
				+ (encrypted() ? ", encrypted" : ", NOT encrypted");
	}
}
