package dev.sysplex.host.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.sysplex.config.ConfigException;
import dev.sysplex.config.SysplexConfig;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.cf.EtcdClient;
import dev.sysplex.host.cf.EtcdCouplingFacility;
import dev.sysplex.host.cf.EtcdOwners;
import dev.sysplex.host.net.EchoServer;
import dev.sysplex.host.net.DistributedVipa;
import dev.sysplex.host.net.TcpipStack;
import dev.sysplex.host.net.WhoAmIServer;

/**
 * `sysplex system-run DIR --system NAME ...`: one system of an isolated sysplex, in the process
 * and network namespace `start --isolated` made for it. It waits for "GO" on its standard input
 * (its network is wired then), starts, prints what runs and "READY", and ends on "STOP" or when
 * its standard input closes (the launcher ended).
 */
final class SystemRunCommand implements Command {

	@Override
	public String name() {
		return "system-run";
	}

	@Override
	public String summary() {
		return "(used by start --isolated) run one system of a sysplex in this process";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex system-run <sysplex-dir> --system NAME --xcf-port PORT
				                            --coupling-facility etcd=http://HOST:PORT[,http://HOST:PORT...]
				                            [--whoami PORT[,PORT...]]

				Runs one system of the sysplex in this process, as ./sysplex start --isolated starts each
				system in a network namespace of its own; not meant to be run by hand. It waits for a line
				GO on its standard input, says it is alive in the coupling facility and prints PRESENT,
				waits for ELECT (every system is present then), starts the system's TCP/IP stack (its
				DVIPAs bound for real), elects the DVIPAs' owners, loads the distributors of those it owns
				(nftables), links to the others' over XCF, starts DBGMGR and RSED, prints READY, and stops
				on a line STOP or when its standard input ends. Also on its standard input: d (display),
				whoami start|stop PORT (a whoami server on every DVIPA), serve echo|sink PORT (an echo or
				sink server on every DVIPA and on the system's address).
				""";
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, Set.of("--system", "--xcf-port", "--coupling-facility", "--whoami"), Set.of());
		if (args.positional().size() != 1 || !args.has("--system") || !args.has("--coupling-facility")) {
			throw new UsageException("expected a sysplex directory, --system and --coupling-facility etcd=URL");
		}
		String system = args.get("--system", "");
		int xcfPort = args.intValue("--xcf-port", 2500, 1, 65535);
		String cf = args.get("--coupling-facility", "");
		if (!cf.startsWith("etcd=")) {
			throw new UsageException("--coupling-facility must be etcd=URL: the systems' processes share it");
		}
		List<Integer> whoami = new ArrayList<>();
		for (String p : args.get("--whoami", "").split(",")) {
			if (!p.isBlank()) {
				whoami.add(Integer.parseInt(p.strip()));
			}
		}
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String go = readLine(in, Duration.ofSeconds(60));
		if (!"GO".equals(go)) {
			out.println("FAILED no GO from the launcher (" + go + ")");
			return 3;
		}
		PrintStream o = out;
		List<URI> members = new ArrayList<>();
		for (String url : cf.substring(5).split(",")) {
			members.add(URI.create(url.strip()));
		}
		EtcdClient etcd = new EtcdClient(members, Duration.ofSeconds(5));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!etcd.healthy()) {
			if (System.nanoTime() > deadline) {
				out.println("FAILED the coupling facility " + cf.substring(5) + " did not answer its health check within 30 s");
				return 2;
			}
			Thread.sleep(50);
		}
		SysplexConfig config;
		Sysplex sysplex;
		EtcdOwners owners;
		try {
			config = SysplexConfig.load(Path.of(args.positional().get(0)));
		} catch (ConfigException e) {
			out.println("FAILED " + String.join("; ", e.diagnostics().stream().map(d -> d.display()).toList()));
			return 2;
		}
		String name = config.sysplexName();
		owners = new EtcdOwners(etcd, name);
		try {
			owners.present(system);
		} catch (IOException e) {
			out.println("FAILED cannot say " + system + " is alive in the coupling facility " + cf.substring(5) + ": "
					+ e.getMessage());
			return 2;
		}
		// every system present before any elects: the defining system owns its DVIPAs from the start
		out.println("PRESENT");
		out.flush();
		String elect = readLine(in, Duration.ofSeconds(120));
		if (!"ELECT".equals(elect)) {
			owners.close();
			out.println("FAILED no ELECT from the launcher (" + elect + ")");
			return 3;
		}
		try {
			sysplex = Sysplex.startIsolated(config, EtcdCouplingFacility.factory(etcd, name), system, xcfPort, owners,
					line -> {
						synchronized (o) {
							o.println("trace " + line);
							o.flush();
						}
					});
		} catch (ConfigException e) {
			owners.close();
			out.println("FAILED " + String.join("; ", e.diagnostics().stream().map(d -> d.display()).toList()));
			return 2;
		} catch (IOException | RuntimeException e) {
			owners.close();
			out.println("FAILED " + e.getMessage());
			return 1;
		}
		// the other systems list its jobs, and its sessions are told when theirs end
		sysplex.useSpool(new dev.sysplex.host.cf.EtcdSpool(etcd, name), system);
		TcpipStack stack = sysplex.network().stack(system).orElseThrow();
		List<WhoAmIServer> whoamis = new ArrayList<>();
		for (DistributedVipa d : sysplex.network().dvipas()) {
			for (int port : whoami) {
				try {
					whoamis.add(WhoAmIServer.start(stack, d.address(), port));
				} catch (IOException e) {
					out.println("whoami on " + system + " at " + d.address().getHostAddress() + ":" + port + " not started: "
							+ e.getMessage());
				}
			}
		}
		// ready once every DVIPA has an owner that knows this system's servers (bounded: 20 s)
		long settleBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (!sysplex.network().settled() && System.nanoTime() < settleBy) {
			Thread.sleep(20);
		}
		String described = sysplex.describe(); // not under the output's lock: the distributor traces under its own
		synchronized (o) {
			out.println("DESCRIBE");
			out.print(described);
			out.println("READY");
			out.flush();
		}
		try {
			for (String line; (line = in.readLine()) != null && !line.equals("STOP");) {
				String[] w = line.strip().split("\\s+");
				if (w[0].equals("d")) {
					String shown = sysplex.describe();
					synchronized (o) {
						out.print(shown);
						out.flush();
					}
				} else if (w[0].equals("serve") && w.length == 3) { // serve echo|sink PORT: on every DVIPA and home
					String answer = "DONE " + line;
					try {
						EchoServer.Mode mode = EchoServer.Mode.valueOf(w[1].toUpperCase(java.util.Locale.ROOT));
						int port = Integer.parseInt(w[2]);
						for (DistributedVipa d : sysplex.network().dvipas()) {
							EchoServer.start(stack, d.address(), port, mode);
						}
						EchoServer.start(stack, stack.homeAddress(), port, mode);
					} catch (IOException | IllegalArgumentException e) {
						answer += " failed: " + e.getMessage();
					}
					synchronized (o) {
						out.println(answer);
						out.flush();
					}
				} else if (w[0].equals("whoami") && w.length == 3) { // whoami start|stop PORT: a test's listener
					int port = Integer.parseInt(w[2]);
					String answer = "DONE " + line;
					try {
						if (w[1].equals("start")) {
							for (DistributedVipa d : sysplex.network().dvipas()) {
								whoamis.add(WhoAmIServer.start(stack, d.address(), port));
							}
						} else {
							whoamis.removeIf(s -> {
								if (s.endpoint().port() == port) {
									s.close();
									return true;
								}
								return false;
							});
						}
					} catch (IOException e) {
						answer += " failed: " + e.getMessage();
					}
					synchronized (o) {
						out.println(answer);
						out.flush();
					}
				}
			}
		} finally {
			sysplex.close();
			owners.close(); // its DVIPAs go to their backups at once
			out.println(system + " stopped");
		}
		return 0;
	}

	private static String readLine(BufferedReader in, Duration timeout) throws Exception {
		CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
			try {
				return in.readLine();
			} catch (IOException e) {
				return null;
			}
		}, r -> Thread.ofPlatform().daemon().start(r));
		try {
			return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		} catch (TimeoutException e) {
			return "nothing within " + timeout.toSeconds() + " s";
		}
	}
}
