package dev.sysplex.host.net;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import dev.sysplex.config.TcpipProfile.DestIp;
import dev.sysplex.config.TcpipProfile.DistMethod;
import dev.sysplex.config.TcpipProfile.VipaDistribute;

/**
 * The Sysplex Distributor of one DVIPA in the isolated mode: the owner's kernel routes the
 * connections (nftables, direct routing), this class only programs it. The targets have the DVIPA
 * on their loopback device and their servers bind it; the owner answers ARP for it. A new
 * connection (a SYN) is marked with its target system's number: the SYSPLEXPORTS holder of its
 * port first, else the distributed port's target chosen by the distribution method, else the
 * owner; the mark goes into a connection map keyed by client address, client port and port, and
 * every later segment of the connection follows that entry. A mark routes by policy (fwmark N
 * looks up table 100+N: the target's XCF address as next hop; the owner's own number looks up
 * the local table), so the segment reaches the target with the DVIPA as its destination and the
 * target answers the client directly.
 * <p>
 * What a distributed port's targets are comes from the targets themselves: each system reports
 * the servers it has listening on the DVIPA (over its XCF link, or directly when it is the owner);
 * a port with no ready target falls to the owner, whose kernel refuses it when nothing listens
 * there. Distribution methods: ROUNDROBIN one slot per ready target in DESTIP order (as the
 * embedded distributor rotates); HOTSTANDBY the preferred target while it is ready, else the
 * ready backup of highest rank; WEIGHTEDACTIVE, BASEWLM and SERVERWLM the embedded distributor's
 * weight model on the established connections the systems report every second, as slot counts
 * (so a burst of new connections within a second is spread by the last figures, not one by one).
 */
final class KernelDistributor {

	private static final String LAN = Isolation.LAN;
	/** An idle connection's entry lives this long; a SYN whose connection never completes, {@link #SYN_TIMEOUT}. */
	static final String IDLE_TIMEOUT = "12h";
	static final String SYN_TIMEOUT = "2m";
	/** The most slots a port's distribution has (weights are reduced to fit). */
	static final int MAX_SLOTS = 128;

	private final DistributedVipa dvipa;
	private final SysplexNetwork network;
	private final TcpipStack local;
	private final String table;
	private final Consumer<String> trace;
	/** port -> systems with a server listening on it */
	private final Map<Integer, Set<String>> listening = new TreeMap<>();
	/** SYSPLEXPORTS port -> the system that bound it */
	private final Map<Integer, String> sysplexPorts = new HashMap<>();
	private final Set<Integer> chains = new HashSet<>();
	/** The slots each distributed port has in the kernel now. */
	private final Map<Integer, List<Integer>> programmed = new HashMap<>();
	/** Established connections each system reported per port of this DVIPA (every second; the owner's own too). */
	private final Map<String, Map<Integer, Integer>> load = new HashMap<>();
	/** Systems whose link ended: their connections are reset, until they report again. */
	private final Set<String> dead = new HashSet<>();
	private boolean started;

	KernelDistributor(DistributedVipa dvipa, SysplexNetwork network, TcpipStack local, Consumer<String> trace) {
		this.dvipa = dvipa;
		this.network = network;
		this.local = local;
		this.trace = trace;
		this.table = "sd_" + dvipa.address().getHostAddress().replace('.', '_');
	}

	/** A system's mark: its position in the sysplex, from 1. */
	static int mark(SysplexNetwork network, String system) {
		List<TcpipStack> stacks = network.stacks();
		for (int i = 0; i < stacks.size(); i++) {
			if (stacks.get(i).name().equals(system)) {
				return i + 1;
			}
		}
		throw new IllegalArgumentException("no system " + system);
	}

