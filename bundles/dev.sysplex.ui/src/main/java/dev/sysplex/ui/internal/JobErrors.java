package dev.sysplex.ui.internal;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.progress.IProgressConstants;

import dev.sysplex.client.CertificateRefused;
import dev.sysplex.client.ConnectException;
import dev.sysplex.ui.WidgetIds;

/**
 * Shows the failure of a connect or submit job in a dialog that says which step failed and what
 * to do (the job manager also puts it in the Error Log). A changed server certificate gets its own
 * warning that stands out.
 */
final class JobErrors {

	private JobErrors() {
	}

	/** Schedules {@code job}; when it fails, {@code what} ("Connecting to Plex") heads the dialog. */
	static void schedule(Job job, String what) {
		job.setProperty(IProgressConstants.NO_IMMEDIATE_ERROR_PROMPT_PROPERTY, Boolean.TRUE);
		job.addJobChangeListener(new JobChangeAdapter() {
			@Override
			public void done(IJobChangeEvent event) {
				IStatus result = event.getResult();
				if (result != null && result.getSeverity() == IStatus.ERROR) {
					Display display = PlatformUI.getWorkbench().getDisplay();
					display.asyncExec(() -> show(display.getActiveShell(), what, result));
				}
			}
		});
		job.schedule();
	}

	static void show(Shell shell, String what, IStatus status) {
		if (status.getException() instanceof CertificateRefused refused && refused.changed()) {
			new CertificateChangedDialog(shell, refused).open();
			return;
		}
		String step = status.getException() instanceof ConnectException ce
				? " while " + ce.step().description() + " (" + ce.endpoint() + ce.system().map(s -> ", " + s).orElse("")
						+ ")"
				: "";
		new ErrorDialog(shell, Messages.Error_title, org.eclipse.osgi.util.NLS.bind(Messages.Error_failed, what, step), status,
				IStatus.ERROR) {
			@Override
			protected void configureShell(Shell s) {
				super.configureShell(s);
				s.setData(WidgetIds.KEY, WidgetIds.ERROR_DIALOG);
			}
		}.open();
	}

	/** The warning for a certificate that differs from the pinned one: no way to connect from here. */
	static final class CertificateChangedDialog extends MessageDialog {
		CertificateChangedDialog(Shell shell, CertificateRefused refused) {
			super(shell, Messages.Changed_title, null,
					org.eclipse.osgi.util.NLS.bind(Messages.Changed_message, new Object[] { refused.endpoint(),
							refused.reason(), refused.certificate().subject(), refused.certificate().sha256(),
							Messages.Changed_fix }),
					MessageDialog.ERROR, 0, IDialogConstants.CLOSE_LABEL);
		}

		@Override
		protected void configureShell(Shell s) {
			super.configureShell(s);
			s.setData(WidgetIds.KEY, WidgetIds.CERTIFICATE_CHANGED_DIALOG);
		}
	}
}
