package dev.sysplex.host.cf;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.sysplex.host.net.OwnerRegistry;

/**
 * Presence and DVIPA ownership of an isolated sysplex's systems in etcd: {@code
 * /sysplex/NAME/present/SYSTEM} and {@code /sysplex/NAME/owner/DVIPA} = SYSTEM, both on the
 * system's ownership lease ({@value #TTL_SECONDS} s, renewed every {@value #RENEW_MS} ms). A claim
 * is a transaction that creates the owner key only if it does not exist, so two backups never both
 * own a DVIPA. A system whose lease ends (its process died, or it lost etcd for longer than the
 * lease) loses its ownerships; it sees that at its next renewal and stops distributing.
 */
public final class EtcdOwners implements OwnerRegistry {

	/** The ownership lease: how long a dead owner keeps its DVIPAs. */
	public static final long TTL_SECONDS = 2;
	static final long RENEW_MS = 400;

	private final EtcdClient etcd;
	private final String prefix;
	private String system;
	private volatile long lease;
	private volatile boolean lost;
	private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
		Thread t = new Thread(r, "DVIPA ownership lease");
		t.setDaemon(true);
		return t;
	});

	public EtcdOwners(EtcdClient etcd, String sysplexName) {
		this.etcd = etcd;
		this.prefix = "/sysplex/" + sysplexName + "/";
	}

	@Override
	public synchronized void present(String system) throws IOException {
		this.system = system;
		lease = etcd.grant(TTL_SECONDS);
		etcd.put(prefix + "present/" + system, system, lease);
		renewer.scheduleWithFixedDelay(this::renew, RENEW_MS, RENEW_MS, TimeUnit.MILLISECONDS);
	}

	private void renew() {
		try {
			if (!etcd.keepAlive(lease) && !lost) {
				lost = true; // etcd ended it: our ownerships went with it; present again with a new lease
				System.getLogger(EtcdOwners.class.getName()).log(System.Logger.Level.WARNING, "the ownership lease of "
						+ system + " ended in etcd at " + etcd.endpoint() + "; its DVIPAs go to their backups");
				lease = etcd.grant(TTL_SECONDS);
				etcd.put(prefix + "present/" + system, system, lease);
				lost = false;
			}
		} catch (IOException e) {
			System.getLogger(EtcdOwners.class.getName()).log(System.Logger.Level.WARNING, "the ownership lease of "
					+ system + " cannot be renewed: " + e.getMessage());
		}
	}

	@Override
	public Set<String> alive() throws IOException {
		Set<String> alive = new TreeSet<>();
		for (EtcdClient.KeyValue kv : etcd.prefix(prefix + "present/")) {
			alive.add(kv.value());
		}
		return alive;
	}

	@Override
	public Map<String, String> owners() throws IOException {
		Map<String, String> owners = new LinkedHashMap<>();
		String p = prefix + "owner/";
		for (EtcdClient.KeyValue kv : etcd.prefix(p)) {
			owners.put(kv.key().substring(p.length()), kv.value());
		}
		return owners;
	}

	@Override
	public boolean claim(String dvipa) throws IOException {
		String key = prefix + "owner/" + dvipa;
		return etcd.createIfAbsent(key, system, lease) || system.equals(etcd.get(key));
	}

	@Override
	public String describe() {
		return "etcd at " + etcd.endpoint();
	}

	@Override
	public void close() {
		renewer.shutdownNow();
		try {
			if (lease != 0) {
				etcd.revoke(lease);
			}
		} catch (IOException e) {
			System.getLogger(EtcdOwners.class.getName()).log(System.Logger.Level.WARNING, "the ownership lease of "
					+ system + " could not be revoked: " + e.getMessage() + "; its DVIPAs move when it ends");
		}
	}
}
