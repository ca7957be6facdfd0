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

import dev.sysplex.config.ConfigException;
import dev.sysplex.config.Diagnostic;
import dev.sysplex.config.EnvFile;
import dev.sysplex.config.JclProc;
import dev.sysplex.config.SystemDefinition;
import dev.sysplex.config.SysplexConfig;
import dev.sysplex.host.dbm.DbmSettings;
import dev.sysplex.host.dbm.DebugManager;
import dev.sysplex.host.dbm.DebugMiner;
import dev.sysplex.host.dbm.NameTokens;
import dev.sysplex.host.jobs.JobRunner;
import dev.sysplex.host.net.DistributedVipa;
import dev.sysplex.host.net.SysplexNetwork;
import dev.sysplex.host.net.TcpipStack;
import dev.sysplex.host.rse.RseDaemon;
import dev.sysplex.host.rse.RseSettings;
import dev.sysplex.host.rse.RseTls;
import dev.sysplex.host.rse.UserRegistry;
import dev.sysplex.host.security.PassTickets;
import dev.sysplex.protocol.Rse;

/**
 * A running sysplex: its network (stacks, DVIPAs, distributor), on every system the Debug Manager
 * (DBGMGR) and the RSE daemon with its Debug Miner (RSED), as the system's START operand says, and
 * the job runner. Everything is checked before anything listens; a failure stops what was started.
 */
public final class Sysplex implements AutoCloseable {

	/** The user registry file, relative to the sysplex directory. */
	public static final String USERS = "security/users";
	/** The sysplex's PassTicket key (RACF's PTKTDATA), kept with the user registry; made at first start. */
	public static final String PTKTDATA = "security/ptktdata";
	/** RSED's started-task procedure; its PORT parameter is the daemon port. */
	public static final String RSED_PROC = "proclib/RSED";

	private final SysplexConfig config;
	private final SysplexNetwork network;
	private final UserRegistry users;
	private final PassTickets tickets;
	private final Map<String, SystemSetup> setups;
	private final Map<String, RseDaemon> daemons = new LinkedHashMap<>();
	private final Map<String, DebugManager> dbms = new LinkedHashMap<>();
	private final Map<String, NameTokens> nameTokens = new LinkedHashMap<>();
	private final List<Diagnostic> warnings = new ArrayList<>();
	private final List<java.util.function.Consumer<String>> tracers = new java.util.concurrent.CopyOnWriteArrayList<>();
	private final JobRunner jobRunner;

	/** What RSED and DBGMGR of one system need, checked before start. */
	private record SystemSetup(InetAddress daemonAddress, InetAddress serverAddress, int port, RseSettings settings,
			Optional<RseTls> tls, Optional<DbmSettings> dbm, InetAddress dbmClientAddress, Optional<RseTls> dbmTls) {
	}

	private Sysplex(SysplexConfig config, SysplexNetwork network, UserRegistry users, PassTickets tickets,
			Map<String, SystemSetup> setups) {
		this.config = config;
		this.network = network;
		this.users = users;
		this.tickets = tickets;
		this.setups = setups;
		config.systems().forEach(s -> nameTokens.put(s.name(), new NameTokens(s.name())));
		this.jobRunner = new JobRunner(config.directory().resolve("jobs"), config.directory().resolve("var/classes"), network::stacks,
				sys -> config.system(sys).map(SystemDefinition::workArea), nameTokens::get, tickets, this::trace);
		jobRunner.onJobEnded(job -> {
			Map<String, String> fields = new java.util.LinkedHashMap<>(Map.of(Rse.F_JOB, job.id(), Rse.F_SYSTEM,
					job.system(), Rse.F_STATE, job.state().name()));
			job.rc().ifPresent(rc -> fields.put(Rse.F_RC, String.valueOf(rc)));
			job.canceledBy().ifPresent(by -> fields.put(Rse.F_USER, by));
			job.cancelReason().ifPresent(why -> fields.put(Rse.F_MESSAGE, job.id() + " CANCELED " + why));
			tellEnded(job.user(), fields);
		});
	}

