package dev.sysplex.host.check;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import dev.sysplex.config.EnvFile;
import dev.sysplex.config.SysplexConfig;
import dev.sysplex.config.TcpipProfile.VipaDistribute;

/**
 * What the rules look at: the loaded configuration, each system's view, the systems that run RSED
 * and the VIPADISTRIBUTE that takes their daemon port; and where they report. Positions are shown
 * relative to the sysplex directory.
 */
final class CheckContext {

	final Path dir;
	final SysplexConfig config;
	final List<SystemView> systems;
	/** The systems that run RSED. */
	final List<SystemView> rsed;
	/** The first VIPADISTRIBUTE (in any profile) that distributes the RSED port, if any. */
	final Optional<VipaDistribute> rsedRule;
	/** The RSED systems {@link #rsedRule} sends connections to (none without it). */
	final List<String> rsedTargets;
	/** file:line of loader warnings a rule already explains better (not reported again). */
	final Set<String> explained;
	private final Consumer<Finding> sink;

	CheckContext(Path dir, SysplexConfig config, List<SystemView> systems, Set<String> explained, Consumer<Finding> sink) {
		this.dir = dir;
		this.config = config;
		this.systems = List.copyOf(systems);
		this.rsed = systems.stream().filter(s -> s.def().starts("RSED")).toList();
		this.rsedRule = rsed.isEmpty() ? Optional.empty() : ruleFor(rsed.get(0).rsedPort());
		this.rsedTargets = rsedRule.map(d -> targets(d, "RSED")).orElse(List.of());
		this.explained = explained;
		this.sink = sink;
	}

	/** Reports a finding of {@code rule}: its id and severity, at {@code file:line:column}. */
	void report(CheckRule rule, Path file, int line, int column, String message, String fix, List<String> systems) {
		sink.accept(new Finding(rule.id(), rule.severity(), show(file), line, column, message, fix, systems));
	}

	/** The RSE daemon's port (the first RSED system's PROC; every system shares it). */
	int rsedPort() {
		return rsed.get(0).rsedPort();
	}

	/** {@code p} relative to the sysplex directory when it is inside it. */
	Path show(Path p) {
		Path abs = p.isAbsolute() ? p : Path.of("").toAbsolutePath().resolve(p).normalize();
		if (abs.startsWith(dir)) {
			return dir.relativize(abs);
		}
		return p.isAbsolute() ? p : p.normalize();
	}

	/** The first VIPADISTRIBUTE (in any profile) that distributes {@code port}. */
	Optional<VipaDistribute> ruleFor(int port) {
		for (SystemView s : systems) {
			for (VipaDistribute d : s.profile().vipaDistributes()) {
				if (!d.delete() && d.distributes(port)) {
					return Optional.of(d);
				}
			}
		}
		return Optional.empty();
	}

	/** True when some VIPADISTRIBUTE of the DVIPA {@code address} (in any profile) distributes {@code port}. */
	boolean distributedOn(Inet4Address address, int port) {
		return systems.stream().flatMap(s -> s.profile().vipaDistributes().stream())
				.anyMatch(d -> !d.delete() && d.address().equals(address) && d.distributes(port));
	}

	/** True when some VIPADISTRIBUTE of the DVIPA has SYSPLEXPORTS. */
	boolean sysplexPorts(Inet4Address address) {
		return systems.stream().flatMap(s -> s.profile().vipaDistributes().stream())
				.anyMatch(x -> !x.delete() && x.address().equals(address) && x.sysplexPorts());
	}

	/** The systems a VIPADISTRIBUTE sends connections to that also run {@code task}. */
	List<String> targets(VipaDistribute d, String task) {
		List<String> names = new ArrayList<>();
		for (SystemView s : systems) {
			if (!s.def().starts(task)) {
				continue;
			}
			boolean target = d.destIpAll() ? s.profile().ipConfig().sysplexRouting()
					: d.destinations().stream().anyMatch(t -> s.profile().ipConfig().dynamicXcf()
							.map(x -> x.equals(t.address())).orElse(false));
			if (target) {
				names.add(s.def().name());
			}
		}
		return names;
	}

	/** A system's own systems/SYSNAME/ssl.properties, if it has one. */
	Optional<EnvFile> ownSsl(String system) {
		Path f = dir.resolve("systems").resolve(system).resolve("ssl.properties");
		if (!Files.isRegularFile(f)) {
			return Optional.empty();
		}
		try {
			return Optional.of(EnvFile.parse(Path.of("systems", system, "ssl.properties"),
					Files.readString(f, StandardCharsets.UTF_8), new ArrayList<>()));
		} catch (IOException e) {
			return Optional.empty();
		}
	}

	/** True when RSE is encrypted on every system (the shared ssl.properties and every system's own). */
	boolean tls() {
		return config.sslProperties().flag("enable_ssl")
				&& systems.stream().allMatch(s -> ownSsl(s.def().name()).map(e -> e.flag("enable_ssl")).orElse(true));
	}

	/** A system's _RSE_PORTRANGE as [min, max) (max is exclusive), if it sets a valid one. */
	static Optional<int[]> range(EnvFile env) {
		return env.get("_RSE_PORTRANGE").map(v -> {
			String[] p = v.split("-");
			try {
				return new int[] { Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip()) };
			} catch (RuntimeException e) {
				return null;
			}
		});
	}

	static boolean overlap(int[] a, int[] b) {
		return a[0] < b[1] && b[0] < a[1]; // max is exclusive
	}

	/** True when every RSED system has its own _RSE_PORTRANGE and none overlap. */
	boolean uniqueRanges() {
		List<int[]> ranges = new ArrayList<>();
		for (SystemView s : rsed) {
			Optional<int[]> r = range(s.rseEnv());
			if (r.isEmpty()) {
				return false;
			}
			ranges.add(r.get());
		}
		for (int i = 0; i < ranges.size(); i++) {
			for (int j = i + 1; j < ranges.size(); j++) {
				if (overlap(ranges.get(i), ranges.get(j))) {
					return false;
				}
			}
		}
		return true;
	}

	/** Whether the Debug Manager of {@code s} has a hub (HUBIP, from the PROC or its environment). */
	static boolean hasHub(SystemView s) {
		return s.dbmProc().flatMap(p -> p.get("HUBIP")).map(v -> !v.isBlank()).orElse(false);
	}
}
