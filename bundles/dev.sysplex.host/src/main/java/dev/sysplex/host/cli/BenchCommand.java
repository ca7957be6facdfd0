package dev.sysplex.host.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

import dev.sysplex.host.bench.DistributorBenchmark;

/** `sysplex bench distributor`: prints figures (docs/performance.md records them). */
final class BenchCommand implements Command {

	@Override
	public String name() {
		return "bench";
	}

	@Override
	public String summary() {
		return "measure the Sysplex Distributor against direct loopback connections (prints figures)";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex bench distributor [--seconds S] [--clients C] [--megabytes M] [--idle N]

				Runs a two-system sysplex on 127.0.30.0/24 and measures, in one run, through the
				distributor and directly on loopback: new connections per second (C concurrent clients
				for S seconds, default 16 and 5), bulk throughput of one connection (M megabytes, default
				1024, best of three), and heap per idle connection with N open (default 10,000, capped by
				the process's file-descriptor limit, which is said when it applies).
				""";
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, Set.of("--seconds", "--clients", "--megabytes", "--idle"), Set.of());
		if (args.positional().size() != 1 || !args.positional().get(0).equals("distributor")) {
			throw new UsageException("expected: bench distributor");
		}
		new DistributorBenchmark(out, args.intValue("--seconds", 5, 1, 600), args.intValue("--clients", 16, 1, 1024),
				args.intValue("--megabytes", 1024, 1, 1 << 20) * 1_000_000L, args.intValue("--idle", 10_000, 1, 100_000))
				.run();
		return 0;
	}
}
