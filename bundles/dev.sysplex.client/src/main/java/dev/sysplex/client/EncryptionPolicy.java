package dev.sysplex.client;

/** How the connector encrypts its connections to RSE. */
public enum EncryptionPolicy {
	/** TLS or nothing: the password is never sent in clear. */
	REQUIRED,
	/** TLS first; if the host does not offer it, plain (as z/OS Explorer clients do). */
	PREFERRED,
	/** Plain only. */
	DISABLED
}
