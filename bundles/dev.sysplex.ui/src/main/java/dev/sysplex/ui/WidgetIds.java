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

	/** The shell of the New Sysplex Connection wizard opened by the command. */
	public static final String NEW_CONNECTION_WIZARD = "sysplex.newConnection";

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

	/** The explorer's tree of connections, jobs and debug sessions. */
	public static final String EXPLORER_CONNECTIONS = "sysplex.explorer.connections";

	/** The password dialog at connect: its shell, password field and "save" box. */
	public static final String PASSWORD_DIALOG = "sysplex.passwordDialog";
	public static final String PASSWORD_TEXT = "sysplex.passwordDialog.password";
	public static final String PASSWORD_SAVE = "sysplex.passwordDialog.save";

	/** The dialog that reports a failed step, and the warning about a changed certificate. */
	public static final String ERROR_DIALOG = "sysplex.errorDialog";
	public static final String CERTIFICATE_CHANGED_DIALOG = "sysplex.certificateChangedDialog";

	/** The Submit Job dialog and its fields. */
	public static final String SUBMIT_DIALOG = "sysplex.submitDialog";
	public static final String SUBMIT_PROGRAM = "sysplex.submitDialog.program";
	public static final String SUBMIT_ARGUMENTS = "sysplex.submitDialog.arguments";
	public static final String SUBMIT_SYSTEM = "sysplex.submitDialog.system";
	public static final String SUBMIT_DEBUG = "sysplex.submitDialog.debug";

	/** The "debug session waiting" notification and its Debug button. */
	public static final String DEBUG_NOTIFICATION = "sysplex.debugNotification";
	public static final String DEBUG_NOTIFICATION_DEBUG = "sysplex.debugNotification.debug";

	/** The connection's property page. */
	public static final String PROPERTIES_HOST = "sysplex.properties.host";
	public static final String PROPERTIES_PORT = "sysplex.properties.port";
	public static final String PROPERTIES_USER = "sysplex.properties.user";
	public static final String PROPERTIES_ENCRYPTION = "sysplex.properties.encryption";
	public static final String PROPERTIES_PASSWORD = "sysplex.properties.password";
	public static final String PROPERTIES_FORGET_PASSWORD = "sysplex.properties.forgetPassword";
	public static final String PROPERTIES_FORGET_CERTIFICATE = "sysplex.properties.forgetCertificate";
	public static final String LAUNCH_CONNECTION = "sysplex.launch.connection";
	public static final String LAUNCH_JOB = "sysplex.launch.job";
	public static final String LAUNCH_PROGRAM = "sysplex.launch.program";
	public static final String LAUNCH_STOP_AT_ENTRY = "sysplex.launch.stopAtEntry";

	private WidgetIds() {
	}
}
