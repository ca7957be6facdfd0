package dev.sysplex.host.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.DebugLink;
import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.demo.BreakpointScript;
import dev.sysplex.host.jobs.JobRunner;
import dev.sysplex.host.testing.DebugClient;
import dev.sysplex.host.testing.ExampleCopy;
import dev.sysplex.host.testing.HostTrace;
import dev.sysplex.host.testing.TestPaths;
import dev.sysplex.protocol.Rse;

/**
 * Systems, stacks and Debug Managers that stop while users work, on the shipped two-system
 * example (SYSA owns the DVIPA and runs the hub, SYSB is the VIPABACKUP): real sockets, real jobs.
 */
class SystemFaultTest {

	private static final char[] PASSWORD = "fault-pw".toCharArray();
	/** A job that runs until it is ended. */
	private static final String SLEEPER = """
			public class Sleeper {
				public static void main(String[] args) throws Exception {
					System.out.println("sleeping");
					Thread.sleep(600_000);
				}
			}
			""";

	@TempDir
	Path dir;
	@RegisterExtension
	final HostTrace trace = new HostTrace();
	private String dvipa;

	private Sysplex start(String... users) throws Exception {
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir, 70, Map.of());
		dvipa = copy.dvipa();
		Files.writeString(copy.dir().resolve("jobs/Sleeper.java"), SLEEPER);
		Sysplex s = Sysplex.start(copy.dir());
		s.addTracer(trace);
		for (String u : users) {
			s.users().setPassword(u, PASSWORD, false, 1_000);
		}
		return s;
	}

	/** A logged-on client (a Connection) that reconnects through the DVIPA, counting its reconnections. */
	private record Client(dev.sysplex.client.Connection connection, AtomicInteger reconnections,
			CountDownLatch reconnected) {
		/** The current session: a reconnect makes a new one. */
		Session session() {
			return connection.session().orElseThrow(() -> new AssertionError("not connected: " + connection));
		}

		void logoff() throws IOException {
			connection.disconnect();
		}
	}

	private Client logon(String user) throws IOException {
		RseConnector c = new RseConnector(new RseConnector.Options().tlsMemory(TlsMemory.disabled())
				.trust(TrustStore.inMemory(), TrustDecision.TRUST_ON_FIRST_USE)
				.reconnect(true, 8, Duration.ofMillis(50), Duration.ofMillis(400)));
		AtomicInteger count = new AtomicInteger();
		CountDownLatch latch = new CountDownLatch(1);
		AtomicInteger connects = new AtomicInteger();
		dev.sysplex.client.Connection connection = new dev.sysplex.client.Connection(c, dvipa, 4035, user,
				EncryptionPolicy.REQUIRED, new dev.sysplex.client.Connection.Listener() {
					@Override
					public void stateChanged(dev.sysplex.client.Connection.Snapshot now) {
						if (now.state() == dev.sysplex.client.Connection.State.CONNECTED
								&& connects.incrementAndGet() > 1) {
							count.incrementAndGet();
							latch.countDown();
						}
					}
				});
		connection.connect(PASSWORD, new dev.sysplex.client.Cancellation());
		return new Client(connection, count, latch);
	}

	/** Logs users on until one lands on each system (ROUNDROBIN: two logons). */
	private Map<String, Client> onEachSystem(String a, String b) throws IOException {
		Client first = logon(a);
		Client second = logon(b);
		assertEquals(Set.of("SYSA", "SYSB"), Set.of(first.session().system(), second.session().system()),
				"ROUNDROBIN puts the two logons on the two systems");
		return Map.of(first.session().system(), first, second.session().system(), second);
	}

	private static JobRunner.Job awaitEnd(Sysplex s, String job) throws Exception {
		return s.jobs().job(job).orElseThrow().awaitEnd(Duration.ofSeconds(60));
	}

	@Test
	void aStoppedSystemsUsersReconnectElsewhereTheOthersAreUntouchedAndItsJobsEndWithIt() throws Exception {
		try (Sysplex s = start("ALICE", "BOB")) {
			Map<String, Client> on = onEachSystem("ALICE", "BOB");
			Client a = on.get("SYSA");
			Client b = on.get("SYSB");
			int aPort = a.session().serverPort();
			Session.SubmittedJob sleeping = b.session().submit("Sleeper.java", "", "", "SYSB");
			Session.SubmittedJob elsewhere = b.session().submit("Sleeper.java", "", "", "SYSA");
			Session.SubmittedJob waiting = b.session().submit("Payroll.java", "", "TEST(,,,DBMDT%" + b.session().user()
					+ ")", "SYSB");
			HostTrace.awaitDisplay(s, "SYSB", "job " + waiting.id());

			s.stopSystem("SYSB");

			assertTrue(b.reconnected().await(20, TimeUnit.SECONDS), "the SYSB user reconnected through the DVIPA");
			assertEquals("SYSA", b.session().system());
			assertEquals("SYSA", b.session().whoami().get(Rse.F_SYSTEM));
			for (String id : List.of(sleeping.id(), waiting.id())) {
				JobRunner.Job j = awaitEnd(s, id);
				assertEquals(JobRunner.State.CANCELED, j.state(), j.toString());
				assertEquals("because its system SYSB stopped", j.cancelReason().orElseThrow());
				assertTrue(j.rc().isEmpty());
			}
			assertTrue(b.session().jobs().stream().anyMatch(l -> l.startsWith(sleeping.id()) && l.endsWith("CANCELED")),
					"the job list says so: " + b.session().jobs());
			assertTrue(b.session().output(sleeping.id()).contains(sleeping.id() + " CANCELED because its system SYSB stopped"));
			JobRunner.Job other = s.jobs().job(elsewhere.id()).orElseThrow();
			assertEquals(JobRunner.State.RUNNING, other.state(), "a job on SYSA runs on");

			assertEquals(0, a.reconnections().get(), "the SYSA session was not touched");
			assertEquals(aPort, a.session().serverPort());
			assertEquals("SYSA", a.session().whoami().get(Rse.F_SYSTEM));
			a.logoff();
			b.logoff();
		}
	}

	@Test
	void theDvipaOwnerStopsAndTheSessionsRoutedThroughItToTheOtherSystemStayUp() throws Exception {
		try (Sysplex s = start("ALICE", "BOB")) {
			Map<String, Client> on = onEachSystem("ALICE", "BOB");
			Client a = on.get("SYSA");
			Client b = on.get("SYSB");
			int bPort = b.session().serverPort();

			s.stopSystem("SYSA"); // the owner and distributor: SYSB (VIPABACKUP) takes the DVIPA over

			assertTrue(a.reconnected().await(20, TimeUnit.SECONDS), "the SYSA user reconnected through the DVIPA");
			assertEquals("SYSB", a.session().system());
			assertEquals("SYSB", b.session().whoami().get(Rse.F_SYSTEM), "the SYSB session works on");
			assertEquals(0, b.reconnections().get(), "established through SYSA, kept by the takeover");
			assertEquals(bPort, b.session().serverPort());
			Session.SubmittedJob job = b.session().submit("Hello.java", "", "", "");
			assertEquals("SYSB", job.system(), "only SYSB is active");
			assertEquals(0, awaitEnd(s, job.id()).rc().orElseThrow());

			s.startSystem("SYSA"); // SYSA takes its DVIPA back (MOVEABLE IMMEDIATE)
			assertEquals("SYSB", b.session().whoami().get(Rse.F_SYSTEM), "and through the takeback");
			assertEquals("SYSB", a.session().whoami().get(Rse.F_SYSTEM));
			assertEquals(0, b.reconnections().get());
			Session fresh = logon("ALICE").session();
			assertTrue(Set.of("SYSA", "SYSB").contains(fresh.system()), "new logons work after the takeback");
			fresh.logoff();
			a.logoff();
			b.logoff();
		}
	}

	@Test
	void theUsersDebugManagerRestartsWhileASessionWaitsAndItIsAnnouncedAgain() throws Exception {
		try (Sysplex s = start("ALICE")) {
			DebugClient alice = DebugClient.logon(dvipa, "ALICE", PASSWORD, EncryptionPolicy.REQUIRED);
			assertEquals("SYSA", alice.session().system(), "on SYSA, whose DBM is the hub");
			Session.SubmittedJob job = alice.session().submit("Payroll.java", "", "TEST(,,,DBMDT%ALICE)", "SYSB");
			DebugLink.Waiting first = alice.next();
			assertEquals(job.id(), first.job());

			s.stopDbm("SYSA");
			HostTrace.awaitDisplay(s, "SYSB", "hub NOT connected");
			s.startDbm("SYSA");

			DebugLink.Waiting again = alice.next(); // the miner registers ALICE again, SYSB routes the session again
			assertEquals(job.id(), again.job());
			assertEquals("SYSB", again.system());
			DebugLink.Linked linked = DebugLink.open(dvipa, again, Duration.ofSeconds(10), alice.security());
			int line = BreakpointScript.markedLine(TestPaths.examples().resolve("jobs/Payroll.java"));
			assertEquals("17900", BreakpointScript.run(BreakpointScript.attach(linked), "Payroll", line, "total",
					Duration.ofSeconds(60)).value());
			assertEquals(0, awaitEnd(s, job.id()).rc().orElseThrow());
			alice.session().logoff();
		}
	}

	/** A JVM its JDWP agent holds suspended ignores SIGTERM: stopping the sysplex must not leave it behind. */
	@Test
	void stoppingTheSysplexLeavesNoJobJvmBehindNotEvenASuspendedOne() throws Exception {
		ProcessHandle jvm;
		try (Sysplex s = start("ALICE")) {
			DebugClient alice = DebugClient.logon(dvipa, "ALICE", PASSWORD, EncryptionPolicy.REQUIRED);
			Session.SubmittedJob job = alice.session().submit("Payroll.java", "", "TEST(,,,DBMDT%ALICE)", "SYSB");
			assertEquals(job.id(), alice.next().job()); // its JVM waits, suspended, for a debugger
			jvm = ProcessHandle.of(s.jobs().job(job.id()).orElseThrow().pid().orElseThrow()).orElseThrow();
			assertTrue(jvm.isAlive());
			alice.session().logoff();
		}
		jvm.onExit().get(10, TimeUnit.SECONDS); // ended by the sysplex's close, by its pid
		assertTrue(!jvm.isAlive());
	}

	@Test
	void theJobsOwnDebugManagerStopsWhileItWaitsAndTheJobIsNotLeftSuspended() throws Exception {
		try (Sysplex s = start("ALICE")) {
			DebugClient alice = DebugClient.logon(dvipa, "ALICE", PASSWORD, EncryptionPolicy.REQUIRED);
			Session.SubmittedJob job = alice.session().submit("Payroll.java", "", "TEST(,,,DBMDT%ALICE)", "SYSB");
			DebugLink.Waiting w = alice.next();
			assertEquals(job.id(), w.job());

			s.stopDbm("SYSB");

			JobRunner.Job ended = awaitEnd(s, job.id()); // released by its DBM as it stops, then it runs to its end
			assertEquals(0, ended.rc().orElseThrow());
			assertTrue(alice.session().output(job.id()).contains("Payroll total: 17900"));
			assertNotEquals(JobRunner.State.CANCELED, ended.state());
			alice.session().logoff();
		}
	}
}
