package dev.sysplex.host.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.sysplex.client.ConnectException;
import dev.sysplex.client.DebugLink;
import dev.sysplex.client.Session;
import dev.sysplex.host.security.LocalPeer;
import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Rse;

/**
 * `sysplex debug JOB|--next`: any JDWP debugger debugs a job that runs on any system. It logs on,
 * waits for the job's debug session (announced by the Debug Manager of the job's system through the
 * Debug Managers' hub), listens on a loopback port for one debugger of the same OS user, then links
 * through the DVIPA to the waiting Debug Manager's CLIENT port with the session's token (TLS when
 * the RSE session is encrypted) and relays the debugger's bytes both ways, unchanged.
 */
final class DebugCommand implements Command {

	@Override
	public String name() {
		return "debug";
	}

	@Override
	public String summary() {
		return "debug a job with any JDWP debugger (jdb, IntelliJ, VS Code, Eclipse) through a local port";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex debug JOB [--listen 127.0.0.1:PORT] [--timeout SECONDS] [logon options]
				       ./sysplex debug --next [...]

				Logs on and waits for JOB's debug session (a job submitted with TEST(,,,DBMDT), for
				example by ./sysplex submit --debug; on any system of the sysplex), or with --next for the
				first debug session of yours that waits. It then listens on a loopback address for one
				debugger and prints how to attach jdb, IntelliJ IDEA, VS Code or Eclipse to it. When the
				debugger connects, it links through the DVIPA to the Debug Manager the job waits on and
				relays the JDWP bytes both ways. It ends when the debugger detaches (the job goes on
				without it) or the job ends, and says which.

