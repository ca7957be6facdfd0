package dev.sysplex.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;

import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;

/**
 * The debug handoff: turns a "debug session waiting" notification into a connected stream to the
 * debug engine, through the DVIPA and the waiting Debug Manager's unique CLIENT port. After
 * {@link #open} the socket carries the engine's own protocol (JDWP for a Java job): the caller
 * does the JDWP handshake and drives the session with any JDI, the JDK's or Eclipse's.
 */
public final class DebugLink {

	/** A linked debug session: the socket to the engine, and what the Debug Manager said about it. */
	public record Linked(Socket socket, InputStream in, OutputStream out, String job, String system, String user) {
	}

	/** What a "debug.waiting" notification carries. */
	public record Waiting(String job, String system, int port, String token, String user) {

		/** Reads a notification's fields; throws IllegalArgumentException when one is missing. */
		public static Waiting of(Map<String, String> fields) {
			try {
				return new Waiting(req(fields, Dbm.F_JOB), req(fields, Dbm.F_SYSTEM),
						Integer.parseInt(req(fields, Dbm.F_PORT)), req(fields, Dbm.F_TOKEN), req(fields, Dbm.F_USER));
			} catch (NumberFormatException e) {
				throw new IllegalArgumentException("the notification's port is not a number: " + fields.get(Dbm.F_PORT));
			}
		}

		private static String req(Map<String, String> f, String key) {
			String v = f.get(key);
			if (v == null) {
				throw new IllegalArgumentException("the debug notification lacks '" + key + "'");
			}
			return v;
		}
	}

	private DebugLink() {
	}

	/**
	 * Connects to {@code host} (the DVIPA, as for the RSE login) at the waiting DBM's CLIENT port and
	 * presents the session token. On success the returned socket has no read timeout.
	 */
	public static Linked open(String host, Waiting waiting, Duration timeout) throws ConnectException {
		String endpoint = host + ":" + waiting.port();
		Socket s = new Socket();
		try {
			s.connect(new InetSocketAddress(host, waiting.port()), (int) timeout.toMillis());
		} catch (java.net.ConnectException e) {
			RseConnector.closeQuietly(s);
			throw new ConnectException(ConnectStep.DEBUG_CONNECT, endpoint, null, null,
					"connection refused: no Debug Manager listens on port " + waiting.port() + " of the DVIPA",
					"check that DBGMGR runs on " + waiting.system() + " with CLIENT=" + waiting.port()
							+ " and that the DVIPA's VIPADISTRIBUTE PORT lists " + waiting.port(),
					e);
		} catch (IOException e) {
			// reset while connecting: the distributor accepted, then found no Debug Manager for the port
			RseConnector.closeQuietly(s);
			throw noDebugManager(endpoint, waiting, e);
		}
		try {
			s.setSoTimeout((int) timeout.toMillis());
			s.setTcpNoDelay(true);
			OutputStream out = s.getOutputStream();
			InputStream in = s.getInputStream();
			Frames.write(out, Message.of(Dbm.LINK).with(Dbm.F_TOKEN, waiting.token()).build());
			Message answer = Frames.read(in, Dbm.MAX_FRAME);
			if (answer == null) {
				throw new IOException("the connection was closed before the Debug Manager answered");
			}
			String answeredBy = answer.get(Dbm.F_SYSTEM).orElse(null);
			if (answer.is(Dbm.FAILED)) {
				Dbm.Status status = Dbm.Status.of(answer.get(Dbm.F_STATUS).orElse(""));
				RseConnector.closeQuietly(s);
				if (status == Dbm.Status.TOKEN_INVALID && answeredBy != null && !answeredBy.equals(waiting.system())) {
					throw new ConnectException(ConnectStep.DEBUG_LINK, endpoint, answeredBy, null,
							"port " + waiting.port() + " reached the Debug Manager of " + answeredBy
									+ ", but the session waits on " + waiting.system(),
							"list " + waiting.port() + " in the DVIPA's VIPADISTRIBUTE PORT so that it reaches "
									+ waiting.system() + " (a port that is not distributed reaches only the DVIPA's "
									+ "owner), and give every Debug Manager its own CLIENT port (CLIENT=53&SYSCLONE or "
									+ "CLIENT=&EQADBM)",
							null);
				}
				throw new ConnectException(ConnectStep.DEBUG_LINK, endpoint, answeredBy, null,
						status + ": " + answer.get(Dbm.F_MESSAGE).orElse(""),
						status == Dbm.Status.TOKEN_EXPIRED ? "wait for the new notification the host sends"
								: "start the job again",
						null);
			}
			if (!answer.is(Dbm.LINKED)) {
				throw new IOException("expected " + Dbm.LINKED + ", got " + answer.type());
			}
			s.setSoTimeout(0);
			return new Linked(s, in, out, answer.get(Dbm.F_JOB).orElse(waiting.job()),
					answeredBy == null ? waiting.system() : answeredBy, answer.get(Dbm.F_USER).orElse(waiting.user()));
		} catch (ConnectException e) {
			throw e;
		} catch (SocketTimeoutException e) {
			RseConnector.closeQuietly(s);
			throw new ConnectException(ConnectStep.DEBUG_LINK, endpoint, null, null, "the Debug Manager did not answer "
					+ "within " + timeout.toSeconds() + " s", "check DBGMGR on " + waiting.system(), e);
		} catch (IOException e) {
			RseConnector.closeQuietly(s);
			throw noDebugManager(endpoint, waiting, e);
		}
	}

	private static ConnectException noDebugManager(String endpoint, Waiting waiting, IOException e) {
		return new ConnectException(ConnectStep.DEBUG_LINK, endpoint, null, null, "no Debug Manager answered on port "
				+ waiting.port() + " (" + e.getMessage() + "): the connection reached a system where none listens on it",
				"list " + waiting.port() + " in the DVIPA's VIPADISTRIBUTE PORT so that it reaches " + waiting.system()
						+ " (a port that is not distributed reaches only the DVIPA's owner)",
				e);
	}
}
