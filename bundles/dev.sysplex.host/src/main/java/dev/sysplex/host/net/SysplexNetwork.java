package dev.sysplex.host.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.sysplex.config.ConfigException;
import dev.sysplex.config.Diagnostic;
import dev.sysplex.config.SystemDefinition;
import dev.sysplex.config.SysplexConfig;
import dev.sysplex.config.TcpipProfile;
import dev.sysplex.config.TcpipProfile.DestIp;
import dev.sysplex.config.TcpipProfile.VipaBackup;
import dev.sysplex.config.TcpipProfile.VipaDistribute;

/**
 * The sysplex's network: one TCP/IP stack per system, the coupling facility, and every DVIPA
 * with its distributor. A DVIPA is owned by the first active stack that defines it (VIPADEFINE),
 * else by the active VIPABACKUP stack of highest rank; when the owner ends, that backup takes
 * over and new connections keep working, and when the defining stack returns the DVIPA moves
 * back (MOVEABLE IMMEDIATE). Backups distribute with the definitions of the defining stack, as
 * z/OS backups learn them.
 */
public final class SysplexNetwork implements AutoCloseable {

	private final SysplexConfig config;
	private final List<TcpipStack> stacks = new ArrayList<>();
	private final CouplingFacility couplingFacility;
	private final Map<InetAddress, DistributedVipa> dvipas = new LinkedHashMap<>();
	private final List<Diagnostic> warnings = new ArrayList<>();
	/** The isolated mode's system in this process, its distributors and XCF links; null when embedded. */
	private Isolation isolation;

	private SysplexNetwork(SysplexConfig config, CouplingFacility couplingFacility) {
		this.config = config;
		this.couplingFacility = couplingFacility;
	}

	/**
	 * Makes the sysplex's coupling facility from the CFRM policy's structures and the sysplex-wide
	 * ephemeral range: the embedded one ({@link #IN_MEMORY}) or one on an engine of its own.
	 */
	public interface CouplingFacilityFactory {
		CouplingFacility create(java.util.Set<String> structures, int low, int high);
	}

	/** The embedded coupling facility, in this JVM. */
	public static final CouplingFacilityFactory IN_MEMORY = InMemoryCouplingFacility::new;

	/** Builds the network and starts every system's stack; fails before anything listens. */
	public static SysplexNetwork start(SysplexConfig config) throws ConfigException {
		return start(config, IN_MEMORY);
	}

	/** As {@link #start(SysplexConfig)}, with the coupling facility {@code cf} makes (closed with the network). */
	public static SysplexNetwork start(SysplexConfig config, CouplingFacilityFactory cf) throws ConfigException {
		SysplexNetwork n = plan(config, cf);
		for (TcpipStack s : n.stacks) {
			s.start();
		}
		n.recomputeOwners();
		return n;
	}

	/**
	 * The network of one system of an isolated sysplex (every system its own process and network
	 * namespace): only {@code host}'s stack runs here; a server's bind on a DVIPA binds it for real
	 * (the DVIPA is on this namespace's loopback device), the distributor of a DVIPA this system
	 * owns programs the kernel, and this system reports its servers to the owners of the others.
	 * Ownership is elected in {@code host}'s registry: the first live system that defines a DVIPA,
	 * else its live VIPABACKUP of highest rank; when the owner's lease ends, that backup takes over.
	 */
	public static SysplexNetwork startIsolated(SysplexConfig config, CouplingFacilityFactory cf, Isolation.Host host)
			throws ConfigException, java.io.IOException {
		SysplexNetwork n = plan(config, cf);
		n.isolation = new Isolation(n, host);
		TcpipStack local = n.isolation.local();
		local.start();
		try {
			n.isolation.start();
		} catch (java.io.IOException | RuntimeException e) {
			n.close();
			throw e;
		}
		return n;
	}

	/** The isolated mode's part of this process, if this network is one system of an isolated sysplex. */
	Optional<Isolation> isolation() {
		return Optional.ofNullable(isolation);
	}

	/** In the isolated mode: every DVIPA has an owner and each owner knows this system's servers. */
	public boolean settled() {
		return isolation == null || isolation.settled();
	}

	/** True when this process runs one system of an isolated sysplex. */
	public boolean isIsolated() {
		return isolation != null;
	}

	/** The system this process runs, in the isolated mode. */
	public Optional<String> isolatedSystem() {
		return isolation().map(i -> i.local().name());
	}

	/** In the isolated mode, the kernel's routing of a DVIPA this system owns: port -> target systems. */
	public Optional<Map<Integer, List<String>>> kernelRouting(InetAddress dvipa) {
		return isolation().flatMap(i -> i.routing(dvipa));
	}

	/**
	 * The network as {@link #start} would build it (stacks, DVIPAs, their distribution), with the same
	 * errors and warnings, and nothing started: no address is bound, no thread runs. What `sysplex
	 * check` and `start` share.
	 */
	public static SysplexNetwork plan(SysplexConfig config) throws ConfigException {
		return plan(config, IN_MEMORY);
	}

