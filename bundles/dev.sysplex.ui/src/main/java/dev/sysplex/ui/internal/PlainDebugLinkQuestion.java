package dev.sysplex.ui.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.debug.core.IStatusHandler;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;

/**
 * Asks the user, for a launch whose RSE session is encrypted while the waiting Debug Manager's
 * CLIENT port is not, whether to debug without encryption (z/OS Debugger asks the same). Registered
 * as the status handler of dev.sysplex.debug's code 1001; answers Boolean.TRUE to link. No
 * connection is open while the question waits.
 */
public final class PlainDebugLinkQuestion implements IStatusHandler {

	@Override
	public Object handleStatus(IStatus status, Object source) {
		Display display = PlatformUI.getWorkbench().getDisplay();
		AtomicBoolean yes = new AtomicBoolean();
		display.syncExec(() -> yes.set(MessageDialog.open(MessageDialog.WARNING, display.getActiveShell(),
				"Debug Without Encryption?", status.getMessage() + "\n\nThe session token and everything the debugger "
						+ "reads (variables, source lines) would cross the network unencrypted. The preference "
						+ "Window > Preferences > Sysplex Explorer decides this without asking.",
				org.eclipse.swt.SWT.NONE, "Debug Without Encryption", "Cancel") == 0));
		return yes.get();
	}
}
