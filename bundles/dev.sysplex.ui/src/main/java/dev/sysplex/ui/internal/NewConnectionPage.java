package dev.sysplex.ui.internal;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.ConnectionRegistry;
import dev.sysplex.core.CorePreferences;
import dev.sysplex.ui.WidgetIds;

/** The fields of a new connection, validated as they are typed; the message says what is wrong. */
final class NewConnectionPage extends WizardPage {

	private final ConnectionRegistry registry;
	private Text name;
	private Text host;
	private Text port;
	private Text user;
	private Text password;
	private Button savePassword;
	private Combo encryption;
	private Button tlsMemory;
	private Button autoReconnect;
	private ConnectionDescriptor valid;

	NewConnectionPage(ConnectionRegistry registry) {
		super("connection");
		this.registry = registry;
		setTitle(Messages.Wizard_title);
		setDescription(Messages.Wizard_description);
	}

	@Override
	public void createControl(Composite parent) {
		Composite c = new Composite(parent, SWT.NONE);
		GridLayoutFactory.swtDefaults().numColumns(2).applyTo(c);
		name = text(c, Messages.Field_name, WidgetIds.WIZARD_NAME, SWT.BORDER);
		host = text(c, Messages.Field_host, WidgetIds.WIZARD_HOST, SWT.BORDER);
		port = text(c, Messages.Field_port, WidgetIds.WIZARD_PORT, SWT.BORDER);
		port.setText("4035");
		user = text(c, Messages.Field_user, WidgetIds.WIZARD_USER, SWT.BORDER);
		password = text(c, Messages.Field_password, WidgetIds.WIZARD_PASSWORD, SWT.BORDER | SWT.PASSWORD);
		new Label(c, SWT.NONE);
		savePassword = check(c, Messages.Field_savePassword, WidgetIds.WIZARD_SAVE_PASSWORD, true);
		encryption = ConnectionFields.encryption(c, defaultEncryption(), WidgetIds.WIZARD_ENCRYPTION, this::validate);
		new Label(c, SWT.NONE);
		int minutes = org.eclipse.core.runtime.Platform.getPreferencesService().getInt(CorePreferences.PLUGIN_ID,
				CorePreferences.TLS_MEMORY_MINUTES, 60, null);
		tlsMemory = check(c, ConnectionFields.tlsMemoryLabel(minutes), WidgetIds.WIZARD_TLS_MEMORY, true);
		new Label(c, SWT.NONE);
		autoReconnect = check(c, Messages.Field_reconnect, WidgetIds.WIZARD_RECONNECT,
				org.eclipse.core.runtime.Platform.getPreferencesService().getBoolean(CorePreferences.PLUGIN_ID,
						CorePreferences.AUTO_RECONNECT, true, null));
		setControl(c);
		org.eclipse.ui.PlatformUI.getWorkbench().getHelpSystem().setHelp(c, "dev.sysplex.ui.newConnection");
		setPageComplete(false);
		name.setFocus();
	}

	/** The preference "Encryption of new connections"; PREFERRED when it is not one of the policies. */
	static EncryptionPolicy defaultEncryption() {
		String value = org.eclipse.core.runtime.Platform.getPreferencesService().getString(CorePreferences.PLUGIN_ID,
				CorePreferences.DEFAULT_ENCRYPTION, EncryptionPolicy.PREFERRED.name(), null);
		try {
			return EncryptionPolicy.valueOf(value);
		} catch (IllegalArgumentException e) {
			return EncryptionPolicy.PREFERRED;
		}
	}

	private Text text(Composite c, String label, String id, int style) {
		new Label(c, SWT.NONE).setText(label);
		Text t = new Text(c, style);
		t.setData(WidgetIds.KEY, id);
		GridDataFactory.fillDefaults().grab(true, false).hint(260, SWT.DEFAULT).applyTo(t);
		t.addListener(SWT.Modify, e -> validate());
		return t;
	}

	private Button check(Composite c, String label, String id, boolean selected) {
		Button b = new Button(c, SWT.CHECK);
		b.setText(label);
		b.setSelection(selected);
		b.setData(WidgetIds.KEY, id);
		b.addListener(SWT.Selection, e -> validate());
		return b;
	}

	/** Validates the fields; the first problem becomes the page's error message. */
	void validate() {
		valid = null;
		String problem = null;
		if (name.getText().isBlank()) {
			problem = Messages.Wizard_noName;
		} else if (registry.get(name.getText().strip()).isPresent()) {
			problem = org.eclipse.osgi.util.NLS.bind(Messages.Wizard_nameTaken, name.getText().strip());
		} else {
			ConnectionFields.Checked checked = ConnectionFields.check(name.getText().strip(), host.getText(),
					port.getText(), user.getText(), encryption, tlsMemory.getSelection(), autoReconnect.getSelection(),
					() -> savePassword.getSelection() && password.getText().isEmpty()
							? Messages.Wizard_noPassword
							: null);
			valid = checked.connection();
			problem = checked.problem();
		}
		setErrorMessage(problem);
		setPageComplete(problem == null && valid != null);
	}

	ConnectionDescriptor connection() {
		return valid;
	}

	char[] password() {
		return password.getText().toCharArray();
	}

	boolean savePassword() {
		return savePassword.getSelection();
	}
}
