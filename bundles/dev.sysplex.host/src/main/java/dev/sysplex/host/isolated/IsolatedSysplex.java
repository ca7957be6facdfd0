package dev.sysplex.host.isolated;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.sysplex.config.SystemDefinition;
import dev.sysplex.config.SysplexConfig;
import dev.sysplex.config.TcpipProfile;
import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.host.net.KernelCommands;

/**
 * A sysplex whose systems are processes of their own, each in a network namespace of its own,
 * on a sysplex LAN: a bridge in a namespace of its own, never seen by the machine's own network.
 * A system's namespace belongs to its process (made by {@code unshare -n} as it starts), so the
 * process's end is the system's failure and takes its network with it. The coupling facility is
 * an etcd in the LAN's namespace; the client side has a namespace of its own, entered with
 * {@code ./sysplex enter DIR -- COMMAND} (nsenter).
 * <p>
 * Inside every namespace: the addresses sysplex.conf and the profiles give (a loopback address
 * such as 127.0.10.1 works on the LAN: route_localnet, and only 127.0.0.1 stays on lo), every
 * DVIPA on lo with ARP for it off (the targets of direct routing), a default route on the LAN.
 * The namespaces hold no name on the machine (none is added under /run/netns): each is reached
 * through its process, {@code /proc/PID/ns/net}, and everything is ended by the handles of the
 * processes this run started, never by name or pattern. Every holder process and every system
 * reads its standard input and ends when it closes: a launcher that is killed leaves nothing.
 */
public final class IsolatedSysplex implements AutoCloseable {

	private static final String LAN = dev.sysplex.host.net.Isolation.LAN;
	/** The file naming this run's processes, in the sysplex directory, for ./sysplex enter. */
	public static final String STATE = "var/isolated.run";
	/** The infrastructure addresses are taken from here (RFC 2544's benchmarking range), avoiding the sysplex's. */
	private static final String INFRA = "198.18.255.";

	private final SysplexConfig config;
	private final Consumer<String> out;
	private final List<Process> holders = new ArrayList<>();
	private final Map<String, Member> members = new LinkedHashMap<>();
	/** The coupling facility's etcd members (each under its shell), one or three. */
	private final List<Process> etcds = new ArrayList<>();
	private final List<String> cfAddresses = new ArrayList<>();
	private int cfMembers = 1;
	private Process lan;
	private Process client;
	private String bridgeAddress;
	private String clientAddress;
	private int xcfPort;
	private int vethCount;
	private final Path stateFile;

	/** One system's process. */
	private static final class Member {
		final String system;
		final Process process;
		final OutputStream stdin;
		final CountDownLatch ready = new CountDownLatch(1);
		final CountDownLatch present = new CountDownLatch(1);
		final List<String> describe = new ArrayList<>();
		final java.util.concurrent.BlockingQueue<String> done = new java.util.concurrent.LinkedBlockingQueue<>();
		volatile String failure;
		/** Its end of the LAN, in the LAN's namespace. */
		volatile String veth;

		Member(String system, Process process) {
			this.system = system;
			this.process = process;
			this.stdin = process.getOutputStream();
		}
	}

	private IsolatedSysplex(SysplexConfig config, Consumer<String> out) {
		this.config = config;
		this.out = out;
		this.stateFile = config.directory().resolve(STATE);
	}

	/**
	 * What this machine lacks for the isolated mode, each with the fix; empty when it can run.
	 * (The embedded mode needs none of it.)
	 */
	public static List<String> missing() {
		List<String> m = new ArrayList<>();
		if (!isRoot()) {
			m.add("root: the isolated mode makes network namespaces, veth pairs and nftables tables (CAP_NET_ADMIN, "
					+ "CAP_SYS_ADMIN); run it as root (sudo ./sysplex start ... --isolated)");
		}
		Map<String, String> tools = new LinkedHashMap<>();
		tools.put("ip", "iproute2");
		tools.put("nft", "nftables");
		tools.put("unshare", "util-linux");
		tools.put("nsenter", "util-linux");
		tools.put("etcd", "etcd-server");
		tools.put("arping", "iputils-arping");
		Set<String> packages = new LinkedHashSet<>();
		tools.forEach((tool, pkg) -> {
			if (KernelCommands.find(tool).isEmpty()) {
				packages.add(pkg);
			}
		});
		if (!packages.isEmpty()) {
			m.add("programs: " + String.join(", ", packages) + " (apt-get install " + String.join(" ", packages) + ")");
		}
		return m;
	}

