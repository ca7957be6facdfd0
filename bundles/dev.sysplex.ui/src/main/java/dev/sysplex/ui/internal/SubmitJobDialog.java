package dev.sysplex.ui.internal;

import org.eclipse.osgi.util.NLS;
import java.util.Locale;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.ui.WidgetIds;

/**
 * Submit Job: the program (in the host's jobs directory), its arguments, the system to run on
 * (empty: the host chooses) and whether to debug it, which adds TEST(,,,DBMDT%userid) so that the
 * job's debug session comes to this client through the Debug Managers.
 */
final class SubmitJobDialog extends TitleAreaDialog {

	private final ConnectionDescriptor connection;
	private Text program;
	private Text arguments;
	private Text system;
	private Button debug;
	private String programValue;
	private String argumentsValue;
	private String systemValue;
	private boolean debugValue;
	private String initialSystem = "";

	SubmitJobDialog(Shell parent, ConnectionDescriptor connection) {
		super(parent);
		this.connection = connection;
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText(Messages.Submit_shell);
		shell.setData(WidgetIds.KEY, WidgetIds.SUBMIT_DIALOG);
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		setTitle(NLS.bind(Messages.Submit_title, connection.name()));
		setMessage(NLS.bind(Messages.Submit_message, connection.user()));
		Composite c = new Composite(area, SWT.NONE);
		GridDataFactory.fillDefaults().grab(true, true).applyTo(c);
		GridLayoutFactory.swtDefaults().numColumns(2).margins(10, 10).applyTo(c);
		program = text(c, Messages.Submit_program, WidgetIds.SUBMIT_PROGRAM, "Payroll.java");
		arguments = text(c, Messages.Submit_arguments, WidgetIds.SUBMIT_ARGUMENTS, "");
		system = text(c, Messages.Submit_system, WidgetIds.SUBMIT_SYSTEM, initialSystem);
		new Label(c, SWT.NONE);
		debug = new Button(c, SWT.CHECK);
		debug.setText(NLS.bind(Messages.Submit_debug, connection.user()));
		debug.setSelection(true);
		debug.setData(WidgetIds.KEY, WidgetIds.SUBMIT_DEBUG);
		return area;
	}

	private Text text(Composite c, String label, String id, String initial) {
		new Label(c, SWT.NONE).setText(label);
		Text t = new Text(c, SWT.BORDER);
		t.setText(initial);
		t.setData(WidgetIds.KEY, id);
		GridDataFactory.fillDefaults().grab(true, false).hint(240, SWT.DEFAULT).applyTo(t);
		t.addListener(SWT.Modify, e -> validate());
		return t;
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		super.createButtonsForButtonBar(parent);
		getButton(IDialogConstants.OK_ID).setText(Messages.Submit_submit);
		validate();
	}

	private void validate() {
		String problem = null;
		if (program.getText().isBlank()) {
			problem = Messages.Submit_noProgram;
		} else if (!program.getText().strip().matches("[A-Za-z_][A-Za-z0-9_]*(\\.java)?")) {
			problem = Messages.Submit_badProgram;
		} else if (!system.getText().isBlank() && !system.getText().strip().matches("[A-Za-z0-9$#@]{1,8}")) {
			problem = Messages.Submit_badSystem;
		}
		setErrorMessage(problem);
		Button ok = getButton(IDialogConstants.OK_ID);
		if (ok != null) {
			ok.setEnabled(problem == null);
		}
	}

	@Override
	protected void okPressed() {
		programValue = program.getText().strip();
		if (!programValue.endsWith(".java")) {
			programValue += ".java";
		}
		argumentsValue = arguments.getText().strip();
		systemValue = system.getText().isBlank() ? null : system.getText().strip().toUpperCase(Locale.ROOT);
		debugValue = debug.getSelection();
		super.okPressed();
	}

	String program() {
		return programValue;
	}

	String arguments() {
		return argumentsValue;
	}

	/** Proposes {@code name} as the system to run on (before the dialog opens). */
	void runOn(String name) {
		initialSystem = name;
	}

	/** The system to run on, or null for the host's choice. */
	String system() {
		return systemValue;
	}

	boolean debug() {
		return debugValue;
	}
}
