package dev.sysplex.ui.internal;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.preference.BooleanFieldEditor;
import org.eclipse.jface.preference.ComboFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.IntegerFieldEditor;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.eclipse.ui.preferences.ScopedPreferenceStore;

import dev.sysplex.core.CorePreferences;

/**
 * Sysplex Explorer preferences, stored in dev.sysplex.core's node (its initializer holds the
 * defaults): encryption policy of new connections, TLS memory, reconnect, what a waiting debug
 * session does, and timeouts.
 */
public final class SysplexPreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {

	public SysplexPreferencePage() {
		super(GRID);
		setDescription("How Sysplex Explorer connects through a DVIPA and handles waiting debug sessions.");
	}

	@Override
	public void init(IWorkbench workbench) {
		setPreferenceStore(new ScopedPreferenceStore(InstanceScope.INSTANCE, CorePreferences.PLUGIN_ID));
	}

	@Override
	protected void createFieldEditors() {
		addField(new ComboFieldEditor(CorePreferences.DEFAULT_ENCRYPTION, "&Encryption of new connections:",
				new String[][] { { "Required (TLS or nothing)", "REQUIRED" },
						{ "Preferred (TLS; plain only if the host has none)", "PREFERRED" }, { "Disabled (plain)", "DISABLED" } },
				getFieldEditorParent()));
		IntegerFieldEditor memory = new IntegerFieldEditor(CorePreferences.TLS_MEMORY_MINUTES,
				"Remember a refused &TLS for (minutes):", getFieldEditorParent());
		memory.setValidRange(1, 24 * 60);
		addField(memory);
		addField(new BooleanFieldEditor(CorePreferences.AUTO_RECONNECT, "&New connections reconnect by themselves when they drop",
				getFieldEditorParent()));
		addField(new ComboFieldEditor(CorePreferences.DEBUG_SESSIONS, "When a &debug session waits:",
				new String[][] { { "Ask (notification with a Debug action)", "ask" },
						{ "Start debugging at once", "launch" } },
				getFieldEditorParent()));
		addField(new ComboFieldEditor(CorePreferences.PLAIN_DEBUG_LINK,
				"When the RSE session is encrypted and a Debug &Manager is not:",
				new String[][] { { "Ask each time", "ask" }, { "Debug without encryption", "allow" },
						{ "Refuse the debug session", "refuse" } },
				getFieldEditorParent()));
		addField(new BooleanFieldEditor(CorePreferences.STOP_AT_ENTRY,
				"&Stop a debugged job at the first line of its main method (as z/OS Debugger does)", getFieldEditorParent()));
		IntegerFieldEditor connect = new IntegerFieldEditor(CorePreferences.CONNECT_TIMEOUT_SECONDS,
				"&Connect timeout (seconds):", getFieldEditorParent());
		connect.setValidRange(1, 300);
		addField(connect);
		IntegerFieldEditor read = new IntegerFieldEditor(CorePreferences.READ_TIMEOUT_SECONDS,
				"&Answer timeout (seconds):", getFieldEditorParent());
		read.setValidRange(1, 600);
		addField(read);
	}
}
