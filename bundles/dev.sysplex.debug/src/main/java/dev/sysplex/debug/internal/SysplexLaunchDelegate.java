package dev.sysplex.debug.internal;

import java.io.IOException;
import java.time.Duration;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.IStatusHandler;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.model.LaunchConfigurationDelegate;
import org.eclipse.jdt.debug.core.JDIDebugModel;

import com.sun.jdi.VirtualMachine;

import dev.sysplex.client.ConnectException;
import dev.sysplex.client.DebugLink;
import dev.sysplex.client.JdwpConnection;
import dev.sysplex.core.CorePreferences;
import dev.sysplex.debug.SysplexDebug;

/**
 * Launches a Sysplex debug session: connects through the DVIPA to the waiting Debug Manager's
 * CLIENT port with the token (with TLS accepting only the RSE session's certificate when that
 * session is encrypted; a Debug Manager without encryption is asked about, allowed or refused as
 * the preference says), does the JDWP handshake, makes a VirtualMachine with Eclipse's JDI
 * over that stream and hands it to the JDT debug model, so breakpoints, stepping, variables and
 * the Debug view work as for any Java program. Terminating the launch ends the relay; the job's
 * end terminates the target.
 */
public final class SysplexLaunchDelegate extends LaunchConfigurationDelegate {

	static final String PLUGIN_ID = SysplexDebug.PLUGIN_ID;

	/**
	 * Stop at entry as JDT's own "Stop in main" does it: a method entry breakpoint on the main
	 * class's {@code main(String[])}, hit count 1, not registered with the breakpoint manager (the
	 * user's breakpoints are untouched, it is gone after the session), given to the new target when
	 * it announces its creation. JDT starts dispatching the JVM's events only after the creation
	 * event is handled, and the job's JVM waits suspended at its start until then, so the breakpoint
	 * is in place before main runs; the Debug view then shows a suspended thread at main's first
	 * line, its editor open, as with a breakpoint of the user's.
	 */
	private static final class StopAtEntry implements org.eclipse.debug.core.IDebugEventSetListener {
		private final ILaunch launch;
		private final org.eclipse.jdt.debug.core.IJavaMethodBreakpoint breakpoint;

		private StopAtEntry(ILaunch launch, org.eclipse.jdt.debug.core.IJavaMethodBreakpoint breakpoint) {
			this.launch = launch;
			this.breakpoint = breakpoint;
		}

		static StopAtEntry install(ILaunch launch, String mainType) throws CoreException {
			java.util.Map<String, Object> attributes = new java.util.HashMap<>();
			// JDT's own marker of a stop-in-main breakpoint: its label says "main" entry, not a user's breakpoint
			attributes.put(org.eclipse.jdt.launching.IJavaLaunchConfigurationConstants.ATTR_STOP_IN_MAIN,
					org.eclipse.jdt.launching.IJavaLaunchConfigurationConstants.ATTR_STOP_IN_MAIN);
			org.eclipse.jdt.debug.core.IJavaMethodBreakpoint bp = JDIDebugModel.createMethodBreakpoint(
					org.eclipse.core.resources.ResourcesPlugin.getWorkspace().getRoot(), mainType, "main",
					"([Ljava/lang/String;)V", true, false, false, -1, -1, -1, 1, false, attributes);
			bp.setPersisted(false);
			StopAtEntry stop = new StopAtEntry(launch, bp);
			DebugPlugin.getDefault().addDebugEventListener(stop);
			return stop;
		}

		@Override
		public void handleDebugEvents(org.eclipse.debug.core.DebugEvent[] events) {
			for (org.eclipse.debug.core.DebugEvent e : events) {
				if (e.getKind() == org.eclipse.debug.core.DebugEvent.CREATE
						&& e.getSource() instanceof org.eclipse.jdt.debug.core.IJavaDebugTarget target
						&& target.getLaunch() == launch) {
					remove();
					target.breakpointAdded(breakpoint);
				}
			}
		}

		void remove() {
			DebugPlugin.getDefault().removeDebugEventListener(this);
		}
	}

	private static DebugLink.PlainLinkPolicy plainLinkPolicy() {
		String v = Platform.getPreferencesService().getString(CorePreferences.PLUGIN_ID,
				CorePreferences.PLAIN_DEBUG_LINK, "ask", null);
		return switch (v) {
		case "allow" -> DebugLink.PlainLinkPolicy.ALLOW;
		case "refuse" -> DebugLink.PlainLinkPolicy.REFUSE;
		default -> DebugLink.PlainLinkPolicy.ASK;
		};
	}

