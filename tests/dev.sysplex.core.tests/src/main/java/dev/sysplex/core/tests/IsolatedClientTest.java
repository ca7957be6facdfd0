package dev.sysplex.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.config.SysplexConfig;
import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.ConnectionListener;
import dev.sysplex.core.ConnectionRegistry;
import dev.sysplex.core.ConnectionState;
import dev.sysplex.core.PasswordStore;
import dev.sysplex.core.SysplexConnections;

/**
 * dev.sysplex.core in OSGi against an isolated sysplex: every system a process in a network
 * namespace of its own, the DVIPA distributed by the owner's kernel, this test's JVM in the
 * client namespace. {@code ./build test} runs it so (releng/scripts/isolated-client-tests.sh,
 * as root, when the machine has what the isolated mode needs: always under CI); run otherwise,
 * without -Dsysplex.isolated, it is skipped.
 */
class IsolatedClientTest {

	private Path dir;
	private char[] password;
	private String dvipa;
	private IEclipsePreferences node;

	@BeforeEach
	void isolatedSysplex() throws Exception {
		String d = System.getProperty("sysplex.isolated", "");
		Assumptions.assumeFalse(d.isBlank(), "run by ./build test in the client namespace of an isolated sysplex "
				+ "(releng/scripts/isolated-client-tests.sh)");
		dir = Path.of(d);
		password = Files.readString(Path.of(System.getProperty("sysplex.isolated.passwordFile"))).strip().toCharArray();
		SysplexConfig config = SysplexConfig.load(dir);
		dvipa = config.profile(config.systems().get(0).name()).vipaDefines().get(0).addresses().get(0).getHostAddress();
	}

	@AfterEach
	void removeNode() throws Exception {
		if (node != null) {
			node.removeNode();
		}
	}

	private SysplexConnections connections(String... names) throws Exception {
		node = (IEclipsePreferences) InstanceScope.INSTANCE.getNode("dev.sysplex.core.tests").node("i" + System.nanoTime());
		ConnectionRegistry r = new ConnectionRegistry((IEclipsePreferences) node.node("connections"));
		PasswordStore pw = PasswordStore.inMemory();
		for (String n : names) {
			r.add(new ConnectionDescriptor(n, dvipa, 4035, "IBMUSER", EncryptionPolicy.REQUIRED, true, false));
			pw.put(n, password);
		}
		SysplexConnections c = new SysplexConnections(r, pw, TrustStore.inMemory());
		c.setTrustDecision(TrustDecision.TRUST_ON_FIRST_USE);
		return c;
	}

	private static IStatus run(Job job) throws InterruptedException {
		assertTrue(job.join(30_000, null), "the job ended in time");
		return job.getResult();
	}

	@Test
	void thisTestRunsInANetworkNamespaceOfItsOwn() throws Exception {
		Properties run = new Properties();
		try (var in = Files.newBufferedReader(dir.resolve("var/isolated.run"))) {
			run.load(in);
		}
		String client = run.getProperty("client.address", "");
		assertTrue(client.startsWith("198.18.255."), "the run names its client namespace's address: " + run);
		// that address exists only in the client namespace; the DVIPA is not on any interface here
		List<String> here = Collections.list(NetworkInterface.getNetworkInterfaces())
				.stream().flatMap(i -> Collections.list(i.getInetAddresses()).stream())
				.map(InetAddress::getHostAddress).toList();
		assertTrue(here.contains(client), "this JVM has the client namespace's address " + client + ": " + here);
		assertFalse(here.contains(dvipa), "the DVIPA is reached over the sysplex LAN, not held here: " + here);
	}

	@Test
	void twoConnectionsLogOnThroughTheKernelDistributorToBothSystemsWithTls() throws Exception {
		SysplexConnections c = connections("one", "two");
		Set<String> systems = new TreeSet<>();
		for (String n : new String[] { "one", "two" }) {
			IStatus s = run(c.connect(n));
			assertTrue(s.isOK(), s.getMessage());
			ConnectionState state = c.state(n);
			assertEquals(ConnectionState.Phase.CONNECTED, state.phase());
			assertTrue(state.encrypted(), "REQUIRED: TLS on both connections of the logon");
			assertTrue(state.serverPort() > 0);
			// the second connection reached the RSE server through the same DVIPA: its system answers
			assertEquals(state.system().orElseThrow(), c.session(n).orElseThrow().whoami().get("system"));
			systems.add(state.system().orElseThrow());
		}
		assertEquals(Set.of("SYSA", "SYSB"), systems, "ROUNDROBIN in the owner's kernel: one logon on each");
		run(c.disconnect("one"));
		run(c.disconnect("two"));
	}

	@Test
	void theEndOfAJobOnTheOtherSystemIsToldOnTheConnection() throws Exception {
		SysplexConnections c = connections("watch");
		CompletableFuture<String> ended = new CompletableFuture<>();
		c.addListener(new ConnectionListener() {
			@Override
			public void notification(String connection, String kind, Map<String, String> fields) {
				if (kind.equals("job.ended")) {
					ended.complete(fields.get("job") + " on " + fields.get("system") + " " + fields.get("state") + " rc="
							+ fields.get("rc"));
				}
			}
		});
		assertTrue(run(c.connect("watch")).isOK());
		String home = c.state("watch").system().orElseThrow();
		// ROUNDROBIN: the next logon lands on the other system's process, which runs the job
		Session submitter = new RseConnector(new RseConnector.Options().trust(TrustStore.inMemory(),
				TrustDecision.TRUST_ON_FIRST_USE)).connect(dvipa, 4035, "IBMUSER", password, EncryptionPolicy.REQUIRED);
		String job;
		String jobSystem = submitter.system();
		try {
			assertFalse(jobSystem.equals(home), "the submitter is on the other system than " + home);
			job = submitter.submit("Payroll.java", "", "", jobSystem).id();
		} finally {
			submitter.logoff();
		}
		assertEquals(job + " on " + jobSystem + " ENDED rc=0", ended.get(30, TimeUnit.SECONDS),
				"the connection on " + home + " is told as the job ends, as a session on its system is");
		run(c.disconnect("watch"));
	}

	@Test
	void aDebugSessionOfAJobInAnotherSystemsProcessIsAnnouncedOnTheConnection() throws Exception {
		// the job is submitted by a session of its own (in the isolated mode a job runs where it is submitted)
		Session submitter = new RseConnector(
				new RseConnector.Options().trust(TrustStore.inMemory(),
						TrustDecision.TRUST_ON_FIRST_USE)).connect(dvipa, 4035, "IBMUSER", password,
								EncryptionPolicy.REQUIRED);
		String job = submitter.submit("Payroll.java", "", "TEST(,,,DBMDT%IBMUSER)", submitter.system()).id();
		String jobSystem = submitter.system();
		submitter.logoff();
		SysplexConnections c = connections("plex");
		CompletableFuture<String> announced = new CompletableFuture<>();
		c.addListener(new ConnectionListener() {
			@Override
			public void notification(String connection, String kind, Map<String, String> fields) {
				if (kind.equals("debug.waiting")) {
					announced.complete(fields.get("job") + " on " + fields.get("system"));
				}
			}
		});
		assertTrue(run(c.connect("plex")).isOK());
		// ROUNDROBIN: the logon after the submitter's lands on the other system's process
		assertFalse(c.state("plex").system().orElseThrow().equals(jobSystem),
				"the connection is on the other system than the job's " + jobSystem);
		assertEquals(job + " on " + jobSystem, announced.get(30, TimeUnit.SECONDS),
				"the waiting session reached this connection from the job's system's Debug Manager");
		run(c.disconnect("plex"));
	}
}
