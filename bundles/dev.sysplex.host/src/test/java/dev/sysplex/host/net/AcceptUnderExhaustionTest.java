package dev.sysplex.host.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.ConnectException;
import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.rse.UserRegistry;

/**
 * `sysplex start` in a process of its own with a small descriptor limit (ulimit -n): connections
 * that use up its descriptors make accept() fail with "Too many open files". The accept loops must
 * say so and go on: once the connections are gone, the DVIPA's RSED port logs users on again.
 */
class AcceptUnderExhaustionTest {

	private static final char[] PASSWORD = "fd-test".toCharArray();

	@TempDir
	Path dir;

	@Test
	void theDvipaAcceptsAgainAfterItsProcessRanOutOfDescriptors() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 1).write("VIPADISTRIBUTE DEFINE SYSPLEXPORTS DISTMETHOD ROUNDROBIN "
				+ "DVIPA PORT 4035 DESTIP ALL", true, null).rse("enable.dDVIPA=true\ndeny.nonzero.port=true\n", false);
		UserRegistry.open(dir.resolve(Sysplex.USERS)).setPassword("IBMUSER", PASSWORD, false, 1_000);
		Process sysplex = new ProcessBuilder("bash", "-c", "ulimit -n 512 && exec \"$0\" \"$@\"",
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), "dev.sysplex.host.cli.Main", "start", dir.toString())
				.redirectErrorStream(true).start();
		StringBuffer output = new StringBuffer();
		Thread.ofVirtual().start(() -> {
			try (BufferedReader r = new BufferedReader(new InputStreamReader(sysplex.getInputStream(),
					StandardCharsets.UTF_8))) {
				for (String line; (line = r.readLine()) != null;) {
					synchronized (output) {
						output.append(line).append('\n');
						output.notifyAll();
					}
				}
			} catch (IOException e) {
				// the process ended
			}
		});
		List<Socket> hogs = new ArrayList<>();
		try {
			awaitOutput(output, "Running.", 60);
			logon(f.dvipa());
			for (int i = 0; i < 900 && !contains(output, "cannot accept"); i++) {
				Socket s = new Socket();
				try {
					s.connect(new InetSocketAddress(f.dvipa(), 4035), 1_000);
					hogs.add(s);
				} catch (IOException e) {
					s.close(); // the backlog is full: enough
					break;
				}
			}
			awaitOutput(output, "cannot accept (Too many open files", 30);
			for (Socket s : hogs) {
				s.close();
			}
			hogs.clear();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			ConnectException last = null;
			while (System.nanoTime() < deadline) {
				try {
					logon(f.dvipa());
					last = null;
					break;
				} catch (ConnectException e) {
					last = e; // the descriptors come free as the daemon's handlers see the connections end
				}
			}
			assertTrue(last == null, "a logon after the exhaustion: " + last + "\n" + output);
			awaitOutput(output, "accepts again after", 10);
		} finally {
			for (Socket s : hogs) {
				s.close();
			}
			sysplex.destroy(); // the process this test started, by its handle
			sysplex.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private static void logon(String dvipa) throws ConnectException {
		new RseConnector(new RseConnector.Options().tlsMemory(TlsMemory.disabled())
				.trust(TrustStore.inMemory(), TrustDecision.REJECT_UNKNOWN).readTimeout(Duration.ofSeconds(5))
				.reconnect(false, 0, Duration.ZERO, Duration.ZERO))
				.connect(dvipa, 4035, "IBMUSER", PASSWORD, EncryptionPolicy.DISABLED).close();
	}

	private static boolean contains(StringBuffer output, String text) {
		return output.indexOf(text) >= 0;
	}

	private static void awaitOutput(StringBuffer output, String text, int seconds) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		synchronized (output) {
			while (output.indexOf(text) < 0) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				assertTrue(left > 0, "the sysplex process never printed '" + text + "':\n" + output);
				output.wait(left);
			}
		}
	}
}
