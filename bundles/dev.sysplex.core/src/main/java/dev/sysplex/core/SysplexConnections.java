package dev.sysplex.core;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.ISchedulingRule;
import org.eclipse.core.runtime.jobs.Job;

import dev.sysplex.client.Cancellation;
import dev.sysplex.client.ConnectException;
import dev.sysplex.client.Connection;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;

/**
 * Connects, disconnects and reconnects the registry's connections, each through one
 * {@link Connection} state machine (the client's, which owns the reconnect). Each operation runs as
 * a Job of the family {@link #JOB_FAMILY} (tests and the UI wait on it) with the connection's
 * {@link #rule(String) scheduling rule}, so that connect, disconnect and reconnect of one connection
 * run one after the other (two Connect clicks log on once); a Disconnect cancels a connect under way
 * first, so that it wins. A job reports progress per logon step, really stops when cancelled (the
 * socket it is blocked on is closed), and fails with a CoreException whose status code is the
 * failed step's stable {@link dev.sysplex.client.ConnectStep#code() code} (see {@link StatusCodes}).
 */
public final class SysplexConnections {

	/** The family of every connect and disconnect job. */
	public static final Object JOB_FAMILY = new Object();

	private final ConnectionRegistry registry;
	private final PasswordStore passwords;
	private final TrustStore pins;
	private volatile TrustDecision trustDecision = TrustDecision.REJECT_UNKNOWN;
	private volatile PasswordPrompt passwordPrompt = PasswordPrompt.NONE;
	private final Map<String, List<JobInfo>> jobs = new ConcurrentHashMap<>();
	private final Map<String, Managed> managed = new ConcurrentHashMap<>();
	private final Map<String, TlsMemory> tlsMemories = new ConcurrentHashMap<>();
	private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

	/** A connection's state machine and the definition it was made for; progress goes to the job that connects. */
	private static final class Managed {
		final ConnectionDescriptor descriptor;
		volatile Connection connection;
		volatile java.util.function.Consumer<String> progress = s -> {
		};

		Managed(ConnectionDescriptor descriptor) {
			this.descriptor = descriptor;
		}
	}

	public SysplexConnections(ConnectionRegistry registry, PasswordStore passwords, TrustStore pins) {
		this.registry = registry;
		this.passwords = passwords;
		this.pins = pins;
		registry.addListener(new ConnectionListener() {
			@Override
			public void removed(ConnectionDescriptor c) {
				Managed m = managed.remove(c.name());
				if (m != null) {
					Job close = new Job("Closing " + c.name()) {
						@Override
						protected IStatus run(IProgressMonitor monitor) {
							m.connection.close(); // logs off a session of a deleted connection
							jobs.remove(c.name());
							return Status.OK_STATUS;
						}

						@Override
						public boolean belongsTo(Object family) {
							return family == JOB_FAMILY;
						}
					};
					close.setSystem(true);
					close.setRule(rule(c.name()));
					close.schedule();
				}
			}
		});
	}

	private static volatile SysplexConnections instance;

	/** Replaces the shared instance (tests give the workbench their own stores); null: the default again. */
	public static void setInstance(SysplexConnections connections) {
		instance = connections;
	}

	/**
	 * The workspace's connections: the registry in instance-scope preferences, passwords in the
	 * default Secure Storage, pins in the preferences. Created on first use.
	 */
	public static SysplexConnections instance() {
		SysplexConnections i = instance;
		if (i == null) {
			synchronized (SysplexConnections.class) {
				i = instance;
				if (i == null) {
					var node = org.eclipse.core.runtime.preferences.InstanceScope.INSTANCE.getNode(CorePreferences.PLUGIN_ID);
					i = new SysplexConnections(ConnectionRegistry.instanceScope(),
							dev.sysplex.core.internal.SecurePasswordStore.secureStorage(),
							new dev.sysplex.core.internal.PreferencePinStore(
									(org.eclipse.core.runtime.preferences.IEclipsePreferences) node
											.node(CorePreferences.PINS_NODE)));
					instance = i;
				}
			}
		}
		return i;
	}