	private static SysplexNetwork plan(SysplexConfig config, CouplingFacilityFactory cf) throws ConfigException {
		int low = 65535;
		int high = 1024;
		for (SystemDefinition s : config.systems()) {
			TcpipProfile.EphemeralPorts e = config.profile(s.name()).ephemeralPorts();
			low = Math.min(low, e.low());
			high = Math.max(high, e.high());
		}
		SysplexNetwork n = new SysplexNetwork(config, cf.create(config.cfStructures(), low, high));
		for (SystemDefinition s : config.systems()) {
			n.stacks.add(new TcpipStack(s, config.profile(s.name()), n));
		}
		n.defineDvipas();
		return n;
	}

	private void defineDvipas() throws ConfigException {
		Set<Inet4Address> addresses = new LinkedHashSet<>();
		for (TcpipStack s : stacks) {
			s.profile().vipaDefines().forEach(d -> addresses.addAll(d.addresses()));
			s.profile().vipaBackups().forEach(b -> addresses.addAll(b.addresses()));
		}
		List<Diagnostic> errors = new ArrayList<>();
		for (Inet4Address addr : addresses) {
			List<TcpipStack> order = new ArrayList<>();
			for (TcpipStack s : stacks) {
				if (s.profile().vipaDefines().stream().anyMatch(d -> d.addresses().contains(addr))) {
					order.add(s);
				}
			}
			List<Map.Entry<TcpipStack, Integer>> backups = new ArrayList<>();
			for (TcpipStack s : stacks) {
				s.profile().vipaBackups().stream().filter(b -> b.addresses().contains(addr)).mapToInt(VipaBackup::rank)
						.max().ifPresent(rank -> {
							if (!order.contains(s)) {
								backups.add(Map.entry(s, rank));
							}
						});
			}
			backups.sort((x, y) -> Integer.compare(y.getValue(), x.getValue())); // highest rank first
			backups.forEach(e -> order.add(e.getKey()));
			List<VipaDistribute> rules = effectiveRules(order.get(0).profile(), addr);
			for (VipaDistribute r : rules) {
				if (r.sysplexPorts() && !config.hasEzbeportStructure() && r == rules.get(0)) {
					errors.add(Diagnostic.error(Diagnostic.SYSPLEXPORTS_NO_EZBEPORT, r.position().file(), r.position().line(), r.position().column(),
							"VIPADISTRIBUTE SYSPLEXPORTS for " + addr.getHostAddress() + " needs the coupling facility "
									+ "structure EZBEPORT, and " + SysplexConfig.CFRM_POLICY + " defines none; add "
									+ "STRUCTURE NAME(EZBEPORT) SIZE(...) to it, or remove SYSPLEXPORTS"));
				}
				for (DestIp d : r.destinations()) {
					if (stacks.stream().noneMatch(s -> s.xcfAddress().map(d.address()::equals).orElse(false))) {
						warnings.add(Diagnostic.warning(Diagnostic.DESTIP_UNKNOWN, d.position().file(), d.position().line(),
								d.position().column(), "DESTIP " + d.address().getHostAddress()
										+ " is no system's DYNAMICXCF address; that target never gets connections"));
					}
				}
			}
			dvipas.put(addr, new DistributedVipa(this, addr, order, rules));
		}
		if (!errors.isEmpty()) {
			throw new ConfigException(errors);
		}
	}

	/** The VIPADISTRIBUTE definitions in force for a DVIPA: DEFINEs in order, minus later DELETEs. */
	private static List<VipaDistribute> effectiveRules(TcpipProfile profile, Inet4Address addr) {
		List<VipaDistribute> rules = new ArrayList<>();
		for (VipaDistribute r : profile.vipaDistributes()) {
			if (!r.address().equals(addr)) {
				continue;
			}
			if (r.delete()) {
				rules.removeIf(x -> r.ports().isEmpty() || x.ports().equals(r.ports()));
			} else {
				rules.add(r);
			}
		}
		return rules;
	}

	private synchronized void recomputeOwners() {
		if (isolation != null) {
			return; // the owner is fixed in the isolated mode
		}
		for (DistributedVipa d : dvipas.values()) {
			TcpipStack owner = d.ownerOrder().stream().filter(TcpipStack::isActive).findFirst().orElse(null);
			if (d.owner().orElse(null) != owner) {
				d.ownerChanged(owner);
			}
		}
	}

	public SysplexConfig config() {
		return config;
	}

	public List<TcpipStack> stacks() {
		return List.copyOf(stacks);
	}

	public Optional<TcpipStack> stack(String name) {
		return stacks.stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
	}

	public CouplingFacility couplingFacility() {
		return couplingFacility;
	}

	public Optional<DistributedVipa> dvipa(InetAddress address) {
		return Optional.ofNullable(dvipas.get(address));
	}

	public List<DistributedVipa> dvipas() {
		return List.copyOf(dvipas.values());
	}

	/** Warnings found at start (the start succeeded). */
	public List<Diagnostic> warnings() {
		return List.copyOf(warnings);
	}