	/**
	 * The policy routing every distributor of this system uses, set once: mark N to the target's
	 * XCF address, the own mark to the local table, the local table behind those rules; forwarding
	 * on, redirects off (a target on the same LAN must not be told to bypass the distributor).
	 */
	static void route(SysplexNetwork network, TcpipStack local) throws IOException {
		KernelCommands.sysctl("net.ipv4.ip_forward", "1");
		KernelCommands.sysctl("net.ipv4.conf.all.send_redirects", "0");
		KernelCommands.sysctl("net.ipv4.conf." + LAN + ".send_redirects", "0");
		StringBuilder ip = new StringBuilder();
		for (TcpipStack s : network.stacks()) {
			int m = mark(network, s.name());
			if (s == local) {
				ip.append("rule add pref ").append(1000 + m).append(" fwmark ").append(m).append(" lookup local\n");
			} else if (s.xcfAddress().isPresent()) {
				ip.append("route replace default via ").append(s.xcfAddress().get().getHostAddress()).append(" dev ")
						.append(LAN).append(" onlink table ").append(100 + m).append('\n');
				ip.append("rule add pref ").append(1000 + m).append(" fwmark ").append(m).append(" lookup ")
						.append(100 + m).append('\n');
			}
		}
		ip.append("rule add pref 2000 lookup local\n").append("rule del pref 0\n");
		KernelCommands.ip(ip.toString());
	}

	/** Loads the DVIPA's table and takes the DVIPA on the LAN (answers ARP for it). */
	synchronized void start() throws IOException {
		String d = dvipa.address().getHostAddress();
		int own = mark(network, local.name());
		KernelCommands.nft("table ip " + table + " {\n"
				+ "  map conns { type ipv4_addr . inet_service . inet_service : mark; flags dynamic,timeout; timeout "
				+ IDLE_TIMEOUT + "; size 262144; }\n"
				+ "  map sysplexports { type inet_service : mark; }\n"
				+ "  map services { type inet_service : verdict; }\n"
				+ "  set dead { type mark; }\n"
				// a segment of a connection to a target that failed is answered with a reset: its client learns at once
				+ "  chain reset_dead { type filter hook forward priority filter; policy accept; ip daddr " + d
				+ " meta mark @dead reject with tcp reset; }\n"
				+ "  chain raw { type filter hook prerouting priority raw; policy accept; ip daddr " + d + " notrack; }\n"
				+ "  chain pre {\n"
				+ "    type filter hook prerouting priority mangle; policy accept;\n"
				+ "    ip daddr != " + d + " return\n"
				+ "    ip protocol != tcp return\n"
				+ "    meta mark set ip saddr . tcp sport . tcp dport map @conns\n"
				+ "    meta mark != 0 update @conns { ip saddr . tcp sport . tcp dport timeout " + IDLE_TIMEOUT
				+ " : meta mark } accept\n"
				// a segment of a connection this distributor does not know: dropped, never reset (its peer retransmits)
				+ "    tcp flags & (syn|ack) != syn drop\n"
				+ "    meta mark set tcp dport map @sysplexports\n"
				+ "    meta mark == 0 tcp dport vmap @services\n"
				+ "    meta mark == 0 meta mark set " + own + "\n"
				+ "    add @conns { ip saddr . tcp sport . tcp dport timeout " + SYN_TIMEOUT + " : meta mark } accept\n"
				+ "  }\n"
				+ "}\n");
		try {
			KernelCommands.ip("addr replace " + d + "/32 dev " + LAN + "\n");
		} catch (IOException e) {
			KernelCommands.nft("delete table ip " + table + "\n");
			throw e;
		}
		started = true;
		trace.accept("distributor of DVIPA " + d + " on " + local.name() + ": kernel table " + table + " loaded, "
				+ d + " taken on " + LAN);
	}

