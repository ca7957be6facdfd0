package dev.sysplex.host.cf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sysplex.host.net.CouplingFacility;
import dev.sysplex.host.net.InMemoryCouplingFacility;

/**
 * EZBEPORT as the stacks use it, held to the same rules by the embedded coupling facility and the
 * one on a real etcd (started here, on its own ports and data directory); then what only a
 * separate engine shows: two processes' views agree, a killed system's ports come back when its
 * lease ends, and an unreachable etcd fails new assignments with a reason.
 */
class CouplingFacilityTest {

	private static final Set<String> CFRM = Set.of("EZBEPORT", "EZBDVIPA");
	// only the DVIPAs' names in EZBEPORT's keys, never bound or connected to: TEST-NET-1 says so
	private static final InetAddress DVIPA = address("192.0.2.100");
	private static final InetAddress OTHER = address("192.0.2.101");

	@TempDir
	static Path dir;
	private static EtcdServer etcd;
	private static int plexes;

	@BeforeAll
	static void startEtcd() throws IOException {
		if (EtcdServer.binary().isEmpty()) {
			// CI installs etcd-server (./build test does, where it may): there the tests must not skip
			assertFalse("true".equals(System.getenv("CI")), "etcd is not installed: ./build test installs etcd-server");
			return;
		}
		etcd = EtcdServer.start(dir.resolve("etcd"), InetAddress.getLoopbackAddress(), Duration.ofSeconds(20));
	}

	@AfterAll
	static void stopEtcd() {
		if (etcd != null) {
			etcd.close();
		}
	}

