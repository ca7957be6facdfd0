package dev.sysplex.ui;

/**
 * Stable ids of the widgets a user, a test or an SWTBot suite written elsewhere must find.
 * Every such widget carries its id as data under {@link #KEY}, the key SWTBot's
 * {@code withId(...)} matchers read, so these ids are API: renaming one breaks suites.
 */
public final class WidgetIds {

	/** The data key SWTBot reads ({@code SWTBotPreferences.DEFAULT_KEY}). */
	public static final String KEY = "org.eclipse.swtbot.widget.key";

	/** The explorer's message when no connection is defined. */
	public static final String EXPLORER_EMPTY_MESSAGE = "sysplex.explorer.emptyMessage";

	/** The explorer's link that starts the new-connection wizard. */
	public static final String EXPLORER_NEW_CONNECTION_LINK = "sysplex.explorer.newConnectionLink";

	/** The new-connection wizard's fields, its "save password" box and its message area. */
	public static final String WIZARD_NAME = "sysplex.newConnection.name";
	public static final String WIZARD_HOST = "sysplex.newConnection.host";
	public static final String WIZARD_PORT = "sysplex.newConnection.port";
	public static final String WIZARD_USER = "sysplex.newConnection.user";
	public static final String WIZARD_PASSWORD = "sysplex.newConnection.password";
	public static final String WIZARD_SAVE_PASSWORD = "sysplex.newConnection.savePassword";
	public static final String WIZARD_ENCRYPTION = "sysplex.newConnection.encryption";
	public static final String WIZARD_TLS_MEMORY = "sysplex.newConnection.tlsMemory";
	public static final String WIZARD_RECONNECT = "sysplex.newConnection.autoReconnect";

	/** The shell of the certificate trust dialog. */
	public static final String TRUST_DIALOG = "sysplex.trustDialog";

	/** The explorer's list of connections. */
	public static final String EXPLORER_CONNECTIONS = "sysplex.explorer.connections";

	private WidgetIds() {
	}
}
