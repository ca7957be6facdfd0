package dev.sysplex.host.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.host.cf.EtcdClient;
import dev.sysplex.host.cf.EtcdCouplingFacility;
import dev.sysplex.host.cf.EtcdServer;
import dev.sysplex.host.net.CouplingFacility;
import dev.sysplex.host.net.InMemoryCouplingFacility;

/**
 * EZBEPORT allocation latency (assign and release one SYSPLEXPORTS port, as an RSE server thread
 * does per logon) on the embedded coupling facility and on a single-member etcd started here, on
 * its own ports and data directory (a temporary one, on the machine's disk): median, p99 and the
 * ratio; and etcd's start time and resident memory.
 */
public final class CouplingFacilityBenchmark {

	private final PrintStream out;
	private final int samples;

	public CouplingFacilityBenchmark(PrintStream out, int samples) {
		this.out = out;
		this.samples = samples;
	}

	public void run() throws Exception {
		InetAddress dvipa = InetAddress.getByName("192.0.2.100"); // a name in the keys only, never bound
		Set<String> cfrm = Set.of("EZBEPORT");
		out.println("EZBEPORT allocation (assign + release one port), " + samples + " samples each:");
		double[] memory = measure(new InMemoryCouplingFacility(cfrm, 20000, 29999), dvipa);
		print("in memory (embedded)", memory);
		if (EtcdServer.binary().isEmpty()) {
			out.println("  etcd                  not measured: etcd is not installed (apt-get install etcd-server)");
			return;
		}
		Path dir = Files.createTempDirectory("sysplex-bench-cf");
		long t0 = System.nanoTime();
		try (EtcdServer etcd = EtcdServer.start(dir.resolve("etcd"), InetAddress.getLoopbackAddress(), Duration.ofSeconds(30))) {
			double startMs = (System.nanoTime() - t0) / 1e6;
			try (EtcdCouplingFacility cf = new EtcdCouplingFacility(new EtcdClient(etcd.endpoint(), Duration.ofSeconds(5)),
					"BENCH", cfrm, 20000, 29999, 10)) {
				double[] onEtcd = measure(cf, dvipa);
				print("etcd (1 member)", onEtcd);
				out.printf("  ratio etcd/memory     median %.0fx, p99 %.0fx%n", onEtcd[0] / memory[0], onEtcd[1] / memory[1]);
			}
			out.printf("  etcd start            %.0f ms to healthy; resident memory %d kB%n", startMs,
					BenchSupport.residentBytes(etcd.pid()) / 1024);
		} finally {
			SysplexDirectories.deleteTree(dir);
		}
	}

	/** Median and p99 in microseconds of assign + release, after a warm-up of a tenth. */
	private double[] measure(CouplingFacility cf, InetAddress dvipa) throws IOException {
		for (int i = 0; i < Math.max(10, samples / 10); i++) {
			cf.releasePort(dvipa, cf.assignPort(dvipa, "SYSA", p -> true), "SYSA");
		}
		double[] us = new double[samples];
		for (int i = 0; i < samples; i++) {
			long t = System.nanoTime();
			int port = cf.assignPort(dvipa, i % 2 == 0 ? "SYSA" : "SYSB", p -> true);
			cf.releasePort(dvipa, port, i % 2 == 0 ? "SYSA" : "SYSB");
			us[i] = (System.nanoTime() - t) / 1e3;
		}
		Arrays.sort(us);
		return new double[] { us[samples / 2], us[Math.min(samples - 1, (int) Math.ceil(samples * 0.99) - 1)] };
	}

	private void print(String what, double[] us) {
		out.printf("  %-21s median %8.1f us, p99 %8.1f us%n", what, us[0], us[1]);
	}
}
