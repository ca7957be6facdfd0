package dev.sysplex.host.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.config.ConfigException;

/** The Sysplex Distributor over real sockets on loopback addresses. */
class DistributorTest {

	@TempDir
	Path dir;

	private static Map<String, Integer> count(List<String> systems) {
		Map<String, Integer> m = new TreeMap<>();
		systems.forEach(s -> m.merge(s, 1, Integer::sum));
		return m;
	}

	private static void whoamiEverywhere(SysplexNetwork n, InetAddress address, int port) throws IOException {
		for (TcpipStack s : n.stacks()) {
			WhoAmIServer.start(s, address, port);
		}
	}

	@Test
	void roundRobinOverTwoSystemsAlternatesExactly() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 2)
				.write("VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA PORT 4035 DESTIP ALL", true, null);
		try (SysplexNetwork n = f.start()) {
			whoamiEverywhere(n, f.dvipaAddress(), 4035);
			assertEquals(List.of("SYS1", "SYS2", "SYS1", "SYS2", "SYS1", "SYS2"), f.askSequentially(n, 4035, 6));
		}
	}

	@Test
	void roundRobinOverFourSystemsVisitsEachInTurn() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 4)
				.write("VIPADISTRIBUTE DEFINE DISTM ROUNDROBIN DVIPA PORT 4035 DESTIP ALL", true, null);
		try (SysplexNetwork n = f.start()) {
			whoamiEverywhere(n, f.dvipaAddress(), 4035);
			List<String> got = f.askSequentially(n, 4035, 8);
			assertEquals(List.of("SYS1", "SYS2", "SYS3", "SYS4", "SYS1", "SYS2", "SYS3", "SYS4"), got);
			assertEquals(Map.of("SYS1", 2L, "SYS2", 2L, "SYS3", 2L, "SYS4", 2L),
					n.dvipa(f.dvipaAddress()).orElseThrow().totals(4035));
			assertTrue(n.netstatVdpt().contains("04035"), n.netstatVdpt());
		}
	}

	@Test
	void roundRobinSkipsTargetsWithoutAListener() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 3)
				.write("VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA PORT 4035 DESTIP ALL", true, null);
		try (SysplexNetwork n = f.start()) {
			WhoAmIServer.start(n.stack("SYS1").orElseThrow(), f.dvipaAddress(), 4035);
			WhoAmIServer.start(n.stack("SYS3").orElseThrow(), f.dvipaAddress(), 4035);
			assertEquals(List.of("SYS1", "SYS3", "SYS1", "SYS3"), f.askSequentially(n, 4035, 4));
		}
	}

	@Test
	void weightedActiveSpreadsOpenConnectionsByWeight() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 2).write("VIPADISTRIBUTE DEFINE DISTMETHOD WEIGHTEDACTIVE DVIPA "
				+ "PORT 5000 DESTIP 127.64.SUB.1 WEIGHT 1 127.64.SUB.2 WEIGHT 3", true, null);
		rewriteSubnet(f);
		try (SysplexNetwork n = f.start()) {
			for (TcpipStack s : n.stacks()) {
				SysplexFixture.holdServer(s, f.dvipaAddress(), 5000);
			}
			List<SysplexFixture.Held> held = new ArrayList<>();
			try {
				for (int i = 0; i < 8; i++) {
					held.add(f.hold(5000));
				}
				assertEquals(Map.of("SYS1", 2, "SYS2", 6), count(held.stream().map(SysplexFixture.Held::system).toList()));
			} finally {
				for (SysplexFixture.Held h : held) {
					h.socket().close();
				}
			}
		}
	}

	/** The distribute string used "SUB" for the fixture's subnet; put the real one in. */
	private static void rewriteSubnet(SysplexFixture f) throws IOException {
		Path p = f.dir.resolve("systems/SYS1/PROFILE.TCPIP");
		java.nio.file.Files.writeString(p, java.nio.file.Files.readString(p).replace("127.64.SUB.", "127.64." + f.subnet + "."));
	}

	@Test
	void baseWlmFollowsSystemWeights() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 2)
				.write("VIPADISTRIBUTE DEFINE DISTMETHOD BASEWLM DVIPA PORT 4035 DESTIP ALL", true, null);
		Path conf = f.dir.resolve("sysplex.conf");
		java.nio.file.Files.writeString(conf, java.nio.file.Files.readString(conf)
				.replace("SYSCLONE(01)", "SYSCLONE(01) WLMWEIGHT(64)").replace("SYSCLONE(02)", "SYSCLONE(02) WLMWEIGHT(32)"));
		try (SysplexNetwork n = f.start()) {
			whoamiEverywhere(n, f.dvipaAddress(), 4035);
			// smooth weighted round robin over 64:32
			assertEquals(List.of("SYS1", "SYS2", "SYS1", "SYS1", "SYS2", "SYS1"), f.askSequentially(n, 4035, 6));
		}
	}

	/**
	 * The SERVERWLM pitfall: WLM weighs the listening daemon, not the work it hands to other
	 * ports. With four long sessions on SYS1, BASEWLM steers new logins away from SYS1; SERVERWLM
	 * keeps alternating because the daemon itself looks idle on both systems.
	 */
	@Test
	void serverWlmWeighsTheDaemonNotTheSessionsItStarted() throws Exception {
		Map<String, List<String>> byMethod = new TreeMap<>();
		for (String method : List.of("BASEWLM", "SERVERWLM")) {
			Path sub = java.nio.file.Files.createDirectories(dir.resolve(method));
			SysplexFixture f = new SysplexFixture(sub, 2)
					.write("VIPADISTRIBUTE DEFINE DISTMETHOD " + method + " DVIPA DESTIP ALL", true, null);
			try (SysplexNetwork n = f.start()) {
				whoamiEverywhere(n, f.dvipaAddress(), 4035);
				SysplexFixture.holdServer(n.stack("SYS1").orElseThrow(), f.dvipaAddress(), 7000); // SYS1's sessions
				List<SysplexFixture.Held> sessions = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					sessions.add(f.hold(7000));
				}
				byMethod.put(method, f.askSequentially(n, 4035, 4));
				for (SysplexFixture.Held h : sessions) {
					assertEquals("SYS1", h.system());
					h.socket().close();
				}
			}
		}
		assertEquals(Map.of("SYS1", 1, "SYS2", 3), count(byMethod.get("BASEWLM")));
		assertEquals(Map.of("SYS1", 2, "SYS2", 2), count(byMethod.get("SERVERWLM")));
	}

	@Test
	void hotStandbyUsesThePreferredTargetSwitchesOnFailureAndBack() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 3).write("VIPADISTRIBUTE DEFINE DISTMETHOD HOTSTANDBY AUTOSWITCHBACK "
				+ "DVIPA PORT 10000 DESTIP 127.64.SUB.2 PREFERRED 127.64.SUB.1 BACKUP 50 127.64.SUB.3 BACKUP 80", true, null);
		rewriteSubnet(f);
		try (SysplexNetwork n = f.start()) {
			WhoAmIServer s2 = WhoAmIServer.start(n.stack("SYS2").orElseThrow(), f.dvipaAddress(), 10000);
			WhoAmIServer.start(n.stack("SYS1").orElseThrow(), f.dvipaAddress(), 10000);
			WhoAmIServer.start(n.stack("SYS3").orElseThrow(), f.dvipaAddress(), 10000);
			assertEquals(List.of("SYS2", "SYS2", "SYS2"), f.askSequentially(n, 10000, 3));
			s2.close();
			assertEquals(List.of("SYS3", "SYS3"), f.askSequentially(n, 10000, 2), "backup of highest rank");
			WhoAmIServer.start(n.stack("SYS2").orElseThrow(), f.dvipaAddress(), 10000);
			assertEquals(List.of("SYS2", "SYS2"), f.askSequentially(n, 10000, 2), "AUTOSWITCHBACK");
		}
	}

	@Test
	void aPortThatIsNotDistributedReachesOnlyTheDvipaOwner() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 2)
				.write("VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA PORT 4035 DESTIP ALL", true, null);
		try (SysplexNetwork n = f.start()) {
			WhoAmIServer only2 = WhoAmIServer.start(n.stack("SYS2").orElseThrow(), f.dvipaAddress(), 5302);
			// SYS2 listens on 5302, but 5302 is not in PORT: the owner SYS1 gets it, has no listener: reset
			assertThrows(IOException.class, () -> f.ask(5302));
			WhoAmIServer.start(n.stack("SYS1").orElseThrow(), f.dvipaAddress(), 5302);
			assertEquals(List.of("SYS1", "SYS1", "SYS1"), f.askSequentially(n, 5302, 3));
			only2.close();
		}
	}

	@Test
	void noListenerAnywhereIsRefusedAtOnce() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 2)
				.write("VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA PORT 4035 DESTIP ALL", true, null);
		try (SysplexNetwork n = f.start()) {
			long t0 = System.nanoTime();
			assertThrows(ConnectException.class, () -> f.ask(4035));
			assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "refused, not timed out");
			WhoAmIServer w = WhoAmIServer.start(n.stack("SYS2").orElseThrow(), f.dvipaAddress(), 4035);
			assertEquals("SYS2", f.ask(4035));
			w.close();
			assertThrows(ConnectException.class, () -> f.ask(4035), "refused again once the last listener closed");
		}
	}

	@Test
	void sysplexPortsAreUniqueUnderConcurrentBindsAndReachTheirHolder() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 3)
				.write("VIPADISTRIBUTE DEFINE SYSPLEXPORTS DISTMETHOD ROUNDROBIN DVIPA PORT 4035 DESTIP ALL", true, null);
		try (SysplexNetwork n = f.start(); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Callable<WhoAmIServer>> binds = new ArrayList<>();
			for (int i = 0; i < 90; i++) {
				TcpipStack s = n.stacks().get(i % 3);
				binds.add(() -> WhoAmIServer.start(s, f.dvipaAddress(), 0));
			}
			List<WhoAmIServer> servers = new ArrayList<>();
			for (Future<WhoAmIServer> fu : pool.invokeAll(binds)) {
				servers.add(fu.get());
			}
			Set<Integer> ports = new HashSet<>();
			servers.forEach(s -> ports.add(s.endpoint().port()));
			assertEquals(90, ports.size(), "every port unique in the sysplex");
			for (WhoAmIServer s : servers) {
				assertTrue(s.endpoint().isSysplexPort());
				assertEquals(s.endpoint().systemName(), f.ask(s.endpoint().port()), "routed to the port's holder");
			}
			assertEquals(30, n.couplingFacility().heldBy("SYS2"));
			n.stopSystem("SYS2");
			assertEquals(0, n.couplingFacility().heldBy("SYS2"), "a stack that ends releases its ports");
		}
	}

	/**
	 * The port collision: without SYSPLEXPORTS each stack hands out its own ephemeral ports, so
	 * two servers get the same DVIPA port; with every port distributed, the distributor sends a
	 * connection meant for one of them to the other.
	 */
	@Test
	void withoutSysplexPortsEphemeralPortsCollideAndReachTheWrongSystem() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 2)
				.write("VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA DESTIP ALL", true, null);
		try (SysplexNetwork n = f.start()) {
			WhoAmIServer a = WhoAmIServer.start(n.stack("SYS1").orElseThrow(), f.dvipaAddress(), 0);
			WhoAmIServer b = WhoAmIServer.start(n.stack("SYS2").orElseThrow(), f.dvipaAddress(), 0);
			assertEquals(20000, a.endpoint().port());
			assertEquals(a.endpoint().port(), b.endpoint().port(), "both stacks handed out the same port");
			List<String> got = f.askSequentially(n, b.endpoint().port(), 2);
			assertEquals(Set.of("SYS1", "SYS2"), new HashSet<>(got),
					"a client meant for SYS2's server also lands on SYS1");
		}
	}

	@Test
	void withSysplexPortsTheSameBindsGetDistinctPorts() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 2)
				.write("VIPADISTRIBUTE DEFINE SYSPLEXPORTS DISTMETHOD ROUNDROBIN DVIPA DESTIP ALL", true, null);
		try (SysplexNetwork n = f.start()) {
			WhoAmIServer a = WhoAmIServer.start(n.stack("SYS1").orElseThrow(), f.dvipaAddress(), 0);
			WhoAmIServer b = WhoAmIServer.start(n.stack("SYS2").orElseThrow(), f.dvipaAddress(), 0);
			assertTrue(a.endpoint().port() != b.endpoint().port());
			assertEquals(List.of("SYS2", "SYS2"), f.askSequentially(n, b.endpoint().port(), 2));
		}
	}

	@Test
	void sysplexPortsWithoutEzbeportFailsAtStart() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 2)
				.write("VIPADISTRIBUTE DEFINE SYSPLEXPORTS DISTMETHOD ROUNDROBIN DVIPA PORT 4035 DESTIP ALL", false, null);
		ConfigException e = assertThrows(ConfigException.class, f::start);
		assertTrue(e.getMessage().contains("EZBEPORT") && e.getMessage().contains("PROFILE.TCPIP:"), e.getMessage());
		// nothing listens: the failed start left no half-configured sysplex behind
		try (Socket s = new Socket()) {
			assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress(f.address(1), 4035), 2000));
		}
	}

	@Test
	void highestRankedBackupTakesOverAndSurvivingConnectionsKeepWorking() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 3)
				.write("VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA PORT 4035 5000 DESTIP ALL", true, null);
		try (SysplexNetwork n = f.start()) {
			DistributedVipa d = n.dvipa(f.dvipaAddress()).orElseThrow();
			// the fixture ranks SYS2 20 and SYS3 10; SYS2 is the highest-ranked backup
			assertEquals("SYS1", d.owner().orElseThrow().name());
			whoamiEverywhere(n, f.dvipaAddress(), 4035);
			SysplexFixture.holdServer(n.stack("SYS2").orElseThrow(), f.dvipaAddress(), 5000);
			SysplexFixture.Held session = f.hold(5000);
			assertEquals("SYS2", session.system());

			n.stopSystem("SYS1");
			assertEquals("SYS2", d.owner().orElseThrow().name(), "highest-ranked backup owns the DVIPA");
			assertEquals(Set.of("SYS2", "SYS3"), new HashSet<>(f.askSequentially(n, 4035, 4)), "new connections work");
			assertEquals("still here", session.echo("still here"), "a connection to a surviving stack survives");
			session.socket().close();

			n.startSystem("SYS1");
			assertEquals("SYS1", d.owner().orElseThrow().name(), "MOVEABLE IMMEDIATE: the DVIPA moves back");
		}
	}

	@Test
	void withoutABackupTheDvipaDiesWithItsOwner() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 2).write(
				"VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA PORT 4035 DESTIP ALL", true, i -> i == 2 ? "VIPABACKUP_NONE" : null);
		Path p2 = f.dir.resolve("systems/SYS2/PROFILE.TCPIP");
		java.nio.file.Files.writeString(p2, java.nio.file.Files.readString(p2).replace("VIPABACKUP_NONE\n", ""));
		try (SysplexNetwork n = f.start()) {
			whoamiEverywhere(n, f.dvipaAddress(), 4035);
			assertEquals("SYS1", f.ask(4035));
			n.stopSystem("SYS1");
			assertThrows(ConnectException.class, () -> f.ask(4035));
			assertTrue(n.dvipa(f.dvipaAddress()).orElseThrow().owner().isEmpty());
		}
	}

	@Test
	void portReservationsAreEnforcedAndSkippedByTheEphemeralAllocator() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 1).write(
				"VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA PORT 4035 DESTIP ALL", true,
				i -> "PORT 4035 TCP RSED\nPORTRANGE 20000 3 TCP OTHERJOB");
		try (SysplexNetwork n = f.start()) {
			TcpipStack s = n.stack("SYS1").orElseThrow();
			BindException e = assertThrows(BindException.class, () -> s.listen("WHOAMI", f.dvipaAddress(), 4035));
			assertTrue(e.getMessage().contains("reserved for job RSED") && e.getMessage().contains("PROFILE.TCPIP:"),
					e.getMessage());
			s.listen("RSED", f.dvipaAddress(), 4035).close();
			assertEquals(20003, s.listen("MYJOB", s.homeAddress(), 0).port(), "20000-20002 are OTHERJOB's");
			assertThrows(BindException.class, () -> s.listen("X", InetAddress.getByName("127.0.0.1"), 0),
					"a server binds only the addresses it is given");
		}
	}

	@Test
	void distributorReportsItsTables() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 2)
				.write("VIPADISTRIBUTE DEFINE DISTMETHOD ROUNDROBIN DVIPA PORT 5000 DESTIP ALL", true, null);
		try (SysplexNetwork n = f.start()) {
			for (TcpipStack s : n.stacks()) {
				SysplexFixture.holdServer(s, f.dvipaAddress(), 5000);
			}
			SysplexFixture.Held h1 = f.hold(5000);
			SysplexFixture.Held h2 = f.hold(5000);
			String vcrt = n.netstatVcrt();
			assertTrue(vcrt.contains("2 connection(s) routed") && vcrt.contains("SYS1") && vcrt.contains("SYS2"), vcrt);
			String vdpt = n.netstatVdpt();
			assertTrue(vdpt.lines().filter(l -> l.contains("05000")).count() == 2, vdpt);
			h1.socket().close();
			h2.socket().close();
			SysplexFixture.awaitNoConnections(n.dvipa(f.dvipaAddress()).orElseThrow(), 5000);
			assertTrue(n.netstatVcrt().contains("0 connection(s) routed"));
		}
	}
}
