package dev.sysplex.core;

import java.util.Optional;

import org.eclipse.core.runtime.CoreException;

/** Where connection passwords are kept: Eclipse Secure Storage, never plain preferences or logs. */
public interface PasswordStore {

	Optional<char[]> get(String connection) throws CoreException;

	void put(String connection, char[] password) throws CoreException;

	void remove(String connection) throws CoreException;

	/** Passwords kept in memory only, for the session (tests, and users who do not save passwords). */
	static PasswordStore inMemory() {
		java.util.Map<String, char[]> passwords = new java.util.concurrent.ConcurrentHashMap<>();
		return new PasswordStore() {
			@Override
			public Optional<char[]> get(String connection) {
				return Optional.ofNullable(passwords.get(connection)).map(char[]::clone);
			}

			@Override
			public void put(String connection, char[] password) {
				passwords.put(connection, password.clone());
			}

			@Override
			public void remove(String connection) {
				passwords.remove(connection);
			}
		};
	}
}
