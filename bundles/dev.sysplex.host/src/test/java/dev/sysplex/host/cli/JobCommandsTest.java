package dev.sysplex.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.host.Sysplex;
import dev.sysplex.host.json.Json;
import dev.sysplex.host.testing.ExampleCopy;

/**
 * The whole loop from the command line against a real two-system sysplex: submit, jobs, output and
 * cancel with their JSON parsed; and the JDK's own jdb, a debugger nobody here wrote, attached to
 * `sysplex debug`'s local port, debugging a job on the other system through the DVIPA and the
 * Debug Managers: a breakpoint, a local variable, a step, and the job's end.
 */
class JobCommandsTest {

	@TempDir
	Path dir;

	private record Run(int code, String out, String err) {
	}

	private List<String> logon;

	private Run run(String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		all.addAll(logon);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(Run r) {
		return (Map<String, Object>) Json.parse(r.out());
	}

	/** The host's trace (DBMs, hub, RSED), printed when a test fails: the debug tests' races show there. */
	@org.junit.jupiter.api.extension.RegisterExtension
	final dev.sysplex.host.testing.HostTrace trace = new dev.sysplex.host.testing.HostTrace();

	private Sysplex start(ExampleCopy.Copy copy) throws Exception {
		Files.writeString(copy.dir().resolve("jobs/Three.java"),
				"public class Three { public static void main(String[] a) { System.out.println(\"three\"); System.exit(3); } }\n");
		Files.writeString(copy.dir().resolve("jobs/Slow.java"), "public class Slow { public static void main(String[] a) "
				+ "throws Exception { Thread.sleep(3_000); System.out.println(\"slow done\"); } }\n");
		Files.writeString(copy.dir().resolve("jobs/Forever.java"), "public class Forever { public static void main(String[] a) "
				+ "throws Exception { System.out.println(\"started\"); Thread.sleep(600_000); } }\n");
		Sysplex s = Sysplex.start(copy.dir());
		s.addTracer(trace);
		s.users().setPassword("ALICE", "alice-pw".toCharArray(), false, 1_000);
		Path pw = dir.resolve("pw");
		Files.writeString(pw, "alice-pw\n");
		logon = List.of("--host", copy.dvipa(), "--user", "ALICE", "--password-file", pw.toString(), "--trust-new",
				"--known-servers", dir.resolve("known").toString());
		return s;
	}

	@Test
	void submitJobsOutputAndCancelWithTheirJson() throws Exception {
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir.resolve("plex"), 73, Map.of());
		try (Sysplex s = start(copy)) {
			Run submitted = run("submit", "Payroll.java", "--system", "SYSB", "--wait", "--json");
			assertEquals(0, submitted.code(), submitted.err());
			Map<String, Object> job = json(submitted);
			assertEquals("SYSB", job.get("system"));
			assertEquals(Map.of("state", "ENDED", "rc", 0L), withoutNulls(job.get("end")));
			String id = (String) job.get("job");

			Run three = run("submit", "Three.java", "--wait");
			assertEquals(3, three.code(), "--wait exits with the job's return code: " + three.out());
			assertTrue(three.out().contains(" ENDED rc=3 "), three.out());

			Run jobs = run("jobs", "--json");
			assertEquals(0, jobs.code(), jobs.err());
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> list = (List<Map<String, Object>>) json(jobs).get("jobs");
			assertEquals(Map.of("job", id, "program", "Payroll.java", "system", "SYSB", "state", "ENDED", "rc", 0L),
					list.get(0));
			assertEquals(3L, list.get(1).get("rc"));

			Run output = run("output", id, "--json");
			assertEquals("Payroll total: 17900\n", json(output).get("text"));

			Run forever = run("submit", "Forever.java", "--json");
			String running = (String) json(forever).get("job");
			Run canceled = run("cancel", running, "--json");
			assertEquals(0, canceled.code(), canceled.err());
			assertEquals(true, json(canceled).get("canceled"));
			assertEquals("CANCELED", json(canceled).get("state"));
			assertTrue(((String) json(run("output", running, "--json")).get("text")).endsWith(running + " CANCELED by ALICE\n"));
			Run again = run("cancel", running, "--json");
			assertEquals(1, again.code(), "nothing left to cancel");
			assertEquals(false, json(again).get("canceled"));

			Run follow = run("output", id, "--follow");
			assertEquals("Payroll total: 17900\n", follow.out(), "an ended job: its output, then the end");

			ByteArrayOutputStream listed = new ByteArrayOutputStream();
			assertEquals(0, Main.run(List.of("user", "list", copy.dir().toString(), "--json"), new PrintStream(listed, true,
					StandardCharsets.UTF_8), System.err));
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> users = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(
					listed.toString(StandardCharsets.UTF_8))).get("users");
			assertEquals("ALICE", users.get(0).get("user"));
			assertTrue(!listed.toString(StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT).contains("hash"),
					"no password material in the listing");

			Run extra = run("jobs", "surplus");
			assertEquals(2, extra.code(), "an extra argument is refused, not ignored");
			assertTrue(extra.err().contains("unexpected argument surplus"), extra.err());
			assertEquals(1, run("cancel", "JOB99999").code());
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> withoutNulls(Object o) {
		Map<String, Object> m = new java.util.LinkedHashMap<>((Map<String, Object>) o);
		m.values().removeIf(java.util.Objects::isNull);
		return m;
	}

	@Test
	void aChangedCertificateIsRefusedAndTheMessageSaysWhereItsPinIs() throws Exception {
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir.resolve("plex"), 73, Map.of());
		try (Sysplex s = start(copy)) {
			Path known = dir.resolve("known");
			String before = copy.dvipa() + ":4035 " + "00".repeat(32) + "\n";
			Files.writeString(known, before); // what this user trusted before the host's certificate changed
			Run refused = run("jobs");
			assertEquals(1, refused.code(), refused.out() + refused.err());
			assertTrue(refused.err().contains("HAS CHANGED") && refused.err().contains("The password was not sent"),
					refused.err());
			assertTrue(refused.err().contains("The pins are in " + known.toAbsolutePath() + " (--known-servers), one line "
					+ "per endpoint: to forget the one named above, delete its line there."), refused.err());
			assertEquals(before, Files.readString(known), "--trust-new never replaces a pin");
			// the administrator confirmed it: the user deletes the line, and the next logon pins the new one
			Files.writeString(known, "");
			Run again = run("jobs");
			assertEquals(0, again.code(), again.err());
			assertTrue(Files.readString(known).contains("\n" + copy.dvipa() + ":4035 "), Files.readString(known));
		}
	}

