package dev.sysplex.host.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.sysplex.client.ConnectException;
import dev.sysplex.client.DebugLink;
import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.host.dbm.EngineRelease;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.config.ConfigException;
import dev.sysplex.host.rse.RseDaemon;
import dev.sysplex.protocol.Dbm;

/**
 * `sysplex check --simulate N`: starts the configuration in an embedded sysplex (a copy of the
 * directory, its addresses moved to a free loopback /24), runs N logons the way clients do
 * (PREFERRED: TLS first, plain after a refusal) without and with TLS memory and counts where they
 * land, then starts a debug-probe job with TEST on every system for a client logged on to every
 * system and says whether the debug session reaches the client.
 */
public final class Simulation {

	/** How long a job's debug session may take to reach the client. */
	static final Duration REACH_TIMEOUT = Duration.ofSeconds(15);

	private static final Pattern IPV4 = Pattern.compile("(?<![\\d.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");
	private static final String USER = "CHECK";
	private static final String PROBE = "SysplexCheckProbe";
	/** Up to this many systems the text shows the whole matrix of pairs; beyond it, the pairs not reached. */
	static final int MATRIX_SYSTEMS = 12;

	/** What the simulation saw. */
	public record Result(int logons, String endpoint, Map<String, Integer> withoutMemory, Map<String, Integer> withMemory,
			List<String> logonFailures, Map<String, Map<String, String>> reach) {

		/** True when every logon worked and every debug session reached its client. */
		public boolean ok() {
			return logonFailures.isEmpty()
					&& reach.values().stream().allMatch(m -> m.values().stream().allMatch("reached"::equals));
		}

		public String text() {
			StringBuilder sb = new StringBuilder();
			sb.append("Simulation: ").append(logons).append(" logons through the DVIPA (").append(endpoint)
					.append(" in the embedded copy), encryption PREFERRED as clients do:\n");
			sb.append(String.format("  %-16s", "TLS memory off:"));
			withoutMemory.forEach((s, n) -> sb.append(String.format(" %s %-5d", s, n)));
			sb.append(String.format("%n  %-16s", "TLS memory on:"));
			withMemory.forEach((s, n) -> sb.append(String.format(" %s %-5d", s, n)));
			sb.append('\n');
			logonFailures.forEach(f -> sb.append("  logon failed: ").append(f).append('\n'));
			long pairs = reach.values().stream().mapToLong(Map::size).sum();
			long reached = reach.values().stream().flatMap(m -> m.values().stream()).filter("reached"::equals).count();
			sb.append("Debug sessions (a job with TEST(,,,DBMDT%user) on each system, the user's client logged on to "
					+ "each system): ").append(reached).append(" of ").append(pairs).append(" pairs reached\n");
			List<String> clients = new ArrayList<>(reach.isEmpty() ? List.of() : reach.values().iterator().next().keySet());
			if (clients.size() <= MATRIX_SYSTEMS) {
				int w = Math.max(5, clients.stream().mapToInt(String::length).max().orElse(5)) + 2;
				sb.append(String.format("  %-18s", "job on \\ client"));
				clients.forEach(c -> sb.append(String.format("%-" + w + "s", c)));
				sb.append('\n');
				reach.forEach((job, row) -> {
					sb.append(String.format("  %-18s", job));
					row.values().forEach(v -> sb.append(String.format("%-" + w + "s", v.equals("reached") ? "ok" : "NO")));
					sb.append('\n');
				});
			}
			// the same reason once, with the pairs it holds for
			Map<String, List<String[]>> byReason = new LinkedHashMap<>();
			reach.forEach((job, row) -> row.forEach((client, v) -> {
				if (!v.equals("reached")) {
					byReason.computeIfAbsent(v, k -> new ArrayList<>()).add(new String[] { job, client });
				}
			}));
			byReason.forEach((reason, where) -> sb.append("  ").append(pairs(where)).append(": ").append(reason)
					.append('\n'));
			return sb.toString();
		}

		/** The result as a JSON value ({@link dev.sysplex.host.json.Json}). */
		public Map<String, Object> json() {
			Map<String, Object> o = dev.sysplex.host.json.Json.object();
			o.put("logons", logons);
			o.put("endpoint", endpoint);
			o.put("tlsMemoryOff", withoutMemory);
			o.put("tlsMemoryOn", withMemory);
			o.put("logonFailures", logonFailures);
			List<Object> cells = new ArrayList<>();
			reach.forEach((job, row) -> row.forEach((client, v) -> {
				Map<String, Object> c = dev.sysplex.host.json.Json.object();
				c.put("job", job);
				c.put("client", client);
				c.put("reached", v.equals("reached"));
				c.put("detail", v);
				cells.add(c);
			}));
			o.put("debugReach", cells);
			return o;
		}

		/** "job on SYSA, clients on SYSB SYSC", "client on SYSB, jobs on ...", or the pairs one by one. */
		private static String pairs(List<String[]> where) {
			java.util.Set<String> jobs = new java.util.LinkedHashSet<>();
			java.util.Set<String> clients = new java.util.LinkedHashSet<>();
			where.forEach(p -> {
				jobs.add(p[0]);
				clients.add(p[1]);
			});
			if (jobs.size() == 1) {
				return "job on " + jobs.iterator().next() + ", client" + (clients.size() == 1 ? "" : "s") + " on "
						+ String.join(" ", clients);
			}
			if (clients.size() == 1) {
				return "client on " + clients.iterator().next() + ", jobs on " + String.join(" ", jobs);
			}
			return where.size() + " pairs (job on, client on): " + where.stream().map(p -> p[0] + ">" + p[1])
					.collect(java.util.stream.Collectors.joining(" "));
		}
	}

