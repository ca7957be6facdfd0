package dev.sysplex.debug;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

import dev.sysplex.client.DebugLink;
import dev.sysplex.core.ConnectionListener;
import dev.sysplex.core.ConnectionState;
import dev.sysplex.core.CorePreferences;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.protocol.Dbm;

/**
 * Turns "debug session waiting" notifications of connected sessions into Sysplex debug launches:
 * at once when the preference says "launch", else the session is kept as waiting and announced to
 * the {@link Prompt} (the UI's notification), whose Debug action calls {@link #launch}. Launches
 * run as Jobs of the family {@link #JOB_FAMILY}.
 */
public final class DebugSessions implements ConnectionListener {

	/** The family of the debug launch jobs. */
	public static final Object JOB_FAMILY = new Object();

	/** A debug session that waits for this client: the connection it was announced on and its fields. */
	public record WaitingSession(String connection, DebugLink.Waiting session, Map<String, String> fields) {
		/** "Payroll JOB00003 on SYSB waits (Debug Manager port 5302)". */
		public String label() {
			return session.job() + " on " + session.system() + " waits for the debugger";
		}
	}

	/** Hears of a waiting session when the preference says "ask" (must not block). */
	@FunctionalInterface
	public interface Prompt {
		void announce(WaitingSession waiting);
	}

	/** The headless prompt: logs where to start the session. */
	public static final Prompt LOG = w -> ILog.of(DebugSessions.class).info("A debug session of job "
			+ w.session().job() + " waits on " + w.session().system() + " for " + w.connection()
			+ "; set the Sysplex preference to launch debug sessions automatically, or start it from the Sysplex Explorer");

	private final SysplexConnections connections;
	private final List<WaitingSession> waiting = new CopyOnWriteArrayList<>();
	private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
	private volatile Prompt prompt = LOG;

	public DebugSessions(SysplexConnections connections) {
		this.connections = connections;
		connections.addListener(this);
	}

	public void setPrompt(Prompt prompt) {
		this.prompt = prompt;
	}

	/** Runs when the waiting sessions change (from any thread). */
	public void addChangeListener(Runnable r) {
		changeListeners.add(r);
	}

	public void removeChangeListener(Runnable r) {
		changeListeners.remove(r);
	}

	public void dispose() {
		connections.removeListener(this);
	}

	/** The sessions announced on {@code connection} that nobody has started yet. */
	public List<WaitingSession> waiting(String connection) {
		List<WaitingSession> list = new ArrayList<>();
		for (WaitingSession w : waiting) {
			if (w.connection().equals(connection)) {
				list.add(w);
			}
		}
		return list;
	}

	@Override
	public void notification(String connection, String kind, Map<String, String> fields) {
		if (!kind.equals(Dbm.NOTIFY_WAITING)) {
			return;
		}
		DebugLink.Waiting session;
		try {
			session = DebugLink.Waiting.of(fields);
		} catch (IllegalArgumentException e) {
			ILog.of(DebugSessions.class).error("A debug notification on " + connection + " is not usable: "
					+ e.getMessage(), e);
			return;
		}
		WaitingSession w = new WaitingSession(connection, session, Map.copyOf(fields));
		if (launched(session.token())) {
			return; // announced again after it was started (a repeat from the host): one launch per token
		}
		for (Claim c : claims) {
			if (c.connection.equals(connection)) {
				c.offered.add(w); // a launch waits for a session of its own: it sees this one first
				return;
			}
		}
		handOn(w);
	}

	/** What happens to a waiting session nobody claimed: launched at once, or kept and announced. */
	private void handOn(WaitingSession w) {
		String connection = w.connection();
		DebugLink.Waiting session = w.session();
		if ("launch".equals(Platform.getPreferencesService().getString(CorePreferences.PLUGIN_ID,
				CorePreferences.DEBUG_SESSIONS, "ask", null))) {
			launch(w);
			return;
		}
		// announced again (at a reconnect's logon, with a new token): the new announcement replaces the old
		boolean again = waiting.removeIf(x -> x.connection().equals(connection) && x.session().job().equals(
				session.job()));
		waiting.add(w);
		fireChanged();
		if (!again) {
			prompt.announce(w);
		}
	}

	private record Claim(String connection, java.util.concurrent.BlockingQueue<WaitingSession> offered) {
	}

	private final List<Claim> claims = new CopyOnWriteArrayList<>();

