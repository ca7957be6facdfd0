package dev.sysplex.ui.internal;

import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.ui.WidgetIds;

/** What the new-connection wizard and the connection's property page share: the fields' checks and the encryption choice. */
final class ConnectionFields {

	private ConnectionFields() {
	}

	/** The connection the fields describe, or the first problem with them, as the page says it. */
	record Checked(ConnectionDescriptor connection, String problem) {
	}

	/**
	 * Checks host, user, then {@code pageProblem} (the page's own check, null when fine), then
	 * builds the descriptor (port a number, the descriptor's own rules).
	 */
	static Checked check(String name, String host, String port, String user, Combo encryption, boolean tlsMemory,
			boolean autoReconnect, java.util.function.Supplier<String> pageProblem) {
		String hostProblem = ConnectionDescriptor.hostProblem(host);
		if (hostProblem != null) {
			return new Checked(null, hostProblem);
		}
		if (user.isBlank()) {
			return new Checked(null, Messages.Field_noUser);
		}
		String problem = pageProblem.get();
		if (problem != null) {
			return new Checked(null, problem);
		}
		try {
			return new Checked(new ConnectionDescriptor(name, host.strip(), Integer.parseInt(port.strip()),
					user.strip().toUpperCase(Locale.ROOT), EncryptionPolicy.values()[encryption.getSelectionIndex()],
					tlsMemory, autoReconnect), null);
		} catch (NumberFormatException e) {
			return new Checked(null, Messages.Field_badPort);
		} catch (IllegalArgumentException e) {
			return new Checked(null, e.getMessage());
		}
	}

	/** The "Encryption:" label and read-only combo of the policies, {@code selected} chosen. */
	static Combo encryption(Composite c, EncryptionPolicy selected, String id, Runnable changed) {
		new Label(c, SWT.NONE).setText(Messages.Field_encryption);
		Combo encryption = new Combo(c, SWT.READ_ONLY);
		for (EncryptionPolicy p : EncryptionPolicy.values()) {
			encryption.add(p.name().charAt(0) + p.name().substring(1).toLowerCase(Locale.ROOT));
		}
		encryption.select(selected.ordinal());
		encryption.setData(WidgetIds.KEY, id);
		encryption.setToolTipText(Messages.Field_encryptionTip);
		encryption.addListener(SWT.Selection, e -> changed.run());
		return encryption;
	}

	/** "Remember for an hour when the host refuses TLS" (the TLS memory's check box), for {@code minutes}. */
	static String tlsMemoryLabel(int minutes) {
		return minutes == 60 ? Messages.Field_tlsMemoryHour
				: org.eclipse.osgi.util.NLS.bind(Messages.Field_tlsMemoryMinutes, Integer.toString(minutes));
	}
}
