package dev.sysplex.host.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import dev.sysplex.host.bench.DebugBenchmark;
import dev.sysplex.host.bench.DistributorBenchmark;
import dev.sysplex.host.bench.LoginBenchmark;

/** `sysplex bench distributor`: prints figures (docs/performance.md records them). */
final class BenchCommand implements Command {

	@Override
	public String name() {
		return "bench";
	}

	@Override
	public String summary() {
		return "measure the distributor, RSE logons, the debug handoff, load, the coupling facility or the isolated mode "
				+ "(prints figures)";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex bench distributor [--seconds S] [--clients C] [--megabytes M] [--idle N]
				       ./sysplex bench login [--samples N] [--seconds S] [--idle N,N...]
				       ./sysplex bench login --after N
				       ./sysplex bench debug [--runs N] [--megabytes M]
				       ./sysplex bench load [--clients N] [--links L] [--soak SECONDS] [--rate R]
				                            [--iterations I]
				       ./sysplex bench simulate [--systems N] [--logons L]
				       ./sysplex bench cf [--samples N]
				       ./sysplex bench isolated [--seconds S] [--megabytes M] [--samples N] [--systems N,N...]

				Runs a two-system sysplex on 127.0.30.0/24 and measures, in one run, through the
				distributor and directly on loopback: new connections per second (C concurrent clients
				for S seconds, default 16 and 5), bulk throughput of one connection (M megabytes, default
				1024, best of three), and heap per idle connection with N open (default 10,000, capped by
				the process's file-descriptor limit, which is said when it applies).

				login: a TLS and a plain two-system sysplex on 127.0.31.0/24 and 127.0.32.0/24; the
				PBKDF2 cost of one logon check; login latency median and p99 (N logons each, default 500)
				for TLS, plain, fallback the first time and fallback remembered; logins per second (8
				clients for S seconds, default 3); host heap per idle session with N open (default
				1,000 and 10,000; the sessions' clients run in a child process). With --after N, only
				this: plain logon latency with ROUNDROBIN and with BASEWLM, fresh and after N logons,
				with the number of port entries left in the distributor's table.

				debug: a copy of examples/two-systems, as shipped (encrypted debug link) and with
				enable_ssl=false (plain), each with PassTicket registration and engine credentials: N jobs
				(default 5) with TEST on the other system, each debugged to its breakpoint (time from job
				start to stopped there, and the JVM's own start); JDWP VirtualMachine.Version round trips
				through the relay against a direct connection to a JVM's agent (median, p99, ratio); then
				M megabytes (default 1024) through the DVIPA and a Debug Manager's relay (best of three).

				load: a copy of examples/two-systems as shipped (TLS, DBMs, hub) on an address range of
				its own. N clients (default 1000, in a child process) log on at once and hold their
				sessions: completed and lost logons, p50/p99 latency, host heap and threads; while they
				are held, L jobs with TEST (default 100) and all their debug links opened at once (link,
				JDWP handshake, Version, Dispose); then a soak of R logons per second (default 2, below
				what one core hashes) for SECONDS (default 600), per minute, with the host's heap after GC
				at its start and end.
				I is the PBKDF2 iteration count of the benchmark's users (default the registry's own).

				simulate: writes a sysplex of N systems (default 32, at most 32: one DVIPA, the RSED port
				and every Debug Manager's CLIENT port 53&SYSCLONE. distributed, the hub on the first
				system, TLS) and runs check --simulate L on it (default 20 logons per mode): the time,
				the debug pairs decided (N x N) and reached, and the peak resident memory of the JVM and
				the probe jobs' JVMs together.

				cf: EZBEPORT allocation latency (assign and release one SYSPLEXPORTS port) on the embedded
				coupling facility and on an etcd started for the benchmark (N samples each, default
				2000): median, p99, their ratio, etcd's start time and resident memory.

				isolated (root; what start --isolated needs): a copy of examples/two-systems on
				127.0.42.0/24, embedded and isolated in one run: new connections per second (8 clients
				for S seconds, default 3) and bulk MB/s of one connection (M megabytes, default 500,
				best of three) straight to SYSB and through the distributor (the embedded one, the owner's
				kernel); RSE logon latency (N logons, default 200, TLS); resident memory per system
				process; the owner killed with a session held through it to SYSB (time to the first new
				connection, the session's longest pause); the start time of generated sysplexes of N
				systems in both modes (default 2,8,32).
				""";
	}

	/** An option's numbers, separated by commas. */
	private static int[] numbers(Args args, String option, String defaults, String what) throws UsageException {
		try {
			return java.util.Arrays.stream(args.get(option, defaults).split(",")).mapToInt(Integer::parseInt).toArray();
		} catch (NumberFormatException e) {
			throw new UsageException(option + " expects " + what + " separated by commas");
		}
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, Set.of("--seconds", "--clients", "--megabytes", "--idle", "--samples", "--runs",
				"--links", "--soak", "--rate", "--iterations", "--after", "--systems", "--logons"),
				Set.of());
		if (args.positional().size() == 1 && args.positional().get(0).equals("debug")) {
			Path copy = java.nio.file.Files.createTempDirectory("sysplex-bench-debug");
			try {
				dev.sysplex.host.SysplexDirectories.copy(DemoCommand.repositoryRoot().resolve("examples/two-systems"), copy);
				new DebugBenchmark(out, copy, args.intValue("--runs", 5, 1, 1000),
						args.intValue("--megabytes", 1024, 1, 1 << 20) * 1_000_000L).run();
			} finally {
				dev.sysplex.host.SysplexDirectories.deleteTree(copy);
			}
			return 0;
		}
		if (args.positional().size() == 1 && args.positional().get(0).equals("isolated")) {
			int[] sizes = numbers(args, "--systems", "2,8,32", "numbers 2-32");
			for (int n : sizes) {
				if (n < 2 || n > 32) {
					throw new UsageException("--systems expects numbers 2-32, not " + n);
				}
			}
			new dev.sysplex.host.bench.IsolatedBenchmark(out, DemoCommand.repositoryRoot().resolve("examples/two-systems"),
					args.intValue("--seconds", 3, 1, 600), args.intValue("--megabytes", 500, 1, 1 << 20),
					args.intValue("--samples", 200, 10, 100_000), sizes).run();
			return 0;
		}
		if (args.positional().size() == 1 && args.positional().get(0).equals("cf")) {
			new dev.sysplex.host.bench.CouplingFacilityBenchmark(out, args.intValue("--samples", 2000, 10, 1_000_000)).run();
			return 0;
		}
		if (args.positional().size() == 1 && args.positional().get(0).equals("simulate")) {
			new dev.sysplex.host.bench.SimulateBenchmark(out, args.intValue("--systems", 32, 2, 32),
					args.intValue("--logons", 20, 1, 10_000)).run();
			return 0;
		}
		if (args.positional().size() == 1 && args.positional().get(0).equals("load")) {
			new dev.sysplex.host.bench.LoadBenchmark(out, DemoCommand.repositoryRoot().resolve("examples/two-systems"),
					args.intValue("--clients", 1000, 1, 20_000), args.intValue("--links", 100, 0, 1000),
					args.intValue("--soak", 600, 0, 86_400), args.intValue("--rate", 2, 1, 1000),
					args.intValue("--iterations", dev.sysplex.host.rse.UserRegistry.DEFAULT_ITERATIONS, 1, 10_000_000)).run();
			return 0;
		}
		if (args.positional().size() == 1 && args.positional().get(0).equals("login")) {
			int[] idle = numbers(args, "--idle", "1000,10000", "numbers");
			LoginBenchmark login = new LoginBenchmark(out, args.intValue("--samples", 500, 10, 1_000_000),
					args.intValue("--seconds", 3, 1, 600), idle);
			int after = args.intValue("--after", 0, 0, 1_000_000);
			if (after > 0) {
				login.methodsAfterManyLogons(after); // only this figure: it takes a while on its own
			} else {
				login.run();
			}
			return 0;
		}
		if (args.positional().size() != 1 || !args.positional().get(0).equals("distributor")) {
			throw new UsageException("expected: bench distributor, login, debug, load, simulate or cf");
		}
		new DistributorBenchmark(out, args.intValue("--seconds", 5, 1, 600), args.intValue("--clients", 16, 1, 1024),
				args.intValue("--megabytes", 1024, 1, 1 << 20) * 1_000_000L, args.intValue("--idle", 10_000, 1, 100_000))
				.run();
		return 0;
	}
}