	private Simulation() {
	}

	/** Runs the simulation of {@code directory} (not changed; a copy runs) with {@code logons} logons per mode. */
	public static Result run(Path directory, int logons, Consumer<String> progress)
			throws IOException, ConfigException, InterruptedException {
		return run(directory, logons, REACH_TIMEOUT, progress);
	}

	/** As {@link #run(Path, int, Consumer)}, waiting at most {@code reachTimeout} for each debug session. */
	public static Result run(Path directory, int logons, Duration reachTimeout, Consumer<String> progress)
			throws IOException, ConfigException, InterruptedException {
		Path copy = Files.createTempDirectory("sysplex-check-");
		try {
			SysplexDirectories.copy(directory, copy);
			String subnet = "127." + (100 + ProcessHandle.current().pid() % 100) + "."
					+ (1 + (int) (System.nanoTime() % 250 + 250) % 250) + ".";
			remap(copy, subnet);
			Path jobs = copy.resolve("jobs");
			Files.createDirectories(jobs);
			Files.writeString(jobs.resolve(PROBE + ".java"), "public class " + PROBE
					+ " {\n\tpublic static void main(String[] args) {\n\t\tSystem.out.println(\"probe ran\");\n\t}\n}\n");
			try (Sysplex sysplex = Sysplex.start(copy)) {
				char[] password = Long.toHexString(System.nanoTime()).toCharArray();
				sysplex.users().setPassword(USER, password, false, 1_000);
				List<RseDaemon> daemons = sysplex.network().stacks().stream().map(s -> sysplex.rsed(s.name()))
						.flatMap(Optional::stream).toList();
				if (daemons.isEmpty()) {
					throw new IOException("no system of " + directory + " runs RSED; there is nothing to log on to");
				}
				int port = daemons.get(0).port();
				String dvipa = sysplex.network().dvipas().stream().filter(d -> d.ruleFor(port).isPresent()).findFirst()
						.map(d -> d.address().getHostAddress()).orElseThrow(() -> new IOException(
								"no DVIPA distributes the RSED port " + port + "; the simulation logs on through one"));
				List<String> failures = new ArrayList<>();
				Map<String, Integer> off = logons(sysplex, dvipa, port, password, logons, false, failures, progress);
				Map<String, Integer> on = logons(sysplex, dvipa, port, password, logons, true, failures, progress);
				Map<String, Map<String, String>> reach = reach(sysplex, dvipa, port, password, reachTimeout, progress);
				return new Result(logons, dvipa + ":" + port, off, on, failures, reach);
			}
		} finally {
			SysplexDirectories.deleteTree(copy);
		}
	}

	private static RseConnector connector(boolean memory) {
		return new RseConnector(new RseConnector.Options()
				.tlsMemory(memory ? TlsMemory.enabled(TlsMemory.DEFAULT_TTL) : TlsMemory.disabled())
				.trust(TrustStore.inMemory(), TrustDecision.TRUST_ON_FIRST_USE)
				.reconnect(false, 0, Duration.ZERO, Duration.ZERO));
	}

