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
		setDescription(Messages.Pref_description);
	}

	@Override
	public void init(IWorkbench workbench) {
		setPreferenceStore(new ScopedPreferenceStore(InstanceScope.INSTANCE, CorePreferences.PLUGIN_ID));
	}

	@Override
	protected void createFieldEditors() {
		addField(new ComboFieldEditor(CorePreferences.DEFAULT_ENCRYPTION, Messages.Pref_encryption,
				new String[][] { { Messages.Pref_required, "REQUIRED" },
						{ Messages.Pref_preferred, "PREFERRED" }, { Messages.Pref_disabled, "DISABLED" } },
				getFieldEditorParent()));
		IntegerFieldEditor memory = new IntegerFieldEditor(CorePreferences.TLS_MEMORY_MINUTES,
				Messages.Pref_tlsMemory, getFieldEditorParent());
		memory.setValidRange(1, 24 * 60);
		addField(memory);
		addField(new BooleanFieldEditor(CorePreferences.AUTO_RECONNECT, Messages.Pref_reconnect,
				getFieldEditorParent()));
		addField(new ComboFieldEditor(CorePreferences.DEBUG_SESSIONS, Messages.Pref_debugSessions,
				new String[][] { { Messages.Pref_ask, "ask" },
						{ Messages.Pref_launch, "launch" } },
				getFieldEditorParent()));
		addField(new ComboFieldEditor(CorePreferences.PLAIN_DEBUG_LINK,
				Messages.Pref_plainLink,
				new String[][] { { Messages.Pref_askEachTime, "ask" }, { Messages.Pref_allow, "allow" },
						{ Messages.Pref_refuse, "refuse" } },
				getFieldEditorParent()));
		addField(new BooleanFieldEditor(CorePreferences.STOP_AT_ENTRY,
				Messages.Pref_stopAtEntry, getFieldEditorParent()));
		IntegerFieldEditor connect = new IntegerFieldEditor(CorePreferences.CONNECT_TIMEOUT_SECONDS,
				Messages.Pref_connectTimeout, getFieldEditorParent());
		connect.setValidRange(1, 300);
		addField(connect);
		IntegerFieldEditor read = new IntegerFieldEditor(CorePreferences.READ_TIMEOUT_SECONDS,
				Messages.Pref_readTimeout, getFieldEditorParent());
		read.setValidRange(1, 600);
		addField(read);
	}
}
