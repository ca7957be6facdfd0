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
			sb.append("Debug sessions (a job with TEST(,,,DBMDT%").append(USER)
					.append(") on each system, the client logged on to each system):\n");
			sb.append(String.format("  %-12s", ""));
			List<String> clients = new ArrayList<>(reach.isEmpty() ? List.of() : reach.values().iterator().next().keySet());
			clients.forEach(c -> sb.append(String.format(" %-22s", "client on " + c)));
			sb.append('\n');
			reach.forEach((job, row) -> {
				sb.append(String.format("  %-12s", "job on " + job));
				row.values().forEach(v -> sb.append(String.format(" %-22s", v.equals("reached") ? "reached" : "NOT REACHED")));
				sb.append('\n');
			});
			reach.forEach((job, row) -> row.forEach((client, v) -> {
				if (!v.equals("reached")) {
					sb.append("  job on ").append(job).append(", client on ").append(client).append(": ").append(v)
							.append('\n');
				}
			}));
			return sb.toString();
		}

		public String json() {
			StringBuilder sb = new StringBuilder("{\"logons\": ").append(logons).append(", \"endpoint\": ")
					.append(CheckReport.q(endpoint)).append(", \"tlsMemoryOff\": ").append(counts(withoutMemory))
					.append(", \"tlsMemoryOn\": ").append(counts(withMemory)).append(", \"logonFailures\": [");
			for (int i = 0; i < logonFailures.size(); i++) {
				sb.append(i == 0 ? "" : ", ").append(CheckReport.q(logonFailures.get(i)));
			}
			sb.append("], \"debugReach\": [");
			boolean first = true;
			for (var row : reach.entrySet()) {
				for (var cell : row.getValue().entrySet()) {
					sb.append(first ? "" : ", ").append("{\"job\": ").append(CheckReport.q(row.getKey()))
							.append(", \"client\": ").append(CheckReport.q(cell.getKey())).append(", \"reached\": ")
							.append(cell.getValue().equals("reached")).append(", \"detail\": ")
							.append(CheckReport.q(cell.getValue())).append('}');
					first = false;
				}
			}
			return sb.append("]}").toString();
		}

		private static String counts(Map<String, Integer> m) {
			StringBuilder sb = new StringBuilder("{");
			m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(CheckReport.q(k)).append(": ").append(v));
			return sb.append('}').toString();
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

	/** For each system a job runs on and each system a client is logged on to: does the session reach it? */
	private static Map<String, Map<String, String>> reach(Sysplex sysplex, String dvipa, int port, char[] password,
			Duration timeout, Consumer<String> progress) throws InterruptedException {
		List<String> systems = sysplex.network().stacks().stream().map(s -> s.name())
				.filter(n -> sysplex.rsed(n).isPresent()).toList();
		Map<String, Map<String, String>> reach = new LinkedHashMap<>();
		systems.forEach(j -> reach.put(j, new LinkedHashMap<>()));
		RseConnector connector = connector(true);
		for (String client : systems) {
			progress.accept("debug sessions for a client logged on to " + client);
			Session session = null;
			String problem = null;
			for (int attempt = 0; attempt < 4 * systems.size() + 4 && session == null; attempt++) {
				try {
					Session s = connector.connect(dvipa, port, USER, password, EncryptionPolicy.PREFERRED);
					if (s.system().equals(client)) {
						session = s;
					} else {
						s.logoff();
					}
				} catch (IOException e) {
					problem = e.getMessage();
				}
			}
			if (session == null) {
				String why = "no logon landed on " + client + (problem == null ? "" : " (" + problem + ")");
				systems.forEach(j -> reach.get(j).put(client, why));
				continue;
			}
			for (String job : systems) {
				reach.get(job).put(client, probe(session, dvipa, job, timeout));
			}
			try {
				session.logoff();
			} catch (IOException e) {
				// the session ends with the sysplex anyway
			}
		}
		return reach;
	}

	private static String probe(Session session, String dvipa, String jobSystem, Duration timeout)
			throws InterruptedException {
		// every announcement is kept; the probe takes only its own job's (another probe's session that
		// still waits, announced again, is not this probe's answer)
		java.util.concurrent.BlockingQueue<Map<String, String>> waiting = new java.util.concurrent.LinkedBlockingQueue<>();
		Session.Listener listener = new Session.Listener() {
			@Override
			public void notification(String kind, Map<String, String> fields) {
				if (kind.equals(Dbm.NOTIFY_WAITING)) {
					waiting.add(fields);
				}
			}
		};
		session.addListener(listener);
		try {
			Session.SubmittedJob job = session.submit(PROBE + ".java", "", "TEST(,,,DBMDT%" + USER + ")", jobSystem);
			long deadline = System.nanoTime() + timeout.toNanos();
			Map<String, String> fields = null;
			while (fields == null) {
				long left = deadline - System.nanoTime();
				Map<String, String> next = left <= 0 ? null : waiting.poll(left, TimeUnit.NANOSECONDS);
				if (next == null) {
					throw new TimeoutException();
				}
				if (job.id().equals(next.get(Dbm.F_JOB))) {
					fields = next;
				}
			}
			DebugLink.Waiting w = DebugLink.Waiting.of(fields);
			DebugLink.Linked linked = DebugLink.open(dvipa, w, Duration.ofSeconds(10), DebugLink.Security.of(session,
					DebugLink.PlainLinkPolicy.ALLOW, DebugLink.PlainLinkQuestion.NOBODY));
			EngineRelease.release(linked.socket(), 10_000); // the probe's JVM resumes and ends
			if (!linked.system().equals(jobSystem)) {
				return "linked to " + linked.system() + " instead of " + jobSystem;
			}
			return job.system().equals(jobSystem) ? "reached" : "the job ran on " + job.system();
		} catch (TimeoutException e) {
			return "no debug notification within " + timeout.toMillis() + " ms: no Debug Manager passed the session "
					+ "to the client's system";
		} catch (ConnectException e) {
			return e.getMessage();
		} catch (IOException | IllegalArgumentException e) {
			return e.getMessage();
		} finally {
			session.removeListener(listener);
		}
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
