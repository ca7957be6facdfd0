package dev.sysplex.host.net;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.sysplex.config.TcpipProfile.DestIp;
import dev.sysplex.config.TcpipProfile.DistMethod;
import dev.sysplex.config.TcpipProfile.VipaDistribute;

/**
 * One DVIPA and the Sysplex Distributor that routes its connections.
 * <p>
 * The distributor listens for real on the DVIPA, on a port only while at least one stack has a
 * server listening there (so a connection to a port nobody listens on is refused at once). A
 * connection is routed:
 * <ol>
 * <li>to the stack that holds the port, when the port was assigned by EZBEPORT (SYSPLEXPORTS);</li>
 * <li>for a distributed port (in the VIPADISTRIBUTE PORT list, or any nonzero port when that
 * VIPADISTRIBUTE has no PORT operand): to one of the DESTIP targets that has a ready listener,
 * chosen by the DISTMETHOD;</li>
 * <li>for any other port: to the stack that owns the DVIPA only.</li>
 * </ol>
 * No ready listener for the route: the connection is reset at once. A routed connection is handed
 * to the chosen server as is: it terminates there, as on z/OS, and no byte passes through a relay.
 * See docs/configuration.md for the weight model of BASEWLM and SERVERWLM.
 */
public final class DistributedVipa {

	private final SysplexNetwork network;
	private final Inet4Address address;
	private final List<TcpipStack> ownerOrder;
	private final List<VipaDistribute> rules;
	private final boolean sysplexPorts;
	private volatile TcpipStack owner;
	private final Map<Integer, PortState> ports = new ConcurrentHashMap<>();
	private final Map<Long, Connection> connections = new ConcurrentHashMap<>();
	private final AtomicLong connectionIds = new AtomicLong();
	/**
	 * Taken when first needed: a plan (what `sysplex check` makes) logs nothing, and the logging
	 * system's start costs a short command a tenth of its time.
	 */
	private static System.Logger log() {
		return System.getLogger(DistributedVipa.class.getName());
	}

	/** One routed connection, as NETSTAT VCRT shows it. */
	public record Connection(long id, InetSocketAddress source, int port, String targetSystem, Instant since,
			Socket socket) {
	}

	/** Per-port, per-target figures, as NETSTAT VDPT shows them. */
	public record PortTarget(int port, String system, InetAddress xcf, int ready, long total, int active,
			int weight) {
	}

	private final class PortState {
		final int port;
		final List<ServerEndpoint> listeners = new CopyOnWriteArrayList<>();
		final Map<String, long[]> totals = new HashMap<>();
		ServerSocket acceptor;
		Thread acceptThread;
		int rrNext;
		final Map<String, Long> wrrCurrent = new HashMap<>();
		String hotActive;
		/** Routed connections on this port still open. */
		final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();

		PortState(int port) {
			this.port = port;
		}
	}

	DistributedVipa(SysplexNetwork network, Inet4Address address, List<TcpipStack> ownerOrder,
			List<VipaDistribute> rules) {
		this.network = network;
		this.address = address;
		this.ownerOrder = List.copyOf(ownerOrder);
		this.rules = List.copyOf(rules);
		this.sysplexPorts = !rules.isEmpty() && rules.get(0).sysplexPorts();
	}

	public Inet4Address address() {
		return address;
	}

	/** SYSPLEXPORTS as z/OS takes it: from the first VIPADISTRIBUTE of the DVIPA only. */
	public boolean sysplexPorts() {
		return sysplexPorts;
	}

	public List<VipaDistribute> rules() {
		return rules;
	}

	public Optional<TcpipStack> owner() {
		return Optional.ofNullable(owner);
	}

	public boolean isActive() {
		return owner != null || network.isIsolated(); // isolated: on every system's lo, owned or not yet
	}

	private Optional<Isolation> isolation() {
		return network.isolation();
	}

	/** The rule that distributes {@code port}, if any. */
	public Optional<VipaDistribute> ruleFor(int port) {
		return rules.stream().filter(r -> r.distributes(port)).findFirst();
	}

