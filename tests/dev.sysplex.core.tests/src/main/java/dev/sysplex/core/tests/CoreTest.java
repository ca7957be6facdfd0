package dev.sysplex.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import javax.crypto.spec.PBEKeySpec;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.equinox.security.storage.ISecurePreferences;
import org.eclipse.equinox.security.storage.SecurePreferencesFactory;
import org.eclipse.equinox.security.storage.provider.IProviderHints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.ConnectStep;
import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.ConnectionListener;
import dev.sysplex.core.ConnectionRegistry;
import dev.sysplex.core.ConnectionState;
import dev.sysplex.core.PasswordStore;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.core.internal.SecurePasswordStore;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.SysplexDirectories;

/** dev.sysplex.core in OSGi, against the real host side started here. */
class CoreTest {

	private static final AtomicInteger SUBNET = new AtomicInteger((int) (ProcessHandle.current().pid() % 50) + 1);
	private static final char[] PASSWORD = "core-test".toCharArray();

	@TempDir
	Path dir;

	private Sysplex sysplex;
	private String dvipa;
	private IEclipsePreferences node;

	@AfterEach
	void stop() throws Exception {
		if (sysplex != null) {
			sysplex.close();
		}
		if (node != null) {
			node.removeNode();
		}
	}

	private ConnectionRegistry registry() {
		node = (IEclipsePreferences) InstanceScope.INSTANCE.getNode("dev.sysplex.core.tests").node("t" + System.nanoTime());
		return new ConnectionRegistry((IEclipsePreferences) node.node("connections"));
	}

	/** The shipped example on addresses of its own; {@code ssl} as ssl.properties says. */
	private void startHost(boolean ssl) throws Exception {
		Path examples = Path.of(System.getProperty("sysplex.examples"));
		Path copy = dir.resolve("plex");
		SysplexDirectories.copy(examples.resolve("two-systems"), copy);
		String subnet = "127.68." + (SUBNET.getAndIncrement() % 250 + 1) + ".";
		dvipa = subnet + "100";
		try (Stream<Path> files = Files.walk(copy)) {
			for (Path p : files.filter(Files::isRegularFile).toList()) {
				String text = Files.readString(p).replace("127.0.10.", subnet);
				Files.writeString(p, p.endsWith("ssl.properties") ? "enable_ssl=" + ssl + "\n" : text);
			}
		}
		sysplex = Sysplex.start(copy);
		sysplex.users().setPassword("IBMUSER", PASSWORD, false, 1_000);
	}

	private SysplexConnections connections(ConnectionRegistry r, EncryptionPolicy policy, boolean reconnect)
			throws Exception {
		r.add(new ConnectionDescriptor("plex", dvipa, 4035, "IBMUSER", policy, true, reconnect));
		PasswordStore pw = PasswordStore.inMemory();
		pw.put("plex", PASSWORD);
		return new SysplexConnections(r, pw, TrustStore.inMemory());
	}

	private static IStatus run(Job job) throws InterruptedException {
		assertTrue(job.join(30_000, null), "the job ended in time");
		return job.getResult();
	}