	/** Tells every session of {@code user} on this sysplex's daemons (every client they are logged on from). */
	private void tellEnded(String user, Map<String, String> fields) {
		for (RseDaemon d : daemons()) {
			d.sessions(user).forEach(session -> {
				try {
					session.notify(Rse.NOTIFY_JOB_ENDED, fields);
				} catch (IOException e) {
					trace("could not tell " + user + " that " + fields.get(Rse.F_JOB) + " ended: " + e.getMessage());
				}
			});
		}
	}

	private volatile dev.sysplex.host.jobs.SpoolWatch spoolWatch;

	/**
	 * The isolated mode: publishes this system's jobs to {@code spool} for the other systems' job
	 * lists, and tells this system's sessions when a job of theirs on another system ends (read from
	 * the spool every 300 ms).
	 */
	public void useSpool(dev.sysplex.host.jobs.Spool spool, String localSystem) {
		jobRunner.useSpool(spool);
		spoolWatch = new dev.sysplex.host.jobs.SpoolWatch(spool, localSystem, java.time.Duration.ofMillis(300),
				this::tellEnded, this::trace);
	}

	/** Receives one line per event of the loop (DBM, hub, Debug Miner, job runner), for traces and the demo. */
	public void addTracer(java.util.function.Consumer<String> tracer) {
		tracers.add(tracer);
	}

	private void trace(String line) {
		tracers.forEach(t -> t.accept(line));
	}

	/** Loads, checks and starts the sysplex in {@code dir}. */
	public static Sysplex start(Path dir) throws ConfigException, IOException {
		return start(SysplexConfig.load(dir));
	}

	public static Sysplex start(SysplexConfig config) throws ConfigException, IOException {
		return start(config, SysplexNetwork.IN_MEMORY);
	}

	/** As {@link #start(SysplexConfig)}, on the coupling facility {@code cf} makes (closed with the sysplex). */
	public static Sysplex start(SysplexConfig config, SysplexNetwork.CouplingFacilityFactory cf)
			throws ConfigException, IOException {
		Security security = Security.open(config);
		SysplexNetwork network = SysplexNetwork.start(config, cf);
		try {
			Sysplex s = assemble(config, network, security);
			for (TcpipStack stack : network.stacks()) {
				s.startTasks(stack.name());
			}
			return s;
		} catch (ConfigException | IOException | RuntimeException e) {
			network.close();
			throw e;
		}
	}

	/**
	 * Makes what the systems of an isolated sysplex share and would otherwise each make at their
	 * first start, at the same moment, differently: the PassTicket key (also the key of their XCF
	 * links) and the sysplex's certificate. Run once before their processes start.
	 */
	public static void prepareShared(SysplexConfig config) throws ConfigException, IOException {
		Security.open(config);
		setups(config, SysplexNetwork.plan(config), new ArrayList<>(), true);
	}

	/** The sysplex's user registry and PassTicket key (made at the first start), as every start opens them. */
	private record Security(UserRegistry users, PassTickets tickets) {

		static Security open(SysplexConfig config) throws ConfigException {
			UserRegistry users;
			try {
				users = UserRegistry.open(config.directory().resolve(USERS));
			} catch (IOException e) {
				throw new ConfigException(Diagnostic.error(Diagnostic.SECURITY_FILE, Path.of(USERS), 0, 0, e.getMessage()));
			}
			try {
				return new Security(users, PassTickets.open(config.directory().resolve(PTKTDATA),
						java.time.Clock.systemUTC()));
			} catch (IOException e) {
				throw new ConfigException(Diagnostic.error(Diagnostic.SECURITY_FILE, Path.of(PTKTDATA), 0, 0, "the PassTicket "
						+ "key cannot be read or made: " + e.getMessage()));
			}
		}
	}

	/** The sysplex on a started network, its systems' setups checked, its tasks not started yet. */
	private static Sysplex assemble(SysplexConfig config, SysplexNetwork network, Security security)
			throws ConfigException {
		List<Diagnostic> warnings = new ArrayList<>(config.warnings());
		warnings.addAll(network.warnings());
		Map<String, SystemSetup> setups = setups(config, network, warnings, true);
		Sysplex s = new Sysplex(config, network, security.users(), security.tickets(), setups);
		s.warnings.addAll(warnings);
		return s;
	}