	/**
	 * Puts the question to the status handler registered for it (the UI's dialog); with none (a
	 * headless workbench) or on any failure the answer is no, so nothing goes unencrypted unasked.
	 */
	private boolean askPlainLink(DebugLink.Waiting waiting, String endpoint) {
		IStatus question = new Status(IStatus.INFO, PLUGIN_ID, SysplexDebug.STATUS_ASK_PLAIN_LINK, "Your RSE session is "
				+ "encrypted, but the Debug Manager of " + waiting.system() + " (" + endpoint + ") does not encrypt "
				+ "its CLIENT port. Debug job " + waiting.job() + " without encryption?", null);
		IStatusHandler handler = DebugPlugin.getDefault().getStatusHandler(question);
		if (handler == null) {
			return false;
		}
		try {
			return Boolean.TRUE.equals(handler.handleStatus(question, waiting));
		} catch (CoreException e) {
			ILog.of(SysplexLaunchDelegate.class).log(e.getStatus());
			return false;
		}
	}

	private record Found(String host, dev.sysplex.client.Session session, dev.sysplex.debug.DebugSessions.WaitingSession waiting) {
	}

	/**
	 * For a saved configuration: its connection must be connected; then the job it names (or the next
	 * job of its program) that waits for this user's debugger, already announced or announced within
	 * the configuration's wait, on any system.
	 */
	private static Found awaitSession(ILaunchConfiguration configuration, IProgressMonitor monitor) throws CoreException {
		String connection = configuration.getAttribute(SysplexDebug.ATTR_CONNECTION, "");
		String job = configuration.getAttribute(SysplexDebug.ATTR_JOB, "").strip();
		String program = configuration.getAttribute(SysplexDebug.ATTR_PROGRAM, "").strip().replaceFirst("\\.java$", "");
		int seconds = configuration.getAttribute(SysplexDebug.ATTR_WAIT_SECONDS, SysplexDebug.DEFAULT_WAIT_SECONDS);
		if (connection.isEmpty() || (job.isEmpty() && program.isEmpty())) {
			throw new CoreException(Status.error("The Sysplex debug session '" + configuration.getName() + "' names no "
					+ (connection.isEmpty() ? "connection" : "job or program") + "; set it on its Main tab"));
		}
		dev.sysplex.core.SysplexConnections connections = dev.sysplex.core.SysplexConnections.instance();
		String host = connections.registry().get(connection).map(c -> c.host()).orElseThrow(() -> new CoreException(
				Status.error("There is no Sysplex connection named '" + connection + "' (configuration '"
						+ configuration.getName() + "'); choose one on its Main tab")));
		dev.sysplex.client.Session session = connections.session(connection).orElseThrow(() -> new CoreException(
				Status.error("'" + connection + "' is not connected; connect it in the Sysplex Explorer, then debug '"
						+ configuration.getName() + "' again")));
		String what = !job.isEmpty() ? "job " + job : "the next job of " + program;
		monitor.subTask("Waiting up to " + seconds + " s for " + what + " to wait for your debugger (submit it with TEST)");
		java.util.Optional<dev.sysplex.debug.DebugSessions.WaitingSession> w;
		try {
			w = dev.sysplex.debug.DebugSessions.of(connections).claim(connection, x -> !job.isEmpty()
					? x.session().job().equalsIgnoreCase(job)
					: program.equalsIgnoreCase(SysplexDebug.mainType(session, x.session().job())),
					Duration.ofSeconds(seconds), monitor);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new CoreException(Status.CANCEL_STATUS);
		}
		if (w.isEmpty()) {
			if (monitor.isCanceled()) {
				throw new CoreException(Status.CANCEL_STATUS);
			}
			throw new CoreException(Status.error("No debug session of " + what + " came on '" + connection + "' within "
					+ seconds + " s; submit it with TEST(,,,DBMDT%" + session.user() + ") (Submit Job with 'Debug' ticked), "
					+ "then debug '" + configuration.getName() + "' again"));
		}
		return new Found(host, session, w.get());
	}