	@Test
	void connectionsPersistInThePreferencesWithChangeEvents() throws Exception {
		ConnectionRegistry r = registry();
		List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
		r.addListener(new ConnectionListener() {
			@Override
			public void added(ConnectionDescriptor c) {
				events.add("added " + c.name());
			}

			@Override
			public void changed(ConnectionDescriptor before, ConnectionDescriptor after) {
				events.add("changed " + before.name() + "->" + after.name());
			}

			@Override
			public void removed(ConnectionDescriptor c) {
				events.add("removed " + c.name());
			}
		});
		ConnectionDescriptor a = new ConnectionDescriptor("Plex A", "10.1.1.100", 4035, "IBMUSER",
				EncryptionPolicy.REQUIRED, false, true);
		r.add(a);
		r.add(new ConnectionDescriptor("Plex B", "plexb.example", 4036, "USER2", EncryptionPolicy.PREFERRED, true, false));
		r.update("Plex B", new ConnectionDescriptor("Plex C", "plexc.example", 4036, "USER2",
				EncryptionPolicy.DISABLED, true, false));
		assertEquals(List.of("added Plex A", "added Plex B", "changed Plex B->Plex C"), events);
		assertThrowsCore(() -> r.add(a), "exists already");

		// a new registry on the same preferences (as after a restart) reads the same connections
		ConnectionRegistry again = new ConnectionRegistry((IEclipsePreferences) InstanceScope.INSTANCE
				.getNode("dev.sysplex.core.tests").node(node.name()).node("connections"));
		assertEquals(r.all(), again.all());
		assertEquals(List.of("Plex A", "Plex C"), again.all().stream().map(ConnectionDescriptor::name).toList());
		// and they are on disk, without any password
		Path prefs = Path.of(org.eclipse.core.runtime.Platform.getInstanceLocation().getURL().toURI())
				.resolve(".metadata/.plugins/org.eclipse.core.runtime/.settings/dev.sysplex.core.tests.prefs");
		Properties saved = new Properties();
		try (var in = Files.newInputStream(prefs)) {
			saved.load(in);
		}
		assertEquals("plexc.example", saved.getProperty(node.name() + "/connections/Plex C/host"));
		assertFalse(Files.readString(prefs).toLowerCase().contains("password"));
		r.remove("Plex A");
		assertEquals("removed Plex A", events.get(events.size() - 1));
	}

	private interface CoreCall {
		void run() throws Exception;
	}

	private static void assertThrowsCore(CoreCall call, String text) {
		try {
			call.run();
		} catch (org.eclipse.core.runtime.CoreException e) {
			assertTrue(e.getMessage().contains(text), e.getMessage());
			return;
		} catch (Exception e) {
			throw new AssertionError("expected a CoreException, got " + e, e);
		}
		throw new AssertionError("expected a CoreException saying '" + text + "'");
	}