	/**
	 * Waits (at most {@code timeout}, or until {@code monitor} is canceled) for a session on
	 * {@code connection} that {@code wanted} accepts: one already waiting, or the next announced;
	 * it is then no longer waiting. Sessions it does not want go on as if it were not there (a
	 * prompt, or a launch of their own). {@code wanted} runs on this thread: it may ask the host.
	 *
	 * @return the session, or empty when none came in time or the wait was canceled
	 */
	public java.util.Optional<WaitingSession> claim(String connection, java.util.function.Predicate<WaitingSession> wanted,
			java.time.Duration timeout, IProgressMonitor monitor) throws InterruptedException {
		Claim claim = new Claim(connection, new java.util.concurrent.LinkedBlockingQueue<>());
		claims.add(claim); // from now on announcements come here: none is lost between the look and the wait
		try {
			for (WaitingSession w : waiting(connection)) {
				if (wanted.test(w) && waiting.remove(w)) {
					fireChanged();
					markLaunched(w);
					return java.util.Optional.of(w);
				}
			}
			long deadline = System.nanoTime() + timeout.toNanos();
			while (System.nanoTime() < deadline && (monitor == null || !monitor.isCanceled())) {
				WaitingSession w = claim.offered.poll(250, java.util.concurrent.TimeUnit.MILLISECONDS);
				if (w == null) {
					continue;
				}
				if (wanted.test(w)) {
					markLaunched(w);
					return java.util.Optional.of(w);
				}
				handOn(w);
			}
			return java.util.Optional.empty();
		} finally {
			claims.remove(claim);
			for (WaitingSession left; (left = claim.offered.poll()) != null;) {
				handOn(left);
			}
		}
	}

	/** The debug sessions of {@code connections}, made once (the workbench's and every launch's). */
	public static DebugSessions of(SysplexConnections connections) {
		return INSTANCES.computeIfAbsent(connections, DebugSessions::new);
	}

	private static final Map<SysplexConnections, DebugSessions> INSTANCES = new java.util.concurrent.ConcurrentHashMap<>();

	@Override
	public void stateChanged(String connection, ConnectionState state) {
		if ((state.phase() == ConnectionState.Phase.DISCONNECTED || state.phase() == ConnectionState.Phase.FAILED)
				&& waiting.removeIf(w -> w.connection().equals(connection))) {
			fireChanged(); // the token came over that session; it is of no use without it
		}
	}

	/** Schedules the launch of a waiting session and returns the job; it no longer counts as waiting. */
	public Job launch(WaitingSession w) {
		Job job = launchJob(w);
		job.schedule();
		return job;
	}

	/**
	 * The launch of a waiting session as a job not yet scheduled (the UI adds its error handling);
	 * the session no longer counts as waiting.
	 */
	public Job launchJob(WaitingSession w) {
		markLaunched(w);
		if (waiting.remove(w)) {
			fireChanged();
		}
		String host = connections.registry().get(w.connection()).map(c -> c.host()).orElse(null);
		Job job = new Job("Debugging " + w.session().job() + " on " + w.session().system()) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				if (host == null) {
					return Status.error("The connection '" + w.connection() + "' was deleted; the debug session of "
							+ w.session().job() + " cannot be reached without its DVIPA");
				}
				java.util.Optional<dev.sysplex.client.Session> session = connections.session(w.connection());
				if (session.isEmpty()) {
					return Status.error("The connection '" + w.connection() + "' is no longer connected; the debug "
							+ "session of " + w.session().job() + " was announced on it and waits for a new notification "
							+ "after you connect again");
				}
				try {
					SysplexDebug.launch(w.connection(), host, session.get(), w.fields(), monitor);
					connections.refreshJobs(w.connection()); // the job's state is DEBUGGING now
					return Status.OK_STATUS;
				} catch (CoreException e) {
					if (e.getStatus().getCode() == SysplexDebug.STATUS_LINK_REFUSED && !waiting.contains(w)) {
						waiting.add(w); // nothing was sent: it still waits, and can be debugged once allowed
						fireChanged();
					}
					return e.getStatus();
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

	/**
	 * The tokens of sessions started here, the latest 256: a token is used once, so an announcement
	 * repeated after its launch (hosts may announce a session at every logon) is not launched again.
	 */
	private final java.util.Set<String> launchedTokens = java.util.Collections
			.newSetFromMap(new java.util.LinkedHashMap<String, Boolean>() {
				private static final long serialVersionUID = 1L;

				@Override
				protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
					return size() > 256;
				}
			});

	private void markLaunched(WaitingSession w) {
		synchronized (launchedTokens) {
			launchedTokens.add(w.session().token());
		}
	}

	private boolean launched(String token) {
		synchronized (launchedTokens) {
			return launchedTokens.contains(token);
		}
	}

	private void fireChanged() {
		changeListeners.forEach(Runnable::run);
	}
}
