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
				Messages.Plain_title, org.eclipse.osgi.util.NLS.bind(Messages.Plain_message, status.getMessage()),
				org.eclipse.swt.SWT.NONE, Messages.Plain_debug, org.eclipse.jface.dialogs.IDialogConstants.CANCEL_LABEL) == 0));
		return yes.get();
	}
}