	@Test
	void loginCountGoesOnAfterAFailedLogonAndCountsIt() throws Exception {
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir.resolve("plex"), 73, Map.of());
		try (Sysplex s = start(copy)) {
			Run ok = run("login", "--count", "4", "--json");
			assertEquals(0, ok.code(), ok.err());
			assertEquals(4L, json(ok).get("succeeded"));
			Path wrong = dir.resolve("wrong");
			Files.writeString(wrong, "not-the-password\n");
			List<String> bad = new ArrayList<>(logon);
			bad.set(bad.indexOf("--password-file") + 1, wrong.toString());
			logon = bad;
			Run failed = run("login", "--count", "2");
			assertEquals(1, failed.code(), failed.out());
			assertTrue(failed.out().contains("2 logons") && failed.out().contains("failed   2"), failed.out());
		}
	}

	@Test
	void jdbDebugsAJobOnTheOtherSystemThroughTheLocalPort() throws Exception {
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir.resolve("plex"), 73, Map.of());
		try (Sysplex s = start(copy)) {
			ByteArrayOutputStream debugOut = new ByteArrayOutputStream();
			CompletableFuture<Integer> debug = CompletableFuture.supplyAsync(() -> {
				List<String> all = new ArrayList<>(List.of("debug", "--next", "--timeout", "60"));
				all.addAll(logon);
				return Main.run(all, new PrintStream(debugOut, true, StandardCharsets.UTF_8), System.err);
			});
			String logged = await(debugOut, Pattern.compile("Logged on as ALICE to (SYS[AB])"), debug);
			String other = logged.equals("SYSA") ? "SYSB" : "SYSA";
			Run submitted = run("submit", "Payroll.java", "--debug", "--system", other);
			assertEquals(0, submitted.code(), submitted.err());
			String port = await(debugOut, Pattern.compile("jdb -attach 127\\.0\\.0\\.1:(\\d+)"), debug);

			Path jdb = Path.of(System.getProperty("java.home"), "bin", "jdb");
			Process p = new ProcessBuilder(jdb.toString(), "-attach", "127.0.0.1:" + port, "-sourcepath",
					copy.dir().resolve("jobs").toString()).redirectErrorStream(true).start();
			try {
				Jdb j = new Jdb(p);
				// stop at entry (the default): stopped at main's first line with no breakpoint set
				j.expect("VM Started:"); // jdb prints its prompt between the two halves of the line
				j.expect("\"thread=main\", Payroll.main(), line=8");
				j.send("where");
				j.expect("[1] Payroll.main (Payroll.java:8)");
				j.send("stop at Payroll:13");
				j.expect("Set breakpoint Payroll:13");
				j.send("cont");
				j.expect("Breakpoint hit: \"thread=main\", Payroll.main(), line=13");
				j.send("print total");
				j.expect("total = 17900");
				j.send("next");
				j.expect("Step completed: \"thread=main\", Payroll.main(), line=14");
				j.send("cont");
				j.expect("The application exited");
				assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "jdb ends with the job");
			} finally {
				p.destroyForcibly();
			}
			assertEquals(0, debug.get(30, java.util.concurrent.TimeUnit.SECONDS), debugOut.toString());
			String said = debugOut.toString(StandardCharsets.UTF_8);
			assertTrue(said.contains("Linked to ") && said.contains(" on " + other + " through " + copy.dvipa()), said);
			assertTrue(said.contains("ended: ENDED rc=0; the debug session is over."), "it says how it ended: " + said);
		}
	}

	/**
	 * The submitting client, logged on to the job's own system, is told of the session first; it logs
	 * off without linking. The Debug Manager must then tell the user's other logon (through the hub),
	 * or the debugger waiting there never hears of it (it did not, before).
	 */
	@Test
	void aSessionToldToAWorkstationThatLogsOffReachesTheUsersOtherLogon() throws Exception {
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir.resolve("plex"), 73, Map.of());
		try (Sysplex s = start(copy)) {
			// both ways round: the job on the hub (SYSA) with the debugger's logon on SYSB, and the
			// reverse (the hub's table held one system per user: the first way lost the user)
			java.util.Set<String> covered = new java.util.TreeSet<>();
			for (int round = 0; round < 8 && covered.size() < 2; round++) {
				for (int shift = 0; shift < round; shift++) { // moves ROUNDROBIN on, so the debugger lands elsewhere
					dev.sysplex.host.testing.DebugClient.logon(copy.dvipa(), "ALICE", "alice-pw".toCharArray(),
							dev.sysplex.client.EncryptionPolicy.REQUIRED).session().logoff();
				}
				ByteArrayOutputStream debugOut = new ByteArrayOutputStream();
				CompletableFuture<Integer> debug = CompletableFuture.supplyAsync(() -> {
					List<String> all = new ArrayList<>(List.of("debug", "--next", "--timeout", "30"));
					all.addAll(logon);
					return Main.run(all, new PrintStream(debugOut, true, StandardCharsets.UTF_8), System.err);
				});
				String there = await(debugOut, Pattern.compile("Logged on as ALICE to (SYS[AB])"), debug);
				String jobSystem = there.equals("SYSA") ? "SYSB" : "SYSA";
				dev.sysplex.client.Session submitter = null;
				for (int i = 0; i < 8 && submitter == null; i++) {
					dev.sysplex.client.Session x = dev.sysplex.host.testing.DebugClient.logon(copy.dvipa(), "ALICE",
							"alice-pw".toCharArray(), dev.sysplex.client.EncryptionPolicy.REQUIRED).session();
					if (x.system().equals(jobSystem)) {
						submitter = x;
					} else {
						x.logoff();
					}
				}
				assertTrue(submitter != null, "a logon landed on " + jobSystem);
				String job = submitter.submit("Payroll.java", "", "TEST(,,,DBMDT)", jobSystem).id();
				submitter.logoff(); // told of the session (same system), gone without linking it
				String waits = await(debugOut, Pattern.compile("(JOB\\d+) waits on " + jobSystem), debug);
				assertEquals(job, waits, "job on " + jobSystem + ", debugger's logon on " + there);
				covered.add(jobSystem);
				dev.sysplex.host.jobs.JobRunner.Job j = s.jobs().job(job).orElseThrow();
				s.jobs().cancel(j, "by the test");
				j.awaitEnd(Duration.ofSeconds(30)); // gone before the next round's logon, so not announced again
				debug.get(30, java.util.concurrent.TimeUnit.SECONDS);
				for (int i = 0; i < 100 && s.dbms().stream().anyMatch(d -> d.session(job).isPresent()); i++) {
					Thread.sleep(50);
				}
				assertTrue(s.dbms().stream().allMatch(d -> d.session(job).isEmpty()),
						"a waiting session ends with its job's JVM (it was announced for DORMANT seconds after)");
			}
			assertEquals(java.util.Set.of("SYSA", "SYSB"), covered, "both ways round were tried");
		}
	}

	/**
	 * `./sysplex session` holds a logon; submit, jobs, output and cancel of the same user, host and
	 * port use it without a password (a wrong one is never read); --new-logon logs on anyway; the
	 * host ending the session ends the command and removes its socket.
	 */
	@Test
	void heldSessionServesTheJobCommandsWithoutAPassword() throws Exception {
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir.resolve("plex"), 73, Map.of());
		Path sessions = dir.resolve("sessions");
		System.setProperty("sysplex.sessions", sessions.toString());
		try {
			Sysplex s = start(copy);
			ByteArrayOutputStream held = new ByteArrayOutputStream();
			CompletableFuture<Integer> session;
			try {
				List<String> all = new ArrayList<>(List.of("session"));
				all.addAll(logon);
				session = CompletableFuture.supplyAsync(() -> Main.run(all, new PrintStream(held, true,
						StandardCharsets.UTF_8), System.err));
				await(held, Pattern.compile("Logged on as ALICE to (SYS[AB])"), session);
				assertEquals(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
						java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
						java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE), Files.getPosixFilePermissions(sessions));
				Path wrong = dir.resolve("wrong");
				Files.writeString(wrong, "not-the-password\n");
				List<String> right = logon;
				List<String> bad = new ArrayList<>(logon);
				bad.set(bad.indexOf("--password-file") + 1, wrong.toString());
				logon = bad; // a held session never reads it
				Run submitted = run("submit", "Payroll.java", "--system", "SYSB", "--json");
				assertEquals(0, submitted.code(), submitted.err());
				String id = (String) json(submitted).get("job");
				await(held, Pattern.compile("(" + id + ") ended on SYSB: ENDED rc=0"), session);
				assertEquals("Payroll.java", ((Map<?, ?>) ((List<?>) json(run("jobs", "--json")).get("jobs")).get(0)).get("program"));
				assertEquals("Payroll total: 17900\n", json(run("output", id, "--json")).get("text"));
				assertEquals(1, run("cancel", id).code(), "already ended: nothing canceled, said as without the session");
				assertEquals(1, run("jobs", "--new-logon").code(), "--new-logon logs on, with the wrong password");
				Files.setPosixFilePermissions(sessions, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
				assertEquals(1, run("jobs").code(), "a socket in a directory others may change is not trusted: a logon");
				Files.setPosixFilePermissions(sessions, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
				logon = right;
			} finally {
				s.close(); // the host ends the held session
			}
			assertEquals(1, session.get(30, java.util.concurrent.TimeUnit.SECONDS));
			assertTrue(held.toString(StandardCharsets.UTF_8).contains("The session ended"), held.toString());
			try (var left = Files.list(sessions)) {
				assertEquals(List.of(), left.toList(), "the socket is removed");
			}
		} finally {
			System.clearProperty("sysplex.sessions");
		}
	}

	/**
	 * A rogue peer: a program of another OS user connects to `debug`'s port first. It is closed
	 * unanswered and reported, and the user's own debugger attaches after it. Needs root (to run a
	 * program as nobody) and runuser, as CI has; skipped elsewhere.
	 */
	@Test
	void anotherOsUsersConnectionToTheDebugPortIsRefusedAndTheUsersOwnDebuggerStillAttaches() throws Exception {
		org.junit.jupiter.api.Assumptions.assumeTrue(dev.sysplex.host.security.LocalPeer.ownUid() == 0
				&& Files.isExecutable(Path.of("/usr/sbin/runuser")), "needs root and runuser to act as another user");
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir.resolve("plex"), 73, Map.of());
		try (Sysplex s = start(copy)) {
			String id = (String) json(run("submit", "Payroll.java", "--debug", "--json")).get("job");
			ByteArrayOutputStream debugOut = new ByteArrayOutputStream();
			CompletableFuture<Integer> debug = CompletableFuture.supplyAsync(() -> {
				List<String> all = new ArrayList<>(List.of("debug", id, "--timeout", "60"));
				all.addAll(logon);
				return Main.run(all, new PrintStream(debugOut, true, StandardCharsets.UTF_8),
						new PrintStream(debugOut, true, StandardCharsets.UTF_8));
			});
			String port = await(debugOut, Pattern.compile("jdb -attach 127\\.0\\.0\\.1:(\\d+)"), debug);
			Process rogue = new ProcessBuilder("/usr/sbin/runuser", "-u", "nobody", "--", "bash", "-c",
					"exec 3<>/dev/tcp/127.0.0.1/" + port + " && printf JDWP-Handshake >&3 && timeout 5 cat <&3")
					.redirectErrorStream(true).start();
			assertTrue(rogue.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
			String rogueGot = new String(rogue.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertTrue(!rogueGot.contains("JDWP-Handshake"), "the rogue peer got no handshake: " + rogueGot);
			await(debugOut, Pattern.compile("refused a connection from 127\\.0\\.0\\.1:\\d+ (of uid \\d+)"), debug);
			Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jdb").toString(), "-attach",
					"127.0.0.1:" + port).redirectErrorStream(true).start();
			try {
				Jdb j = new Jdb(p);
				j.expect("VM Started:");
				j.expect("\"thread=main\", Payroll.main(), line=8"); // jdb has taken the stop: cont now resumes it
				j.send("cont");
				j.expect("The application exited");
			} catch (AssertionError e) {
				// what `debug` said is the reason (once seen in CI: jdb's handshake closed, cause unknown)
				throw new AssertionError(e.getMessage() + "\n./sysplex debug printed:\n" + debugOut, e);
			} finally {
				p.destroyForcibly();
			}
			assertEquals(0, debug.get(30, java.util.concurrent.TimeUnit.SECONDS), debugOut.toString());
		}
	}

	/** With --no-stop-at-entry the job waits at its VM start, and a debugger that detaches leaves it running. */
	@Test
	void aDebuggerThatDetachesLeavesTheJobRunningAndItEnds() throws Exception {
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir.resolve("plex"), 73, Map.of());
		try (Sysplex s = start(copy)) {
			Run submitted = run("submit", "Slow.java", "--debug", "--json"); // runs 3 s once resumed
			String id = (String) json(submitted).get("job");
			ByteArrayOutputStream debugOut = new ByteArrayOutputStream();
			CompletableFuture<Integer> debug = CompletableFuture.supplyAsync(() -> {
				List<String> all = new ArrayList<>(List.of("debug", id, "--timeout", "60", "--no-stop-at-entry"));
				all.addAll(logon);
				return Main.run(all, new PrintStream(debugOut, true, StandardCharsets.UTF_8), System.err);
			});
			String port = await(debugOut, Pattern.compile("jdb -attach 127\\.0\\.0\\.1:(\\d+)"), debug);
			Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jdb").toString(), "-attach",
					"127.0.0.1:" + port).redirectErrorStream(true).start();
			try {
				Jdb j = new Jdb(p);
				j.expect("VM Started:"); // suspended at its VM start: no frames yet
				j.expect("No frames on the current call stack");
				j.send("quit"); // detaches: the VM is resumed and goes on without a debugger
				assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
			} finally {
				p.destroyForcibly();
			}
			assertEquals(0, debug.get(30, java.util.concurrent.TimeUnit.SECONDS), debugOut.toString());
			assertTrue(debugOut.toString(StandardCharsets.UTF_8).contains("The debugger detached; " + id
					+ " goes on without it"), debugOut.toString());
			s.jobs().job(id).orElseThrow().awaitEnd(Duration.ofSeconds(30));
			assertEquals(0, s.jobs().job(id).orElseThrow().rc().orElseThrow());
			assertEquals("slow done\n", json(run("output", id, "--json")).get("text"));
		}
	}

	/** Waits (bounded) until {@code out} has a match of {@code p}; returns its first group. */
	private static String await(ByteArrayOutputStream out, Pattern p, CompletableFuture<Integer> command) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			Matcher m = p.matcher(out.toString(StandardCharsets.UTF_8));
			if (m.find()) {
				return m.group(1);
			}
			if (command.isDone()) {
				throw new AssertionError("the command ended (" + command.get() + ") before saying " + p + ": " + out);
			}
			Thread.sleep(50);
		}
		throw new AssertionError("no " + p + " within 60 s in: " + out);
	}

	/** jdb's console: what it printed so far, read by a thread; commands written to its stdin. */
	private static final class Jdb {
		private final StringBuilder seen = new StringBuilder();
		private final OutputStream in;
		private int from;

		Jdb(Process p) {
			this.in = p.getOutputStream();
			InputStream out = p.getInputStream();
			Thread.ofPlatform().daemon().start(() -> {
				byte[] buf = new byte[4096];
				try {
					for (int n; (n = out.read(buf)) >= 0;) {
						synchronized (seen) {
							seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
						}
					}
				} catch (java.io.IOException e) {
					// jdb ended
				}
			});
		}

		void send(String command) throws java.io.IOException {
			in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
			in.flush();
		}

		/** Waits (at most 60 s) for {@code text} after what the previous expect matched. */
		void expect(String text) throws InterruptedException {
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (System.nanoTime() < deadline) {
				synchronized (seen) {
					int at = seen.indexOf(text, from);
					if (at >= 0) {
						from = at + text.length();
						return;
					}
				}
				Thread.sleep(50);
			}
			synchronized (seen) {
				throw new AssertionError("jdb did not print '" + text + "' within 60 s; it printed:\n" + seen);
			}
		}
	}
}
