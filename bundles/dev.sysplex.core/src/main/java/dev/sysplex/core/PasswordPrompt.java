package dev.sysplex.core;

import java.util.Optional;

/**
 * Asks for a connection's password when none is saved (the UI's password dialog). The password is
 * saved in the password store only when {@link Answer#save()} is set and the host accepted it.
 */
@FunctionalInterface
public interface PasswordPrompt {

	/** The password typed and whether to save it once the logon succeeds. */
	record Answer(char[] password, boolean save) {
	}

	/** Empty when the user cancelled. Called from a connect job, not the UI thread. */
	Optional<Answer> ask(ConnectionDescriptor connection);

	/**
	 * The host accepted the password the user asked to save, and it could not be saved (the error is
	 * in the Error Log already): tell the user now, not at the next logon. Called from a connect
	 * job; the headless default says nothing more.
	 */
	default void notSaved(ConnectionDescriptor connection, org.eclipse.core.runtime.IStatus why) {
	}

	/** The headless default: nobody to ask. */
	PasswordPrompt NONE = c -> Optional.empty();
}