	public ConnectionRegistry registry() {
		return registry;
	}

	public PasswordStore passwords() {
		return passwords;
	}

	/** The pinned certificates (SHA-256 per RSE daemon endpoint host:port) the connections check. */
	public TrustStore pins() {
		return pins;
	}

	/** The decision about certificates seen for the first time; headless default: refuse them. */
	public void setTrustDecision(TrustDecision decision) {
		this.trustDecision = decision;
	}

	/** Who is asked for a password that is not saved; headless default: nobody (the connect fails). */
	public void setPasswordPrompt(PasswordPrompt prompt) {
		this.passwordPrompt = prompt;
	}

	public void addListener(ConnectionListener l) {
		listeners.add(l);
	}

	public void removeListener(ConnectionListener l) {
		listeners.remove(l);
	}

	/** The scheduling rule of a connection: its connect, disconnect and reconnect jobs never run at once. */
	public static ISchedulingRule rule(String connection) {
		return new ConnectionRule(connection);
	}

	private record ConnectionRule(String connection) implements ISchedulingRule {
		@Override
		public boolean contains(ISchedulingRule rule) {
			return isConflicting(rule);
		}

		@Override
		public boolean isConflicting(ISchedulingRule rule) {
			return rule instanceof ConnectionRule r && r.connection.equals(connection);
		}
	}

	public ConnectionState state(String connection) {
		Managed m = managed.get(connection);
		return m == null ? ConnectionState.DISCONNECTED : ConnectionState.of(m.connection.snapshot());
	}

	/** The session when the connection is CONNECTED (a reconnect gives a new one: ask again each time). */
	public Optional<Session> session(String connection) {
		Managed m = managed.get(connection);
		return m == null ? Optional.empty() : m.connection.session();
	}

	/**
	 * The state machine of the connection for its current definition: a new one when there was none,
	 * or when the definition changed while it was not connected (an edit applies at the next connect).
	 */
	private Managed managed(ConnectionDescriptor c) {
		return managed.compute(c.name(), (name, m) -> {
			if (m != null && (m.descriptor.equals(c) || isBusy(m.connection.state()))) {
				return m;
			}
			if (m != null) {
				m.connection.close();
			}
			Managed fresh = new Managed(c);
			fresh.connection = new Connection(connector(c, fresh), c.host(), c.port(), c.user(), c.encryption(),
					new Connection.Listener() {
						@Override
						public void stateChanged(Connection.Snapshot now) {
							if (now.state() == Connection.State.CLOSED) {
								return; // a machine replaced (the definition changed) or removed with its connection
							}
							if (now.state() != Connection.State.CONNECTED) {
								jobs.remove(name);
							}
							ConnectionState state = ConnectionState.of(now);
							listeners.forEach(l -> l.stateChanged(name, state));
							if (now.state() == Connection.State.CONNECTED) {
								refreshJobs(name);
							}
						}

						@Override
						public void notification(String kind, Map<String, String> fields) {
							listeners.forEach(l -> l.notification(name, kind, fields));
							if (kind.equals(dev.sysplex.protocol.Rse.NOTIFY_JOB_ENDED)
									|| kind.equals(dev.sysplex.protocol.Dbm.NOTIFY_WAITING)) {
								refreshJobs(name);
							}
						}
					});
			return fresh;
		});
	}

	private static boolean isBusy(Connection.State s) {
		return s == Connection.State.CONNECTED || s == Connection.State.CONNECTING
				|| s == Connection.State.RECONNECTING;
	}

