package dev.sysplex.ui.internal;

import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.dialogs.PropertyPage;

import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.ui.WidgetIds;

/**
 * A connection's properties: host, port, user, encryption, TLS memory, reconnect, its saved
 * password (replace or forget) and its pinned certificate (forget, once the host's administrator
 * confirmed a new one). Validated as typed; the change applies at the next connect.
 */
public final class ConnectionPropertyPage extends PropertyPage {

	public static final String ID = "dev.sysplex.ui.properties.connection";

	private ConnectionDescriptor original;
	private Text host;
	private Text port;
	private Text user;
	private Combo encryption;
	private Button tlsMemory;
	private Button autoReconnect;
	private Text password;
	private Button forgetPassword;
	private Button forgetCertificate;
	/** The key of the daemon's pin: the endpoint of the connection as it was when the page opened. */
	private String pinEndpoint;
	private ConnectionDescriptor valid;

	@Override
	protected Control createContents(Composite parent) {
		noDefaultAndApplyButton();
		original = Adapters.adapt(getElement(), ConnectionDescriptor.class);
		Composite c = new Composite(parent, SWT.NONE);
		GridLayoutFactory.fillDefaults().numColumns(2).applyTo(c);
		if (original == null) {
			new Label(c, SWT.WRAP).setText(Messages.Page_notConnection);
			return c;
		}
		new Label(c, SWT.NONE).setText(Messages.Page_name);
		new Label(c, SWT.NONE).setText(original.name());
		host = text(c, Messages.Field_host, WidgetIds.PROPERTIES_HOST, original.host(), SWT.BORDER);
		port = text(c, Messages.Field_port, WidgetIds.PROPERTIES_PORT, Integer.toString(original.port()), SWT.BORDER);
		user = text(c, Messages.Field_user, WidgetIds.PROPERTIES_USER, original.user(), SWT.BORDER);
		encryption = ConnectionFields.encryption(c, original.encryption(), WidgetIds.PROPERTIES_ENCRYPTION,
				this::validate);
		new Label(c, SWT.NONE);
		int minutes = org.eclipse.core.runtime.Platform.getPreferencesService().getInt(
				dev.sysplex.core.CorePreferences.PLUGIN_ID, dev.sysplex.core.CorePreferences.TLS_MEMORY_MINUTES, 60, null);
		tlsMemory = check(c, ConnectionFields.tlsMemoryLabel(minutes), original.tlsMemory());
		new Label(c, SWT.NONE);
		autoReconnect = check(c, Messages.Field_reconnect, original.autoReconnect());
		password = text(c, Messages.Page_newPassword, WidgetIds.PROPERTIES_PASSWORD, "", SWT.BORDER | SWT.PASSWORD);
		new Label(c, SWT.NONE);
		forgetPassword = check(c, Messages.Page_forgetPassword, false);
		forgetPassword.setData(WidgetIds.KEY, WidgetIds.PROPERTIES_FORGET_PASSWORD);
		pinEndpoint = dev.sysplex.client.TrustStore.endpoint(original.host(), original.port());
		java.util.Optional<String> pinned = SysplexConnections.instance().pins().pinned(pinEndpoint);
		new Label(c, SWT.NONE).setText(Messages.Page_certificate);
		Label fingerprint = new Label(c, SWT.WRAP);
		fingerprint.setText(pinned.map(f -> org.eclipse.osgi.util.NLS.bind(Messages.Page_pinned, pinEndpoint, f))
				.orElse(org.eclipse.osgi.util.NLS.bind(Messages.Page_noCertificate, pinEndpoint)));
		GridDataFactory.fillDefaults().grab(true, false).hint(240, SWT.DEFAULT).applyTo(fingerprint);
		if (pinned.isPresent()) {
			new Label(c, SWT.NONE);
			forgetCertificate = check(c, Messages.Page_forgetCertificate, false);
			forgetCertificate.setData(WidgetIds.KEY, WidgetIds.PROPERTIES_FORGET_CERTIFICATE);
		}
		validate();
		return c;
	}

	private Text text(Composite c, String label, String id, String value, int style) {
		new Label(c, SWT.NONE).setText(label);
		Text t = new Text(c, style);
		t.setText(value);
		t.setData(WidgetIds.KEY, id);
		GridDataFactory.fillDefaults().grab(true, false).hint(240, SWT.DEFAULT).applyTo(t);
		t.addListener(SWT.Modify, e -> validate());
		return t;
	}

	private Button check(Composite c, String label, boolean selected) {
		Button b = new Button(c, SWT.CHECK);
		b.setText(label);
		b.setSelection(selected);
		b.addListener(SWT.Selection, e -> validate());
		return b;
	}

	private void validate() {
		ConnectionFields.Checked checked = ConnectionFields.check(original.name(), host.getText(), port.getText(),
				user.getText(), encryption, tlsMemory.getSelection(), autoReconnect.getSelection(),
				() -> forgetPassword.getSelection() && !password.getText().isEmpty()
						? Messages.Page_passwordBoth
						: null);
		valid = checked.connection();
		String problem = checked.problem();
		setErrorMessage(problem);
		setValid(problem == null);
	}

	@Override
	public boolean performOk() {
		if (original == null) {
			return true;
		}
		if (valid == null) {
			return false;
		}
		SysplexConnections connections = SysplexConnections.instance();
		try {
			if (!valid.equals(original)) {
				connections.registry().update(original.name(), valid);
			}
			if (forgetCertificate != null && forgetCertificate.getSelection()) {
				try {
					connections.pins().forget(pinEndpoint);
				} catch (java.io.IOException e) {
					setErrorMessage(org.eclipse.osgi.util.NLS.bind(Messages.Page_certificateNotForgotten, e.getMessage()));
					return false;
				}
			}
			if (forgetPassword.getSelection()) {
				connections.passwords().remove(original.name());
			} else if (!password.getText().isEmpty()) {
				char[] pw = password.getText().toCharArray();
				try {
					connections.passwords().put(original.name(), pw);
				} finally {
					java.util.Arrays.fill(pw, '\0');
				}
			}
			return true;
		} catch (CoreException e) {
			ILog.of(getClass()).log(e.getStatus());
			setErrorMessage(org.eclipse.osgi.util.NLS.bind(Messages.Page_notChanged, e.getStatus().getMessage()));
			return false;
		}
	}
}
