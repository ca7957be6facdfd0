package dev.sysplex.host.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.sysplex.client.ConnectException;
import dev.sysplex.client.Session;
import dev.sysplex.host.json.Json;
import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Rse;

/**
 * `sysplex session`: stays logged on, prints what the host announces as it comes (debug sessions
 * that wait, jobs that end), and serves submit, jobs, output and cancel of other `./sysplex`
 * commands of the same user, host and port on a Unix socket that only its own OS user can reach
 * (a directory of mode 700, and the peer's credentials checked on every connection).
 */
final class SessionCommand implements Command {

	@Override
	public String name() {
		return "session";
	}

	@Override
	public String summary() {
		return "stay logged on, print notifications, and let submit/jobs/output/cancel use this session";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex session [logon options]

				Logs on and stays logged on until Ctrl-C (or the host ends the session), printing each
				notification as it comes: a debug session that waits for you (with its job, system and
				port) and a job that ended. While it runs, ./sysplex submit (without --wait), jobs,
				output and cancel with the same --host, --port and --user use this session instead of
				logging on (no password asked); --new-logon makes them log on anyway.

				Its socket is ~/.sysplex/sessions/USERID@HOST_PORT.sock (SYSPLEX_SESSIONS to move it), in
				a directory only your OS user can enter; each connection's peer is checked to be you.
				""" + LogonOptions.HELP;
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, LogonOptions.valued(), LogonOptions.flags());
		args.positional(0, 0, "");
		LogonOptions logon = LogonOptions.of(args, out, err);
		Path socket = HeldSession.socketPath(logon.host, logon.port, logon.user);
		if (HeldSession.find(logon.host, logon.port, logon.user).isPresent()) {
			err.println("sysplex session: a session of " + logon.user + " at " + logon.endpoint() + " is open already ("
					+ socket + "); end it first (Ctrl-C in its terminal)");
			return 1;
		}
		Path dir = socket.getParent();
		Files.createDirectories(dir);
		Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
		Files.deleteIfExists(socket); // a stale one of a session that ended without removing it
		CountDownLatch ended = new CountDownLatch(1);
		Session.Listener listener = new Session.Listener() {
			@Override
			public void notification(String kind, Map<String, String> f) {
				if (kind.equals(Dbm.NOTIFY_WAITING)) {
					out.println("debug session of " + f.get(Dbm.F_JOB) + " waits on " + f.get(Dbm.F_SYSTEM) + " (port "
							+ f.get(Dbm.F_PORT) + "): ./sysplex debug " + f.get(Dbm.F_JOB));
				} else if (kind.equals(Rse.NOTIFY_JOB_ENDED)) {
					out.println(f.get(Rse.F_JOB) + " ended on " + f.get(Rse.F_SYSTEM) + ": " + f.get(Rse.F_STATE)
							+ (f.containsKey(Rse.F_RC) ? " rc=" + f.get(Rse.F_RC) : "")
							+ (f.containsKey(Rse.F_MESSAGE) ? " (" + f.get(Rse.F_MESSAGE) + ")" : ""));
				} else {
					out.println("notification " + kind + " " + f);
				}
				out.flush();
			}

			@Override
			public void ended(Session.Ending ending) {
				out.println("The session ended: " + ending.kind() + (ending.reason() == null ? "" : " (" + ending.reason() + ")"));
				out.flush();
				ended.countDown();
			}
		};
		Session session;
		try {
			session = logon.logon(List.of(listener));
		} catch (ConnectException e) {
			return logon.failed(e, err);
		}
		String own = System.getProperty("user.name");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket));
			Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					Files.deleteIfExists(socket);
					session.logoff();
				} catch (IOException e) {
					// ending anyway
				}
			}));
			out.println("Logged on as " + session.user() + " to " + session.system() + " through " + logon.endpoint() + " ("
					+ (session.encrypted() ? "encrypted" : "NOT encrypted") + "). Commands with --host " + logon.host
					+ " --user " + session.user() + " use this session (" + socket + "). Ctrl-C ends it.");
			out.flush();
			Thread.ofVirtual().name("session keepalive").start(() -> {
				while (ended.getCount() > 0) {
					try {
						Thread.sleep(300_000);
						session.ping(); // a quiet session would end at the host's idle timeout
					} catch (InterruptedException | IOException e) {
						return;
					}
				}
			});
			Thread.ofVirtual().name("session end").start(() -> {
				try {
					ended.await();
					server.close();
				} catch (InterruptedException | IOException e) {
					// ending
				}
			});
			while (ended.getCount() > 0) {
				SocketChannel ch;
				try {
					ch = server.accept();
				} catch (IOException e) {
					break; // closed: the session ended
				}
				Thread.ofVirtual().name("session request").start(() -> serve(ch, session, own, err));
			}
		} finally {
			Files.deleteIfExists(socket);
		}
		return 1; // the host ended the session (Ctrl-C ends the process instead)
	}

	/** One request: the peer must be this OS user; the answer is one JSON line. */
	private static void serve(SocketChannel ch, Session session, String own, PrintStream err) {
		try (ch) {
			Thread timer = HeldSession.closeAfter(ch, HeldSession.TIMEOUT_MS);
			try {
				String peer = ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user().getName();
				if (!peer.equals(own)) {
					err.println("sysplex session: refused a request of OS user " + peer + " (only " + own + "'s commands)");
					HeldSession.writeLine(ch, Json.line(Map.of("ok", false, "error", "this session serves only " + own)));
					return;
				}
				String line = HeldSession.readLine(ch);
				if (line == null) {
					return;
				}
				Map<String, Object> answer;
				try {
					answer = answer(session, line);
				} catch (IOException | RuntimeException e) {
					answer = Map.of("ok", false, "error", String.valueOf(e.getMessage()));
				}
				HeldSession.writeLine(ch, Json.line(answer));
			} finally {
				timer.interrupt();
			}
		} catch (IOException | UnsupportedOperationException e) {
			err.println("sysplex session: a request failed: " + e.getMessage());
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> answer(Session session, String line) throws IOException {
		Map<String, Object> r = (Map<String, Object>) Json.parse(line);
		Map<String, Object> a = Json.object();
		a.put("ok", true);
		switch (String.valueOf(r.get("op"))) {
		case "whoami" -> {
			a.put("user", session.user());
			a.put("system", session.system());
		}
		case "submit" -> {
			String system = (String) r.get("system");
			Session.SubmittedJob j = session.submit((String) r.get("program"), (String) r.get("args"),
					(String) r.get("options"), system == null || system.isEmpty() ? null : system);
			a.put("job", j.id());
			a.put("system", j.system());
		}
		case "jobs" -> a.put("lines", session.jobs());
		case "output" -> {
			Session.OutputPiece p = session.output((String) r.get("job"), ((Number) r.get("from")).intValue());
			a.put("text", p.text());
			a.put("from", p.from());
			a.put("to", p.to());
			a.put("size", p.size());
		}
		case "cancel" -> {
			Session.Canceled c = session.cancel((String) r.get("job"));
			a.put("job", c.job());
			a.put("system", c.system());
			a.put("state", c.state());
			a.put("rc", c.rc());
			a.put("message", c.message());
		}
		default -> throw new IOException("unknown request " + r.get("op"));
		}
		return a;
	}
}
