package dev.sysplex.debug;

import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

import dev.sysplex.client.DebugLink;
import dev.sysplex.core.ConnectionListener;
import dev.sysplex.core.CorePreferences;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.protocol.Dbm;

/**
 * Turns "debug session waiting" notifications of connected sessions into Sysplex debug launches:
 * at once when the preference says "launch", else when the {@link Prompt} (the UI's notification)
 * says so. Launches run as Jobs of the family {@link #JOB_FAMILY}.
 */
public final class DebugSessions implements ConnectionListener {

	/** The family of the debug launch jobs. */
	public static final Object JOB_FAMILY = new Object();

	/** Asks whether to debug a waiting session; the headless default declines (and logs it). */
	@FunctionalInterface
	public interface Prompt {
		boolean shouldLaunch(String connection, DebugLink.Waiting waiting);
	}

	private final SysplexConnections connections;
	private volatile Prompt prompt = (connection, waiting) -> {
		ILog.of(DebugSessions.class).info("A debug session of job " + waiting.job() + " waits on " + waiting.system()
				+ " for " + connection + "; set the Sysplex preference to launch debug sessions automatically, or "
				+ "start it from the notification");
		return false;
	};

	public DebugSessions(SysplexConnections connections) {
		this.connections = connections;
		connections.addListener(this);
	}

	public void setPrompt(Prompt prompt) {
		this.prompt = prompt;
	}

	public void dispose() {
		connections.removeListener(this);
	}

	@Override
	public void notification(String connection, String kind, Map<String, String> fields) {
		if (!kind.equals(Dbm.NOTIFY_WAITING)) {
			return;
		}
		DebugLink.Waiting waiting;
		try {
			waiting = DebugLink.Waiting.of(fields);
		} catch (IllegalArgumentException e) {
			ILog.of(DebugSessions.class).error("A debug notification on " + connection + " is not usable: "
					+ e.getMessage(), e);
			return;
		}
		boolean launch = "launch".equals(Platform.getPreferencesService().getString(CorePreferences.PLUGIN_ID,
				CorePreferences.DEBUG_SESSIONS, "ask", null)) || prompt.shouldLaunch(connection, waiting);
		if (!launch) {
			return;
		}
		String host = connections.registry().get(connection).map(c -> c.host()).orElse(null);
		if (host == null) {
			return;
		}
		Job job = new Job("Debugging " + waiting.job() + " on " + waiting.system()) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				try {
					SysplexDebug.launch(connection, host, fields, monitor);
					return Status.OK_STATUS;
				} catch (CoreException e) {
					return e.getStatus();
				}
			}

			@Override
			public boolean belongsTo(Object family) {
				return family == JOB_FAMILY;
			}
		};
		job.schedule();
	}
}