	private RseConnector connector(ConnectionDescriptor c, Managed m) {
		boolean trace = "true".equalsIgnoreCase(Platform.getDebugOption(CorePreferences.PLUGIN_ID + "/debug/connect"));
		TrustDecision current = new TrustDecision() { // the decision set when the logon runs, not when this was made
			@Override
			public Answer decide(dev.sysplex.client.ServerCertificate certificate) {
				return trustDecision.decide(certificate);
			}

			@Override
			public boolean instant() {
				return trustDecision.instant();
			}
		};
		return new RseConnector(new RseConnector.Options()
				.connectTimeout(Duration.ofSeconds(setting(CorePreferences.CONNECT_TIMEOUT_SECONDS, 5)))
				.readTimeout(Duration.ofSeconds(setting(CorePreferences.READ_TIMEOUT_SECONDS, 15)))
				.tlsMemory(c.tlsMemory() ? tlsMemory(c) : TlsMemory.disabled()).trust(pins, current)
				.reconnect(c.autoReconnect(), 5, Duration.ofMillis(250), Duration.ofSeconds(4)).trace(step -> {
					m.progress.accept(step);
					if (trace) {
						ILog.of(SysplexConnections.class).info(c.name() + ": " + step);
					}
				}));
	}

	/** Schedules a connect job for the named connection and returns it. */
	public Job connect(String connection) {
		Job job = connectJob(connection);
		job.schedule();
		return job;
	}

	/** The connect jobs of one connection, so that a Disconnect can cancel them. */
	private final class ConnectJob extends Job {
		private final String connection;
		private final Cancellation cancellation = new Cancellation();

		ConnectJob(String connection) {
			super("Connecting to " + connection);
			this.connection = connection;
			setRule(rule(connection));
		}

		@Override
		protected IStatus run(IProgressMonitor monitor) {
			try {
				connectNow(connection, monitor, cancellation);
				return Status.OK_STATUS;
			} catch (CoreException e) {
				return monitor.isCanceled() || cancellation.isCancelled() ? Status.CANCEL_STATUS : e.getStatus();
			}
		}

		@Override
		protected void canceling() {
			cancellation.cancel();
		}

		@Override
		public boolean belongsTo(Object family) {
			return family == JOB_FAMILY;
		}
	}

	/**
	 * A connect job for the named connection, not yet scheduled (the UI sets its properties and
	 * listeners first); user job, of {@link #JOB_FAMILY}, with the connection's rule.
	 */
	public Job connectJob(String connection) {
		Job job = new ConnectJob(connection);
		job.setUser(true);
		return job;
	}

	/**
	 * Connects in the calling thread (a job's, which should hold the connection's {@link #rule rule}).
	 * When connected already it returns at once, without asking for a password or logging on again.
	 * On failure the connection's state is FAILED and the CoreException's status has the step's code;
	 * when cancelled, or disconnected meanwhile, the state is DISCONNECTED.
	 */
	public void connectNow(String connection, IProgressMonitor monitor, Cancellation cancellation)
			throws CoreException {
		SubMonitor sub = SubMonitor.convert(monitor, "Connecting to " + connection, 6);
		ConnectionDescriptor c = registry.get(connection).orElseThrow(() -> new CoreException(new Status(IStatus.ERROR,
				CorePreferences.PLUGIN_ID, StatusCodes.NO_SUCH_CONNECTION, "There is no connection named '"
						+ connection + "'", null)));
		Managed m = managed(c);
		if (m.connection.state() == Connection.State.CONNECTED) {
			sub.done();
			return;
		}
		char[] password;
		boolean saveOnSuccess = false;
		PasswordPrompt prompt = passwordPrompt;
		Optional<char[]> saved = passwords.get(connection);
		if (saved.isPresent()) {
			password = saved.get();
		} else {
			Optional<PasswordPrompt.Answer> answer = prompt.ask(c);
			if (answer.isEmpty()) {
				if (prompt == PasswordPrompt.NONE) {
					throw new CoreException(new Status(IStatus.ERROR, CorePreferences.PLUGIN_ID, StatusCodes.NO_PASSWORD,
							"No password is saved for '" + connection + "'; connect from the Sysplex Explorer to be "
									+ "asked for it, or save it in the connection's properties",
							null));
				}
				sub.done();
				throw new CoreException(Status.CANCEL_STATUS);
			}
			password = answer.get().password();
			saveOnSuccess = answer.get().save();
		}
		m.progress = step -> {
			sub.subTask(step);
			sub.worked(1);
		};
		sub.worked(1);
		try {
			boolean save = saveOnSuccess;
			// saved before CONNECTED is announced: whoever hears "connected" finds the accepted password saved
			m.connection.connect(password, cancellation, () -> {
				if (save) {
					try {
						passwords.put(connection, password); // only a password the host accepted is saved
					} catch (CoreException e) {
						IStatus why = new Status(IStatus.ERROR, CorePreferences.PLUGIN_ID, StatusCodes.PASSWORD_NOT_SAVED,
								"Connected to " + connection + ", but its password was NOT saved: "
										+ e.getStatus().getMessage() + ". You will be asked for it at the next logon; "
										+ "see Window > Preferences > General > Security > Secure Storage",
								e);
						ILog.of(SysplexConnections.class).log(why);
						prompt.notSaved(c, why);
					}
				}
			});
		} catch (ConnectException e) {
			if (cancellation.isCancelled() || sub.isCanceled()) {
				throw new CoreException(Status.CANCEL_STATUS);
			}
			throw new CoreException(new Status(IStatus.ERROR, CorePreferences.PLUGIN_ID,
					m.connection.state() == Connection.State.DISCONNECTED ? StatusCodes.DISCONNECTED_MEANWHILE
							: e.step().code(),
					e.getMessage(), e));
		} catch (IllegalStateException e) {
			throw new CoreException(new Status(IStatus.ERROR, CorePreferences.PLUGIN_ID,
					StatusCodes.DISCONNECTED_MEANWHILE, "'" + connection + "' was deleted while it connected", e));
		} finally {
			m.progress = step -> {
			};
			Arrays.fill(password, '\0');
			sub.done();
		}
	}

