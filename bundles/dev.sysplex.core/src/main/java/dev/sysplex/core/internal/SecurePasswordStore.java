package dev.sysplex.core.internal;

import java.util.Optional;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.Status;
import org.eclipse.equinox.security.storage.EncodingUtils;
import org.eclipse.equinox.security.storage.ISecurePreferences;
import org.eclipse.equinox.security.storage.SecurePreferencesFactory;
import org.eclipse.equinox.security.storage.StorageException;

import dev.sysplex.core.PasswordStore;

/**
 * Passwords in Eclipse Secure Storage, one encrypted node per connection
 * ({@code dev.sysplex.core/connections/<name>}, key {@code password}). Tests construct it with
 * their own secure preferences.
 */
public final class SecurePasswordStore implements PasswordStore {

	private static final String KEY = "password";
	private final ISecurePreferences root;

	public SecurePasswordStore(ISecurePreferences root) {
		this.root = root;
	}

	/** The user's default secure storage. */
	public static SecurePasswordStore secureStorage() {
		return new SecurePasswordStore(SecurePreferencesFactory.getDefault());
	}

	private ISecurePreferences node(String connection) {
		return root.node("dev.sysplex.core/connections/" + EncodingUtils.encodeSlashes(connection));
	}

	@Override
	public Optional<char[]> get(String connection) throws CoreException {
		try {
			String v = node(connection).get(KEY, null);
			return Optional.ofNullable(v).map(String::toCharArray);
		} catch (StorageException e) {
			throw new CoreException(Status.error("Cannot read the password of '" + connection
					+ "' from Secure Storage: " + e.getMessage() + ". Enter it again.", e));
		}
	}

	@Override
	public void put(String connection, char[] password) throws CoreException {
		try {
			node(connection).put(KEY, new String(password), true);
			root.flush();
		} catch (StorageException | java.io.IOException e) {
			throw new CoreException(Status.error("Cannot save the password of '" + connection + "' in Secure Storage: "
					+ e.getMessage(), e));
		}
	}

	@Override
	public void remove(String connection) throws CoreException {
		node(connection).removeNode();
		try {
			root.flush();
		} catch (java.io.IOException e) {
			throw new CoreException(Status.error("Cannot update Secure Storage: " + e.getMessage(), e));
		}
	}
}