	/** DESTIP targets of a rule, in the order they are tried (DESTIP ALL: every stack with DYNAMICXCF). */
	public List<TcpipStack> targets(VipaDistribute rule) {
		if (rule.destIpAll()) {
			return network.stacks().stream().filter(s -> s.xcfAddress().isPresent()).toList();
		}
		List<TcpipStack> list = new ArrayList<>();
		for (DestIp d : rule.destinations()) {
			network.stacks().stream().filter(s -> s.xcfAddress().map(d.address()::equals).orElse(false)).findFirst()
					.ifPresent(list::add);
		}
		return list;
	}

	/** Whether EZBEPORT may assign {@code port}: no server bound it explicitly on this DVIPA. */
	boolean canAssign(int port) {
		PortState ps = ports.get(port);
		return ps == null || ps.listeners.isEmpty();
	}

	void register(ServerEndpoint endpoint) throws IOException {
		if (isolation().isPresent()) { // the kernel routes: tell the owner's distributor, and wait for it
			isolation().get().listen(this, endpoint);
			ports.computeIfAbsent(endpoint.port(), PortState::new).listeners.add(endpoint);
			return;
		}
		PortState ps = ports.computeIfAbsent(endpoint.port(), PortState::new);
		synchronized (ps) {
			ps.listeners.add(endpoint);
			if (isActive() && ps.acceptor == null) {
				try {
					openAcceptor(ps);
				} catch (IOException e) {
					ps.listeners.remove(endpoint);
					throw new BindException("the distributor cannot listen on DVIPA " + address.getHostAddress() + ":"
							+ endpoint.port() + ": " + e.getMessage());
				}
			}
		}
	}

	void unregister(ServerEndpoint endpoint) {
		PortState ps = ports.get(endpoint.port());
		if (ps == null) {
			return;
		}
		if (isolation().isPresent()) {
			if (ps.listeners.remove(endpoint)) {
				isolation().get().unlisten(this, endpoint);
			}
			retireIfIdle(ps);
			return;
		}
		synchronized (ps) {
			ps.listeners.remove(endpoint);
			if (ps.listeners.isEmpty()) {
				closeAcceptor(ps);
			}
		}
		retireIfIdle(ps);
	}

	/**
	 * Forgets a port that no server listens on and no routed connection uses, unless a VIPADISTRIBUTE
	 * names it: an RSE server's port (one per logon with SYSPLEXPORTS) leaves the tables with its
	 * session, so NETSTAT VDPT shows what is there and nothing walks ports long gone.
	 */
	private void retireIfIdle(PortState ps) {
		if (rules.stream().anyMatch(r -> r.ports().contains(ps.port))) {
			return;
		}
		synchronized (ps) {
			if (ps.listeners.isEmpty() && ps.open.get() == 0 && ps.acceptor == null) {
				ports.remove(ps.port, ps);
			}
		}
	}

	private void openAcceptor(PortState ps) throws IOException {
		TrackedSocket.Acceptor ss = new TrackedSocket.Acceptor();
		ss.setReuseAddress(true);
		try {
			ss.bind(new InetSocketAddress(address, ps.port), 4096);
		} catch (IOException e) {
			ss.close();
			throw e;
		}
		ps.acceptor = ss;
		ps.acceptThread = Thread.ofVirtual().name("distributor " + address.getHostAddress() + ":" + ps.port)
				.start(() -> accept(ps, ss));
	}