				Only a debugger run by your own OS user may attach: another user's connection to the port
				is refused (the kernel's socket table names the owner) and the port keeps waiting.
				Stop at entry (the default, as z/OS Debugger does): before the debugger speaks, the job is
				run to the first line of its main method and stopped there, so a debugger with no
				breakpoints finds a stopped program (jdb: where, stop at Payroll:13, cont).
				  --no-stop-at-entry     leave the job suspended at its VM start instead: it runs to the
				                         debugger's breakpoints once the debugger resumes it (jdb: run)

				  --listen ADDRESS:PORT  where the debugger attaches (a loopback address; default
				                         127.0.0.1 and a free port)
				  --timeout SECONDS      how long to wait for the session and for the debugger (default 300)
				""" + LogonOptions.HELP;
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, LogonOptions.valued("--listen", "--timeout"),
				LogonOptions.flags("--next", "--no-stop-at-entry"));
		List<String> positional = args.positional(0, 1, "a job id, such as JOB00042, or --next");
		if (positional.isEmpty() == !args.has("--next")) {
			throw new UsageException("give either a job id or --next");
		}
		String wanted = positional.isEmpty() ? null : positional.get(0);
		Duration timeout = Duration.ofSeconds(args.intValue("--timeout", 300, 1, 86_400));
		InetSocketAddress listen = listenAddress(args.get("--listen", "127.0.0.1:0"));
		LogonOptions logon = LogonOptions.of(args, out, err);

		BlockingQueue<Map<String, String>> waiting = new LinkedBlockingQueue<>();
		Map<String, CompletableFuture<Map<String, String>>> ended = new ConcurrentHashMap<>();
		Session.Listener listener = new Session.Listener() {
			@Override
			public void notification(String kind, Map<String, String> fields) {
				if (kind.equals(Dbm.NOTIFY_WAITING)) {
					waiting.add(fields);
				} else if (kind.equals(Rse.NOTIFY_JOB_ENDED) && fields.get(Rse.F_JOB) != null) {
					ended.computeIfAbsent(fields.get(Rse.F_JOB), k -> new CompletableFuture<>()).complete(fields);
				}
			}
		};
		Session session;
		try {
			session = logon.logon(List.of(listener));
		} catch (ConnectException e) {
			return logon.failed(e, err);
		}
		try {
			if (wanted != null) {
				String state = OutputCommand.state(session, wanted);
				if (state.isEmpty()) {
					err.println("sysplex debug: " + session.user() + " has no job " + wanted + " (./sysplex jobs lists yours)");
					return 1;
				}
				if (!OutputCommand.RUNNING.contains(state)) {
					err.println("sysplex debug: " + wanted + " has already ended (" + state + "); there is nothing to debug");
					return 1;
				}
			}
			out.println("Logged on as " + session.user() + " to " + session.system() + "; waiting for "
					+ (wanted == null ? "the next debug session of " + session.user() : "the debug session of " + wanted)
					+ " (at most " + timeout.toSeconds() + " s) ...");
			out.flush();
			DebugLink.Waiting w = awaitSession(waiting, wanted, timeout);
			if (w == null) {
				err.println("sysplex debug: no debug session " + (wanted == null ? "" : "of " + wanted + " ")
						+ "reached " + session.user() + " within " + timeout.toSeconds() + " s; was the job submitted "
						+ "with TEST(,,,DBMDT) (./sysplex submit --debug), and is the sysplex's Debug Manager hub up? "
						+ "(./sysplex check DIR --simulate 1 tries it)");
				return 1;
			}
			String job = w.job();
			try (ServerSocket server = new ServerSocket()) {
				server.bind(listen, 1);
				int port = server.getLocalPort();
				String address = listen.getAddress().getHostAddress();
				out.println(job + " waits on " + w.system() + " (Debug Manager port " + w.port() + " on the DVIPA "
						+ logon.host + ", " + (w.encrypted() ? "encrypted" : "NOT encrypted") + ").");
				out.println("Attach one debugger to " + address + ":" + port + ":");
				out.println("  jdb:       jdb -attach " + address + ":" + port + " -sourcepath jobs");
				out.println("  IntelliJ:  Run > Edit Configurations > + Remote JVM Debug: Attach to remote JVM, Socket, host "
						+ address + ", port " + port);
				out.println("  VS Code:   launch.json {\"type\": \"java\", \"request\": \"attach\", \"name\": \"" + job
						+ "\", \"hostName\": \"" + address + "\", \"port\": " + port + "}");
				out.println("  Eclipse:   Debug Configurations > Remote Java Application: Standard (Socket Attach), host "
						+ address + ", port " + port);
				out.flush();
				CompletableFuture<Map<String, String>> jobEnd = ended.computeIfAbsent(job, k -> new CompletableFuture<>());
				jobEnd.thenRun(() -> closeQuietly(server)); // a job that ends while we wait ends the wait
				Socket debugger = acceptOwnUser(server, timeout, out, err);
				if (debugger == null) {
					if (jobEnd.isDone()) {
						out.println(job + " ended before a debugger attached: " + describe(jobEnd.getNow(Map.of())));
					} else {
						err.println("sysplex debug: no debugger attached to " + address + ":" + port + " within "
								+ timeout.toSeconds() + " s; " + job + " still waits (run ./sysplex debug " + job + " again)");
					}
					return 1;
				}
				server.close(); // one debugger per session (closing early: no second one can connect meanwhile)
				String mainClass = args.has("--no-stop-at-entry") ? null : mainClass(session, job);
				return relay(session, logon, w, waiting, debugger, jobEnd, mainClass, out, err);
			}
		} finally {
			try {
				session.logoff();
			} catch (IOException e) {
				// the session ends with the process
			}
		}
	}

	/** A loopback address and port; anything else is refused (the port carries an unauthenticated protocol). */
	static InetSocketAddress listenAddress(String text) throws UsageException {
		int colon = text.lastIndexOf(':');
		if (colon <= 0) {
			throw new UsageException("--listen expects ADDRESS:PORT, such as 127.0.0.1:8000");
		}
		try {
			InetAddress a = InetAddress.getByName(text.substring(0, colon));
			int port = Integer.parseInt(text.substring(colon + 1));
			if (!a.isLoopbackAddress()) {
				throw new UsageException("--listen " + text + ": only a loopback address (127.0.0.1) may be used; JDWP "
						+ "has no authentication of its own, so the port must not be reachable from other machines");
			}
			if (port < 0 || port > 65535) {
				throw new NumberFormatException();
			}
			return new InetSocketAddress(a, port);
		} catch (NumberFormatException | java.net.UnknownHostException e) {
			throw new UsageException("--listen " + text + ": expected ADDRESS:PORT, such as 127.0.0.1:8000");
		}
	}

	/** The first waiting session for {@code job} (any job when null), or null when none came in time. */
	private static DebugLink.Waiting awaitSession(BlockingQueue<Map<String, String>> waiting, String job, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			Map<String, String> f = left <= 0 ? null : waiting.poll(left, TimeUnit.NANOSECONDS);
			if (f == null) {
				return null;
			}
			if (job == null || job.equalsIgnoreCase(f.get(Dbm.F_JOB))) {
				try {
					return DebugLink.Waiting.of(f);
				} catch (IllegalArgumentException e) {
					// a malformed notification is not this session's; wait on
				}
			}
		}
	}

	/**
	 * Accepts until a connection of this process's own OS user comes (or the time is up, or the
	 * server is closed because the job ended: null). Others are told nothing and closed.
	 */
	private static Socket acceptOwnUser(ServerSocket server, Duration timeout, PrintStream out, PrintStream err)
			throws IOException {
		long own = LocalPeer.ownUid();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
			if (left <= 0) {
				return null;
			}
			server.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
			Socket s;
			try {
				s = server.accept();
			} catch (SocketTimeoutException e) {
				return null;
			} catch (IOException e) {
				if (server.isClosed()) {
					return null;
				}
				throw e;
			}
			OptionalLong uid = LocalPeer.peerUid(s);
			if (own >= 0 && uid.isPresent() && uid.getAsLong() == own) {
				out.println("A debugger attached from " + s.getInetAddress().getHostAddress() + ":" + s.getPort() + ".");
				out.flush();
				return s;
			}
			err.println("sysplex debug: refused a connection from " + s.getInetAddress().getHostAddress() + ":" + s.getPort()
					+ (uid.isPresent() ? " of uid " + uid.getAsLong() : " whose owner the kernel does not show")
					+ ": only a debugger of your own user (uid " + own + ") may attach; still waiting");
			closeQuietly(s);
		}
	}

	/** The job's main class (its program's name without .java), from the job list; null when not listed. */
	private static String mainClass(Session session, String job) throws IOException {
		return JobsCommand.find(JobsApi.of(session), job).map(j -> ((String) j.get("program")).replaceFirst("\\.java$", ""))
				.orElse(null);
	}

	/**
	 * Links to the waiting Debug Manager (stopping the job at its entry first when {@code stopIn}
	 * names its main class) and copies both ways until one side ends; says which.
	 */
	private static int relay(Session session, LogonOptions logon, DebugLink.Waiting first,
			BlockingQueue<Map<String, String>> waiting, Socket debugger, CompletableFuture<Map<String, String>> jobEnd,
			String stopIn, PrintStream out, PrintStream err) throws Exception {
		DebugLink.Linked linked = null;
		DebugLink.Waiting w = first;
		for (int attempt = 0; linked == null; attempt++) {
			try {
				linked = DebugLink.open(logon.host, w, Duration.ofSeconds(10), DebugLink.Security.of(session,
						DebugLink.PlainLinkPolicy.REFUSE, DebugLink.PlainLinkQuestion.NOBODY));
			} catch (ConnectException e) {
				// the token lives TOKENLIFE seconds; a late debugger gets a fresh one in the next notification
				boolean expired = e.reason().startsWith(Dbm.Status.TOKEN_EXPIRED.name());
				DebugLink.Waiting again = expired && attempt < 3 ? awaitSession(waiting, w.job(), Duration.ofSeconds(15))
						: null;
				if (again == null) {
					err.println("sysplex debug: " + e.getMessage());
					closeQuietly(debugger);
					return 1;
				}
				w = again;
			}
		}
		out.println("Linked to " + linked.job() + " on " + linked.system() + " through " + logon.host + ":" + w.port()
				+ (session.encrypted() ? " (encrypted)" : " (NOT encrypted)") + "; relaying.");
		out.flush();
		if (stopIn != null) {
			// stop at entry: the job stops at its first line before the debugger speaks, breakpoints or not
			try {
				dev.sysplex.client.StopAtEntry.Stopped at = dev.sysplex.client.StopAtEntry.run(linked.socket(),
						linked.in(), linked.out(), stopIn, Duration.ofSeconds(30));
				dev.sysplex.client.StopAtEntry.answerHandshake(debugger.getInputStream(), debugger.getOutputStream(), at);
				out.println(linked.job() + " is stopped at its entry, " + at.className() + ".main line " + at.line()
						+ " (--no-stop-at-entry: let it run to your breakpoints).");
				out.flush();
			} catch (IOException e) {
				err.println("sysplex debug: " + linked.job() + " could not be stopped at its entry: " + e.getMessage());
				closeQuietly(debugger);
				closeQuietly(linked.socket());
				return 1;
			}
		}
		Socket engine = linked.socket();
		Thread up = copy("debugger to " + linked.job(), debugger.getInputStream(), linked.out(), engine);
		Thread down = copy(linked.job() + " to debugger", linked.in(), debugger.getOutputStream(), debugger);
		up.join();
		down.join();
		closeQuietly(debugger);
		closeQuietly(engine);
		// which ended it: the job's end takes the link with it (its notification follows within moments);
		// a job that still runs after that was left by its debugger (a detach: the Debug Manager let it go on)
		Map<String, String> end;
		try {
			end = jobEnd.get(2, TimeUnit.SECONDS);
		} catch (java.util.concurrent.TimeoutException e) {
			String state = OutputCommand.state(session, linked.job());
			out.println(OutputCommand.RUNNING.contains(state)
					? "The debugger detached; " + linked.job() + " goes on without it (" + state + ")."
					: "The link ended; " + linked.job() + " is " + (state.isEmpty() ? "not listed" : state) + ".");
			return 0;
		}
		out.println(linked.job() + " ended: " + describe(end) + "; the debug session is over.");
		return 0;
	}

	private static String describe(Map<String, String> end) {
		return end.getOrDefault(Rse.F_STATE, "ENDED") + (end.containsKey(Rse.F_RC) ? " rc=" + end.get(Rse.F_RC) : "")
				+ (end.containsKey(Rse.F_MESSAGE) ? " (" + end.get(Rse.F_MESSAGE) + ")" : "");
	}

	/** Copies until end of stream, then half-closes the other side (so the peer sees the end). */
	private static Thread copy(String name, InputStream in, OutputStream out, Socket to) {
		return Thread.ofPlatform().daemon().name("relay " + name).start(() -> {
			byte[] buf = new byte[64 * 1024];
			try {
				for (int n; (n = in.read(buf)) >= 0;) {
					out.write(buf, 0, n);
					out.flush();
				}
			} catch (IOException e) {
				// the other copier's close ends this one too
			}
			try {
				if (to instanceof javax.net.ssl.SSLSocket) {
					to.close(); // TLS: close_notify; half-close is not supported
				} else {
					to.shutdownOutput();
				}
			} catch (IOException e) {
				closeQuietly(to);
			}
		});
	}

	private static void closeQuietly(java.io.Closeable c) {
		try {
			c.close();
		} catch (IOException e) {
			// closing after the end: nothing more to say
		}
	}
}