	/** Ends a system's stack: its servers stop, its connections end, a DVIPA it owned moves to its backup. */
	public void stopSystem(String name) {
		refuseIsolated("stop");
		TcpipStack s = stack(name).orElseThrow(() -> new IllegalArgumentException("no system " + name));
		if (!s.isActive()) {
			return;
		}
		s.stop();
		dvipas.values().forEach(d -> d.stackStopped(s));
		recomputeOwners();
	}

	/** Restarts a system's stack (its servers must be started again); a DVIPA it defines moves back to it. */
	public void startSystem(String name) {
		refuseIsolated("start");
		TcpipStack s = stack(name).orElseThrow(() -> new IllegalArgumentException("no system " + name));
		s.start();
		recomputeOwners();
	}

	private void refuseIsolated(String what) {
		if (isolation != null) {
			throw new IllegalStateException("in the isolated mode a system is its own process: to " + what
					+ " one, " + (what.equals("stop") ? "end" : "start") + " its process (./sysplex start --isolated "
					+ "does), not a stack in this one");
		}
	}

	/** NETSTAT VDPT for every DVIPA. */
	public String netstatVdpt() {
		StringBuilder sb = new StringBuilder(String.format("%-16s %-5s %-8s %-16s %3s %10s %6s %6s%n", "Dest IPaddr",
				"DPort", "System", "DestXCF Addr", "Rdy", "TotalConn", "ActCon", "Weight"));
		for (DistributedVipa d : dvipas.values()) {
			for (DistributedVipa.PortTarget row : d.portTable()) {
				sb.append(String.format("%-16s %05d %-8s %-16s %03d %010d %6d %6d%n", d.address().getHostAddress(),
						row.port(), row.system(), row.xcf().getHostAddress(), row.ready(), row.total(), row.active(),
						row.weight()));
			}
		}
		return sb.toString();
	}

	/** NETSTAT VCRT for every DVIPA: the routed connections still open. */
	public String netstatVcrt() {
		StringBuilder sb = new StringBuilder();
		int n = 0;
		for (DistributedVipa d : dvipas.values()) {
			for (DistributedVipa.Connection c : d.connectionTable()) {
				sb.append(String.format("Dest: %s..%d  Source: %s..%d  System: %s  Since: %s%n",
						d.address().getHostAddress(), c.port(), c.source().getAddress().getHostAddress(),
						c.source().getPort(), c.targetSystem(), c.since()));
				n++;
			}
		}
		return sb.append(n).append(" connection(s) routed and open\n").toString();
	}

	/** What is defined and what listens where, for people. */
	public String describe() {
		StringBuilder sb = new StringBuilder("Sysplex " + config.sysplexName() + " (" + config.directory() + ")\n");
		for (TcpipStack s : stacks) {
			if (isolation != null && s != isolation.local()) {
				continue; // another process's
			}
			sb.append(String.format("  %-8s %-16s %s%s%n", s.name(), s.homeAddress().getHostAddress(),
					s.isActive() ? "active" : "STOPPED",
					s.xcfAddress().map(a -> ", DYNAMICXCF " + a.getHostAddress()).orElse(", no DYNAMICXCF")));
			for (ServerEndpoint e : s.endpoints()) {
				sb.append("           listening: ").append(e).append('\n');
			}
		}
		for (DistributedVipa d : dvipas.values()) {
			sb.append("  DVIPA ").append(d.address().getHostAddress()).append(" owned by ")
					.append(d.owner().map(TcpipStack::name).orElse("nobody (inactive)")).append(", takeover order ")
					.append(d.ownerOrder().stream().map(TcpipStack::name).toList())
					.append(isolation == null ? "" : d.owner().orElse(null) == isolation.local()
							? ", distributed by this system's kernel (nftables)" : ", distributed by its owner's kernel")
					.append('\n');
			kernelRouting(d.address()).ifPresent(r -> r.forEach((port, systems) -> sb.append("    kernel routes port ")
					.append(port).append(" to ").append(systems).append('\n')));
			for (VipaDistribute r : d.rules()) {
				sb.append("    VIPADISTRIBUTE ").append(r.sysplexPorts() ? "SYSPLEXPORTS " : "").append(r.method())
						.append(" PORT ").append(r.ports().isEmpty() ? "(all)" : r.ports()).append(" DESTIP ")
						.append(d.targets(r).stream().map(TcpipStack::name).toList()).append('\n');
			}
		}
		return sb.toString();
	}

	@Override
	public void close() {
		if (isolation != null) {
			isolation.close();
		}
		for (TcpipStack s : stacks) {
			s.stop();
		}
		dvipas.values().forEach(DistributedVipa::close);
		if (couplingFacility instanceof AutoCloseable c) {
			try {
				c.close();
			} catch (Exception e) {
				System.getLogger(SysplexNetwork.class.getName()).log(System.Logger.Level.WARNING,
						"closing the coupling facility: " + e.getMessage());
			}
		}
	}
}