	@Override
	public void launch(ILaunchConfiguration configuration, String mode, ILaunch launch, IProgressMonitor monitor)
			throws CoreException {
		SubMonitor sub = SubMonitor.convert(monitor, "Connecting the debugger", 4);
		String host = configuration.getAttribute(SysplexDebug.ATTR_HOST, "");
		DebugLink.Waiting waiting = new DebugLink.Waiting(configuration.getAttribute(SysplexDebug.ATTR_JOB, ""),
				configuration.getAttribute(SysplexDebug.ATTR_SYSTEM, ""),
				configuration.getAttribute(SysplexDebug.ATTR_PORT, 0),
				configuration.getAttribute(SysplexDebug.ATTR_TOKEN, ""),
				configuration.getAttribute(SysplexDebug.ATTR_USER, ""),
				configuration.getAttribute(SysplexDebug.ATTR_ENCRYPTED, false));
		boolean sessionEncrypted = configuration.getAttribute(SysplexDebug.ATTR_SESSION_ENCRYPTED, false);
		String certificate = configuration.getAttribute(SysplexDebug.ATTR_CERTIFICATE, "");
		String mainType = configuration.getAttribute(SysplexDebug.ATTR_MAIN_TYPE, "");
		if (waiting.token().isEmpty()) {
			// a saved configuration (Run > Debug Configurations): wait for the job it names on its connection
			Found found = awaitSession(configuration, sub.split(1));
			host = found.host();
			waiting = found.waiting().session();
			sessionEncrypted = found.session().encrypted();
			certificate = found.session().certificateSha256().orElse("");
			mainType = SysplexDebug.mainType(found.session(), waiting.job());
		} else {
			sub.worked(1);
		}
		if (host.isEmpty() || waiting.port() == 0) {
			throw new CoreException(Status.error("The Sysplex debug session '" + configuration.getName()
					+ "' lacks the host or the Debug Manager's port; start it from the notification of a waiting job, "
					+ "or name its connection and job in Run > Debug Configurations"));
		}
		// what the workbench needs to know of the launch (its Console follows the job's output)
		launch.setAttribute(SysplexDebug.ATTR_JOB, waiting.job());
		launch.setAttribute(SysplexDebug.ATTR_SYSTEM, waiting.system());
		launch.setAttribute(SysplexDebug.ATTR_CONNECTION, configuration.getAttribute(SysplexDebug.ATTR_CONNECTION, ""));
		DebugLink.Linked linked;
		try {
			sub.subTask("Connecting to " + host + ":" + waiting.port() + " (Debug Manager of " + waiting.system() + ")");
			linked = DebugLink.open(host, waiting, Duration.ofSeconds(10), new DebugLink.Security(sessionEncrypted,
					certificate.isEmpty() ? null : certificate, plainLinkPolicy(), this::askPlainLink));
			sub.worked(1);
		} catch (DebugLink.EncryptionRefused e) {
			throw new CoreException(new Status(IStatus.ERROR, PLUGIN_ID, SysplexDebug.STATUS_LINK_REFUSED, e.getMessage(),
					e));
		} catch (ConnectException e) {
			throw new CoreException(new Status(IStatus.ERROR, PLUGIN_ID, e.step().code(), e.getMessage(), e));
		}
		try {
			sub.subTask("JDWP handshake with job " + linked.job());
			JdwpConnection connection = JdwpConnection.handshake(linked);
			sub.worked(1);
			VirtualMachine vm = org.eclipse.jdi.Bootstrap.virtualMachineManager().createVirtualMachine(connection);
			StopAtEntry stop = configuration.getAttribute(SysplexDebug.ATTR_STOP_AT_ENTRY, true) && !mainType.isEmpty()
					? StopAtEntry.install(launch, mainType)
					: null;
			try {
				// as JDIDebugModel.newDebugTarget does, with a target that knows how the job ended
				String name = linked.job() + " on " + linked.system() + " (" + linked.user() + ")";
				String connectionName = configuration.getAttribute(SysplexDebug.ATTR_CONNECTION, "");
				org.eclipse.core.resources.ResourcesPlugin.getWorkspace().run(m -> launch.addDebugTarget(
						new SysplexDebugTarget(launch, vm, name, connectionName, linked.job())), null, 0, null);
			} catch (RuntimeException e) {
				if (stop != null) {
					stop.remove(); // no target: no creation event will come (once made, the event removes it)
				}
				throw e;
			}
			sub.worked(1);
		} catch (IOException | CoreException e) {
			try {
				linked.socket().close();
			} catch (IOException closing) {
				e.addSuppressed(closing);
			}
			throw new CoreException(Status.error("The debug session of job " + linked.job() + " on " + linked.system()
					+ " could not start: " + e.getMessage() + ". Start the job again.", e));
		}
	}
}
