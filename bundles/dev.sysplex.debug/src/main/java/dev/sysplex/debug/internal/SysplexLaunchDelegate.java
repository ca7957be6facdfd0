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

	@Override
	public void launch(ILaunchConfiguration configuration, String mode, ILaunch launch, IProgressMonitor monitor)
			throws CoreException {
		SubMonitor sub = SubMonitor.convert(monitor, "Connecting the debugger", 3);
		String host = configuration.getAttribute(SysplexDebug.ATTR_HOST, "");
		DebugLink.Waiting waiting = new DebugLink.Waiting(configuration.getAttribute(SysplexDebug.ATTR_JOB, ""),
				configuration.getAttribute(SysplexDebug.ATTR_SYSTEM, ""),
				configuration.getAttribute(SysplexDebug.ATTR_PORT, 0),
				configuration.getAttribute(SysplexDebug.ATTR_TOKEN, ""),
				configuration.getAttribute(SysplexDebug.ATTR_USER, ""),
				configuration.getAttribute(SysplexDebug.ATTR_ENCRYPTED, false));
		boolean sessionEncrypted = configuration.getAttribute(SysplexDebug.ATTR_SESSION_ENCRYPTED, false);
		String certificate = configuration.getAttribute(SysplexDebug.ATTR_CERTIFICATE, "");
		if (host.isEmpty() || waiting.port() == 0 || waiting.token().isEmpty()) {
			throw new CoreException(Status.error("The Sysplex debug session '" + configuration.getName()
					+ "' lacks the host, the Debug Manager's port or the session token; start it from the "
					+ "notification of a waiting job"));
		}
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
			JDIDebugModel.newDebugTarget(launch, vm, linked.job() + " on " + linked.system() + " (" + linked.user()
					+ ")", null, true, true, true);
			sub.worked(1);
		} catch (IOException e) {
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
