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
import org.eclipse.core.runtime.jobs.Job;

import dev.sysplex.client.Cancellation;
import dev.sysplex.client.ConnectException;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;

/**
 * Connects, disconnects and reconnects the registry's connections. Each operation runs as a Job
 * of the family {@link #JOB_FAMILY} (tests and the UI wait on it), reports progress per logon
 * step, really stops when cancelled (the socket it is blocked on is closed), and fails with a
 * CoreException whose status says which step failed, where, and what to do.
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
	private final Map<String, Session> sessions = new ConcurrentHashMap<>();
	private final Map<String, ConnectionState> states = new ConcurrentHashMap<>();
	private final Map<String, TlsMemory> tlsMemories = new ConcurrentHashMap<>();
	private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

	public SysplexConnections(ConnectionRegistry registry, PasswordStore passwords, TrustStore pins) {
		this.registry = registry;
		this.passwords = passwords;
		this.pins = pins;
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

	public ConnectionState state(String connection) {
		return states.getOrDefault(connection, ConnectionState.DISCONNECTED);
	}

	public Optional<Session> session(String connection) {
		return Optional.ofNullable(sessions.get(connection));
	}

	private void setState(String connection, ConnectionState state) {
		states.put(connection, state);
		listeners.forEach(l -> l.stateChanged(connection, state));
	}

	/** Schedules a connect job for the named connection and returns it. */
	public Job connect(String connection) {
		Job job = connectJob(connection);
		job.schedule();
		return job;
	}

	/**
	 * A connect job for the named connection, not yet scheduled (the UI sets its properties and
	 * listeners first); user job, of {@link #JOB_FAMILY}.
	 */
	public Job connectJob(String connection) {
		Job job = new Job("Connecting to " + connection) {
			private final Cancellation cancellation = new Cancellation();

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
		};
		job.setUser(true);
		return job;
	}

	/**
	 * Connects in the calling thread (a job's). On failure the connection's state is FAILED and the
	 * CoreException's status names the step; when cancelled the state goes back to DISCONNECTED.
	 */
	public void connectNow(String connection, IProgressMonitor monitor, Cancellation cancellation)
			throws CoreException {
		SubMonitor sub = SubMonitor.convert(monitor, "Connecting to " + connection, 5);
		ConnectionDescriptor c = registry.get(connection).orElseThrow(() -> new CoreException(Status.error(
				"There is no connection named '" + connection + "'")));
		if (sessions.containsKey(connection)) {
			sub.done();
			return;
		}
		char[] password;
		boolean saveOnSuccess = false;
		Optional<char[]> saved = passwords.get(connection);
		if (saved.isPresent()) {
			password = saved.get();
		} else {
			Optional<PasswordPrompt.Answer> answer = passwordPrompt.ask(c);
			if (answer.isEmpty()) {
				if (passwordPrompt == PasswordPrompt.NONE) {
					throw new CoreException(Status.error("No password is saved for '" + connection
							+ "'; connect from the Sysplex Explorer to be asked for it, or save it in the connection's properties"));
				}
				sub.done();
				throw new CoreException(Status.CANCEL_STATUS);
			}
			password = answer.get().password();
			saveOnSuccess = answer.get().save();
		}
		setState(connection, ConnectionState.connecting());
		boolean trace = "true".equalsIgnoreCase(Platform.getDebugOption(CorePreferences.PLUGIN_ID + "/debug/connect"));
		RseConnector connector = new RseConnector(new RseConnector.Options()
				.connectTimeout(Duration.ofSeconds(setting(CorePreferences.CONNECT_TIMEOUT_SECONDS, 5)))
				.readTimeout(Duration.ofSeconds(setting(CorePreferences.READ_TIMEOUT_SECONDS, 15)))
				.tlsMemory(c.tlsMemory() ? tlsMemory(c) : TlsMemory.disabled()).trust(pins, trustDecision)
				.reconnect(c.autoReconnect(), 5, Duration.ofMillis(250), Duration.ofSeconds(4)).trace(step -> {
					sub.subTask(step);
					sub.worked(1);
					if (trace) {
						ILog.of(SysplexConnections.class).info(connection + ": " + step);
					}
				}));
		sub.worked(1);
		try {
			java.util.concurrent.atomic.AtomicReference<Session> self = new java.util.concurrent.atomic.AtomicReference<>();
			// subscribed before the session's first message: a debug session waiting at logon is announced at once
			Session.Listener listener = new Session.Listener() {
				@Override
				public void notification(String kind, Map<String, String> fields) {
					listeners.forEach(l -> l.notification(connection, kind, fields));
					if (kind.equals(dev.sysplex.protocol.Rse.NOTIFY_JOB_ENDED)
							|| kind.equals(dev.sysplex.protocol.Dbm.NOTIFY_WAITING)) {
						refreshJobs(connection);
					}
				}

				@Override
				public void reconnected(String previousSystem, String system) {
					Session s = self.get();
					setState(connection, ConnectionState.connected(system, s.encrypted(), s.serverPort()));
				}

				@Override
				public void ended(String reason, IOException cause) {
					sessions.remove(connection, self.get());
					jobs.remove(connection);
					setState(connection, cause == null ? ConnectionState.DISCONNECTED
							: ConnectionState.failed(cause.getMessage()));
				}
			};
			Session s = connector.connect(c.host(), c.port(), c.user(), password, c.encryption(), cancellation,
					List.of(listener));
			self.set(s);
			sessions.put(connection, s);
			if (saveOnSuccess) {
				try {
					passwords.put(connection, password); // only a password the host accepted is saved
				} catch (CoreException e) {
					ILog.of(SysplexConnections.class).warn("Connected to " + connection + ", but its password "
							+ "could not be saved: " + e.getStatus().getMessage(), e);
				}
			}
			// announced last: whoever hears "connected" finds the accepted password saved already
			setState(connection, ConnectionState.connected(s.system(), s.encrypted(), s.serverPort()));
			refreshJobs(connection);
		} catch (ConnectException e) {
			if (cancellation.isCancelled() || sub.isCanceled()) {
				setState(connection, ConnectionState.DISCONNECTED);
				throw new CoreException(Status.CANCEL_STATUS);
			}
			setState(connection, ConnectionState.failed(e.getMessage()));
			throw new CoreException(new Status(IStatus.ERROR, CorePreferences.PLUGIN_ID, e.step().ordinal(),
					e.getMessage(), e));
		} finally {
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

	/** Schedules a reconnect: a disconnect (logoff) then a connect, one after the other; returns the connect job. */
	public Job reconnect(String connection) {
		Job disconnect = disconnect(connection);
		Job connect = new Job("Reconnecting " + connection) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				try {
					disconnect.join();
					connectNow(connection, monitor, new Cancellation());
					return Status.OK_STATUS;
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					return Status.CANCEL_STATUS;
				} catch (CoreException e) {
					return monitor.isCanceled() ? Status.CANCEL_STATUS : e.getStatus();
				}
			}

			@Override
			public boolean belongsTo(Object family) {
				return family == JOB_FAMILY;
			}
		};
		connect.schedule();
		return connect;
	}

	/** Schedules a disconnect job (logoff) for the named connection and returns it. */
	public Job disconnect(String connection) {
		Job job = new Job("Disconnecting " + connection) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				Session s = sessions.remove(connection);
				jobs.remove(connection);
				if (s != null) {
					try {
						s.logoff();
					} catch (IOException e) {
						ILog.of(SysplexConnections.class).warn("Logoff of " + connection + " was not confirmed: "
								+ e.getMessage());
					}
				}
				setState(connection, ConnectionState.DISCONNECTED);
				return Status.OK_STATUS;
			}

			@Override
			public boolean belongsTo(Object family) {
				return family == JOB_FAMILY;
			}
		};
		job.schedule();
		return job;
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
				Session s = sessions.get(connection);
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
				Session s = sessions.get(connection);
				if (s == null) {
					return Status.error("'" + connection + "' is not connected; connect it, then submit " + program
							+ " again");
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
					return new Status(IStatus.ERROR, CorePreferences.PLUGIN_ID, e.step().ordinal(), e.getMessage(), e);
				} catch (IOException e) {
					return Status.error("Submitting " + program + " on " + connection + " (" + s.system()
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
		Session s = sessions.get(connection);
		if (s == null) {
			throw new CoreException(Status.error("'" + connection + "' is not connected; connect it to read the "
					+ "output of " + jobId));
		}
		try {
			return s.output(jobId);
		} catch (IOException e) {
			throw new CoreException(Status.error("Could not read the output of " + jobId + " from " + connection
					+ " (" + s.system() + "): " + e.getMessage(), e));
		}
	}
}