	/**
	 * Closes the port's listening socket. The socket is released only when the thread blocked in
	 * accept() has returned, so wait for it (bounded): a connection attempted afterwards must be
	 * refused, not accepted and reset.
	 */
	private static void closeAcceptor(PortState ps) {
		if (ps.acceptor != null) {
			try {
				ps.acceptor.close();
				if (ps.acceptThread != null && ps.acceptThread != Thread.currentThread()) {
					ps.acceptThread.join(Duration.ofSeconds(2));
				}
			} catch (IOException e) {
				System.getLogger(DistributedVipa.class.getName()).log(System.Logger.Level.DEBUG, "close: " + e);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			ps.acceptor = null;
			ps.acceptThread = null;
		}
	}

	private void accept(PortState ps, TrackedSocket.Acceptor ss) {
		AcceptBackoff backoff = new AcceptBackoff("distributor " + address.getHostAddress() + ":" + ps.port,
				line -> log().log(System.Logger.Level.WARNING, line));
		while (!ss.isClosed()) {
			TrackedSocket client;
			try {
				client = ss.accept();
			} catch (IOException e) {
				if (ss.isClosed()) {
					return;
				}
				if (!backoff.failed(e)) { // EMFILE and the like pass; the port must not stop accepting for good
					return;
				}
				continue;
			}
			backoff.succeeded();
			route(ps, client);
		}
	}

	/** Hands the connection to the chosen server, or resets it when no server is ready for it. */
	private void route(PortState ps, TrackedSocket client) {
		ServerEndpoint target = choose(ps);
		if (target == null) {
			reset(client);
			return;
		}
		long id = connectionIds.incrementAndGet();
		target.active.incrementAndGet();
		target.total.incrementAndGet();
		synchronized (ps) {
			ps.totals.computeIfAbsent(target.systemName(), k -> new long[1])[0]++;
		}
		InetSocketAddress source = (InetSocketAddress) client.getRemoteSocketAddress();
		// in the table before the server can see it: a short connection may end at once
		connections.put(id, new Connection(id, source, ps.port, target.systemName(), Instant.now(), client));
		ps.open.incrementAndGet();
		client.onClose(() -> {
			target.active.decrementAndGet();
			connections.remove(id);
			ps.open.decrementAndGet();
			retireIfIdle(ps);
		});
		if (!target.hand(client)) {
			log().log(System.Logger.Level.WARNING, "distributor " + address.getHostAddress() + ":" + ps.port
					+ ": the accept queue of " + target + " is full or closed; connection reset");
			reset(client);
		}
	}

	/** The listener a new connection to this port goes to, or null when there is none. */
	private ServerEndpoint choose(PortState ps) {
		List<ServerEndpoint> ready = ps.listeners.stream().filter(e -> !e.isClosed() && e.stack().isActive())
				.toList();
		if (ready.isEmpty()) {
			return null;
		}
		Optional<ServerEndpoint> held = ready.stream().filter(ServerEndpoint::isSysplexPort).findFirst();
		if (held.isPresent()) {
			return held.get();
		}
		Optional<VipaDistribute> rule = ruleFor(ps.port);
		if (rule.isEmpty()) {
			TcpipStack o = owner;
			return ready.stream().filter(e -> e.stack() == o).findFirst().orElse(null);
		}
		List<TcpipStack> targets = targets(rule.get());
		Map<TcpipStack, ServerEndpoint> byStack = new LinkedHashMap<>();
		for (TcpipStack t : targets) {
			ready.stream().filter(e -> e.stack() == t).findFirst().ifPresent(e -> byStack.put(t, e));
		}
		if (byStack.isEmpty()) {
			return null;
		}
		synchronized (ps) {
			TcpipStack picked = switch (rule.get().method()) {
			case ROUNDROBIN -> roundRobin(ps, targets, byStack);
			case WEIGHTEDACTIVE -> weightedActive(ps, rule.get(), targets, byStack);
			case BASEWLM, SERVERWLM -> wlm(ps, rule.get().method(), targets, byStack);
			case HOTSTANDBY -> hotStandby(ps, rule.get(), targets, byStack);
			};
			return byStack.get(picked);
		}
	}

	private static TcpipStack roundRobin(PortState ps, List<TcpipStack> targets, Map<TcpipStack, ServerEndpoint> ready) {
		for (int i = 0; i < targets.size(); i++) {
			int idx = (ps.rrNext + i) % targets.size();
			if (ready.containsKey(targets.get(idx))) {
				ps.rrNext = (idx + 1) % targets.size();
				return targets.get(idx);
			}
		}
		throw new IllegalStateException("no ready target");
	}

	private TcpipStack weightedActive(PortState ps, VipaDistribute rule, List<TcpipStack> targets,
			Map<TcpipStack, ServerEndpoint> ready) {
		TcpipStack best = null;
		long bestActive = 0;
		int bestWeight = 1;
		for (int i = 0; i < targets.size(); i++) {
			int idx = (ps.rrNext + i) % targets.size();
			TcpipStack t = targets.get(idx);
			if (!ready.containsKey(t)) {
				continue;
			}
			long active = activeOn(ps, t);
			int weight = weightOf(rule, t);
			// smallest active/weight wins; ties go to the first in rotation order
			if (best == null || active * bestWeight < bestActive * weight) {
				best = t;
				bestActive = active;
				bestWeight = weight;
			}
		}
		ps.rrNext = (targets.indexOf(best) + 1) % targets.size();
		return best;
	}

	private TcpipStack wlm(PortState ps, DistMethod method, List<TcpipStack> targets,
			Map<TcpipStack, ServerEndpoint> ready) {
		Map<TcpipStack, Long> weights = new LinkedHashMap<>();
		for (TcpipStack t : targets) {
			if (ready.containsKey(t)) {
				weights.put(t, wlmWeight(method, t, ready.get(t)));
			}
		}
		// smooth weighted round robin: deterministic, spreads picks in proportion to the weights
		long total = weights.values().stream().mapToLong(Long::longValue).sum();
		TcpipStack best = null;
		long bestCurrent = Long.MIN_VALUE;
		for (Map.Entry<TcpipStack, Long> e : weights.entrySet()) {
			long current = ps.wrrCurrent.merge(e.getKey().name(), e.getValue(), Long::sum);
			if (current > bestCurrent) {
				best = e.getKey();
				bestCurrent = current;
			}
		}
		ps.wrrCurrent.merge(best.name(), -total, Long::sum);
		return best;
	}

	/**
	 * The documented weight model: the system's WLM weight (sysplex.conf WLMWEIGHT, 1-64) scaled
	 * by 1000 and divided by 1 + the load WLM sees. BASEWLM sees the whole system: every connection
	 * the distributor routed to that stack on this DVIPA that are still open. SERVERWLM sees only the listening
	 * server's own address space: the connections routed to that listener, so a daemon that hands
	 * its work to other ports (as RSED hands it to RSE server threads) always looks idle.
	 */
	long wlmWeight(DistMethod method, TcpipStack t, ServerEndpoint listener) {
		long load = method == DistMethod.SERVERWLM ? listener.activeConnections() : activeOnStack(t);
		return t.system().wlmWeight() * 1000L / (1 + load);
	}

	private TcpipStack hotStandby(PortState ps, VipaDistribute rule, List<TcpipStack> targets,
			Map<TcpipStack, ServerEndpoint> ready) {
		TcpipStack preferred = null;
		List<Map.Entry<TcpipStack, Integer>> backups = new ArrayList<>();
		for (DestIp d : rule.destinations()) {
			for (TcpipStack t : targets) {
				if (t.xcfAddress().map(d.address()::equals).orElse(false)) {
					if (d.preferred()) {
						preferred = t;
					} else {
						backups.add(Map.entry(t, d.backupRank()));
					}
				}
			}
		}
		backups.sort(Map.Entry.<TcpipStack, Integer>comparingByValue(Comparator.reverseOrder()));
		TcpipStack current = ps.hotActive == null ? null : network.stack(ps.hotActive).orElse(null);
		TcpipStack pick;
		if (preferred != null && ready.containsKey(preferred)
				&& (rule.autoSwitchBack() || current == null || !ready.containsKey(current))) {
			pick = preferred;
		} else if (current != null && ready.containsKey(current)) {
			pick = current;
		} else {
			pick = backups.stream().map(Map.Entry::getKey).filter(ready::containsKey).findFirst()
					.orElse(ready.keySet().iterator().next());
		}
		ps.hotActive = pick.name();
		return pick;
	}

	private static int weightOf(VipaDistribute rule, TcpipStack t) {
		return rule.destinations().stream().filter(d -> t.xcfAddress().map(d.address()::equals).orElse(false))
				.mapToInt(DestIp::weight).findFirst().orElse(1);
	}

	private static long activeOn(PortState ps, TcpipStack t) {
		return ps.listeners.stream().filter(e -> e.stack() == t).mapToLong(ServerEndpoint::activeConnections).sum();
	}

	private long activeOnStack(TcpipStack t) {
		return ports.values().stream().mapToLong(ps -> activeOn(ps, t)).sum();
	}

	/** Closes with a RST: the client sees "connection reset" at once, not a hang. */
	static void reset(Socket client) {
		try {
			client.setSoLinger(true, 0);
		} catch (SocketException e) {
			// already gone
		}
		try {
			client.close();
		} catch (IOException e) {
			System.getLogger(DistributedVipa.class.getName()).log(System.Logger.Level.TRACE, "reset: " + e);
		}
	}

	/** The DVIPA's owner changed (takeover or return); opens or closes the listening sockets. */
	void ownerChanged(TcpipStack newOwner) {
		TcpipStack old = owner;
		owner = newOwner;
		if (isolation().isPresent()) {
			return; // the owner's kernel distributes; nothing listens in this process for it
		}
		if (old == null && newOwner != null) {
			for (PortState ps : ports.values()) {
				synchronized (ps) {
					if (!ps.listeners.isEmpty() && ps.acceptor == null) {
						try {
							openAcceptor(ps);
						} catch (IOException e) {
							log().log(System.Logger.Level.WARNING, "DVIPA " + address.getHostAddress() + ":" + ps.port
									+ " cannot be reopened: " + e.getMessage());
						}
					}
				}
			}
		} else if (newOwner == null) {
			ports.values().forEach(ps -> {
				synchronized (ps) {
					closeAcceptor(ps);
				}
			});
		}
	}

	/** A stack ended: connections routed to it end with it. */
	void stackStopped(TcpipStack stack) {
		connections.values().stream().filter(c -> c.targetSystem().equals(stack.name()))
				.forEach(c -> reset(c.socket()));
	}

	List<TcpipStack> ownerOrder() {
		return ownerOrder;
	}

	/** NETSTAT VDPT: one row per distributed port and target. */
	public List<PortTarget> portTable() {
		List<PortTarget> rows = new ArrayList<>();
		for (PortState ps : ports.values().stream().sorted(Comparator.comparingInt(p -> p.port)).toList()) {
			Optional<VipaDistribute> rule = ruleFor(ps.port);
			// a port no rule names (an RSE server's, with SYSPLEXPORTS) goes to the stack that bound it
			List<TcpipStack> targets = rule.map(this::targets).orElseGet(() -> network.stacks().stream()
					.filter(t -> ps.listeners.stream().anyMatch(e -> e.stack() == t) || totalOf(ps, t) > 0).toList());
			for (TcpipStack t : targets) {
				int readyCount = (int) ps.listeners.stream().filter(e -> e.stack() == t && !e.isClosed()).count();
				long total = totalOf(ps, t);
				if (readyCount == 0 && total == 0 && rule.isEmpty()) {
					continue;
				}
				ServerEndpoint l = ps.listeners.stream().filter(e -> e.stack() == t).findFirst().orElse(null);
				int weight = rule.map(r -> switch (r.method()) {
				case BASEWLM, SERVERWLM -> l == null ? 0 : (int) (wlmWeight(r.method(), t, l) / 1000);
				case WEIGHTEDACTIVE -> weightOf(r, t);
				default -> 1;
				}).orElse(1);
				int active = (int) connections.values().stream().filter(c -> c.port() == ps.port
						&& c.targetSystem().equals(t.name())).count(); // also those whose listener closed
				rows.add(new PortTarget(ps.port, t.name(), t.xcfAddress().orElse(t.homeAddress()), readyCount, total,
						active, weight));
			}
		}
		return rows;
	}

	private static long totalOf(PortState ps, TcpipStack t) {
		synchronized (ps) {
			return ps.totals.getOrDefault(t.name(), new long[1])[0];
		}
	}

	/** NETSTAT VCRT: the routed connections still open. */
	public List<Connection> connectionTable() {
		return connections.values().stream().sorted(Comparator.comparingLong(Connection::id)).toList();
	}

	/** Total connections routed to each system on a port so far. */
	public Map<String, Long> totals(int port) {
		PortState ps = ports.get(port);
		Map<String, Long> m = new LinkedHashMap<>();
		if (ps != null) {
			synchronized (ps) {
				ps.totals.forEach((k, v) -> m.put(k, v[0]));
			}
		}
		return m;
	}

	void close() {
		ports.values().forEach(ps -> {
			synchronized (ps) {
				closeAcceptor(ps);
			}
		});
		connections.values().forEach(c -> reset(c.socket()));
	}
}