	/**
	 * Starts one system of an isolated sysplex in this process (which runs in that system's own
	 * network namespace): its stack, its distributors and XCF links, its DBGMGR and RSED. The other
	 * systems run in processes of their own; the coupling facility must be one they share (etcd).
	 */
	public static Sysplex startIsolated(SysplexConfig config, SysplexNetwork.CouplingFacilityFactory cf, String system,
			int xcfPort, dev.sysplex.host.net.OwnerRegistry owners, java.util.function.Consumer<String> trace)
			throws ConfigException, IOException {
		Security security = Security.open(config);
		SysplexNetwork network = SysplexNetwork.startIsolated(config, cf, new dev.sysplex.host.net.Isolation.Host(system,
				xcfPort, security.tickets(), owners, trace));
		try {
			Sysplex s = assemble(config, network, security);
			s.addTracer(trace);
			String local = network.isolatedSystem().orElseThrow();
			s.jobRunner.runOnly(local);
			JobRunner.numberFrom(10_000 * (1 + network.stacks().indexOf(network.stack(local).orElseThrow())) + 1);
			s.startTasks(local);
			return s;
		} catch (ConfigException | IOException | RuntimeException e) {
			network.close();
			throw e;
		}
	}

	/**
	 * What {@link #start(SysplexConfig)} would say of the configuration, with nothing started and
	 * nothing written: every error that makes it refuse, and its warnings. RSE's TLS is left out (the
	 * sysplex's certificate is made at the first start, and a check must not write it).
	 */
	public static List<Diagnostic> validate(SysplexConfig config) {
		List<Diagnostic> all = new ArrayList<>(config.warnings());
		SysplexNetwork plan;
		try {
			plan = SysplexNetwork.plan(config);
		} catch (ConfigException e) {
			all.addAll(e.diagnostics());
			return all;
		}
		all.addAll(plan.warnings());
		try {
			setups(config, plan, all, false);
		} catch (ConfigException e) {
			all.addAll(e.diagnostics());
		}
		return all;
	}

