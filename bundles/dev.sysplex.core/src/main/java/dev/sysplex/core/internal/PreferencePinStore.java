package dev.sysplex.core.internal;

import java.io.IOException;
import java.util.Optional;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.osgi.service.prefs.BackingStoreException;

import dev.sysplex.client.TrustStore;

/** Pinned server certificate fingerprints in the preferences (key: host:port, value: SHA-256). */
public final class PreferencePinStore implements TrustStore {

	private final IEclipsePreferences node;

	public PreferencePinStore(IEclipsePreferences node) {
		this.node = node;
	}

	@Override
	public Optional<String> pinned(String endpoint) {
		return Optional.ofNullable(node.get(endpoint, null));
	}

	@Override
	public void pin(String endpoint, String sha256) throws IOException {
		node.put(endpoint, sha256);
		try {
			node.flush();
		} catch (BackingStoreException e) {
			throw new IOException("cannot save the pinned certificate of " + endpoint + ": " + e.getMessage(), e);
		}
	}

	@Override
	public void forget(String endpoint) throws IOException {
		node.remove(endpoint);
		try {
			node.flush();
		} catch (BackingStoreException e) {
			throw new IOException("cannot remove the pinned certificate of " + endpoint + ": " + e.getMessage(), e);
		}
	}
}