	private static Map<String, Integer> logons(Sysplex sysplex, String dvipa, int port, char[] password, int n,
			boolean memory, List<String> failures, Consumer<String> progress) {
		Map<String, Integer> landed = new TreeMap<>();
		sysplex.network().stacks().forEach(s -> {
			if (sysplex.rsed(s.name()).isPresent()) {
				landed.put(s.name(), 0);
			}
		});
		RseConnector connector = connector(memory);
		progress.accept("logging on " + n + " times with TLS memory " + (memory ? "on" : "off"));
		for (int i = 0; i < n; i++) {
			try {
				Session s = connector.connect(dvipa, port, USER, password, EncryptionPolicy.PREFERRED);
				landed.merge(s.system(), 1, Integer::sum);
				s.logoff();
			} catch (IOException e) {
				if (failures.size() < 5) {
					failures.add("TLS memory " + (memory ? "on" : "off") + ": " + e.getMessage());
				}
			}
		}
		return landed;
	}

	/** How many debug pairs are probed at once (each holds one probe job's JVM until its pair is decided). */
	static final int PARALLEL_PROBES = 12;

	/**
	 * For each system a job runs on and each system a client is logged on to: does the session reach
	 * it? One user per client system (CHECK01, CHECK02, ...), each logged on to its system, so that
	 * the pairs run side by side ({@link #PARALLEL_PROBES} at once) and every notification is matched
	 * to its probe by the job id it names.
	 */
	private static Map<String, Map<String, String>> reach(Sysplex sysplex, String dvipa, int port, char[] password,
			Duration timeout, Consumer<String> progress) throws InterruptedException {
		List<String> systems = sysplex.network().stacks().stream().map(s -> s.name())
				.filter(n -> sysplex.rsed(n).isPresent()).toList();
		Map<String, Map<String, String>> reach = new LinkedHashMap<>();
		systems.forEach(j -> {
			Map<String, String> row = new LinkedHashMap<>();
			systems.forEach(c -> row.put(c, "not probed"));
			reach.put(j, row);
		});
		progress.accept("logging on one client to each of the " + systems.size() + " systems");
		Notifications notifications = new Notifications();
		Map<String, Client> clients = clients(sysplex, dvipa, port, password, systems, notifications, reach);
		List<String[]> pairs = new ArrayList<>();
		for (String job : systems) {
			for (String client : systems) {
				if (clients.containsKey(client)) {
					pairs.add(new String[] { job, client });
				}
			}
		}
		progress.accept("probing " + pairs.size() + " debug pairs (a job on each system for a client on each system), "
				+ PARALLEL_PROBES + " at once");
		java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(PARALLEL_PROBES);
		java.util.concurrent.atomic.AtomicInteger decided = new java.util.concurrent.atomic.AtomicInteger();
		java.util.concurrent.atomic.AtomicInteger reached = new java.util.concurrent.atomic.AtomicInteger();
		long t0 = System.nanoTime();
		java.util.concurrent.atomic.AtomicLong lastReport = new java.util.concurrent.atomic.AtomicLong(t0);
		List<Thread> threads = new ArrayList<>();
		try {
			for (String[] pair : pairs) {
				slots.acquire();
				threads.add(Thread.ofVirtual().name("probe " + pair[0] + " for " + pair[1]).start(() -> {
					try {
						String outcome = probe(sysplex, clients.get(pair[1]), notifications, dvipa, pair[0], timeout);
						synchronized (reach) {
							reach.get(pair[0]).put(pair[1], outcome);
						}
						if (outcome.equals("reached")) {
							reached.incrementAndGet();
						}
						int n = decided.incrementAndGet();
						long now = System.nanoTime();
						long last = lastReport.get();
						if ((n == pairs.size() || now - last > 5_000_000_000L) && lastReport.compareAndSet(last, now)) {
							progress.accept(String.format("%d of %d debug pairs decided (%d reached) after %.0f s", n,
									pairs.size(), reached.get(), (now - t0) / 1e9));
						}
					} catch (InterruptedException e) {
						Thread.currentThread().interrupt();
					} finally {
						slots.release();
					}
				}));
			}
			for (Thread t : threads) {
				t.join();
			}
		} finally {
			threads.forEach(Thread::interrupt);
			for (Client c : clients.values()) {
				try {
					c.session.logoff();
				} catch (IOException e) {
					// the session ends with the sysplex anyway
				}
			}
		}
		return reach;
	}

