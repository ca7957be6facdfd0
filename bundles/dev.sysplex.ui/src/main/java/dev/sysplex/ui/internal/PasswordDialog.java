package dev.sysplex.ui.internal;

import org.eclipse.osgi.util.NLS;
import java.util.Optional;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.PasswordPrompt;
import dev.sysplex.ui.WidgetIds;

/**
 * Asks for the password of a connection that has none saved. "Save password" keeps it in Secure
 * Storage, but only once the host has accepted it: a wrong password is never saved.
 */
final class PasswordDialog extends TitleAreaDialog {

	private final ConnectionDescriptor connection;
	private Text password;
	private Button save;
	private char[] typed = new char[0];
	private boolean saveIt;

	PasswordDialog(Shell parent, ConnectionDescriptor connection) {
		super(parent);
		this.connection = connection;
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText(Messages.Password_shell);
		shell.setData(WidgetIds.KEY, WidgetIds.PASSWORD_DIALOG);
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		setTitle(NLS.bind(Messages.Password_title, connection.name()));
		setMessage(NLS.bind(Messages.Password_message,
				new Object[] { connection.user(), connection.host(), String.valueOf(connection.port()) }));
		Composite c = new Composite(area, SWT.NONE);
		GridDataFactory.fillDefaults().grab(true, true).applyTo(c);
		GridLayoutFactory.swtDefaults().numColumns(2).margins(10, 10).applyTo(c);
		new Label(c, SWT.NONE).setText(Messages.Password_label);
		password = new Text(c, SWT.BORDER | SWT.PASSWORD);
		password.setData(WidgetIds.KEY, WidgetIds.PASSWORD_TEXT);
		GridDataFactory.fillDefaults().grab(true, false).hint(220, SWT.DEFAULT).applyTo(password);
		password.addListener(SWT.Modify, e -> validate());
		new Label(c, SWT.NONE);
		save = new Button(c, SWT.CHECK);
		save.setText(Messages.Password_save);
		save.setSelection(true);
		save.setData(WidgetIds.KEY, WidgetIds.PASSWORD_SAVE);
		return area;
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		super.createButtonsForButtonBar(parent);
		getButton(IDialogConstants.OK_ID).setText(Messages.Password_logOn);
		validate();
	}

	private void validate() {
		Button ok = getButton(IDialogConstants.OK_ID);
		if (ok != null) {
			ok.setEnabled(!password.getText().isEmpty());
		}
	}

	@Override
	protected void okPressed() {
		typed = password.getText().toCharArray();
		saveIt = save.getSelection();
		super.okPressed();
	}

	/**
	 * The prompt the core calls from its connect jobs: this dialog, on the UI thread; a password that
	 * could not be saved is an error dialog at once (the core has put it in the Error Log).
	 */
	static PasswordPrompt prompt(Display display) {
		return new PasswordPrompt() {
			@Override
			public Optional<Answer> ask(ConnectionDescriptor connection) {
				@SuppressWarnings("unchecked")
				Optional<PasswordPrompt.Answer>[] answer = new Optional[] { Optional.empty() };
				display.syncExec(() -> {
					PasswordDialog d = new PasswordDialog(display.getActiveShell(), connection);
					if (d.open() == OK) {
						answer[0] = Optional.of(new PasswordPrompt.Answer(d.typed, d.saveIt));
					}
				});
				return answer[0];
			}

			@Override
			public void notSaved(ConnectionDescriptor connection, org.eclipse.core.runtime.IStatus why) {
				display.asyncExec(() -> JobErrors.show(display.getActiveShell(),
						NLS.bind(Messages.Password_saving, connection.name()), why));
			}
		};
	}
}
