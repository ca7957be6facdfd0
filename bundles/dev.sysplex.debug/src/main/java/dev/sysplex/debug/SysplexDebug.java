package dev.sysplex.debug;

import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;

import dev.sysplex.client.DebugLink;
import dev.sysplex.client.Session;

/**
 * The "Sysplex Debug Session" launch configuration type: a waiting debug session of a job (its
 * connection, the waiting Debug Manager's CLIENT port, the single-use token, the job), launched
 * in debug mode into the JDT debug model.
 */
public final class SysplexDebug {

	public static final String LAUNCH_TYPE = "dev.sysplex.debug.session";

	public static final String ATTR_CONNECTION = "dev.sysplex.debug.connection";
	public static final String ATTR_HOST = "dev.sysplex.debug.host";
	public static final String ATTR_PORT = "dev.sysplex.debug.port";
	public static final String ATTR_TOKEN = "dev.sysplex.debug.token";
	public static final String ATTR_JOB = "dev.sysplex.debug.job";
	public static final String ATTR_SYSTEM = "dev.sysplex.debug.system";
	public static final String ATTR_USER = "dev.sysplex.debug.user";
	/** Whether the waiting Debug Manager's CLIENT port is encrypted (from the notification). */
	public static final String ATTR_ENCRYPTED = "dev.sysplex.debug.encrypted";
	/** Whether the RSE session that announced it is encrypted, and the SHA-256 of its certificate. */
	public static final String ATTR_SESSION_ENCRYPTED = "dev.sysplex.debug.sessionEncrypted";
	public static final String ATTR_CERTIFICATE = "dev.sysplex.debug.certificateSha256";
	/**
	 * Whether the job stops at the first line of its main method (boolean; a new configuration gets
	 * the preference {@link dev.sysplex.core.CorePreferences#STOP_AT_ENTRY}, true by default).
	 */
	public static final String ATTR_STOP_AT_ENTRY = "dev.sysplex.debug.stopAtEntry";
	/** A saved configuration's "the next job of this program" (such as Payroll.java), when it names no job. */
	public static final String ATTR_PROGRAM = "dev.sysplex.debug.program";
	/** How long a saved configuration waits for its job's debug session, in seconds. */
	public static final String ATTR_WAIT_SECONDS = "dev.sysplex.debug.waitSeconds";
	public static final int DEFAULT_WAIT_SECONDS = 600;
	/** The job's main class (its program's name), where it stops at entry; empty when unknown. */
	public static final String ATTR_MAIN_TYPE = "dev.sysplex.debug.mainType";

	/**
	 * The code of the status the launch puts to a status handler (the UI's question) when the RSE
	 * session is encrypted and the Debug Manager is not; the handler answers Boolean.TRUE to link.
	 */
	public static final int STATUS_ASK_PLAIN_LINK = 1001;
	/** A launch failed because the encryption rules refused the link; nothing was sent, the session still waits. */
	public static final int STATUS_LINK_REFUSED = 1002;
	public static final String PLUGIN_ID = "dev.sysplex.debug";

	private SysplexDebug() {
	}

	/**
	 * A launch configuration (not saved) for a waiting session announced on {@code connection},
	 * whose host is the DVIPA the session was logged on to; {@code session} is that RSE session (its
	 * encryption and certificate decide the link's).
	 */
	public static ILaunchConfigurationWorkingCopy configuration(String connection, String host,
			DebugLink.Waiting waiting, Session session) throws CoreException {
		ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
		ILaunchConfigurationType type = manager.getLaunchConfigurationType(LAUNCH_TYPE);
		ILaunchConfigurationWorkingCopy wc = type.newInstance(null,
				manager.generateLaunchConfigurationName(waiting.job() + " on " + waiting.system()));
		wc.setAttribute(ATTR_CONNECTION, connection);
		wc.setAttribute(ATTR_HOST, host);
		wc.setAttribute(ATTR_PORT, waiting.port());
		wc.setAttribute(ATTR_TOKEN, waiting.token());
		wc.setAttribute(ATTR_JOB, waiting.job());
		wc.setAttribute(ATTR_SYSTEM, waiting.system());
		wc.setAttribute(ATTR_USER, waiting.user());
		wc.setAttribute(ATTR_ENCRYPTED, waiting.encrypted());
		wc.setAttribute(ATTR_SESSION_ENCRYPTED, session.encrypted());
		wc.setAttribute(ATTR_CERTIFICATE, session.certificateSha256().orElse(""));
		wc.setAttribute(ATTR_STOP_AT_ENTRY, org.eclipse.core.runtime.Platform.getPreferencesService().getBoolean(
				dev.sysplex.core.CorePreferences.PLUGIN_ID, dev.sysplex.core.CorePreferences.STOP_AT_ENTRY, true, null));
		wc.setAttribute(ATTR_MAIN_TYPE, mainType(session, waiting.job()));
		return wc;
	}

	/**
	 * The job's main class, from the user's job list on {@code session}: its program without
	 * ".java"; empty when the list does not name the job (it then runs to the first breakpoint).
	 */
	public static String mainType(Session session, String job) {
		try {
			for (String line : session.jobs()) {
				dev.sysplex.core.JobInfo info = dev.sysplex.core.JobInfo.parse(line);
				if (info.id().equals(job)) {
					return info.program().replaceFirst("\\.java$", "");
				}
			}
		} catch (java.io.IOException | IllegalArgumentException e) {
			org.eclipse.core.runtime.ILog.of(SysplexDebug.class).warn("The job list of " + job + "'s session could "
					+ "not be read, so the job cannot be stopped at its entry: " + e.getMessage(), e);
		}
		return "";
	}

	/** Launches the waiting session (notification fields as they came, on {@code session}) in debug mode. */
	public static ILaunch launch(String connection, String host, Session session, Map<String, String> notification,
			org.eclipse.core.runtime.IProgressMonitor monitor) throws CoreException {
		return configuration(connection, host, DebugLink.Waiting.of(notification), session)
				.launch(ILaunchManager.DEBUG_MODE, monitor);
	}
}