	private static InetAddress address(String a) {
		try {
			return InetAddress.getByName(a);
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	/** A fresh coupling facility of the kind named: a sysplex of its own in the shared etcd. */
	private static CouplingFacility cf(String kind, Set<String> structures, int low, int high) {
		if (kind.equals("memory")) {
			return new InMemoryCouplingFacility(structures, low, high);
		}
		Assumptions.assumeTrue(etcd != null, "etcd is not installed (apt-get install etcd-server)");
		return new EtcdCouplingFacility(new EtcdClient(etcd.endpoint(), Duration.ofSeconds(5)), "PLEX" + (++plexes),
				structures, low, high, 10);
	}

	private static void close(CouplingFacility cf) {
		if (cf instanceof EtcdCouplingFacility e) {
			e.close();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "etcd" })
	void portsAreUniqueAcrossStacksHeldUntilReleasedAndNeverAnExcludedOrUnusableOne(String kind) throws Exception {
		CouplingFacility cf = cf(kind, CFRM, 20000, 20009);
		try {
			int a = cf.assignPort(DVIPA, "SYSA", p -> true);
			int b = cf.assignPort(DVIPA, "SYSB", p -> true);
			assertNotEquals(a, b);
			assertEquals(Optional.of("SYSA"), cf.holder(DVIPA, a));
			assertEquals(Optional.of("SYSB"), cf.holder(DVIPA, b));
			assertEquals(1, cf.heldBy("SYSA"));

			cf.releasePort(DVIPA, b, "SYSA"); // not SYSA's: stays SYSB's
			assertEquals(Optional.of("SYSB"), cf.holder(DVIPA, b));
			cf.releasePort(DVIPA, b, "SYSB");
			assertEquals(Optional.empty(), cf.holder(DVIPA, b));

			cf.exclude(DVIPA, 20005);
			Set<Integer> got = new HashSet<>();
			for (int i = 0; i < 6; i++) {
				got.add(cf.assignPort(DVIPA, "SYSB", p -> p != 20007));
			}
			assertFalse(got.contains(20005), "an excluded port: " + got);
			assertFalse(got.contains(20007), "a port the stack cannot use: " + got);
			assertFalse(got.contains(a), "SYSA's port: " + got);
			assertEquals(7, cf.heldBy("SYSB") + cf.heldBy("SYSA"));
			// another DVIPA has its own ports
			assertEquals(Optional.empty(), cf.holder(OTHER, a));
			cf.assignPort(OTHER, "SYSB", p -> true);

			cf.releaseAll("SYSB"); // SYSB ends
			assertEquals(0, cf.heldBy("SYSB"));
			assertEquals(Optional.of("SYSA"), cf.holder(DVIPA, a));
		} finally {
			close(cf);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "etcd" })
	void aFullRangeAndAMissingStructureAreErrorsThatSaySo(String kind) throws Exception {
		CouplingFacility cf = cf(kind, CFRM, 20000, 20002);
		CouplingFacility none = cf(kind, Set.of("EZBDVIPA"), 20000, 20002);
		try {
			for (int i = 0; i < 3; i++) {
				cf.assignPort(DVIPA, "SYSA", p -> true);
			}
			IOException full = assertThrows(IOException.class, () -> cf.assignPort(DVIPA, "SYSB", p -> true));
			assertTrue(full.getMessage().contains("no free port") && full.getMessage().contains("20000-20002"),
					full.getMessage());
			IOException missing = assertThrows(IOException.class, () -> none.assignPort(DVIPA, "SYSA", p -> true));
			assertTrue(missing.getMessage().contains("no EZBEPORT structure"), missing.getMessage());
		} finally {
			close(cf);
			close(none);
		}
	}

	/** 8 systems ask at once, 25 ports each, from a range of 200: each port goes to exactly one. */
	@ParameterizedTest
	@ValueSource(strings = { "memory", "etcd" })
	void systemsAskingAtOnceNeverGetTheSamePort(String kind) throws Exception {
		CouplingFacility cf = cf(kind, CFRM, 30000, 30199);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<List<Integer>>> results = new ArrayList<>();
			for (int s = 0; s < 8; s++) {
				String stack = "SYS" + s;
				Callable<List<Integer>> task = () -> {
					List<Integer> ports = new ArrayList<>();
					for (int i = 0; i < 25; i++) {
						ports.add(cf.assignPort(DVIPA, stack, p -> true));
					}
					return ports;
				};
				results.add(pool.submit(task));
			}
			List<Integer> all = new ArrayList<>();
			for (Future<List<Integer>> f : results) {
				all.addAll(f.get());
			}
			assertEquals(200, all.size());
			assertEquals(200, new HashSet<>(all).size(), "a port given twice: " + duplicates(all));
		} finally {
			pool.shutdownNow();
			close(cf);
		}
	}

	private static List<Integer> duplicates(List<Integer> all) {
		List<Integer> d = new ArrayList<>(all);
		for (Integer i : new HashSet<>(all)) {
			d.remove(i);
		}
		Collections.sort(d);
		return d;
	}

	// ---- what only a separate engine shows -------------------------------------------------------

	/** Two processes' facilities (two clients, as two systems' JVMs) claim from one EZBEPORT. */
	@Test
	void twoSystemsInTwoProcessesShareOneEzbeport() throws Exception {
		Assumptions.assumeTrue(etcd != null, "etcd is not installed");
		String plex = "PLEX" + (++plexes);
		Supplier<EtcdCouplingFacility> process = () -> new EtcdCouplingFacility(new EtcdClient(etcd.endpoint(),
				Duration.ofSeconds(5)), plex, CFRM, 20000, 20003, 10);
		try (EtcdCouplingFacility sysa = process.get(); EtcdCouplingFacility sysb = process.get()) {
			Set<Integer> ports = new HashSet<>();
			for (int i = 0; i < 2; i++) {
				ports.add(sysa.assignPort(DVIPA, "SYSA", p -> true));
				ports.add(sysb.assignPort(DVIPA, "SYSB", p -> true));
			}
			assertEquals(4, ports.size(), "four distinct ports: " + ports);
			assertEquals(2, sysb.heldBy("SYSA"), "SYSB's process sees SYSA's ports");
			assertThrows(IOException.class, () -> sysb.assignPort(DVIPA, "SYSB", p -> true), "the range is used up");
		}
	}

	/** A system whose process dies without releasing: its ports return when its lease ends, not before. */
	@Test
	void aKilledSystemsPortsComeBackWhenItsLeaseEnds() throws Exception {
		Assumptions.assumeTrue(etcd != null, "etcd is not installed");
		String plex = "PLEX" + (++plexes);
		EtcdCouplingFacility killed = new EtcdCouplingFacility(new EtcdClient(etcd.endpoint(), Duration.ofSeconds(5)),
				plex, CFRM, 20000, 20001, 2);
		try (EtcdCouplingFacility survivor = new EtcdCouplingFacility(new EtcdClient(etcd.endpoint(),
				Duration.ofSeconds(5)), plex, CFRM, 20000, 20001, 2)) {
			killed.assignPort(DVIPA, "SYSA", p -> true);
			killed.assignPort(DVIPA, "SYSA", p -> true);
			Thread.sleep(2_500); // longer than the lease: renewed, SYSA still holds both
			assertEquals(2, survivor.heldBy("SYSA"), "a live system keeps its ports past its lease's TTL");
			killed.abandon(); // the process is gone: nobody renews
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (survivor.heldBy("SYSA") > 0) {
				assertTrue(System.nanoTime() < deadline, "SYSA's ports were not freed within 10 s of its end");
				Thread.sleep(100);
			}
			int port = survivor.assignPort(DVIPA, "SYSB", p -> true);
			assertEquals(Optional.of("SYSB"), survivor.holder(DVIPA, port));
		}
	}

	/**
	 * The sysplex's stacks on the etcd coupling facility: concurrent binds of SYSPLEXPORTS servers on
	 * three systems get ports unique in the sysplex, each routed to its holder, each key in etcd
	 * naming that system; a system that stops gives its ports back. (DistributorTest holds the
	 * embedded facility to the same.)
	 */
	@Test
	void theSysplexsSysplexPortsLiveInEtcd() throws Exception {
		Assumptions.assumeTrue(etcd != null, "etcd is not installed");
		dev.sysplex.host.net.SysplexFixture f = new dev.sysplex.host.net.SysplexFixture(java.nio.file.Files.createDirectories(dir.resolve("plex")), 3)
				.write("VIPADISTRIBUTE DEFINE SYSPLEXPORTS DISTMETHOD ROUNDROBIN DVIPA PORT 4035 DESTIP ALL", true, null);
		EtcdClient client = new EtcdClient(etcd.endpoint(), Duration.ofSeconds(5));
		String plex = "PLEX" + (++plexes);
		try (dev.sysplex.host.net.SysplexNetwork n = dev.sysplex.host.net.SysplexNetwork.start(
				dev.sysplex.config.SysplexConfig.load(f.dir),
				(structures, low, high) -> new EtcdCouplingFacility(client, plex, structures, low, high, 10));
				ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			assertTrue(n.couplingFacility() instanceof EtcdCouplingFacility);
			List<Callable<dev.sysplex.host.net.WhoAmIServer>> binds = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				dev.sysplex.host.net.TcpipStack s = n.stacks().get(i % 3);
				binds.add(() -> dev.sysplex.host.net.WhoAmIServer.start(s, f.dvipaAddress(), 0));
			}
			Set<Integer> ports = new HashSet<>();
			for (Future<dev.sysplex.host.net.WhoAmIServer> fu : pool.invokeAll(binds)) {
				dev.sysplex.host.net.WhoAmIServer server = fu.get();
				ports.add(server.endpoint().port());
				assertEquals(server.endpoint().systemName(), f.ask(server.endpoint().port()), "routed to its holder");
				assertEquals(server.endpoint().systemName(), client.get("/sysplex/" + plex + "/ezbeport/" + f.dvipa()
						+ "/" + String.format("%05d", server.endpoint().port())), "etcd names the holder");
			}
			assertEquals(30, ports.size(), "every port unique in the sysplex");
			assertEquals(10, n.couplingFacility().heldBy("SYS2"));
			n.stopSystem("SYS2");
			assertEquals(0, n.couplingFacility().heldBy("SYS2"), "a stack that ends releases its ports");
			assertEquals(20, client.prefix("/sysplex/" + plex + "/ezbeport/").size());
		}
		assertEquals(0, client.prefix("/sysplex/" + plex + "/ezbeport/").size(), "a sysplex that stops leaves no entry");
	}