	/** Each system's setup from its members; {@code tlsToo}: set up RSE's TLS (a start), else leave it out (a check). */
	private static Map<String, SystemSetup> setups(SysplexConfig config, SysplexNetwork network,
			List<Diagnostic> warnings, boolean tlsToo) throws ConfigException {
		List<Diagnostic> errors = new ArrayList<>();
		Map<String, SystemSetup> setups = new LinkedHashMap<>();
		Set<InetAddress> names = new LinkedHashSet<>();
		network.dvipas().forEach(d -> names.add(d.address()));
		config.systems().forEach(s -> names.add(s.address()));
		Optional<RseTls> tls = tlsToo ? RseTls.from(config.sslProperties(), config.directory(), names)
				: Optional.empty();
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
							errors.add(Diagnostic.error(Diagnostic.PROC_VALUE, shown, p.get().line(), p.get().column(), "found PORT="
									+ p.get().value() + " for " + sys.name() + ", expected a port number 1-65535"));
						}
					}
				} catch (IOException e) {
					errors.add(Diagnostic.error(Diagnostic.FILE_MISSING, shown, 0, 0, "cannot be read: " + e.getMessage()));
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
				warnings.add(Diagnostic.warning(Diagnostic.RSE_ENV_FLAGS_MISSING, env.file(), 0, 0, "enable.dDVIPA is not true for " + sys.name()
						+ ": its RSE servers bind " + sys.address().getHostAddress() + ", so a client's second "
						+ "connection through the DVIPA " + dvipa.address().getHostAddress() + " cannot reach them; "
						+ "set enable.dDVIPA=true"));
			}
			if (dvipa != null && dvipa.sysplexPorts() && settings.portRange().isPresent()) {
				EnvFile.Entry e = env.entry("_RSE_PORTRANGE").orElseThrow();
				warnings.add(Diagnostic.warning(Diagnostic.PORTRANGE_WITH_SYSPLEXPORTS, e.file(), e.line(), 1, "_RSE_PORTRANGE is set while DVIPA "
						+ dvipa.address().getHostAddress() + " has SYSPLEXPORTS: RSE servers of " + sys.name()
						+ " bind ports of the range explicitly, which SYSPLEXPORTS does not make unique; remove "
						+ "_RSE_PORTRANGE (or give each system its own range and drop SYSPLEXPORTS)"));
			}
			Optional<DbmSettings> dbm = Optional.empty();
			Path dbmProc = config.directory().resolve(SysplexConfig.DBGMGR_PROC);
			if (sys.starts("DBGMGR") && Files.isRegularFile(dbmProc)) {
				Path shown = Path.of(SysplexConfig.DBGMGR_PROC);
				try {
					Optional<JclProc> proc = JclProc.parse(shown, Files.readString(dbmProc, StandardCharsets.UTF_8),
							sys.symbols(), errors);
					if (proc.isPresent()) {
						// one system's warnings of the shared PROC are every system's: report them once
						List<Diagnostic> read = new ArrayList<>();
						Map<String, JclProc.Parameter> dbmSettings = DbmSettings.effective(proc.get(), config.directory(), read);
						read.stream().filter(d -> d.isError() || !errors.contains(d)).forEach(errors::add);
						dbm = Optional.of(DbmSettings.from(proc.get().name(), dbmSettings, shown));
					}
				} catch (ConfigException e) {
					errors.addAll(e.diagnostics());
				} catch (IOException e) {
					errors.add(Diagnostic.error(Diagnostic.FILE_MISSING, shown, 0, 0, "cannot be read: " + e.getMessage()));
				}
			} else if (sys.starts("DBGMGR") && sys.starts("RSED")) {
				warnings.add(Diagnostic.warning(Diagnostic.RSED_WITHOUT_DBM, Path.of(SysplexConfig.DBGMGR_PROC), 0, 0, "is missing: no Debug Manager "
						+ "runs on " + sys.name() + ", so debug sessions cannot reach clients logged on there"));
			}
			InetAddress dbmClientAddress = daemonAddress;
			if (dbm.isPresent()) {
				int client = dbm.get().clientPort();
				dbmClientAddress = network.dvipas().stream().filter(d -> d.ruleFor(client).isPresent())
						.map(d -> (InetAddress) d.address()).findFirst().orElse(daemonAddress);
			}
			// the CLIENT port's TLS: TLS=ON|OFF as written, else as RSE's (enable_ssl); always the sysplex's certificate
			Optional<RseTls> dbmTls = Optional.empty();
			if (tlsToo && dbm.isPresent() && dbm.get().tls().orElse(tls.isPresent())) {
				dbmTls = tls.isPresent() ? tls : Optional.of(RseTls.certificate(config.sslProperties(), config.directory(),
						names));
			}
			setups.put(sys.name(), new SystemSetup(daemonAddress, serverAddress, port, settings, tls, dbm,
					dbmClientAddress, dbmTls));
		}
		if (errors.stream().anyMatch(Diagnostic::isError)) {
			throw new ConfigException(errors);
		}
		warnings.addAll(errors);
		return setups;
	}

	/** Starts the system's started tasks: DBGMGR first (its name/token must exist before logons), then RSED. */
	private synchronized void startTasks(String system) throws IOException {
		SystemDefinition def = config.system(system).orElseThrow();
		if (def.starts("DBGMGR")) {
			startDbm(system);
		}
		if (def.starts("RSED") && !daemons.containsKey(system)) {
			SystemSetup s = setups.get(system);
			TcpipStack stack = network.stack(system).orElseThrow();
			RseDaemon d = new RseDaemon(stack, s.daemonAddress(), s.serverAddress(), s.port(), s.settings(), users,
					s.tls());
			d.addListener(new DebugMiner(system, stack.homeAddress(), nameTokens.get(system), tickets, this::trace));
			d.setJobService(new JobService(jobRunner, system));
			d.start();
			daemons.put(system, d);
		}
	}

	/** Starts the system's Debug Manager (if its PROC is there); a no-op when it runs. */
	public synchronized void startDbm(String system) throws IOException {
		SystemSetup s = setups.get(system);
		if (s == null || s.dbm().isEmpty() || dbms.containsKey(system)) {
			return;
		}
		// after a stop in this process the old listeners' sockets may not be released yet (a socket
		// closed while a virtual thread blocks in accept() is closed once that thread runs): retry the
		// binds for up to 3 s then, and only then
		boolean restart = stoppedDbms.remove(system);
		for (int attempt = 0;; attempt++) {
			DebugManager dbm = new DebugManager(network.stack(system).orElseThrow(), s.dbmClientAddress(),
					s.dbm().get(), nameTokens.get(system), tickets, s.dbmTls(), this::trace);
			try {
				dbm.start();
				dbms.put(system, dbm);
				return;
			} catch (IOException e) {
				dbm.close();
				boolean inUse = e instanceof java.net.BindException || e.getCause() instanceof java.net.BindException;
				if (!inUse || !restart || attempt >= 30) {
					throw e;
				}
				try {
					Thread.sleep(100);
				} catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw e;
				}
			}
		}
	}

	private final java.util.Set<String> stoppedDbms = java.util.concurrent.ConcurrentHashMap.newKeySet();

	/** Stops the system's Debug Manager (F DBGMGR,STOP): its users and sessions there are dropped. */
	public synchronized void stopDbm(String system) {
		DebugManager dbm = dbms.remove(system);
		if (dbm != null) {
			dbm.close();
			stoppedDbms.add(system);
		}
	}

	public Optional<DebugManager> dbm(String system) {
		return Optional.ofNullable(dbms.get(system));
	}

	public List<DebugManager> dbms() {
		return List.copyOf(dbms.values());
	}

	public JobRunner jobs() {
		return jobRunner;
	}

	public NameTokens nameTokens(String system) {
		return nameTokens.get(system);
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

	/** The sysplex's PassTickets (its key is {@value #PTKTDATA}). */
	public PassTickets passTickets() {
		return tickets;
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

	/**
	 * Stops a system, as its failure would: its jobs end (CANCELED, "because its system ...
	 * stopped"; first, so that a debugged job released by its stopping DBM cannot run on), its
	 * RSED and sessions, its DBM, then its stack (a DVIPA it owns moves to its backup).
	 */
	public synchronized void stopSystem(String system) {
		jobRunner.systemStopped(system);
		RseDaemon d = daemons.remove(system);
		if (d != null) {
			d.close();
		}
		stopDbm(system);
		network.stopSystem(system);
	}

	/** Starts a stopped system again: its stack, then its started tasks. */
	public synchronized void startSystem(String system) throws IOException {
		network.startSystem(system);
		startTasks(system);
	}

	public String describe() {
		StringBuilder sb = new StringBuilder(network.describe());
		daemons.values().forEach(d -> sb.append("  ").append(d).append('\n'));
		dbms.values().forEach(d -> sb.append("  DBM on ").append(d.system()).append(": HOST ")
				.append(network.stack(d.system()).orElseThrow().homeAddress().getHostAddress()).append(':')
				.append(d.settings().hostPort()).append(", CLIENT ").append(setups.get(d.system()).dbmClientAddress()
						.getHostAddress()).append(':').append(d.settings().clientPort())
				.append(d.encrypted() ? " (TLS)" : " (NOT encrypted)")
				.append(d.isHub() ? ", hub" : d.settings().hub().map(h -> ", hub " + h.getHostAddress()).orElse(""))
				.append(d.settings().hub().isEmpty() ? "" : d.settings().trustedTcp() ? ", TRUSTEDTCP=ON"
						: ", TRUSTEDTCP=OFF (peers not authenticated)")
				.append('\n'));
		return sb.toString();
	}

	@Override
	public synchronized void close() {
		if (spoolWatch != null) {
			spoolWatch.close();
		}
		jobRunner.close();
		daemons.values().forEach(RseDaemon::close);
		daemons.clear();
		dbms.values().forEach(DebugManager::close);
		dbms.clear();
		network.close();
	}
}