	/** {@code system} has a server listening on the DVIPA at {@code port}. */
	synchronized void listen(String system, int port, boolean sysplexPort) throws IOException {
		reported(system);
		if (sysplexPort) {
			String before = sysplexPorts.get(port);
			if (!system.equals(before)) {
				KernelCommands.nft((before == null ? "" : "delete element ip " + table + " sysplexports { " + port
						+ " }\n") + "add element ip " + table + " sysplexports { " + port + " : " + mark(network, system)
						+ " }\n");
				sysplexPorts.put(port, system);
				trace.accept("distributor of DVIPA " + dvipa.address().getHostAddress() + ": SYSPLEXPORTS port " + port
						+ " to " + system);
			}
			return;
		}
		Set<String> on = listening.computeIfAbsent(port, p -> new TreeSet<>());
		if (on.add(system)) {
			try {
				program(port);
			} catch (IOException e) {
				on.remove(system);
				throw e;
			}
		}
	}

	/** {@code system} reports again (its link is back): its connections are no longer reset. */
	private void reported(String system) throws IOException {
		if (dead.remove(system)) {
			KernelCommands.nft("delete element ip " + table + " dead { " + mark(network, system) + " }\n");
		}
	}

	/** {@code system} no longer listens on the DVIPA at {@code port}. */
	synchronized void unlisten(String system, int port, boolean sysplexPort) throws IOException {
		if (sysplexPort) {
			if (sysplexPorts.remove(port, system)) {
				KernelCommands.nft("delete element ip " + table + " sysplexports { " + port + " }\n");
			}
			return;
		}
		Set<String> on = listening.get(port);
		if (on != null && on.remove(system)) {
			program(port);
		}
	}

	/**
	 * Forgets every server of {@code system}: new connections avoid it; when it {@code failed} (its
	 * XCF link ended) the connections routed to it are reset at their next segment too.
	 */
	synchronized void forget(String system, boolean failed) {
		StringBuilder nft = new StringBuilder();
		if (failed && !system.equals(local.name()) && dead.add(system)) {
			nft.append("add element ip ").append(table).append(" dead { ").append(mark(network, system)).append(" }\n");
		}
		List<Integer> gone = new ArrayList<>();
		sysplexPorts.forEach((port, holder) -> {
			if (holder.equals(system)) {
				gone.add(port);
				nft.append("delete element ip ").append(table).append(" sysplexports { ").append(port).append(" }\n");
			}
		});
		gone.forEach(sysplexPorts::remove);
		load.remove(system);
		try {
			if (nft.length() > 0) {
				KernelCommands.nft(nft.toString());
			}
			for (Map.Entry<Integer, Set<String>> e : listening.entrySet()) {
				if (e.getValue().remove(system)) {
					program(e.getKey());
				}
			}
		} catch (IOException e) {
			trace.accept("distributor of DVIPA " + dvipa.address().getHostAddress() + ": could not forget " + system
					+ "'s servers: " + e.getMessage());
		}
	}

	/**
	 * Routes connections that were established before this distributor existed (a takeover) to the
	 * system that has them, as that system reported them.
	 */
	synchronized void learn(String system, List<TcpTable.Connection> connections) throws IOException {
		int m = mark(network, system);
		reported(system);
		for (int i = 0; i < connections.size(); i += 500) {
			StringBuilder nft = new StringBuilder();
			for (TcpTable.Connection c : connections.subList(i, Math.min(connections.size(), i + 500))) {
				nft.append("add element ip ").append(table).append(" conns { ").append(c.client().getHostAddress())
						.append(" . ").append(c.clientPort()).append(" . ").append(c.localPort()).append(" timeout ")
						.append(IDLE_TIMEOUT).append(" : ").append(m).append(" }\n");
			}
			KernelCommands.nft(nft.toString());
		}
		if (!connections.isEmpty()) {
			trace.accept("distributor of DVIPA " + dvipa.address().getHostAddress() + ": " + connections.size()
					+ " established connection(s) of " + system + " routed to it again");
		}
	}

