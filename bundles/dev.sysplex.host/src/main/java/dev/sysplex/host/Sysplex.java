package dev.sysplex.host;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.sysplex.host.config.ConfigException;
import dev.sysplex.host.config.Diagnostic;
import dev.sysplex.host.config.EnvFile;
import dev.sysplex.host.config.JclProc;
import dev.sysplex.host.config.SystemDefinition;
import dev.sysplex.host.config.SysplexConfig;
import dev.sysplex.host.net.DistributedVipa;
import dev.sysplex.host.net.SysplexNetwork;
import dev.sysplex.host.net.TcpipStack;
import dev.sysplex.host.rse.RseDaemon;
import dev.sysplex.host.rse.RseSettings;
import dev.sysplex.host.rse.RseTls;
import dev.sysplex.host.rse.UserRegistry;
import dev.sysplex.protocol.Rse;

/**
 * A running sysplex: its network (stacks, DVIPAs, distributor) and on every system the RSE
 * daemon. Everything is checked before anything listens; a failure stops what was started.
 */
public final class Sysplex implements AutoCloseable {

	/** The user registry file, relative to the sysplex directory. */
	public static final String USERS = "security/users";
	/** RSED's started-task procedure; its PORT parameter is the daemon port. */
	public static final String RSED_PROC = "proclib/RSED";

	private final SysplexConfig config;
	private final SysplexNetwork network;
	private final UserRegistry users;
	private final Map<String, SystemSetup> setups;
	private final Map<String, RseDaemon> daemons = new LinkedHashMap<>();
	private final List<Diagnostic> warnings = new ArrayList<>();

	/** What RSED of one system needs, checked before start. */
	private record SystemSetup(InetAddress daemonAddress, InetAddress serverAddress, int port, RseSettings settings,
			Optional<RseTls> tls) {
	}

	private Sysplex(SysplexConfig config, SysplexNetwork network, UserRegistry users, Map<String, SystemSetup> setups) {
		this.config = config;
		this.network = network;
		this.users = users;
		this.setups = setups;
	}

	/** Loads, checks and starts the sysplex in {@code dir}. */
	public static Sysplex start(Path dir) throws ConfigException, IOException {
		return start(SysplexConfig.load(dir));
	}

	public static Sysplex start(SysplexConfig config) throws ConfigException, IOException {
		List<Diagnostic> warnings = new ArrayList<>(config.warnings());
		UserRegistry users;
		try {
			users = UserRegistry.open(config.directory().resolve(USERS));
		} catch (IOException e) {
			throw new ConfigException(Diagnostic.error(Path.of(USERS), 0, 0, e.getMessage()));
		}
		SysplexNetwork network = SysplexNetwork.start(config);
		try {
			warnings.addAll(network.warnings());
			Map<String, SystemSetup> setups = setups(config, network, warnings);
			Sysplex s = new Sysplex(config, network, users, setups);
			s.warnings.addAll(warnings);
			for (TcpipStack stack : network.stacks()) {
				s.startRsed(stack.name());
			}
			return s;
		} catch (ConfigException | IOException | RuntimeException e) {
			network.close();
			throw e;
		}
	}

