package dev.sysplex.host.cf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.sysplex.host.jobs.Spool;

/**
 * The isolated sysplex's job lists in etcd: {@code /sysplex/NAME/jobs/ID} = {@code USER|LINE},
 * written by the job's system when the job starts and when it ends (no lease: a failed system's
 * jobs stay listed as it last said, as a spool keeps them). Emptied with the run's etcd.
 */
public final class EtcdSpool implements Spool {

	private final EtcdClient etcd;
	private final String prefix;

	public EtcdSpool(EtcdClient etcd, String sysplexName) {
		this.etcd = etcd;
		this.prefix = "/sysplex/" + sysplexName + "/jobs/";
	}

	@Override
	public void publish(String user, String id, String line) throws IOException {
		etcd.put(prefix + id, user.toUpperCase(Locale.ROOT) + "|" + line);
	}

	@Override
	public List<String> others(String user, String system) throws IOException {
		List<String> lines = new ArrayList<>();
		String u = user.toUpperCase(Locale.ROOT) + "|";
		for (EtcdClient.KeyValue kv : etcd.prefix(prefix)) {
			if (kv.value().startsWith(u)) {
				String line = kv.value().substring(u.length());
				String[] f = line.split(" ");
				if (f.length >= 3 && !f[2].equalsIgnoreCase(system)) {
					lines.add(line);
				}
			}
		}
		return lines;
	}
}
