package dev.sysplex.core.internal;

import org.eclipse.core.runtime.preferences.AbstractPreferenceInitializer;
import org.eclipse.core.runtime.preferences.DefaultScope;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.core.CorePreferences;

/** Defaults of dev.sysplex.core's preferences. */
public final class CorePreferenceInitializer extends AbstractPreferenceInitializer {

	@Override
	public void initializeDefaultPreferences() {
		IEclipsePreferences d = DefaultScope.INSTANCE.getNode(CorePreferences.PLUGIN_ID);
		d.put(CorePreferences.DEFAULT_ENCRYPTION, EncryptionPolicy.PREFERRED.name());
		d.putInt(CorePreferences.TLS_MEMORY_MINUTES, 60);
		d.putBoolean(CorePreferences.AUTO_RECONNECT, true);
		d.put(CorePreferences.DEBUG_SESSIONS, "ask");
		d.put(CorePreferences.PLAIN_DEBUG_LINK, "ask");
		d.putBoolean(CorePreferences.STOP_AT_ENTRY, true);
		d.putInt(CorePreferences.CONNECT_TIMEOUT_SECONDS, 5);
		d.putInt(CorePreferences.READ_TIMEOUT_SECONDS, 15);
	}
}