	private static Map<String, SystemSetup> setups(SysplexConfig config, SysplexNetwork network,
			List<Diagnostic> warnings) throws ConfigException {
		List<Diagnostic> errors = new ArrayList<>();
		Map<String, SystemSetup> setups = new LinkedHashMap<>();
		Set<InetAddress> names = new LinkedHashSet<>();
		network.dvipas().forEach(d -> names.add(d.address()));
		config.systems().forEach(s -> names.add(s.address()));
		Optional<RseTls> tls;
		try {
			tls = RseTls.from(config.sslProperties(), config.directory(), names);
		} catch (ConfigException e) {
			throw e;
		}
		for (SystemDefinition sys : config.systems()) {
			TcpipStack stack = network.stack(sys.name()).orElseThrow();
			int port = Rse.DEFAULT_DAEMON_PORT;
			Path procFile = config.directory().resolve(RSED_PROC);
			if (Files.isRegularFile(procFile)) {
				Path shown = Path.of(RSED_PROC);
				try {
					Optional<JclProc> proc = JclProc.parse(shown, Files.readString(procFile, StandardCharsets.UTF_8),
							sys.symbols(), errors);
					Optional<JclProc.Parameter> p = proc.flatMap(pr -> Optional.ofNullable(pr.parameters().get("PORT")));
					if (p.isPresent()) {
						try {
							port = Integer.parseInt(p.get().value().strip());
							if (port < 1 || port > 65535) {
								throw new NumberFormatException();
							}
						} catch (NumberFormatException e) {
							errors.add(Diagnostic.error(shown, p.get().line(), p.get().column(), "found PORT="
									+ p.get().value() + " for " + sys.name() + ", expected a port number 1-65535"));
						}
					}
				} catch (IOException e) {
					errors.add(Diagnostic.error(shown, 0, 0, "cannot be read: " + e.getMessage()));
				}
			}
			final int rsedPort = port;
			DistributedVipa dvipa = network.dvipas().stream().filter(d -> d.ruleFor(rsedPort).isPresent()).findFirst()
					.orElse(network.dvipas().isEmpty() ? null : network.dvipas().get(0));
			EnvFile env = config.rseEnv(sys.name());
			RseSettings settings;
			try {
				settings = RseSettings.from(env);
			} catch (ConfigException e) {
				errors.addAll(e.diagnostics());
				continue;
			}
			InetAddress daemonAddress = dvipa == null ? sys.address() : dvipa.address();
			InetAddress serverAddress = settings.bindDvipa() && dvipa != null ? dvipa.address() : sys.address();
			if (dvipa != null && !settings.bindDvipa()) {
				warnings.add(Diagnostic.warning(env.file(), 0, 0, "enable.dDVIPA is not true for " + sys.name()
						+ ": its RSE servers bind " + sys.address().getHostAddress() + ", so a client's second "
						+ "connection through the DVIPA " + dvipa.address().getHostAddress() + " cannot reach them; "
						+ "set enable.dDVIPA=true"));
			}
			if (dvipa != null && dvipa.sysplexPorts() && settings.portRange().isPresent()) {
				EnvFile.Entry e = env.entry("_RSE_PORTRANGE").orElseThrow();
				warnings.add(Diagnostic.warning(e.file(), e.line(), 1, "_RSE_PORTRANGE is set while DVIPA "
						+ dvipa.address().getHostAddress() + " has SYSPLEXPORTS: RSE servers of " + sys.name()
						+ " bind ports of the range explicitly, which SYSPLEXPORTS does not make unique; remove "
						+ "_RSE_PORTRANGE (or give each system its own range and drop SYSPLEXPORTS)"));
			}
			setups.put(sys.name(), new SystemSetup(daemonAddress, serverAddress, port, settings, tls));
		}
		if (errors.stream().anyMatch(Diagnostic::isError)) {
			throw new ConfigException(errors);
		}
		warnings.addAll(errors);
		return setups;
	}

	private synchronized void startRsed(String system) throws IOException {
		SystemSetup s = setups.get(system);
		TcpipStack stack = network.stack(system).orElseThrow();
		RseDaemon d = new RseDaemon(stack, s.daemonAddress(), s.serverAddress(), s.port(), s.settings(), users,
				s.tls());
		d.start();
		daemons.put(system, d);
	}

	public SysplexConfig config() {
		return config;
	}

	public SysplexNetwork network() {
		return network;
	}

	public UserRegistry users() {
		return users;
	}

	public Optional<RseDaemon> rsed(String system) {
		return Optional.ofNullable(daemons.get(system));
	}

	public List<RseDaemon> daemons() {
		return List.copyOf(daemons.values());
	}

	/** Warnings found while starting (the start succeeded). */
	public List<Diagnostic> warnings() {
		return List.copyOf(warnings);
	}

	/** Stops a system: its RSED and sessions end, then its stack (a DVIPA it owns moves to its backup). */
	public synchronized void stopSystem(String system) {
		RseDaemon d = daemons.remove(system);
		if (d != null) {
			d.close();
		}
		network.stopSystem(system);
	}

	/** Starts a stopped system again: its stack, then its RSED. */
	public synchronized void startSystem(String system) throws IOException {
		network.startSystem(system);
		if (!daemons.containsKey(system)) {
			startRsed(system);
		}
	}

	public String describe() {
		StringBuilder sb = new StringBuilder(network.describe());
		daemons.values().forEach(d -> sb.append("  ").append(d).append('\n'));
		return sb.toString();
	}

	@Override
	public synchronized void close() {
		daemons.values().forEach(RseDaemon::close);
		daemons.clear();
		network.close();
	}
}
