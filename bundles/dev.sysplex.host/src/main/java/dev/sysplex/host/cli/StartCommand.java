package dev.sysplex.host.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.sysplex.host.Sysplex;
import dev.sysplex.config.ConfigException;
import dev.sysplex.host.net.DistributedVipa;
import dev.sysplex.host.net.SysplexNetwork;
import dev.sysplex.host.net.TcpipStack;
import dev.sysplex.host.net.WhoAmIServer;
import dev.sysplex.host.rse.RseDaemon;
import dev.sysplex.host.rse.RseSession;

/** `sysplex start DIR`: runs a whole sysplex until Ctrl-C, "quit", or --for elapses. */
final class StartCommand implements Command {

	@Override
	public String name() {
		return "start";
	}

	@Override
	public String summary() {
		return "start a sysplex from its directory (stacks, DVIPAs, Sysplex Distributor, RSE daemons)";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex start <sysplex-dir> [--whoami PORT[,PORT...]] [--netstat-every SECONDS] [--for SECONDS]
				                       [--coupling-facility memory|etcd|etcd=URL] [--isolated [--cf-members 3]]

				Reads the sysplex directory (see docs/configuration.md and examples/), starts one TCP/IP
				stack per system, the Sysplex Distributor of every DVIPA and an RSE daemon on every system,
				prints what listens where, and runs until Ctrl-C, the console command "quit", or --for
				SECONDS. Users log on with ./sysplex login (add them with ./sysplex user add).

				Options:
				  --whoami PORTS        on every system, listen on each DVIPA at these ports with a server
				                        that answers its system name (see ./sysplex probe)
				  --netstat-every SEC   print the distributor's port table (NETSTAT VDPT) every SEC seconds
				  --for SEC             stop by itself after SEC seconds
				  --coupling-facility   where EZBEPORT (SYSPLEXPORTS) lives: memory (the default, in this
				                        process), etcd (an etcd of its own, started for this run with its
				                        data in <sysplex-dir>/var/cf-etcd; needs Debian's etcd-server), or
				                        etcd=http://HOST:PORT[,http://HOST:PORT...] (a running etcd, or
				                        the members of a cluster; keys under /sysplex/NAME/)
				  --isolated            every system its own process in its own network namespace on a
				                        sysplex LAN, the distributor in the owner's kernel (nftables),
				                        the coupling facility an etcd of its own; needs root, iproute2,
				                        nftables and etcd-server (docs/deployment.md). Clients run with
				                        ./sysplex enter <sysplex-dir> -- COMMAND
				  --cf-members 1|3      with --isolated: the coupling facility's etcd members (default 1)

				Console commands (typed while it runs):
				  d | display           systems, DVIPAs, listeners and RSE daemons
				  sessions              logged-on RSE sessions: user, system, server port
				  dbm                   Debug Managers: users, waiting sessions and their states
				                        (as F DBGMGR,APPL=DBM,D,U)
				  jobs                  submitted jobs: system, state, return code
				  vdpt | netstat vdpt   distributed ports: targets, ready listeners, connection counts
				  vcrt | netstat vcrt   connections routed and still open
				  stop SYSNAME          stop a system as its failure would: its jobs end CANCELED, its
				                        sessions move through the DVIPA, a DVIPA it owns moves to its VIPABACKUP
				  start SYSNAME         start a stopped system again: its stack, RSED, DBM, whoami servers
				  quit                  stop the sysplex
				With --isolated: display, kill SYSNAME (SIGKILL to the system's process: its failure;
				its DVIPAs go to their VIPABACKUP), quit.

				Example:
				  ./sysplex start examples/two-systems
				""";
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, Set.of("--whoami", "--netstat-every", "--for", "--coupling-facility",
				"--cf-members"), Set.of("--isolated"));
		if (args.positional().size() != 1) {
			throw new UsageException("expected exactly one sysplex directory");
		}
		List<Integer> whoamiPorts = new ArrayList<>();
		if (args.has("--whoami")) {
			for (String p : args.get("--whoami", "").split(",")) {
				try {
					int port = Integer.parseInt(p.strip());
					if (port < 1 || port > 65535) {
						throw new NumberFormatException();
					}
					whoamiPorts.add(port);
				} catch (NumberFormatException e) {
					throw new UsageException("--whoami expects ports 1-65535 separated by commas, not '" + p + "'");
				}
			}
		}
		int every = args.intValue("--netstat-every", 0, 1, 86400);
		int forSeconds = args.intValue("--for", 0, 1, 86400 * 365);

		String cfChoice = args.get("--coupling-facility", "memory");
		if (!cfChoice.equals("memory") && !cfChoice.equals("etcd") && !cfChoice.startsWith("etcd=")) {
			throw new UsageException("--coupling-facility expects memory, etcd or etcd=http://HOST:PORT, not '" + cfChoice
					+ "'");
		}
		Path dir = Path.of(args.positional().get(0));
		if (args.has("--isolated")) {
			if (!cfChoice.equals("memory") && !cfChoice.equals("etcd")) {
				throw new UsageException("--isolated starts an etcd of its own on the sysplex LAN (the systems' "
						+ "namespaces cannot reach one outside it); leave --coupling-facility out or give etcd");
			}
			if (every > 0) {
				throw new UsageException("--netstat-every is not available with --isolated (each system prints its own)");
			}
			return runIsolated(dir, whoamiPorts, forSeconds, args.intValue("--cf-members", 1, 1, 3), out, err);
		}
		if (args.has("--cf-members")) {
			throw new UsageException("--cf-members goes with --isolated (the embedded mode's etcd=URL,URL,URL names a "
					+ "cluster of its own)");
		}
		Sysplex sysplex;
		CouplingFacilityChoice cf;
		try {
			dev.sysplex.config.SysplexConfig config = dev.sysplex.config.SysplexConfig.load(dir);
			try {
				cf = CouplingFacilityChoice.open(cfChoice, config, dir);
			} catch (java.io.IOException e) {
				err.println("The sysplex was not started: its coupling facility " + cfChoice + " is not there: "
						+ e.getMessage());
				return 2;
			}
			try {
				sysplex = Sysplex.start(config, cf.factory());
			} catch (ConfigException | RuntimeException | java.io.IOException e) {
				cf.close();
				throw e;
			}
		} catch (ConfigException e) {
			e.diagnostics().forEach(d -> err.println(d.display()));
			err.println("The sysplex was not started: fix the error(s) above (./sysplex check "
					+ args.positional().get(0) + " says how, with every other finding).");
			return 2;
		}
		sysplex.warnings().forEach(d -> err.println(d.display()));
		SysplexNetwork network = sysplex.network();
		CountDownLatch stopped = new CountDownLatch(1);
		String name = sysplex.config().sysplexName();
		Thread hook = new Thread(() -> {
			sysplex.close();
			cf.close();
			out.println("Sysplex " + name + " stopped.");
			out.flush();
		});
		Runtime.getRuntime().addShutdownHook(hook);
		startWhoami(network, whoamiPorts, null, err);
		out.print(sysplex.describe());
		out.println("  " + cf.describe());
		out.println("Running. Ctrl-C or \"quit\" stops it; \"help\" lists console commands.");
		out.flush();

		Thread console = Thread.ofPlatform().daemon().name("console").start(() -> console(sysplex, whoamiPorts, out,
				err, stopped));
		if (every > 0) {
			Thread.ofPlatform().daemon().name("netstat").start(() -> {
				try {
					while (!stopped.await(every, TimeUnit.SECONDS)) {
						out.print(network.netstatVdpt());
						out.flush();
					}
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			});
		}
		if (forSeconds > 0) {
			stopped.await(forSeconds, TimeUnit.SECONDS);
		} else {
			stopped.await();
		}
		console.interrupt();
		Runtime.getRuntime().removeShutdownHook(hook);
		hook.run();
		return 0;
	}

	/** `start --isolated`: every system its own process and network namespace (see docs/deployment.md). */
	private static int runIsolated(Path dir, List<Integer> whoamiPorts, int forSeconds, int cfMembers, PrintStream out,
			PrintStream err) throws Exception {
		if (cfMembers == 2) {
			throw new UsageException("--cf-members is 1 or 3 (two members stop when either is lost)");
		}
		dev.sysplex.config.SysplexConfig config;
		try {
			config = dev.sysplex.config.SysplexConfig.load(dir);
			List<dev.sysplex.config.Diagnostic> found = Sysplex.validate(config);
			if (found.stream().anyMatch(dev.sysplex.config.Diagnostic::isError)) {
				throw new ConfigException(found);
			}
			found.forEach(d -> err.println(d.display()));
		} catch (ConfigException e) {
			e.diagnostics().forEach(d -> err.println(d.display()));
			err.println("The sysplex was not started: fix the error(s) above (./sysplex check " + dir
					+ " says how, with every other finding).");
			return 2;
		}
		List<String> missing = dev.sysplex.host.isolated.IsolatedSysplex.missing();
		if (!missing.isEmpty()) {
			err.println("The isolated sysplex was not started: this machine lacks what it needs:");
			missing.forEach(m -> err.println("  - " + m));
			err.println("Nothing was changed. ./sysplex start " + dir + " (without --isolated) runs the same sysplex in "
					+ "one process and needs none of it.");
			return 2;
		}
		boolean verbose = System.getenv("SYSPLEX_TRACE") != null;
		dev.sysplex.host.isolated.IsolatedSysplex isolated;
		try {
			isolated = dev.sysplex.host.isolated.IsolatedSysplex.start(config, whoamiPorts, cfMembers,
					java.time.Duration.ofSeconds(120), line -> {
						if (verbose || !line.contains("] trace ")) {
							synchronized (out) {
								out.println(line);
								out.flush();
							}
						}
					});
		} catch (IOException e) {
			err.println("The isolated sysplex was not started: " + e.getMessage());
			err.println("Everything it had started was ended.");
			return 1;
		}
		CountDownLatch stopped = new CountDownLatch(1);
		Thread hook = new Thread(() -> {
			isolated.close();
			out.println("Sysplex " + config.sysplexName() + " stopped: its processes and namespaces are gone.");
			out.flush();
		});
		Runtime.getRuntime().addShutdownHook(hook);
		out.print(isolated.describe());
		out.println("Clients run in the client namespace: ./sysplex enter " + dir + " -- ./sysplex login ... (its address "
				+ isolated.clientAddress() + ")");
		out.println("Running. Ctrl-C or \"quit\" stops it; \"help\" lists console commands.");
		out.flush();
		Thread.ofPlatform().daemon().name("console").start(() -> {
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			try {
				for (String line; (line = in.readLine()) != null;) {
					String[] w = line.strip().split("\\s+");
					switch (w[0].toLowerCase(Locale.ROOT)) {
					case "" -> {
					}
					case "d", "display" -> out.print(isolated.describe());
					case "kill" -> {
						String sys = w.length > 1 ? w[1].toUpperCase(Locale.ROOT) : "";
						try {
							isolated.kill(sys);
							out.println(sys + " killed: its process, namespace, servers and connections are gone");
						} catch (IllegalArgumentException | IOException e) {
							err.println(e.getMessage());
						}
					}
					case "quit", "exit" -> {
						stopped.countDown();
						return;
					}
					case "help" -> out.println("commands: display, kill SYSNAME (the system's failure), quit");
					default -> err.println("unknown console command '" + w[0] + "'; try help");
					}
					out.flush();
				}
			} catch (IOException e) {
				err.println("console input ended: " + e.getMessage());
			}
		});
		if (forSeconds > 0) {
			stopped.await(forSeconds, TimeUnit.SECONDS);
		} else {
			stopped.await();
		}
		Runtime.getRuntime().removeShutdownHook(hook);
		hook.run();
		return 0;
	}

	private static void startWhoami(SysplexNetwork network, List<Integer> ports, String onlySystem, PrintStream err) {
		for (TcpipStack s : network.stacks()) {
			if (onlySystem != null && !s.name().equals(onlySystem)) {
				continue;
			}
			for (DistributedVipa d : network.dvipas()) {
				for (int port : ports) {
					try {
						WhoAmIServer.start(s, d.address(), port);
					} catch (IOException e) {
						err.println("whoami on " + s.name() + " at " + d.address().getHostAddress() + ":" + port
								+ " not started: " + e.getMessage());
					}
				}
			}
		}
	}

	private static void console(Sysplex sysplex, List<Integer> whoami, PrintStream out, PrintStream err,
			CountDownLatch stopped) {
		SysplexNetwork network = sysplex.network();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		try {
			String line;
			while ((line = in.readLine()) != null) {
				String[] w = line.strip().toLowerCase(Locale.ROOT).split("\\s+");
				switch (w[0]) {
				case "" -> {
				}
				case "d", "display" -> out.print(sysplex.describe());
				case "dbm" -> sysplex.dbms().forEach(d -> out.print(d.display()));
				case "jobs" -> sysplex.jobs().all().forEach(j -> out.println("  " + j.user() + " " + j));
				case "sessions" -> {
					for (RseDaemon d : sysplex.daemons()) {
						for (RseSession s : d.sessions()) {
							out.println("  " + s + (s.isConnected() ? "" : " (waiting for its client)"));
						}
					}
				}
				case "vdpt" -> out.print(network.netstatVdpt());
				case "vcrt" -> out.print(network.netstatVcrt());
				case "netstat" -> out.print(w.length > 1 && w[1].equals("vcrt") ? network.netstatVcrt()
						: network.netstatVdpt());
				case "stop", "start" -> {
					if (w.length < 2 || network.stack(w[1]).isEmpty()) {
						err.println(w[0] + " needs a system name: " + network.stacks().stream().map(TcpipStack::name)
								.toList());
					} else if (w[0].equals("stop")) {
						sysplex.stopSystem(network.stack(w[1]).get().name());
						out.print(sysplex.describe());
					} else {
						String name = network.stack(w[1]).get().name();
						try {
							sysplex.startSystem(name);
						} catch (IOException e) {
							err.println("RSED on " + name + " did not start: " + e.getMessage());
						}
						startWhoami(network, whoami, name, err);
						out.print(sysplex.describe());
					}
				}
				case "quit", "exit" -> {
					stopped.countDown();
					return;
				}
				case "help" -> out.println("commands: display, sessions, dbm, jobs, vdpt, vcrt, stop SYSNAME, start SYSNAME, quit");
				default -> err.println("unknown console command '" + w[0] + "'; try help");
				}
				out.flush();
			}
		} catch (IOException e) {
			err.println("console input ended: " + e.getMessage());
		}
		// no console (stdin closed): keep running until Ctrl-C or --for
	}


	/** The coupling facility of this run, and the etcd started for it, if any. */
	private record CouplingFacilityChoice(SysplexNetwork.CouplingFacilityFactory factory, String describe,
			dev.sysplex.host.cf.EtcdServer server) implements AutoCloseable {

		static CouplingFacilityChoice open(String choice, dev.sysplex.config.SysplexConfig config, Path dir)
				throws java.io.IOException {
			if (choice.equals("memory")) {
				return new CouplingFacilityChoice(SysplexNetwork.IN_MEMORY, "Coupling facility: in this process (memory)",
						null);
			}
			dev.sysplex.host.cf.EtcdServer server = null;
			java.net.URI endpoint;
			if (choice.equals("etcd")) {
				Path data = dir.resolve("var/cf-etcd");
				if (java.nio.file.Files.exists(data)) { // a run's own: EZBEPORT starts empty, as a structure does
					dev.sysplex.host.SysplexDirectories.deleteTree(data);
				}
				server = dev.sysplex.host.cf.EtcdServer.start(data, java.net.InetAddress.getLoopbackAddress(),
						java.time.Duration.ofSeconds(30));
				endpoint = server.endpoint();
			} else {
				endpoint = null;
			}
			List<java.net.URI> endpoints = new ArrayList<>();
			if (endpoint != null) {
				endpoints.add(endpoint);
			} else {
				for (String url : choice.substring("etcd=".length()).split(",")) {
					try {
						endpoints.add(java.net.URI.create(url.strip()));
					} catch (IllegalArgumentException e) {
						throw new java.io.IOException("'" + url + "' is not an etcd URL (http://HOST:PORT)");
					}
				}
			}
			dev.sysplex.host.cf.EtcdClient client = new dev.sysplex.host.cf.EtcdClient(endpoints,
					java.time.Duration.ofSeconds(5));
			if (!client.healthy()) {
				if (server != null) {
					server.close();
				}
				throw new java.io.IOException((endpoints.size() == 1 ? "etcd at " + endpoints.get(0) : "no member of etcd "
						+ endpoints) + " does not answer its health check (GET /health)");
			}
			endpoint = client.endpoint();
			String name = config.sysplexName();
			String what = "Coupling facility: etcd at " + (endpoints.size() == 1 ? endpoint : endpoints) + (server == null
					? " (not started by this run)"
					: " (pid " + server.pid() + ", data " + dir.resolve("var/cf-etcd") + ", log " + server.log() + ")")
					+ ", EZBEPORT under /sysplex/" + name + "/, a lease of "
					+ dev.sysplex.host.cf.EtcdCouplingFacility.LEASE_SECONDS + " s per system";
			return new CouplingFacilityChoice(dev.sysplex.host.cf.EtcdCouplingFacility.factory(client, name), what, server);
		}

		@Override
		public void close() {
			if (server != null) {
				server.close();
			}
		}
	}
}
