package dev.sysplex.host.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.host.security.PassTickets.Verdict;

/** PassTickets on their own: window, replay, binding, and the key file made once by racing processes. */
class PassTicketsTest {

	@TempDir
	Path dir;

	private static final Instant T = Instant.parse("2026-12-01T12:00:00Z");

	@Test
	void aTicketIsGoodOnceWithinItsWindowForItsUserAndApplicationOnly() throws Exception {
		Path key = dir.resolve("ptktdata");
		PassTickets issuer = PassTickets.open(key, Clock.fixed(T, ZoneOffset.UTC));
		String t = issuer.generate("ALICE", "DBGMGR.SYSA");
		PassTickets evaluatorLate = PassTickets.open(key, Clock.fixed(T.plusSeconds(PassTickets.WINDOW_SECONDS),
				ZoneOffset.UTC));
		assertEquals(Verdict.WRONG, evaluatorLate.evaluate(t, "BOB", "DBGMGR.SYSA"));
		assertEquals(Verdict.WRONG, evaluatorLate.evaluate(t, "ALICE", "DBGMGR.SYSB"));
		assertEquals(Verdict.OK, evaluatorLate.evaluate(t, "ALICE", "DBGMGR.SYSA"), "still inside the window");
		assertEquals(Verdict.REPLAYED, evaluatorLate.evaluate(t, "ALICE", "DBGMGR.SYSA"));

		String u = issuer.generate("ALICE", "DBGMGR.SYSA");
		PassTickets tooLate = PassTickets.open(key, Clock.fixed(T.plusSeconds(PassTickets.WINDOW_SECONDS + 1),
				ZoneOffset.UTC));
		assertEquals(Verdict.EXPIRED, tooLate.evaluate(u, "ALICE", "DBGMGR.SYSA"));
		PassTickets behind = PassTickets.open(key, Clock.fixed(T.minusSeconds(PassTickets.WINDOW_SECONDS + 1),
				ZoneOffset.UTC));
		assertEquals(Verdict.NOT_YET_VALID, behind.evaluate(u, "ALICE", "DBGMGR.SYSA"));
		PassTickets skewed = PassTickets.open(key, Clock.fixed(T.minusSeconds(30), ZoneOffset.UTC));
		assertEquals(Verdict.OK, skewed.evaluate(u, "ALICE", "DBGMGR.SYSA"), "30 s of clock skew is tolerated");

		for (String bad : List.of("", "PT1", "PT1.x.y.z", "PT2." + T.getEpochSecond() + ".n.m", t + ".extra")) {
			assertEquals(Verdict.MALFORMED, issuer.evaluate(bad, "ALICE", "DBGMGR.SYSA"), bad);
		}
		assertEquals(Verdict.MALFORMED, issuer.evaluate(null, "ALICE", "DBGMGR.SYSA"));
		char last = t.charAt(t.length() - 1);
		String tampered = t.substring(0, t.length() - 1) + (last == 'A' ? 'B' : 'A');
		assertEquals(Verdict.WRONG, issuer.evaluate(tampered, "ALICE", "DBGMGR.SYSA"));
	}

	@Test
	void parallelEvaluationsOfOneTicketAcceptItExactlyOnce() throws Exception {
		PassTickets p = PassTickets.open(dir.resolve("ptktdata"), Clock.systemUTC());
		String t = p.generate("ALICE", "DBGMGR.SYSA");
		CountDownLatch go = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		Set<Verdict> seen = ConcurrentHashMap.newKeySet();
		java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
		for (int i = 0; i < 16; i++) {
			threads.add(Thread.ofPlatform().start(() -> {
				try {
					go.await();
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				Verdict v = p.evaluate(t, "ALICE", "DBGMGR.SYSA");
				seen.add(v);
				if (v == Verdict.OK) {
					ok.incrementAndGet();
				}
			}));
		}
		go.countDown();
		for (Thread th : threads) {
			th.join(Duration.ofSeconds(10));
		}
		assertEquals(1, ok.get(), "accepted once: " + seen);
		assertEquals(Set.of(Verdict.OK, Verdict.REPLAYED), seen);
	}

	@Test
	void theKeyIsMadeOnceOwnerOnlyAndSharedByProcessesThatRaceToMakeIt() throws Exception {
		Path key = dir.resolve("security/ptktdata");
		List<PassTickets> racers = java.util.Collections.synchronizedList(new ArrayList<>());
		CountDownLatch go = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			threads.add(Thread.ofPlatform().start(() -> {
				try {
					go.await();
					racers.add(PassTickets.open(key, Clock.systemUTC()));
				} catch (Exception e) {
					throw new IllegalStateException(e);
				}
			}));
		}
		go.countDown();
		for (Thread th : threads) {
			th.join(Duration.ofSeconds(10));
		}
		assertEquals(8, racers.size());
		String t = racers.get(0).generate("ALICE", "DBGMGR.SYSA");
		for (PassTickets r : racers.subList(1, racers.size())) {
			assertTrue(r.verifyMac(r.mac("x"), "x"));
			assertEquals(racers.get(0).mac("same key?"), r.mac("same key?"), "every racer uses the one key");
		}
		assertEquals(Verdict.OK, racers.get(3).evaluate(t, "ALICE", "DBGMGR.SYSA"));
		assertEquals(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
				java.nio.file.attribute.PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(key));
		try (var files = Files.list(key.getParent())) {
			assertArrayEquals(new Object[] { key }, files.toArray(), "no temporary file is left behind");
		}
		assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), "rw-------");
	}
}