	/**
	 * A coupling facility on three etcd members: the member the systems talk to is killed, and
	 * assignments go on through another (a new leader is elected when it was the leader), with no
	 * error and no port given twice.
	 */
	@Test
	void aMemberOfThreeKilledGoesUnnoticed() throws Exception {
		Assumptions.assumeTrue(etcd != null, "etcd is not installed");
		List<EtcdServer> members = EtcdServer.startCluster(dir.resolve("cluster"), InetAddress.getLoopbackAddress(), 3,
				Duration.ofSeconds(30));
		try {
			EtcdClient client = new EtcdClient(members.stream().map(EtcdServer::endpoint).toList(), Duration.ofSeconds(5));
			try (EtcdCouplingFacility cf = new EtcdCouplingFacility(client, "PLEX3M", CFRM, 20000, 20099, 10)) {
				Set<Integer> ports = new HashSet<>();
				for (int i = 0; i < 5; i++) {
					ports.add(cf.assignPort(DVIPA, "SYSA", p -> true));
				}
				EtcdServer used = members.stream().filter(m -> m.endpoint().equals(client.endpoint())).findFirst()
						.orElseThrow();
				used.kill();
				for (int i = 0; i < 5; i++) {
					ports.add(cf.assignPort(DVIPA, "SYSB", p -> true));
				}
				assertEquals(10, ports.size(), "ten distinct ports: " + ports);
				assertNotEquals(used.endpoint(), client.endpoint(), "the client moved to another member");
				assertEquals(5, cf.heldBy("SYSA"), "SYSA's ports survived the member's loss");
			}
		} finally {
			members.forEach(EtcdServer::close);
		}
	}

	/** etcd gone: a new assignment fails and says why and what still works. */
	@Test
	void anUnreachableEtcdFailsNewAssignmentsWithTheReasonAndWhatStillWorks() throws Exception {
		Assumptions.assumeTrue(etcd != null, "etcd is not installed");
		EtcdServer own = EtcdServer.start(dir.resolve("etcd-own"), InetAddress.getLoopbackAddress(), Duration.ofSeconds(20));
		try (EtcdCouplingFacility cf = new EtcdCouplingFacility(new EtcdClient(own.endpoint(), Duration.ofSeconds(2)),
				"PLEXGONE", CFRM, 20000, 20009, 10)) {
			int before = cf.assignPort(DVIPA, "SYSA", p -> true);
			own.kill();
			IOException e = assertThrows(IOException.class, () -> cf.assignPort(DVIPA, "SYSA", p -> true));
			assertTrue(e.getMessage().contains("etcd at " + own.endpoint()) && e.getMessage().contains(
					"ports already assigned keep working"), e.getMessage());
			assertNotEquals(0, before);
		} finally {
			own.close();
		}
	}
}
