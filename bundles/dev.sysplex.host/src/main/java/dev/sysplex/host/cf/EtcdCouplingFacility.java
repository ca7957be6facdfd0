package dev.sysplex.host.cf;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import dev.sysplex.host.net.CouplingFacility;

/**
 * The coupling facility on etcd: EZBEPORT is a set of keys
 * {@code /sysplex/PLEX/ezbeport/DVIPA/PORT} whose value is the stack that holds the port. A port
 * is claimed by a transaction that creates its key only if it does not exist, so two systems in
 * two processes never get the same one; each key carries the lease of its system, which the
 * system renews while it runs, so a system that ends or is killed gives its ports back when its
 * lease expires (z/OS frees a failed system's EZBEPORT entries the same way).
 * <p>
 * When etcd cannot be reached, assigned ports keep working (nothing here is on the data path) and
 * a new SYSPLEXPORTS assignment fails with an error that says so, until etcd is back.
 */
public final class EtcdCouplingFacility implements CouplingFacility, AutoCloseable {

	private static final System.Logger LOG = System.getLogger(EtcdCouplingFacility.class.getName());
	private static final String EXCLUDED = "!excluded";

	private final EtcdClient etcd;
	private final String root;
	private final Set<String> structures;
	private final int low;
	private final int high;
	private final long ttlSeconds;
	private final Map<String, Long> leases = new ConcurrentHashMap<>();
	private final Map<InetAddress, Integer> next = new HashMap<>();
	private final ScheduledExecutorService keepAlive;
	private volatile boolean closed;

	/**
	 * @param sysplex    the sysplex's name: its keys are apart from other sysplexes' in one etcd
	 * @param low,high   the sysplex-wide ephemeral range, both inclusive
	 * @param ttlSeconds the lease of each system: how long its ports outlive it
	 */
	/** A system's lease as the sysplex's stacks use it: how long its SYSPLEXPORTS ports outlive a failed system. */
	public static final long LEASE_SECONDS = 10;

	/** What a sysplex's network makes its coupling facility with: EZBEPORT on {@code etcd}, {@value #LEASE_SECONDS} s leases. */
	public static dev.sysplex.host.net.SysplexNetwork.CouplingFacilityFactory factory(EtcdClient etcd, String sysplex) {
		return (structures, low, high) -> new EtcdCouplingFacility(etcd, sysplex, structures, low, high, LEASE_SECONDS);
	}

