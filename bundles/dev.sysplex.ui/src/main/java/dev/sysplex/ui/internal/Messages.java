package dev.sysplex.ui.internal;

import org.eclipse.osgi.util.NLS;

/** The explorer's user-visible strings, in messages.properties beside this class (NLS). */
public final class Messages extends NLS {

	public static String Job_waiting;
	public static String Job_debugging;
	public static String Job_running;
	public static String Job_ended;
	public static String Job_endedRc;
	public static String Job_canceled;
	public static String Job_failed;
	public static String Job_label;
	public static String Job_tooltip;

	public static String Connection_label;
	public static String Connection_connected;
	public static String Connection_encrypted;
	public static String Connection_notEncrypted;
	public static String Connection_failed;
	public static String Connection_reconnecting;
	public static String Connection_reconnectingAfter;
	public static String Connection_disconnected;
	public static String Connection_connecting;
	public static String Connection_tooltip;

	public static String Waiting_label;
	public static String Waiting_tooltip;
	public static String Debugging_label;
	public static String Debugging_suspended;
	public static String Debugging_running;
	public static String Debugging_connecting;

	public static String LaunchTab_main;
	public static String LaunchTab_connection;
	public static String LaunchTab_job;
	public static String LaunchTab_program;
	public static String LaunchTab_wait;
	public static String LaunchTab_stopAtEntry;
	public static String LaunchTab_hint;
	public static String LaunchTab_noConnection;
	public static String LaunchTab_badJob;
	public static String LaunchTab_noProgram;
	public static String LaunchTab_badWait;

	public static String Property_name;
	public static String Property_host;
	public static String Property_port;
	public static String Property_user;
	public static String Property_encryptionPolicy;
	public static String Property_state;
	public static String Property_system;
	public static String Property_serverPort;
	public static String Property_encrypted;
	public static String Property_certificate;
	public static String Property_job;
	public static String Property_program;
	public static String Property_rc;
	public static String Property_debugManagerPort;
	public static String Property_configuration;
	public static String Property_connection;
	public static String Category_connection;
	public static String Category_session;
	public static String Category_job;

	public static String Confirm_deleteTitle;
	public static String Confirm_delete;
	public static String Rename_title;
	public static String Rename_message;

	public static String Check_showFix;
	public static String Check_fixTitle;
	public static String Check_fixText;
	public static String Check_systems;
	public static String Check_cannotConfigure;

	public static String Password_shell;
	public static String Password_title;
	public static String Password_message;
	public static String Password_label;
	public static String Password_save;
	public static String Password_logOn;
	public static String Password_saving;
	public static String Submit_shell;
	public static String Submit_title;
	public static String Submit_message;
	public static String Submit_debug;
	public static String Submit_submit;
	public static String Submit_program;
	public static String Submit_arguments;
	public static String Submit_system;
	public static String Submit_noProgram;
	public static String Submit_badProgram;
	public static String Submit_badSystem;
	public static String Trust_title;
	public static String Trust_message;
	public static String Trust_always;
	public static String Trust_once;
	public static String Plain_title;
	public static String Plain_message;
	public static String Plain_debug;
	public static String Error_title;
	public static String Error_failed;
	public static String Changed_title;
	public static String Changed_message;
	public static String Notification_title;
	public static String Notification_text;
	public static String Notification_debug;
	public static String Notification_debugging;
	public static String Wizard_title;
	public static String Wizard_notSaved;

	static {
		NLS.initializeMessages("dev.sysplex.ui.internal.messages", Messages.class);
	}

	private Messages() {
	}
}