	/**
	 * Tells the LAN that the DVIPA is here now (gratuitous ARP, twice), so that clients and the
	 * bridge stop sending to the old owner; in the background, as z/OS announces a moved VIPA.
	 */
	void announce() {
		String d = dvipa.address().getHostAddress();
		Thread.ofVirtual().name("announce " + d).start(() -> {
			try {
				KernelCommands.run(List.of(KernelCommands.tool("arping"), "-q", "-U", "-c", "2", "-I", LAN, d), "");
			} catch (IOException e) {
				// arping -q exits 1 when nobody answered (nobody answers a gratuitous ARP): it was sent
				if (!e.getMessage().contains("exit 1")) {
					trace.accept("distributor of DVIPA " + d + ": the gratuitous ARP was not sent (" + e.getMessage()
							+ "); clients learn the new owner when their ARP entry expires");
				}
			}
		});
	}

	/** Rewrites the port's target choice from its ready targets, in one transaction. */
	private void program(int port) throws IOException {
		if (dvipa.ruleFor(port).isEmpty()) {
			return; // not distributed: its connections go to the owner
		}
		VipaDistribute rule = dvipa.ruleFor(port).get();
		List<Integer> slots = slots(port, rule, listening.getOrDefault(port, Set.of()));
		if (chains.contains(port) && slots.equals(programmed.get(port))) {
			return;
		}
		StringBuilder nft = new StringBuilder();
		String chain = "svc_" + port;
		if (!chains.contains(port)) {
			nft.append("add chain ip ").append(table).append(' ').append(chain).append('\n');
			nft.append("add element ip ").append(table).append(" services { ").append(port).append(" : jump ")
					.append(chain).append(" }\n");
		}
		nft.append("flush chain ip ").append(table).append(' ').append(chain).append('\n');
		if (!slots.isEmpty()) {
			StringBuilder map = new StringBuilder();
			for (int i = 0; i < slots.size(); i++) {
				map.append(i == 0 ? "" : ", ").append(i).append(" : ").append(slots.get(i));
			}
			nft.append("add rule ip ").append(table).append(' ').append(chain).append(" meta mark set numgen inc mod ")
					.append(slots.size()).append(" map { ").append(map).append(" }\n");
		}
		KernelCommands.nft(nft.toString());
		chains.add(port);
		programmed.put(port, slots);
		trace.accept("distributor of DVIPA " + dvipa.address().getHostAddress() + ": port " + port + " ("
				+ rule.method() + ") to " + slots.stream().map(this::systemOf).toList());
	}

	private String systemOf(int mark) {
		return network.stacks().get(mark - 1).name();
	}

	InetAddress dvipaAddress() {
		return dvipa.address();
	}

	/** Connections {@code system} has established on this DVIPA at {@code port}, or on all ports (-1). */
	private int active(String system, int port) {
		Map<Integer, Integer> m = load.getOrDefault(system, Map.of());
		return port < 0 ? m.values().stream().mapToInt(Integer::intValue).sum() : m.getOrDefault(port, 0);
	}

	/**
	 * A system's established connections on this DVIPA, per port, as it reports them: the ports whose
	 * method weighs load get their slots again when the figures changed them.
	 */
	synchronized void load(String system, Map<Integer, Integer> activeByPort) throws IOException {
		if (activeByPort.equals(load.put(system, Map.copyOf(activeByPort)))) {
			return;
		}
		for (Integer port : List.copyOf(listening.keySet())) {
			Optional<VipaDistribute> rule = dvipa.ruleFor(port);
			if (rule.isPresent() && rule.get().method() != DistMethod.ROUNDROBIN
					&& rule.get().method() != DistMethod.HOTSTANDBY) {
				program(port);
			}
		}
	}

