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
	public static String System_label;
	public static String System_tooltip;
	public static String System_sessionHere;
	public static String System_noSession;
	public static String System_sessionAnd;
	public static String System_noJobs;
	public static String System_oneJob;
	public static String System_jobs;
	public static String Category_system;
	public static String Property_rseSession;
	public static String Property_jobs;
	public static String Property_dvipa;
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
	public static String Changed_fix;
	public static String Notification_title;
	public static String Notification_text;
	public static String Notification_debug;
	public static String Notification_debugging;
	public static String Wizard_title;
	public static String Wizard_notSaved;

	public static String Wizard_description;
	public static String Field_name;
	public static String Field_host;
	public static String Field_port;
	public static String Field_user;
	public static String Field_password;
	public static String Field_savePassword;
	public static String Field_reconnect;
	public static String Wizard_noName;
	public static String Wizard_nameTaken;
	public static String Wizard_noPassword;
	public static String Field_noUser;
	public static String Field_badPort;
	public static String Field_encryption;
	public static String Field_encryptionTip;
	public static String Page_notConnection;
	public static String Page_name;
	public static String Page_newPassword;
	public static String Page_forgetPassword;
	public static String Page_passwordBoth;
	public static String Page_forgetCertificate;
	public static String Page_certificate;
	public static String Page_pinned;
	public static String Page_noCertificate;
	public static String Page_certificateNotForgotten;
	public static String Page_notChanged;
	public static String Field_tlsMemoryHour;
	public static String Field_tlsMemoryMinutes;

	public static String Pref_description;
	public static String Pref_encryption;
	public static String Pref_required;
	public static String Pref_preferred;
	public static String Pref_disabled;
	public static String Pref_tlsMemory;
	public static String Pref_reconnect;
	public static String Pref_debugSessions;
	public static String Pref_ask;
	public static String Pref_launch;
	public static String Pref_plainLink;
	public static String Pref_askEachTime;
	public static String Pref_allow;
	public static String Pref_refuse;
	public static String Pref_stopAtEntry;
	public static String Pref_connectTimeout;
	public static String Pref_readTimeout;
	public static String Handler_connecting;
	public static String Handler_deleteTitle;
	public static String Handler_deleteQuestion;
	public static String Handler_deleting;
	public static String Handler_notConnected;
	public static String Handler_submitting;
	public static String Handler_readingOutput;
	public static String Handler_renaming;
	public static String Console_name;
	public static String Console_following;
	public static String Explorer_empty;
	public static String Explorer_createLink;
	public static String Explorer_linkTip;
	public static String Explorer_linkTipMissing;
	public static String Explorer_wizardFailed;

	static {
		NLS.initializeMessages("dev.sysplex.ui.internal.messages", Messages.class);
	}

	private Messages() {
	}
}
