package dev.sysplex.host.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.sysplex.client.Session;
import dev.sysplex.host.json.Json;

/**
 * The client side of a session that `./sysplex session` holds open: one request per connection to
 * its Unix socket (in a directory only its user can enter), a JSON line each way, each bounded in
 * size and time. The server side is {@link SessionCommand}.
 */
final class HeldSession implements JobsApi {

	/** Largest request or answer line (an answer carries at most one frame of output). */
	static final int MAX_LINE = 256 * 1024;
	/** How long one request may take (a submit compiles the program). */
	static final int TIMEOUT_MS = 120_000;

	private final Path socket;
	private final String user;
	private final String system;

	private HeldSession(Path socket, String user, String system) {
		this.socket = socket;
		this.user = user;
		this.system = system;
	}

	/** Where the session of {@code user} at {@code host:port} keeps its socket. */
	static Path socketPath(String host, int port, String user) {
		String name = (user.toUpperCase(Locale.ROOT) + "@" + host + "_" + port).replaceAll("[^A-Za-z0-9@._-]", "_");
		return directory().resolve(name + ".sock");
	}

	/** ~/.sysplex/sessions (or SYSPLEX_SESSIONS, or the property sysplex.sessions), made rwx------ for its user. */
	static Path directory() {
		String dir = System.getProperty("sysplex.sessions", System.getenv("SYSPLEX_SESSIONS"));
		return dir != null && !dir.isBlank() ? Path.of(dir)
				: Path.of(System.getProperty("user.home"), ".sysplex", "sessions");
	}

	/** The held session of user@host:port, when one answers; empty when none runs. */
	static Optional<HeldSession> find(String host, int port, String user) {
		Path p = socketPath(host, port, user);
		if (!Files.exists(p) || !private_(p.getParent())) {
			return Optional.empty(); // a socket in a directory others can write to may be anyone's: log on instead
		}
		try {
			Map<String, Object> who = call(p, Map.of("op", "whoami"));
			return Optional.of(new HeldSession(p, (String) who.get("user"), (String) who.get("system")));
		} catch (IOException e) {
			return Optional.empty(); // a stale socket of a session that ended: log on anew
		}
	}

	/** True when {@code dir} belongs to this process's user and no one else may enter or change it. */
	static boolean private_(Path dir) {
		try {
			java.nio.file.attribute.PosixFileAttributes a = Files.readAttributes(dir,
					java.nio.file.attribute.PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
			return a.owner().getName().equals(System.getProperty("user.name")) && a.permissions().stream()
					.noneMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"));
		} catch (IOException | UnsupportedOperationException e) {
			return false;
		}
	}

	@Override
	public String user() {
		return user;
	}

	@Override
	public String system() {
		return system;
	}

	@Override
	public Session.SubmittedJob submit(String program, String args, String options, String affinity) throws IOException {
		Map<String, Object> r = call(socket, Map.of("op", "submit", "program", program, "args", args, "options", options,
				"system", affinity == null ? "" : affinity));
		return new Session.SubmittedJob((String) r.get("job"), (String) r.get("system"));
	}

	@Override
	public List<String> jobs() throws IOException {
		List<String> lines = new ArrayList<>();
		for (Object o : (List<?>) call(socket, Map.of("op", "jobs")).get("lines")) {
			lines.add((String) o);
		}
		return lines;
	}

	@Override
	public Session.OutputPiece output(String job, int from) throws IOException {
		Map<String, Object> r = call(socket, Map.of("op", "output", "job", job, "from", from));
		return new Session.OutputPiece((String) r.get("text"), ((Number) r.get("from")).intValue(),
				((Number) r.get("to")).intValue(), ((Number) r.get("size")).intValue());
	}

	@Override
	public Session.Canceled cancel(String job) throws IOException {
		Map<String, Object> r = call(socket, Map.of("op", "cancel", "job", job));
		return new Session.Canceled((String) r.get("job"), (String) r.get("system"), (String) r.get("state"),
				Optional.ofNullable((Number) r.get("rc")).map(Number::intValue), (String) r.get("message"));
	}

	@Override
	public void close() {
		// the held session stays open for the next command
	}

	/** One request and its answer; an answer {"ok": false} becomes an IOException with its error. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> call(Path socket, Map<String, Object> request) throws IOException {
		try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			Thread timer = closeAfter(ch, TIMEOUT_MS); // the request took too long: its read ends
			try {
				ch.connect(UnixDomainSocketAddress.of(socket));
				writeLine(ch, Json.line(request));
				String line = readLine(ch);
				if (line == null) {
					throw new IOException("the session at " + socket + " closed the connection without an answer");
				}
				Map<String, Object> answer = (Map<String, Object>) Json.parse(line);
				if (!Boolean.TRUE.equals(answer.get("ok"))) {
					throw new IOException(String.valueOf(answer.get("error")));
				}
				return answer;
			} catch (java.nio.channels.AsynchronousCloseException e) {
				throw new IOException("the session at " + socket + " did not answer within " + TIMEOUT_MS / 1000 + " s", e);
			} catch (IllegalArgumentException e) {
				throw new IOException("the session at " + socket + " answered something that is not its protocol: "
						+ e.getMessage(), e);
			} finally {
				timer.interrupt();
			}
		}
	}

	/**
	 * Closes {@code ch} after {@code millis} unless the returned thread is interrupted first: the
	 * bound on a request, since a Unix socket channel has no read timeout of its own.
	 */
	static Thread closeAfter(SocketChannel ch, int millis) {
		return Thread.ofVirtual().start(() -> {
			try {
				Thread.sleep(millis);
				ch.close();
			} catch (InterruptedException | IOException e) {
				// done in time
			}
		});
	}

	static void writeLine(SocketChannel ch, String line) throws IOException {
		byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
		if (b.length > MAX_LINE) {
			throw new IOException("a line of " + b.length + " bytes is more than the " + MAX_LINE + " a session takes");
		}
		ByteBuffer buf = ByteBuffer.wrap(b);
		while (buf.hasRemaining()) {
			ch.write(buf);
		}
	}

	/** One line (without its newline), at most {@link #MAX_LINE} bytes; null at end of stream before any byte. */
	static String readLine(SocketChannel ch) throws IOException {
		java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
		ByteBuffer one = ByteBuffer.allocate(8192);
		while (true) {
			one.clear();
			int n = ch.read(one);
			if (n < 0) {
				return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
			}
			for (int i = 0; i < n; i++) {
				byte b = one.get(i);
				if (b == '\n') {
					return line.toString(StandardCharsets.UTF_8);
				}
				line.write(b);
			}
			if (line.size() > MAX_LINE) {
				throw new IOException("a line of more than " + MAX_LINE + " bytes");
			}
		}
	}
}
