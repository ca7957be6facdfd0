package dev.sysplex.host.rse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.net.SysplexFixture;
import dev.sysplex.protocol.Rse;

/**
 * More logons at once than the host hashes in a client's read timeout: the checks run in turn and
 * the daemon says PENDING, so none is lost (./sysplex bench load does this with 1,000 clients).
 */
class LogonStormTest {

	private static final char[] PASSWORD = "storm-pw".toCharArray();

	@TempDir
	Path dir;

	@Test
	void logonsThatWaitLongerThanTheReadTimeoutForTheirPasswordCheckAllComplete() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 2).write("VIPADISTRIBUTE DEFINE SYSPLEXPORTS DISTMETHOD "
				+ "ROUNDROBIN DVIPA PORT 4035 DESTIP ALL", true, null).rse("enable.dDVIPA=true\n", false);
		try (Sysplex s = f.startSysplex()) {
			// a hash of about half a second on this machine (measured warm): the last logons wait ~15 s
			for (int i = 0; i < 10; i++) {
				UserRegistry.hashForBenchmark(PASSWORD, 100_000); // until the JIT has compiled the hash
			}
			long t0 = System.nanoTime();
			UserRegistry.hashForBenchmark(PASSWORD, 200_000);
			double perIteration = (System.nanoTime() - t0) / 200_000.0;
			int iterations = (int) Math.max(100_000, Math.min(5_000_000, 500_000_000 / perIteration));
			s.users().setPassword("STORM", PASSWORD, false, iterations);
			int checkers = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
			int logons = checkers * 30; // ~15 s for the last: well over the read timeout of 6 s
			List<String> progress = new CopyOnWriteArrayList<>();
			RseConnector c = new RseConnector(new RseConnector.Options().tlsMemory(TlsMemory.disabled())
					.readTimeout(Duration.ofMillis(Rse.PENDING_EVERY_MS + 1_000)).trace(progress::add)
					.reconnect(false, 0, Duration.ZERO, Duration.ZERO));
			CountDownLatch go = new CountDownLatch(1);
			List<Session> open = new CopyOnWriteArrayList<>();
			List<String> lost = new CopyOnWriteArrayList<>();
			long start;
			try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
				List<Future<?>> all = new ArrayList<>();
				for (int i = 0; i < logons; i++) {
					all.add(pool.submit(() -> {
						go.await();
						try {
							open.add(c.connect(f.dvipa(), 4035, "STORM", PASSWORD, EncryptionPolicy.DISABLED));
						} catch (IOException e) {
							lost.add(e.getMessage());
						}
						return null;
					}));
				}
				start = System.nanoTime();
				go.countDown();
				for (Future<?> x : all) {
					x.get();
				}
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			assertEquals(List.of(), lost, "no logon lost");
			assertEquals(logons, open.size());
			assertTrue(seconds > Rse.PENDING_EVERY_MS / 1000.0 + 1, "the storm outlasted the read timeout: " + seconds);
			assertTrue(progress.stream().anyMatch(l -> l.contains("waits for its password check")),
					"the ones that waited longest heard PENDING");
			for (Session x : open) {
				x.logoff();
			}
		}
	}
}