	static boolean isRoot() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("Uid:")) {
					return line.split("\\s+")[2].equals("0"); // the effective uid
				}
			}
		} catch (IOException e) {
			return false;
		}
		return false;
	}

	/**
	 * Starts every system of {@code config} in its own process and namespace, with the servers of
	 * {@code whoamiPorts} on every DVIPA, and returns once every system said it is ready (at most
	 * {@code timeout}). On any failure, what was started is ended and the error says which system
	 * failed and why.
	 */
	public static IsolatedSysplex start(SysplexConfig config, List<Integer> whoamiPorts, Duration timeout,
			Consumer<String> out) throws IOException {
		return start(config, whoamiPorts, 1, timeout, out);
	}

	/** As above, with a coupling facility of {@code cfMembers} etcd members (1 or 3) on the LAN. */
	public static IsolatedSysplex start(SysplexConfig config, List<Integer> whoamiPorts, int cfMembers, Duration timeout,
			Consumer<String> out) throws IOException {
		if (cfMembers != 1 && cfMembers != 3) {
			throw new IllegalArgumentException("the coupling facility has 1 or 3 members, not " + cfMembers);
		}
		List<String> missing = missing();
		if (!missing.isEmpty()) {
			throw new IOException("the isolated mode cannot run on this machine; it needs " + String.join("; and ",
					missing) + ". The embedded mode (without --isolated) needs none of this.");
		}
		try {
			dev.sysplex.host.Sysplex.prepareShared(config);
		} catch (dev.sysplex.config.ConfigException e) {
			throw new IOException(String.join("; ", e.diagnostics().stream().map(d -> d.display()).toList()), e);
		}
		IsolatedSysplex s = new IsolatedSysplex(config, out);
		s.cfMembers = cfMembers;
		try {
			s.launch(whoamiPorts, timeout);
			return s;
		} catch (IOException | RuntimeException e) {
			s.close();
			throw e;
		}
	}

	private void launch(List<Integer> whoamiPorts, Duration timeout) throws IOException {
		long t0 = System.nanoTime();
		Set<String> used = sysplexAddresses();
		bridgeAddress = free(used, 1);
		cfAddresses.add(bridgeAddress);
		for (int i = 1; i < cfMembers; i++) {
			cfAddresses.add(free(used, 1 + i));
		}
		clientAddress = free(used, 100);
		xcfPort = pickXcfPort();
		// the LAN: a bridge in a namespace of its own, with the coupling facility's address
		lan = holder("LAN");
		inNamespace(lan, "ip link set lo up\n"
				+ "echo 1 > /proc/sys/net/ipv4/conf/all/route_localnet\n"
				+ "ip addr add 127.0.0.1/32 dev lo\n"
				+ "ip addr del 127.0.0.1/8 dev lo\n"
				+ "ip link add br0 type bridge\n"
				// a bridge takes its ports' lowest MAC unless given one: a system leaving would change it, and
				// the systems would send to etcd at the old one until their ARP entries expired (seconds)
				+ "ip link set br0 address 02:00:c6:12:ff:01\n"
				+ "ip link set br0 up\n"
				+ cfAddresses.stream().map(a -> "ip addr add " + a + "/32 dev br0\n").reduce("", String::concat)
				+ "ip route add default dev br0\n");
		startEtcd(true);
		client = holder("client");
		attach(client, "c", List.of(clientAddress), List.of());
		out.accept("LAN: a bridge in namespace of pid " + lan.pid() + "; coupling facility etcd at " + cfUrls() + " (pid "
				+ String.join(", ", etcds.stream().map(e -> String.valueOf(e.pid())).toList()) + "); client namespace pid " + client.pid()
				+ " at " + clientAddress);
		Path java = Path.of(ProcessHandle.current().info().command().orElse(System.getProperty("java.home")
				+ "/bin/java"));
		String classPath = System.getProperty("java.class.path");
		List<String> dvipas = dvipas();
		for (SystemDefinition sys : config.systems()) {
			List<String> cmd = new ArrayList<>(List.of(KernelCommands.tool("unshare"), "--net", "--", java.toString(),
					"-XX:+UseSerialGC", "-Xmx256m", "-cp", classPath, "dev.sysplex.host.cli.Main", "system-run",
					config.directory().toString(), "--system", sys.name(), "--xcf-port", String.valueOf(xcfPort),
					"--coupling-facility", "etcd=" + cfUrls()));
			if (!whoamiPorts.isEmpty()) {
				cmd.add("--whoami");
				cmd.add(String.join(",", whoamiPorts.stream().map(String::valueOf).toList()));
			}
			Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
			Member m = new Member(sys.name(), p);
			members.put(sys.name(), m);
			Thread.ofPlatform().daemon().name("output of " + sys.name()).start(() -> pump(m));
			List<String> addresses = new ArrayList<>(List.of(sys.address().getHostAddress()));
			config.profile(sys.name()).ipConfig().dynamicXcf().map(InetAddress::getHostAddress)
					.filter(a -> !addresses.contains(a)).ifPresent(addresses::add);
			m.veth = attach(p, "s", addresses, dvipas);
			m.stdin.write("GO\n".getBytes(StandardCharsets.US_ASCII));
			m.stdin.flush();
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		// every system alive in the coupling facility before any elects the DVIPAs' owners
		for (Member m : members.values()) {
			try {
				long left = deadline - System.nanoTime();
				if (!m.present.await(Math.max(0, left), TimeUnit.NANOSECONDS) || m.failure != null) {
					throw new IOException("system " + m.system + " (pid " + m.process.pid() + ") did not start"
							+ (m.failure != null ? ": " + m.failure : " within " + timeout.toSeconds() + " s"));
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted while the systems started", e);
			}
		}
		for (Member m : members.values()) {
			m.stdin.write("ELECT\n".getBytes(StandardCharsets.US_ASCII));
			m.stdin.flush();
		}
		for (Member m : members.values()) {
			try {
				long left = deadline - System.nanoTime();
				if (!m.ready.await(Math.max(0, left), TimeUnit.NANOSECONDS) || m.failure != null) {
					throw new IOException("system " + m.system + " (pid " + m.process.pid() + ") did not start"
							+ (m.failure != null ? ": " + m.failure : " within " + timeout.toSeconds() + " s")
							+ (m.process.isAlive() ? "" : "; its process ended with exit code " + exit(m.process)));
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted while the systems started", e);
			}
		}
		writeState();
		out.accept("Isolated sysplex " + config.sysplexName() + ": " + members.size() + " systems, each its own process "
				+ "and network namespace, started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
	}

	private static String exit(Process p) {
		try {
			return String.valueOf(p.waitFor(1, TimeUnit.SECONDS) ? p.exitValue() : "?");
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return "?";
		}
	}

	/** A process that only holds a namespace, until its standard input closes. */
	private Process holder(String what) throws IOException {
		Process p = new ProcessBuilder(KernelCommands.tool("unshare"), "--net", "--", "/bin/sh", "-c", "read _")
				.redirectErrorStream(true).start();
		holders.add(p);
		// it exists once /proc/PID/ns/net is not ours any more (unshare did its work and exec'd sh)
		waitForOwnNamespace(p, what);
		return p;
	}

	private static void waitForOwnNamespace(Process p, String what) throws IOException {
		Path mine = Path.of("/proc/self/ns/net");
		Path theirs = Path.of("/proc/" + p.pid() + "/ns/net");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			try {
				if (p.isAlive() && !Files.readSymbolicLink(theirs).equals(Files.readSymbolicLink(mine))) {
					return;
				}
			} catch (IOException e) {
				// not there yet
			}
			if (!p.isAlive()) {
				break;
			}
			try {
				Thread.sleep(5);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted", e);
			}
		}
		throw new IOException("the namespace of " + what + " (unshare --net, pid " + p.pid() + ") was not made"
				+ (p.isAlive() ? " within 10 s" : ": unshare ended with exit code " + exit(p)));
	}

	/** Runs a shell script in {@code p}'s network namespace. */
	private static void inNamespace(Process p, String script) throws IOException {
		KernelCommands.run(List.of(KernelCommands.tool("nsenter"), "--net=/proc/" + p.pid() + "/ns/net", "/bin/sh", "-e",
				"-s"), script);
	}

	/** Connects {@code p}'s namespace to the LAN: a veth pair, its addresses, the DVIPAs on lo. */
	private String attach(Process p, String kind, List<String> addresses, List<String> loopback) throws IOException {
		if (p != client) {
			waitForOwnNamespace(p, "a system");
		}
		String veth = "v" + kind + (vethCount++);
		inNamespace(lan, "ip link add " + veth + " type veth peer name " + LAN + " netns " + p.pid() + "\n"
				+ "ip link set " + veth + " master br0 up\n");
		StringBuilder script = new StringBuilder("ip link set lo up\n"
				+ "echo 1 > /proc/sys/net/ipv4/conf/all/route_localnet\n"
				+ "echo 1 > /proc/sys/net/ipv4/conf/all/arp_ignore\n"
				+ "echo 2 > /proc/sys/net/ipv4/conf/all/arp_announce\n"
				// only 127.0.0.1 stays local on lo: the sysplex's loopback addresses are on the LAN
				+ "ip addr add 127.0.0.1/32 dev lo\n"
				+ "ip addr del 127.0.0.1/8 dev lo\n");
		for (String a : addresses) {
			script.append("ip addr add ").append(a).append("/32 dev ").append(LAN).append('\n');
		}
		for (String d : loopback) {
			script.append("ip addr add ").append(d).append("/32 dev lo\n");
		}
		script.append("ip link set ").append(LAN).append(" up\n").append("ip route add default dev ").append(LAN)
				.append('\n');
		inNamespace(p, script.toString());
		return veth;
	}

	/** The coupling facility's client URLs, comma-separated. */
	private String cfUrls() {
		return String.join(",", cfAddresses.stream().map(a -> "http://" + a + ":2379").toList());
	}

	/**
	 * Starts the LAN's etcd members, each on its own address of the bridge; {@code fresh}: with empty
	 * data directories (a run's start), else with what they held.
	 */
	private void startEtcd(boolean fresh) throws IOException {
		Path data = config.directory().resolve("var/cf-etcd");
		if (fresh && Files.exists(data)) { // this run's own: EZBEPORT starts empty, as a structure does
			SysplexDirectories.deleteTree(data);
		}
		StringBuilder cluster = new StringBuilder();
		for (int i = 0; i < cfAddresses.size(); i++) {
			cluster.append(i == 0 ? "" : ",").append(memberName(i)).append("=http://").append(cfAddresses.get(i))
					.append(":2380");
		}
		for (int i = 0; i < cfAddresses.size(); i++) {
			if (etcds.size() > i && etcds.get(i).isAlive()) {
				continue;
			}
			Process p = startMember(i, data, cluster.toString());
			if (etcds.size() > i) {
				etcds.set(i, p);
			} else {
				etcds.add(p);
			}
		}
	}

	private String memberName(int i) {
		return cfAddresses.size() == 1 ? "sysplex-cf" : "sysplex-cf-" + i;
	}

	private Process startMember(int i, Path data, String cluster) throws IOException {
		Path etcdBinary = KernelCommands.find("etcd").orElseThrow();
		Path dir = cfAddresses.size() == 1 ? data : data.resolve("member-" + i);
		Files.createDirectories(dir);
		Path log = config.directory().resolve(cfAddresses.size() == 1 ? "var/cf-etcd.log" : "var/cf-etcd-" + i + ".log");
		String url = "http://" + cfAddresses.get(i);
		// etcd under a shell that ends it when our pipe closes (we ended, or were killed) or on SIGTERM
		List<String> cmd = new ArrayList<>(List.of(KernelCommands.tool("nsenter"), "--net=/proc/" + lan.pid() + "/ns/net",
				"/bin/sh", "-c", "\"$@\" </dev/null >>'" + log + "' 2>&1 & e=$!; trap 'kill $e; wait $e; exit 0' TERM INT; "
						+ "read _; kill $e; wait $e", "etcd-of-the-sysplex", etcdBinary.toString(), "--name", memberName(i),
				"--data-dir", dir.toString(), "--listen-client-urls", url + ":2379", "--advertise-client-urls",
				url + ":2379", "--listen-peer-urls", url + ":2380", "--initial-advertise-peer-urls", url + ":2380",
				"--initial-cluster", cluster, "--initial-cluster-state", "new",
				"--heartbeat-interval", "50", "--election-timeout", "500", "--log-level", "warn"));
		return new ProcessBuilder(cmd).redirectErrorStream(true).start();
	}

	private void pump(Member m) {
		try (BufferedReader r = new BufferedReader(new InputStreamReader(m.process.getInputStream(),
				StandardCharsets.UTF_8))) {
			boolean describing = false;
			for (String line; (line = r.readLine()) != null;) {
				if (line.length() > 4096) {
					line = line.substring(0, 4096) + "...";
				}
				if (line.equals("PRESENT")) {
					m.present.countDown();
					continue;
				}
				if (line.equals("READY")) {
					describing = false;
					m.ready.countDown();
					continue;
				}
				if (line.startsWith("FAILED ")) {
					m.failure = line.substring(7);
					m.present.countDown();
					m.ready.countDown();
				}
				if (line.startsWith("DONE ")) {
					m.done.add(line.substring(5));
				}
				if (line.equals("DESCRIBE")) {
					describing = true;
					continue;
				}
				if (describing) { // shown once, by describe(), when every system is ready
					synchronized (m.describe) {
						m.describe.add(line);
					}
					continue;
				}
				out.accept("[" + m.system + "] " + line);
			}
		} catch (IOException e) {
			// the process ended
		}
		if (m.ready.getCount() > 0) {
			m.failure = m.failure != null ? m.failure : "its process ended";
			m.present.countDown();
			m.ready.countDown();
		} else {
			out.accept("[" + m.system + "] process " + m.process.pid() + " ended (exit " + exit(m.process) + ")");
		}
	}

	/** The addresses the sysplex's members use (systems, XCF, DVIPAs, DESTIPs). */
	private Set<String> sysplexAddresses() {
		Set<String> used = new LinkedHashSet<>();
		for (SystemDefinition s : config.systems()) {
			used.add(s.address().getHostAddress());
			TcpipProfile p = config.profile(s.name());
			p.ipConfig().dynamicXcf().ifPresent(a -> used.add(a.getHostAddress()));
			p.vipaDefines().forEach(d -> d.addresses().forEach(a -> used.add(a.getHostAddress())));
			p.vipaBackups().forEach(b -> b.addresses().forEach(a -> used.add(a.getHostAddress())));
			p.vipaDistributes().forEach(v -> v.destinations().forEach(d -> used.add(d.address().getHostAddress())));
		}
		return used;
	}

	private static String free(Set<String> used, int from) throws IOException {
		for (int i = from; i < 255; i++) {
			if (used.add(INFRA + i)) {
				return INFRA + i;
			}
		}
		throw new IOException("no free address in " + INFRA + "0/24 for the LAN's own use");
	}

	/** The DVIPAs of the sysplex (every VIPADEFINE and VIPABACKUP address), in the profiles' order. */
	public List<String> dvipas() {
		Set<String> d = new LinkedHashSet<>();
		for (SystemDefinition s : config.systems()) {
			TcpipProfile p = config.profile(s.name());
			p.vipaDefines().forEach(v -> v.addresses().forEach(a -> d.add(a.getHostAddress())));
			p.vipaBackups().forEach(b -> b.addresses().forEach(a -> d.add(a.getHostAddress())));
		}
		return List.copyOf(d);
	}

	/** The XCF port: 2500 or the next one that no profile reserves or distributes. */
	private int pickXcfPort() {
		int port = 2500;
		while (port < 65535 && named(port)) {
			port++;
		}
		return port;
	}

	private boolean named(int port) {
		for (SystemDefinition s : config.systems()) {
			TcpipProfile p = config.profile(s.name());
			if (p.reservations().stream().anyMatch(r -> r.covers(port))
					|| p.vipaDistributes().stream().anyMatch(v -> v.ports().contains(port))) {
				return true;
			}
		}
		return false;
	}

	private void writeState() throws IOException {
		StringBuilder sb = new StringBuilder("# the isolated sysplex started by pid " + ProcessHandle.current().pid()
				+ "; read by ./sysplex enter; removed when it stops\n");
		sb.append("launcher=").append(ProcessHandle.current().pid()).append('\n');
		sb.append("client=").append(client.pid()).append('\n');
		sb.append("client.started=").append(startTime(client.pid()).orElse("?")).append('\n');
		sb.append("client.address=").append(clientAddress).append('\n');
		members.values().forEach(m -> sb.append("system.").append(m.system).append('=').append(m.process.pid())
				.append('\n'));
		Files.createDirectories(stateFile.getParent());
		Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
		Files.writeString(tmp, sb.toString());
		Files.move(tmp, stateFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
				java.nio.file.StandardCopyOption.ATOMIC_MOVE);
	}

	/** A process's start time (clock ticks since boot, /proc/PID/stat field 22): with the pid, names it for good. */
	public static Optional<String> startTime(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Optional.of(f[19]);
		} catch (IOException | RuntimeException e) {
			return Optional.empty();
		}
	}

	public SysplexConfig config() {
		return config;
	}

	/** The client namespace's holder process: {@code nsenter --net=/proc/PID/ns/net} enters it. */
	public long clientPid() {
		return client.pid();
	}

	/** The client namespace's address on the LAN. */
	public String clientAddress() {
		return clientAddress;
	}

	/** {@code command} as run in the client namespace. */
	public List<String> inClient(List<String> command) {
		List<String> c = new ArrayList<>(List.of(KernelCommands.tool("nsenter"), "--net=/proc/" + client.pid() + "/ns/net",
				"--"));
		c.addAll(command);
		return c;
	}

	/** {@code command} as run in a system's namespace (as a job of that system would run). */
	public List<String> inSystem(String system, List<String> command) {
		Member m = members.get(system);
		if (m == null) {
			throw new IllegalArgumentException("no system " + system);
		}
		List<String> c = new ArrayList<>(List.of(KernelCommands.tool("nsenter"), "--net=/proc/" + m.process.pid()
				+ "/ns/net", "--"));
		c.addAll(command);
		return c;
	}

	/** The port of the systems' XCF links (on their XCF addresses). */
	public int xcfPort() {
		return xcfPort;
	}

	/** The systems' process ids. */
	public Map<String, Long> pids() {
		Map<String, Long> m = new LinkedHashMap<>();
		members.forEach((n, mem) -> m.put(n, mem.process.pid()));
		return m;
	}

	/** Every process this run started and that still runs (holders, etcd, systems and what they started). */
	public List<ProcessHandle> processes() {
		List<ProcessHandle> all = new ArrayList<>();
		List<Process> roots = new ArrayList<>(holders);
		roots.addAll(etcds);
		members.values().forEach(m -> roots.add(m.process));
		for (Process p : roots) {
			if (p.isAlive()) {
				all.add(p.toHandle());
			}
			p.descendants().forEach(all::add);
		}
		return all;
	}

	/**
	 * Gives a system's process a console line ({@code whoami start|stop PORT}) and returns its
	 * answer, waiting at most 10 s.
	 */
	public String command(String system, String line) throws IOException {
		Member m = members.get(system);
		if (m == null || !m.process.isAlive()) {
			throw new IOException("system " + system + " does not run");
		}
		synchronized (m) {
			m.done.clear();
			m.stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
			m.stdin.flush();
			try {
				String answer = m.done.poll(10, TimeUnit.SECONDS);
				if (answer == null) {
					throw new IOException(system + " did not answer '" + line + "' within 10 s");
				}
				return answer;
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted", e);
			}
		}
	}

	/** Ends the coupling facility's etcd, every member (the systems lose it: a test of a coupling facility failure). */
	public void stopCouplingFacility() {
		for (int i = 0; i < etcds.size(); i++) {
			stopCouplingFacilityMember(i);
		}
	}

	/** Ends one etcd member (of three: the others go on; a test of a member's failure). */
	public void stopCouplingFacilityMember(int i) {
		Process e = etcds.get(i);
		try {
			e.getOutputStream().close(); // its shell ends etcd
		} catch (IOException x) {
			// ended
		}
		end(e, 5);
	}

	/** Starts the coupling facility's members that are not running, with what they held. */
	public void startCouplingFacility() throws IOException {
		startEtcd(false);
	}

	public boolean isRunning(String system) {
		Member m = members.get(system);
		return m != null && m.process.isAlive();
	}

	/** What the systems printed of themselves when they started. */
	public String describe() {
		StringBuilder sb = new StringBuilder();
		for (Member m : members.values()) {
			synchronized (m.describe) {
				m.describe.forEach(l -> sb.append(l).append('\n'));
			}
			sb.append("  ").append(m.system).append(": process ").append(m.process.pid())
					.append(m.process.isAlive() ? "" : " (ENDED)").append('\n');
		}
		return sb.toString();
	}

	/**
	 * Kills a system's process (SIGKILL), as the system's failure: its network namespace, its
	 * servers and its connections go with it; so do the jobs it started. Returns once it is gone.
	 */
	public void kill(String system) throws IOException {
		Member m = members.get(system);
		if (m == null) {
			throw new IllegalArgumentException("no system " + system + "; the systems are " + members.keySet());
		}
		List<ProcessHandle> children = m.process.descendants().toList();
		m.process.destroyForcibly();
		children.forEach(ProcessHandle::destroyForcibly); // its jobs: the system's address spaces end with it
		// off the LAN at once: the kernel tears a dead process's namespace down later (it would forward
		// packets meanwhile), a failed machine stops answering now
		try {
			inNamespace(lan, "ip link del " + m.veth + "\n");
		} catch (IOException e) {
			// already gone with its namespace
		}
		try {
			if (!m.process.waitFor(10, TimeUnit.SECONDS)) {
				throw new IOException("the process " + m.process.pid() + " of " + system + " did not end within 10 s");
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		for (Member m : members.values()) {
			try {
				m.stdin.write("STOP\n".getBytes(StandardCharsets.US_ASCII));
				m.stdin.close();
			} catch (IOException e) {
				// it ended already
			}
		}
		for (Member m : members.values()) {
			end(m.process, 15);
		}
		stopCouplingFacility();
		for (Process h : holders) {
			try {
				h.getOutputStream().close();
			} catch (IOException e) {
				// ended
			}
		}
		holders.forEach(h -> end(h, 3));
		try {
			Files.deleteIfExists(stateFile);
		} catch (IOException e) {
			out.accept("could not remove " + stateFile + ": " + e.getMessage());
		}
	}

	/** Waits for a process of ours to end, then ends it and what it started (by handle, never by name). */
	private static void end(Process p, int seconds) {
		List<ProcessHandle> children = p.descendants().toList();
		try {
			if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
				p.destroy();
				if (!p.waitFor(3, TimeUnit.SECONDS)) {
					p.destroyForcibly();
					p.waitFor(5, TimeUnit.SECONDS);
				}
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			p.destroyForcibly();
		}
		for (ProcessHandle c : children) { // what it started and left (a tool it ran as it ended)
			if (c.isAlive()) {
				c.destroyForcibly();
				try {
					c.onExit().get(5, TimeUnit.SECONDS);
				} catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
					// it is being ended; nothing more to do by handle
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}
		}
	}
}