	@Test
	void passwordsRoundTripThroughSecureStorageEncrypted() throws Exception {
		Path file = dir.resolve("secure_storage");
		ISecurePreferences secure = SecurePreferencesFactory.open(file.toUri().toURL(),
				Map.of(IProviderHints.DEFAULT_PASSWORD, new PBEKeySpec("test-master".toCharArray()),
						IProviderHints.PROMPT_USER, Boolean.FALSE));
		SecurePasswordStore store = new SecurePasswordStore(secure);
		store.put("Plex/A", "s3cret-value".toCharArray());
		assertEquals("s3cret-value", new String(store.get("Plex/A").orElseThrow()));
		assertTrue(store.get("other").isEmpty());
		assertTrue(Files.exists(file));
		assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).contains("s3cret-value"), "stored encrypted");
		assertTrue(secure.node("dev.sysplex.core/connections/Plex\\2fA").isEncrypted("password"));
		store.remove("Plex/A");
		assertTrue(store.get("Plex/A").isEmpty());
	}

	@Test
	void connectWithTheCertificateRefusedThenTrusted() throws Exception {
		startHost(true);
		ConnectionRegistry r = registry();
		r.add(new ConnectionDescriptor("plex", dvipa, 4035, "IBMUSER", EncryptionPolicy.REQUIRED, true, false));
		PasswordStore pw = PasswordStore.inMemory();
		pw.put("plex", PASSWORD);
		dev.sysplex.core.internal.PreferencePinStore pins = new dev.sysplex.core.internal.PreferencePinStore(
				(IEclipsePreferences) node.node("pins"));
		SysplexConnections c = new SysplexConnections(r, pw, pins);
		IStatus refused = run(c.connect("plex"));
		assertEquals(IStatus.ERROR, refused.getSeverity());
		assertEquals(ConnectStep.TLS.code(), refused.getCode(), "the status says which step failed");
		assertEquals(102, refused.getCode(), "with a code that stays the same across releases");
		assertTrue(refused.getMessage().contains("not trusted") && refused.getMessage().contains("What to do"),
				refused.getMessage());
		assertEquals(ConnectionState.Phase.FAILED, c.state("plex").phase());

		c.setTrustDecision(TrustDecision.TRUST_ON_FIRST_USE);
		assertTrue(run(c.connect("plex")).isOK());
		assertTrue(pins.pinned(dvipa + ":4035").isPresent(), "trusted and pinned in the preferences");
		assertTrue(node.node("pins").get(dvipa + ":4035", "").matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"));
		ConnectionState s = c.state("plex");
		assertEquals(ConnectionState.Phase.CONNECTED, s.phase());
		// ROUNDROBIN: the refused attempt went to SYSA, this one to SYSB; the host agrees
		assertEquals("SYSB", s.system().orElseThrow());
		assertTrue(sysplex.rsed("SYSB").orElseThrow().session("IBMUSER").isPresent());
		assertTrue(s.encrypted());
		assertTrue(s.serverPort() > 0);
		assertTrue(run(c.reconnect("plex")).isOK(), "reconnect: logoff, then a new logon with the pinned certificate");
		assertEquals(ConnectionState.Phase.CONNECTED, c.state("plex").phase());
		assertTrue(run(c.disconnect("plex")).isOK());
		assertEquals(ConnectionState.Phase.DISCONNECTED, c.state("plex").phase());
	}

	@Test
	void preferredFallsBackToPlainAndRequiredRefusesWhereEncryptionIsOff() throws Exception {
		startHost(false);
		ConnectionRegistry r = registry();
		SysplexConnections c = connections(r, EncryptionPolicy.PREFERRED, false);
		assertTrue(run(c.connect("plex")).isOK());
		assertFalse(c.state("plex").encrypted());
		run(c.disconnect("plex"));
		r.update("plex", new ConnectionDescriptor("plex", dvipa, 4035, "IBMUSER", EncryptionPolicy.REQUIRED, true, false));
		IStatus refused = run(c.connect("plex"));
		assertEquals(ConnectStep.TLS.code(), refused.getCode());
		assertTrue(refused.getMessage().contains("password was not sent"), refused.getMessage());
	}

	@Test
	void aSessionReconnectsWhenItsSystemStops() throws Exception {
		startHost(false);
		SysplexConnections c = connections(registry(), EncryptionPolicy.PREFERRED, true);
		assertTrue(run(c.connect("plex")).isOK());
		String first = c.state("plex").system().orElseThrow();
		String other = first.equals("SYSA") ? "SYSB" : "SYSA";
		CountDownLatch moved = new CountDownLatch(1);
		AtomicReference<String> now = new AtomicReference<>();
		List<String> phases = new java.util.concurrent.CopyOnWriteArrayList<>();
		c.addListener(new ConnectionListener() {
			@Override
			public void stateChanged(String connection, ConnectionState state) {
				phases.add(state.phase() + (state.phase() == ConnectionState.Phase.RECONNECTING
						? " " + state.attempt() + "/" + state.attempts() : ""));
				if (state.phase() == ConnectionState.Phase.CONNECTED) {
					now.set(state.system().orElseThrow());
					moved.countDown();
				}
			}
		});
		sysplex.stopSystem(first);
		assertTrue(moved.await(20, TimeUnit.SECONDS), "reconnected");
		assertEquals(other, now.get());
		assertEquals("RECONNECTING 1/5", phases.get(0), "the UI is told while it happens, with the attempt: " + phases);
		assertEquals("CONNECTED", phases.get(phases.size() - 1));
		assertEquals(other, c.session("plex").orElseThrow().whoami().get("system"), "a new session, on " + other);
		run(c.disconnect("plex"));
	}

	/** Sessions of IBMUSER the host has (connected ones), on both systems. */
	private long hostSessions() {
		return Stream.of("SYSA", "SYSB").flatMap(s -> sysplex.rsed(s).orElseThrow().sessions().stream())
				.filter(s -> s.isConnected() && s.user().equals("IBMUSER")).count();
	}

	@Test
	void twoConnectClicksLogOnOnce() throws Exception {
		startHost(false);
		SysplexConnections c = connections(registry(), EncryptionPolicy.PREFERRED, true);
		Job a = c.connect("plex");
		Job b = c.connect("plex"); // a second click before the first logon is done
		assertTrue(run(a).isOK());
		assertTrue(run(b).isOK());
		assertEquals(ConnectionState.Phase.CONNECTED, c.state("plex").phase());
		assertEquals(1, hostSessions(), "one session on the host, none orphaned");
		run(c.disconnect("plex"));
		for (int i = 0; i < 100 && hostSessions() > 0; i++) {
			Thread.sleep(50);
		}
		assertEquals(0, hostSessions(), "and the logoff ended it");
	}

	@Test
	void aDebugSessionThatWaitsAtLogonIsAnnouncedWithTheSessionInPlace() throws Exception {
		startHost(false);
		// a job submitted for debugging from somewhere else waits for IBMUSER's debugger before IBMUSER connects
		dev.sysplex.client.Session other = new dev.sysplex.client.RseConnector(new dev.sysplex.client.RseConnector.Options()
				.tlsMemory(dev.sysplex.client.TlsMemory.disabled())).connect(dvipa, 4035, "IBMUSER", PASSWORD,
						EncryptionPolicy.DISABLED);
		String job = other.submit("Payroll.java", "", "TEST(,,,DBMDT%IBMUSER)", "SYSB").id();
		for (int i = 0; i < 200 && other.jobs().stream().noneMatch(l -> l.startsWith(job) && l.contains(
				"WAITING_FOR_DEBUGGER")); i++) {
			Thread.sleep(50);
		}
		other.close();
		SysplexConnections c = connections(registry(), EncryptionPolicy.PREFERRED, false);
		java.util.concurrent.CompletableFuture<String> announced = new java.util.concurrent.CompletableFuture<>();
		c.addListener(new ConnectionListener() {
			@Override
			public void notification(String connection, String kind, Map<String, String> fields) {
				if (kind.equals("debug.waiting")) {
					// whoever hears it can use the session it came on at once (the debug launch does)
					announced.complete(fields.get("job") + " " + c.session(connection).isPresent() + " "
							+ c.state(connection).phase());
				}
			}
		});
		assertTrue(run(c.connect("plex")).isOK());
		assertEquals(job + " true CONNECTED", announced.get(20, TimeUnit.SECONDS));
		run(c.disconnect("plex"));
	}

	@Test
	void cancellingAConnectReallyStopsTheAttempt() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
			List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
			CountDownLatch reached = new CountDownLatch(1);
			Thread.ofVirtual().start(() -> {
				try {
					while (true) {
						held.add(silent.accept()); // accepts and never answers
						reached.countDown();
					}
				} catch (IOException e) {
					// closed
				}
			});
			ConnectionRegistry r = registry();
			r.add(new ConnectionDescriptor("silent", "127.0.0.1", silent.getLocalPort(), "IBMUSER",
					EncryptionPolicy.DISABLED, false, false));
			PasswordStore pw = PasswordStore.inMemory();
			pw.put("silent", PASSWORD);
			SysplexConnections c = new SysplexConnections(r, pw, TrustStore.inMemory());
			Job job = c.connect("silent");
			assertTrue(reached.await(10, TimeUnit.SECONDS), "the attempt reached the server");
			long t0 = System.nanoTime();
			job.cancel();
			assertTrue(job.join(5_000, null), "cancelled well before the 15 s read timeout");
			assertEquals(IStatus.CANCEL, job.getResult().getSeverity());
			assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
			assertEquals(ConnectionState.Phase.DISCONNECTED, c.state("silent").phase());
			for (Socket s : held) {
				s.close();
			}
		}
	}
}
