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
	public List<Listed> allOthers(String system) throws IOException {
		List<Listed> jobs = new ArrayList<>();
		for (EtcdClient.KeyValue kv : etcd.prefix(prefix)) {
			int bar = kv.value().indexOf('|');
			String line = kv.value().substring(bar + 1);
			String[] f = line.split(" ");
			if (bar > 0 && f.length >= 4 && !f[2].equalsIgnoreCase(system)) {
				jobs.add(new Listed(kv.value().substring(0, bar), line));
			}
		}
		return jobs;
	}
}
