package dev.sysplex.debug;

import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;

import dev.sysplex.client.DebugLink;

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

	private SysplexDebug() {
	}

	/**
	 * A launch configuration (not saved) for a waiting session announced on {@code connection},
	 * whose host is the DVIPA the session was logged on to.
	 */
	public static ILaunchConfigurationWorkingCopy configuration(String connection, String host,
			DebugLink.Waiting waiting) throws CoreException {
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
		return wc;
	}

	/** Launches the waiting session (notification fields as they came) in debug mode. */
	public static ILaunch launch(String connection, String host, Map<String, String> notification,
			org.eclipse.core.runtime.IProgressMonitor monitor) throws CoreException {
		return configuration(connection, host, DebugLink.Waiting.of(notification)).launch(ILaunchManager.DEBUG_MODE,
				monitor);
	}
}
