package dev.sysplex.host.net;

import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The embedded coupling facility: structures from the CFRM policy and an EZBEPORT list kept in
 * memory, shared by all stacks of the sysplex in this JVM. Assignment is next-fit over the
 * sysplex's ephemeral range, so ports are handed out in a predictable order.
 */
public final class InMemoryCouplingFacility implements CouplingFacility {

	private final Set<String> structures;
	private final int low;
	private final int high;
	private final Map<InetAddress, Map<Integer, String>> assigned = new HashMap<>();
	private final Map<InetAddress, Integer> next = new HashMap<>();
	private final Map<InetAddress, java.util.Set<Integer>> excluded = new HashMap<>();

	/** @param low,high the sysplex-wide ephemeral range, both inclusive */
	public InMemoryCouplingFacility(Set<String> structures, int low, int high) {
		this.structures = Set.copyOf(structures);
		this.low = low;
		this.high = high;
	}

	@Override
	public Set<String> structures() {
		return structures;
	}

	@Override
	public synchronized int assignPort(InetAddress dvipa, String stack, IntPredicate usable) throws IOException {
		if (structures.stream().noneMatch(s -> s.startsWith("EZBEPORT"))) {
			throw new IOException("the coupling facility has no EZBEPORT structure; define it in the CFRM policy");
		}
		Map<Integer, String> ports = assigned.computeIfAbsent(dvipa, k -> new HashMap<>());
		int size = high - low + 1;
		int start = next.getOrDefault(dvipa, low);
		for (int i = 0; i < size; i++) {
			int port = low + Math.floorMod(start - low + i, size);
			if (!ports.containsKey(port) && !excluded.getOrDefault(dvipa, java.util.Set.of()).contains(port)
					&& usable.test(port)) {
				ports.put(port, stack);
				next.put(dvipa, port + 1 > high ? low : port + 1);
				return port;
			}
		}
		throw new IOException("EZBEPORT has no free port for " + dvipa.getHostAddress() + " in " + low + "-" + high);
	}

	@Override
	public synchronized void releasePort(InetAddress dvipa, int port, String stack) {
		Map<Integer, String> ports = assigned.get(dvipa);
		if (ports != null) {
			ports.remove(port, stack);
		}
	}

	@Override
	public synchronized void releaseAll(String stack) {
		assigned.values().forEach(ports -> ports.values().removeIf(stack::equals));
	}

	@Override
	public synchronized void exclude(InetAddress dvipa, int port) {
		excluded.computeIfAbsent(dvipa, k -> new java.util.HashSet<>()).add(port);
	}

	@Override
	public synchronized Optional<String> holder(InetAddress dvipa, int port) {
		return Optional.ofNullable(assigned.getOrDefault(dvipa, Map.of()).get(port));
	}

	@Override
	public synchronized int heldBy(String stack) {
		return (int) assigned.values().stream().flatMap(m -> m.values().stream()).filter(stack::equals).count();
	}
}
