package dev.sysplex.ui.internal;

import org.eclipse.osgi.util.NLS;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;

import dev.sysplex.client.ServerCertificate;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.ui.WidgetIds;

/**
 * Asks whether to trust a server certificate seen for the first time at an endpoint: subject,
 * issuer, validity and SHA-256 fingerprint; Trust Always (pin it), Trust Once, Reject. A changed
 * certificate never comes here: the core refuses it and the connect error says so loudly.
 */
public final class CertificateTrustDialog extends MessageDialog {

	static final int TRUST_ALWAYS = 0;
	static final int TRUST_ONCE = 1;

	CertificateTrustDialog(Shell parent, ServerCertificate c) {
		super(parent, Messages.Trust_title, null,
				NLS.bind(Messages.Trust_message, new Object[] { c.endpoint(), c.subject(), c.issuer(),
						String.valueOf(c.notBefore()), String.valueOf(c.notAfter()), c.sha256() }),
				MessageDialog.QUESTION, 2, Messages.Trust_always, Messages.Trust_once, IDialogConstants.CANCEL_LABEL);
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setData(WidgetIds.KEY, WidgetIds.TRUST_DIALOG);
	}

	/** The decision the core asks from its connect jobs: the dialog, on the UI thread. */
	public static TrustDecision decision(Display display) {
		return certificate -> {
			int[] answer = { -1 };
			display.syncExec(() -> answer[0] = new CertificateTrustDialog(display.getActiveShell(), certificate).open());
			return switch (answer[0]) {
			case TRUST_ALWAYS -> TrustDecision.Answer.TRUST_ALWAYS;
			case TRUST_ONCE -> TrustDecision.Answer.TRUST_ONCE;
			default -> TrustDecision.Answer.REJECT;
			};
		};
	}
}
