package dev.sysplex.ui.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;

import dev.sysplex.core.SysplexConnections;
import dev.sysplex.debug.DebugSessions;

/**
 * Ties a connections instance to the workbench once: certificates go to the trust dialog,
 * passwords that are not saved to the password dialog, and waiting debug sessions to the
 * notification and the explorer. In the IDE there is one instance; tests that replace it get
 * their own binding.
 */
public final class WorkbenchBinding {

	private static final Map<SysplexConnections, DebugSessions> BOUND = new ConcurrentHashMap<>();

	private WorkbenchBinding() {
	}

	/** Binds the current instance (first call) and returns its debug sessions. */
	public static DebugSessions debugSessions() {
		return bind(SysplexConnections.instance());
	}

	public static DebugSessions bind(SysplexConnections connections) {
		return BOUND.computeIfAbsent(connections, c -> {
			Display display = PlatformUI.getWorkbench().getDisplay();
			c.setTrustDecision(CertificateTrustDialog.decision(display));
			c.setPasswordPrompt(PasswordDialog.prompt(display));
			DebugSessions sessions = DebugSessions.of(c);
			sessions.setPrompt(w -> display.asyncExec(() -> DebugWaitingNotification.show(display, sessions, w)));
			// a debugged job's output in its Console while it is debugged, however the launch started
			org.eclipse.debug.core.DebugPlugin.getDefault().getLaunchManager().addLaunchListener(
					new org.eclipse.debug.core.ILaunchesListener() {
						@Override
						public void launchesChanged(org.eclipse.debug.core.ILaunch[] launches) {
							for (org.eclipse.debug.core.ILaunch l : launches) {
								String connection = l.getAttribute(dev.sysplex.debug.SysplexDebug.ATTR_CONNECTION);
								String job = l.getAttribute(dev.sysplex.debug.SysplexDebug.ATTR_JOB);
								if (connection != null && !connection.isEmpty() && job != null && l.getDebugTarget() != null
										&& !l.isTerminated()) {
									String program = c.jobs(connection).stream().filter(j -> j.id().equals(job))
											.map(dev.sysplex.core.JobInfo::program).findFirst().orElse("");
									JobConsoles.follow(c, connection, job, program,
											l.getAttribute(dev.sysplex.debug.SysplexDebug.ATTR_SYSTEM));
								}
							}
						}

						@Override
						public void launchesAdded(org.eclipse.debug.core.ILaunch[] launches) {
						}

						@Override
						public void launchesRemoved(org.eclipse.debug.core.ILaunch[] launches) {
						}
					});
			return sessions;
		});
	}
}
