package dev.sysplex.core;

import java.util.Optional;

import org.eclipse.core.runtime.CoreException;

/** Where connection passwords are kept: Eclipse Secure Storage, never plain preferences or logs. */
public interface PasswordStore {

	Optional<char[]> get(String connection) throws CoreException;

	void put(String connection, char[] password) throws CoreException;

	void remove(String connection) throws CoreException;
}