	/** A client logged on to one system as its own user. */
	private record Client(String system, String user, Session session) {
	}

	/** Every debug.waiting notification any client heard, by the job it names, for the probe of that job. */
	private static final class Notifications {
		private final Map<String, java.util.concurrent.CompletableFuture<Map<String, String>>> byJob =
				new java.util.concurrent.ConcurrentHashMap<>();

		java.util.concurrent.CompletableFuture<Map<String, String>> of(String job) {
			return byJob.computeIfAbsent(job, k -> new java.util.concurrent.CompletableFuture<>());
		}

		void forget(String job) {
			byJob.remove(job);
		}

		Session.Listener listener(String user) {
			return new Session.Listener() {
				@Override
				public void notification(String kind, Map<String, String> fields) {
					// the first announcement counts: one made again at a logon is the same session
					if (kind.equals(Dbm.NOTIFY_WAITING) && user.equalsIgnoreCase(fields.get(Dbm.F_USER))
							&& fields.get(Dbm.F_JOB) != null) {
						of(fields.get(Dbm.F_JOB)).complete(fields);
					}
				}
			};
		}
	}

	/** Logs on until every system has a client of its own user (bounded); a system no logon reached gets why. */
	private static Map<String, Client> clients(Sysplex sysplex, String dvipa, int port, char[] password,
			List<String> systems, Notifications notifications, Map<String, Map<String, String>> reach) {
		RseConnector connector = connector(true);
		Map<String, Client> clients = new LinkedHashMap<>();
		String problem = null;
		for (int attempt = 0; attempt < 4 * systems.size() + 4 && clients.size() < systems.size(); attempt++) {
			String user = String.format("%s%03d", USER, attempt + 1);
			try {
				sysplex.users().setPassword(user, password, false, 1_000);
				Session s = connector.connect(dvipa, port, user, password, EncryptionPolicy.PREFERRED,
						new dev.sysplex.client.Cancellation(), List.of(notifications.listener(user)));
				if (clients.containsKey(s.system())) {
					s.logoff();
				} else {
					clients.put(s.system(), new Client(s.system(), user, s));
				}
			} catch (IOException e) {
				problem = e.getMessage();
			}
		}
		for (String c : systems) {
			if (!clients.containsKey(c)) {
				String why = "no logon landed on " + c + " in " + (4 * systems.size() + 4) + " tries"
						+ (problem == null ? "" : " (the last failure: " + problem + ")");
				systems.forEach(j -> reach.get(j).put(c, why));
			}
		}
		return clients;
	}

	/**
	 * One pair: a probe job with TEST for the client's user on {@code jobSystem}; the job's own
	 * notification (matched by its id) must reach the client, and the link through the DVIPA must
	 * reach the job's Debug Manager. The probe's JVM ends as soon as the pair is decided: released
	 * when linked, canceled otherwise.
	 */
	private static String probe(Sysplex sysplex, Client client, Notifications notifications, String dvipa,
			String jobSystem, Duration timeout) throws InterruptedException {
		Session session = client.session;
		Session.SubmittedJob job;
		try {
			job = session.submit(PROBE + ".java", "", "TEST(,,,DBMDT%" + client.user + ")", jobSystem);
		} catch (IOException e) {
			return "the probe job could not be submitted: " + e.getMessage();
		}
		java.util.concurrent.CompletableFuture<Map<String, String>> heard = notifications.of(job.id());
		try {
			Map<String, String> fields = await(sysplex, heard, job, client, timeout);
			if (fields == null) {
				return dormantReason(sysplex, jobSystem, client, timeout);
			}
			DebugLink.Waiting w = DebugLink.Waiting.of(fields);
			DebugLink.Linked linked = DebugLink.open(dvipa, w, Duration.ofSeconds(10), DebugLink.Security.of(session,
					DebugLink.PlainLinkPolicy.ALLOW, DebugLink.PlainLinkQuestion.NOBODY));
			EngineRelease.release(linked.socket(), 10_000); // the probe's JVM resumes and ends
			if (!linked.system().equals(jobSystem)) {
				return "linked to " + linked.system() + " instead of " + jobSystem;
			}
			return job.system().equals(jobSystem) ? "reached" : "the job ran on " + job.system();
		} catch (ConnectException e) {
			return e.getMessage();
		} catch (IOException | IllegalArgumentException e) {
			return e.getMessage();
		} finally {
			notifications.forget(job.id());
			sysplex.jobs().job(job.id()).ifPresent(j -> sysplex.jobs().cancel(j, "by sysplex check (its pair is decided)"));
		}
	}