	/** The target marks of a port's slots, in the order numgen walks them. */
	List<Integer> slots(int port, VipaDistribute rule, Set<String> ready) {
		List<TcpipStack> targets = dvipa.targets(rule).stream().filter(t -> ready.contains(t.name())).toList();
		if (targets.isEmpty()) {
			return List.of();
		}
		Map<TcpipStack, Integer> weights = new LinkedHashMap<>();
		switch (rule.method()) {
		case ROUNDROBIN -> targets.forEach(t -> weights.put(t, 1));
		// the embedded distributor's weight model, on the counts the targets report every second: WEIGHTEDACTIVE
		// the DESTIP weight over 1 + the port's connections there, BASEWLM the system's WLM weight over 1 + all
		// its connections on the DVIPA, SERVERWLM over 1 + the listening port's own
		case WEIGHTEDACTIVE -> targets.forEach(t -> weights.put(t, Math.max(1, rule.destinations().stream()
				.filter(d -> t.xcfAddress().map(d.address()::equals).orElse(false)).mapToInt(DestIp::weight)
				.findFirst().orElse(1) * 1000 / (1 + active(t.name(), port)))));
		case BASEWLM -> targets.forEach(t -> weights.put(t, Math.max(1, t.system().wlmWeight() * 1000
				/ (1 + active(t.name(), -1)))));
		case SERVERWLM -> targets.forEach(t -> weights.put(t, Math.max(1, t.system().wlmWeight() * 1000
				/ (1 + active(t.name(), port)))));
		case HOTSTANDBY -> weights.put(hotStandby(rule, targets), 1);
		}
		int g = weights.values().stream().reduce(0, KernelDistributor::gcd);
		weights.replaceAll((t, w) -> w / g);
		while (weights.values().stream().mapToInt(Integer::intValue).sum() > MAX_SLOTS) {
			weights.replaceAll((t, w) -> Math.max(1, w / 2));
		}
		// smooth weighted round robin, as the embedded distributor spreads WLM picks
		int total = weights.values().stream().mapToInt(Integer::intValue).sum();
		Map<TcpipStack, Integer> current = new LinkedHashMap<>();
		List<Integer> slots = new ArrayList<>();
		for (int i = 0; i < total; i++) {
			TcpipStack best = null;
			for (Map.Entry<TcpipStack, Integer> e : weights.entrySet()) {
				int c = current.merge(e.getKey(), e.getValue(), Integer::sum);
				if (best == null || c > current.get(best)) {
					best = e.getKey();
				}
			}
			current.merge(best, -total, Integer::sum);
			slots.add(mark(network, best.name()));
		}
		return slots;
	}

	private static TcpipStack hotStandby(VipaDistribute rule, List<TcpipStack> ready) {
		TcpipStack pick = null;
		int bestRank = Integer.MIN_VALUE;
		for (DestIp d : rule.destinations()) {
			for (TcpipStack t : ready) {
				if (t.xcfAddress().map(d.address()::equals).orElse(false)) {
					if (d.preferred()) {
						return t;
					}
					if (d.backupRank() > bestRank) {
						pick = t;
						bestRank = d.backupRank();
					}
				}
			}
		}
		return pick == null ? ready.get(0) : pick;
	}

	private static int gcd(int a, int b) {
		return b == 0 ? a : gcd(b, a % b);
	}

	/** What the kernel holds now, for NETSTAT-like displays: port -> target systems. */
	synchronized Map<Integer, List<String>> targets() {
		Map<Integer, List<String>> m = new TreeMap<>();
		listening.forEach((p, s) -> m.put(p, s.stream().sorted(Comparator.naturalOrder()).toList()));
		sysplexPorts.forEach((p, s) -> m.put(p, List.of(s)));
		return m;
	}

	/** Removes the table and gives the DVIPA up on the LAN. */
	synchronized void close() {
		if (!started) {
			return;
		}
		started = false;
		String d = dvipa.address().getHostAddress();
		try {
			KernelCommands.nft("delete table ip " + table + "\n");
			KernelCommands.ip("addr del " + d + "/32 dev " + LAN + "\n");
		} catch (IOException e) {
			trace.accept("distributor of DVIPA " + d + ": " + e.getMessage());
		}
	}
}