	public EtcdCouplingFacility(EtcdClient etcd, String sysplex, Set<String> structures, int low, int high,
			long ttlSeconds) {
		this.etcd = etcd;
		this.root = "/sysplex/" + sysplex + "/";
		this.structures = Set.copyOf(structures);
		this.low = low;
		this.high = high;
		this.ttlSeconds = ttlSeconds;
		this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "coupling facility leases (etcd at " + etcd.endpoint() + ")");
			t.setDaemon(true);
			return t;
		});
		long every = Math.max(200, ttlSeconds * 1000 / 3);
		keepAlive.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
	}

	public EtcdClient client() {
		return etcd;
	}

	@Override
	public Set<String> structures() {
		return structures;
	}

	private String prefix(InetAddress dvipa) {
		return root + "ezbeport/" + dvipa.getHostAddress() + "/";
	}

	private String key(InetAddress dvipa, int port) {
		return prefix(dvipa) + String.format("%05d", port);
	}

	@Override
	public synchronized int assignPort(InetAddress dvipa, String stack, IntPredicate usable) throws IOException {
		if (structures.stream().noneMatch(s -> s.startsWith("EZBEPORT"))) {
			throw new IOException("the coupling facility has no EZBEPORT structure; define it in the CFRM policy");
		}
		try {
			long lease = lease(stack);
			Set<Integer> taken = null; // read only when claims fail: next-fit usually finds a free port at once
			int misses = 0;
			int size = high - low + 1;
			int start = next.getOrDefault(dvipa, low);
			for (int i = 0; i < size; i++) {
				int port = low + Math.floorMod(start - low + i, size);
				if ((taken != null && taken.contains(port)) || !usable.test(port)) {
					continue;
				}
				if (etcd.createIfAbsent(key(dvipa, port), stack, lease)) {
					next.put(dvipa, port + 1 > high ? low : port + 1);
					return port;
				}
				// held (by another process's system, or since the look): after a few, skip what is held
				if (taken == null && ++misses >= 4) {
					taken = new HashSet<>();
					for (EtcdClient.KeyValue kv : etcd.prefix(prefix(dvipa))) {
						taken.add(Integer.parseInt(kv.key().substring(kv.key().lastIndexOf('/') + 1)));
					}
				}
			}
		} catch (IOException e) {
			throw new IOException("the coupling facility (etcd at " + etcd.endpoint() + ") cannot assign a SYSPLEXPORTS "
					+ "port of " + dvipa.getHostAddress() + " to " + stack + ": " + e.getMessage() + "; ports already "
					+ "assigned keep working, new ones wait until etcd answers again", e);
		}
		throw new IOException("EZBEPORT has no free port for " + dvipa.getHostAddress() + " in " + low + "-" + high);
	}

	/** The stack's lease, granted at its first assignment. */
	private long lease(String stack) throws IOException {
		Long lease = leases.get(stack);
		if (lease == null) {
			lease = etcd.grant(ttlSeconds);
			leases.put(stack, lease);
		}
		return lease;
	}

	private void renew() {
		for (Map.Entry<String, Long> e : leases.entrySet()) {
			if (closed) {
				return;
			}
			try {
				if (!etcd.keepAlive(e.getValue())) {
					leases.remove(e.getKey(), e.getValue());
					LOG.log(System.Logger.Level.WARNING, "coupling facility: the lease of " + e.getKey() + " expired in "
							+ "etcd at " + etcd.endpoint() + "; its SYSPLEXPORTS entries are gone and new ones get a new lease");
				}
			} catch (IOException x) {
				LOG.log(System.Logger.Level.WARNING, "coupling facility: cannot renew the lease of " + e.getKey() + ": "
						+ x.getMessage() + "; its ports go back to the pool " + ttlSeconds + " s after the last renewal");
			}
		}
	}

	@Override
	public synchronized void releasePort(InetAddress dvipa, int port, String stack) {
		try {
			etcd.deleteIfValue(key(dvipa, port), stack);
		} catch (IOException e) {
			LOG.log(System.Logger.Level.WARNING, "coupling facility: port " + port + " of " + dvipa.getHostAddress()
					+ " could not be given back for " + stack + ": " + e.getMessage() + "; it returns when the lease of "
					+ stack + " ends");
		}
	}

	@Override
	public synchronized void releaseAll(String stack) {
		Long lease = leases.remove(stack);
		if (lease != null) {
			try {
				etcd.revoke(lease);
			} catch (IOException e) {
				LOG.log(System.Logger.Level.WARNING, "coupling facility: the lease of " + stack + " could not be revoked: "
						+ e.getMessage() + "; its ports return within " + ttlSeconds + " s");
			}
		}
	}

	@Override
	public synchronized Optional<String> holder(InetAddress dvipa, int port) {
		try {
			String v = etcd.get(key(dvipa, port));
			return v == null || v.equals(EXCLUDED) ? Optional.empty() : Optional.of(v);
		} catch (IOException e) {
			LOG.log(System.Logger.Level.WARNING, "coupling facility: " + e.getMessage());
			return Optional.empty();
		}
	}

	@Override
	public synchronized void exclude(InetAddress dvipa, int port) {
		try {
			etcd.put(key(dvipa, port), EXCLUDED);
		} catch (IOException e) {
			LOG.log(System.Logger.Level.WARNING, "coupling facility: port " + port + " of " + dvipa.getHostAddress()
					+ " could not be excluded: " + e.getMessage());
		}
	}

	@Override
	public synchronized int heldBy(String stack) {
		try {
			return (int) etcd.prefix(root + "ezbeport/").stream().filter(kv -> kv.value().equals(stack)).count();
		} catch (IOException e) {
			LOG.log(System.Logger.Level.WARNING, "coupling facility: " + e.getMessage());
			return 0;
		}
	}

	/** Stops renewing the leases without revoking them: what a killed process leaves behind. */
	public void abandon() {
		closed = true;
		keepAlive.shutdownNow();
	}

	/** Stops renewing and revokes every lease: a clean stop gives every port back at once. */
	@Override
	public void close() {
		abandon();
		for (String stack : Set.copyOf(leases.keySet())) {
			releaseAll(stack);
		}
	}
}