	/**
	 * Waits for the job's notification; gives up early (null) when the job's Debug Manager can only
	 * keep the session dormant: the user is not registered there and it has no hub to ask.
	 */
	private static Map<String, String> await(Sysplex sysplex, java.util.concurrent.CompletableFuture<Map<String, String>> heard,
			Session.SubmittedJob job, Client client, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		long grace = System.nanoTime() + Duration.ofSeconds(1).toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return null;
			}
			try {
				return heard.get(Math.min(left, 250_000_000L), TimeUnit.NANOSECONDS);
			} catch (TimeoutException e) {
				if (System.nanoTime() > grace && alone(sysplex, job.system(), client.user)) {
					return null;
				}
			} catch (java.util.concurrent.ExecutionException e) {
				return null;
			}
		}
	}

	/** True when the DBM of {@code system} can only keep a session of {@code user} dormant. */
	private static boolean alone(Sysplex sysplex, String system, String user) {
		Optional<dev.sysplex.host.dbm.DebugManager> dbm = sysplex.dbm(system);
		return dbm.isPresent() && !dbm.get().isRegistered(user) && !dbm.get().isHub() && !dbm.get().hubConnected();
	}

	/**
	 * Why a session stayed dormant, as far as the sysplex in the simulation can tell; a reason that
	 * holds for every client of the job's system does not name the client's (the text groups them).
	 */
	private static String dormantReason(Sysplex sysplex, String jobSystem, Client client, Duration timeout) {
		Optional<dev.sysplex.host.dbm.DebugManager> dbm = sysplex.dbm(jobSystem);
		if (dbm.isEmpty()) {
			return "no Debug Manager runs on " + jobSystem + ", so the job ran without the debugger";
		}
		if (!dbm.get().isHub() && !dbm.get().hubConnected() && !dbm.get().isRegistered(client.user)) {
			return "the Debug Manager of " + jobSystem + (dbm.get().settings().hub().isEmpty()
					? " has no hub (HUBIP/HUBPORT are not set)"
					: " is not connected to its hub " + dbm.get().settings().hub().get().getHostAddress() + ":"
							+ dbm.get().settings().hubPort())
					+ ": it finds only clients logged on to " + jobSystem + ", and the session stayed dormant";
		}
		return "no debug notification within " + timeout.toMillis() + " ms: no Debug Manager passed the session to "
				+ "the client's system";
	}

	/** Moves every IPv4 address of the copy (not masks) to {@code subnet}1, 2, ... consistently. */
	static void remap(Path copy, String subnet) throws IOException {
		Map<String, String> map = new LinkedHashMap<>();
		List<Path> files;
		try (Stream<Path> walk = Files.walk(copy)) {
			files = walk.filter(Files::isRegularFile).filter(p -> !copy.relativize(p).startsWith("jobs")).toList();
		}
		for (Path p : files) {
			String text;
			try {
				text = Files.readString(p, StandardCharsets.UTF_8);
			} catch (java.nio.charset.MalformedInputException e) {
				continue; // not a text file
			}
			Matcher m = IPV4.matcher(text);
			StringBuilder sb = new StringBuilder();
			while (m.find()) {
				String a = m.group();
				boolean mask = m.group(1).equals("255") || a.equals("0.0.0.0");
				String to = mask ? a : map.computeIfAbsent(a, k -> subnet + (map.size() + 1));
				m.appendReplacement(sb, Matcher.quoteReplacement(to));
			}
			m.appendTail(sb);
			Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
		}
		if (map.size() > 250) {
			throw new IOException("the configuration uses " + map.size() + " addresses; the simulation maps at most 250");
		}
	}
}