	private TlsMemory tlsMemory(ConnectionDescriptor c) {
		return tlsMemories.computeIfAbsent(c.host() + ":" + c.port(),
				k -> TlsMemory.enabled(Duration.ofMinutes(setting(CorePreferences.TLS_MEMORY_MINUTES, 60))));
	}

	private static int setting(String key, int fallback) {
		return Platform.getPreferencesService().getInt(CorePreferences.PLUGIN_ID, key, fallback, null);
	}

	/** Schedules a reconnect: a logoff then a logon, in one job with the connection's rule; returns it. */
	public Job reconnect(String connection) {
		cancelConnects(connection);
		Job job = new Job("Reconnecting " + connection) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				Cancellation cancellation = new Cancellation();
				try {
					logoff(connection);
					connectNow(connection, monitor, cancellation);
					return Status.OK_STATUS;
				} catch (CoreException e) {
					return monitor.isCanceled() ? Status.CANCEL_STATUS : e.getStatus();
				}
			}

			@Override
			public boolean belongsTo(Object family) {
				return family == JOB_FAMILY;
			}
		};
		job.setRule(rule(connection));
		job.schedule();
		return job;
	}

	/**
	 * Schedules a disconnect job (logoff) for the named connection and returns it. A connect job of
	 * the connection that is under way is cancelled first, and a reconnect under way stops: the
	 * Disconnect wins.
	 */
	public Job disconnect(String connection) {
		cancelConnects(connection);
		Managed m = managed.get(connection);
		if (m != null && m.connection.state() == Connection.State.RECONNECTING) {
			stop(connection, m); // at once: no job holds the rule while the connection reconnects by itself
		}
		Job job = new Job("Disconnecting " + connection) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				logoff(connection);
				return Status.OK_STATUS;
			}

			@Override
			public boolean belongsTo(Object family) {
				return family == JOB_FAMILY;
			}
		};
		job.setRule(rule(connection));
		job.schedule();
		return job;
	}

	private void cancelConnects(String connection) {
		for (Job j : Job.getJobManager().find(JOB_FAMILY)) {
			if (j instanceof ConnectJob c && c.connection.equals(connection)) {
				j.cancel();
			}
		}
	}

	private void logoff(String connection) {
		Managed m = managed.get(connection);
		if (m != null) {
			stop(connection, m);
		}
	}

	private void stop(String connection, Managed m) {
		try {
			m.connection.disconnect();
		} catch (IOException e) {
			ILog.of(SysplexConnections.class).warn("Logoff of " + connection + " was not confirmed: " + e.getMessage());
		}
	}

	/** The user's jobs as last listed on the connection's session (empty when not connected). */
	public List<JobInfo> jobs(String connection) {
		return jobs.getOrDefault(connection, List.of());
	}

	/** Schedules a job that lists the user's jobs again; listeners hear {@code jobsChanged}. */
	public Job refreshJobs(String connection) {
		Job job = new Job("Listing the jobs of " + connection) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				Session s = session(connection).orElse(null);
				if (s == null) {
					return Status.OK_STATUS;
				}
				try {
					List<JobInfo> list = s.jobs().stream().map(JobInfo::parse).toList();
					jobs.put(connection, list);
					listeners.forEach(l -> l.jobsChanged(connection, list));
					return Status.OK_STATUS;
				} catch (IOException | IllegalArgumentException e) {
					return Status.error("Could not list the jobs of " + connection + " on " + s.system() + ": "
							+ e.getMessage(), e);
				}
			}

			@Override
			public boolean belongsTo(Object family) {
				return family == JOB_FAMILY;
			}
		};
		job.setSystem(true);
		job.schedule();
		return job;
	}

	/**
	 * A job that submits {@code program} (with {@code args}) on the connection's session; with
	 * {@code debug} it carries TEST(,,,DBMDT%userid) so that its debug session comes to this
	 * client. {@code affinity} names a system, or null for the host's choice. Not yet scheduled;
	 * user job of {@link #JOB_FAMILY}; {@code submitted} hears the job's id and system.
	 */
	public Job submitJob(String connection, String program, String args, boolean debug, String affinity,
			java.util.function.Consumer<Session.SubmittedJob> submitted) {
		Job job = new Job("Submitting " + program + " on " + connection) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				SubMonitor sub = SubMonitor.convert(monitor, "Submitting " + program, 2);
				Session s = session(connection).orElse(null);
				if (s == null) {
					return error(StatusCodes.NOT_CONNECTED, "'" + connection + "' is not connected; connect it, then "
							+ "submit " + program + " again", null);
				}
				String options = debug ? "TEST(,,,DBMDT%" + s.user() + ")" : "";
				try {
					Session.SubmittedJob j = s.submit(program, args, options, affinity);
					sub.worked(1);
					submitted.accept(j);
					refreshJobs(connection).join();
					return Status.OK_STATUS;
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					return Status.CANCEL_STATUS;
				} catch (ConnectException e) {
					return new Status(IStatus.ERROR, CorePreferences.PLUGIN_ID, e.step().code(), e.getMessage(), e);
				} catch (IOException e) {
					return error(StatusCodes.JOB_REQUEST, "Submitting " + program + " on " + connection + " (" + s.system()
							+ ") failed: " + e.getMessage() + "; check the connection and submit again", e);
				} finally {
					sub.done();
				}
			}

			@Override
			public boolean belongsTo(Object family) {
				return family == JOB_FAMILY;
			}
		};
		job.setUser(true);
		return job;
	}

	/** A job's output so far, read over the connection's session (in the calling thread). */
	public String output(String connection, String jobId) throws CoreException {
		Session s = session(connection).orElse(null);
		if (s == null) {
			throw new CoreException(error(StatusCodes.NOT_CONNECTED, "'" + connection + "' is not connected; connect "
					+ "it to read the output of " + jobId, null));
		}
		try {
			return s.output(jobId);
		} catch (IOException e) {
			throw new CoreException(error(StatusCodes.JOB_REQUEST, "Could not read the output of " + jobId + " from " + connection
					+ " (" + s.system() + "): " + e.getMessage(), e));
		}
	}

	private static IStatus error(int code, String message, Throwable cause) {
		return new Status(IStatus.ERROR, CorePreferences.PLUGIN_ID, code, message, cause);
	}
}
