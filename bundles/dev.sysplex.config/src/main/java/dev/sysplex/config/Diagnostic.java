package dev.sysplex.config;

import java.nio.file.Path;

/**
 * A finding about a configuration file, with its position. Rendered as
 * {@code file:line:column: severity: message}, the form compilers and editors understand.
 *
 * @param id     what kind of finding it is: a stable name (kebab-case) that tools and `sysplex
 *               check` act on, never the message's wording
 * @param file   the file, as the user named it (relative to the sysplex directory when possible)
 * @param line   1-based line, 0 when the finding concerns the whole file
 * @param column 1-based column, 0 when the finding concerns the whole line or file
 */
public record Diagnostic(Severity severity, String id, Path file, int line, int column, String message) {

	/** A statement or value that z/OS would not accept as written. */
	public static final String PROFILE_SYNTAX = "profile-syntax";
	/** Sequence numbers in columns 73-80 of a TCP/IP profile, which IBM does not allow. */
	public static final String SEQUENCE_NUMBERS = "sequence-numbers";
	/** A statement of sysplex.conf or CFRM policy that is not written as documented. */
	public static final String CONF_SYNTAX = "conf-syntax";
	/** A PROC statement that is not written as JCL is. */
	public static final String PROC_SYNTAX = "proc-syntax";
	/** A line of rse.env that is not NAME=value. */
	public static final String ENV_SYNTAX = "env-syntax";
	/** A variable of rse.env set twice. */
	public static final String ENV_SET_AGAIN = "env-set-again";
	/** A &SYMBOL the system does not define. */
	public static final String UNDEFINED_SYMBOL = "undefined-symbol";
	/** A statement Sysplex Explorer reads but does not model (it may change what z/OS does). */
	public static final String NOT_MODELLED = "not-modelled";
	/** A statement or option that cannot change what a DVIPA does, read and set aside (INFO). */
	public static final String IGNORED = "ignored";
	/** A statement that is no statement of the file's language. */
	public static final String UNKNOWN_STATEMENT = "unknown-statement";
	/** A file that is missing or cannot be read. */
	public static final String FILE_MISSING = "file-missing";
	/** Two systems that share a work area or a log directory. */
	public static final String SHARED_WORK_AREA = "shared-work-area";
	/** A setting z/OS shares among all systems set differently for one. */
	public static final String SHARED_CONFIG_DIFFERS = "shared-config-differs";
	/** Two systems with the same name, address or SYSCLONE. */
	public static final String SYSTEM_CLASH = "system-clash";
	/** DISTMETHOD HOTSTANDBY without exactly one PREFERRED target and a BACKUP. */
	public static final String HOTSTANDBY_PREFERRED = "hotstandby-preferred";
	/** SYSPLEXPORTS on a VIPADISTRIBUTE other than the DVIPA's first. */
	public static final String SYSPLEXPORTS_NOT_FIRST = "sysplexports-not-first";
	/** A VIPADISTRIBUTE of a DVIPA that no VIPADEFINE or VIPABACKUP of the stack names. */
	public static final String DISTRIBUTE_UNKNOWN_DVIPA = "distribute-unknown-dvipa";
	/** VIPADISTRIBUTE without the IPCONFIG it needs (DYNAMICXCF). */
	public static final String DISTRIBUTE_NEEDS_DYNAMICXCF = "distribute-needs-dynamicxcf";
	/** A setting that z/OS accepts and that changes nothing where it stands. */
	public static final String NO_EFFECT = "no-effect";
	/** VIPADISTRIBUTE on a stack without IPCONFIG SYSPLEXROUTING: WLM methods get no weights. */
	public static final String SYSPLEXROUTING_MISSING = "sysplexrouting-missing";
	/** VIPADISTRIBUTE SYSPLEXPORTS with no EZBEPORT structure in the CFRM policy. */
	public static final String SYSPLEXPORTS_NO_EZBEPORT = "sysplexports-no-ezbeport";
	/** A DESTIP that is no system's DYNAMICXCF address. */
	public static final String DESTIP_UNKNOWN = "destip-unknown";
	/** An rse.env value RSE does not accept (_RSE_PORTRANGE, a true/false flag, a number). */
	public static final String RSE_ENV_VALUE = "rse-env-value";
	/** A Debug Manager setting its PROC gives that the Debug Manager does not accept. */
	public static final String DBM_SETTING_VALUE = "dbm-setting-value";
	/** A Debug Manager setting the PROC and its environment (ENVAR, _CEE_ENVFILE) give different values. */
	public static final String DBM_SETTING_CONFLICT = "dbm-setting-conflict";
	/** RSE's TLS (ssl.properties, its keystore) cannot be set up. */
	public static final String TLS_SETUP = "tls-setup";
	/** A PROC parameter with a value the started task does not accept (PORT=40X5). */
	public static final String PROC_VALUE = "proc-value";
	/** The user registry or the PassTicket key cannot be read or made. */
	public static final String SECURITY_FILE = "security-file";
	/** rse.env without enable.dDVIPA=true (or another flag the DVIPA needs). */
	public static final String RSE_ENV_FLAGS_MISSING = "rse-env-flags-missing";
	/** _RSE_PORTRANGE set while the DVIPA has SYSPLEXPORTS. */
	public static final String PORTRANGE_WITH_SYSPLEXPORTS = "portrange-with-sysplexports";
	/** RSED runs on a system where no Debug Manager does. */
	public static final String RSED_WITHOUT_DBM = "rsed-without-dbm";
	/** A distribution method Sysplex Explorer cannot run (TARGCONTROLLED). */
	public static final String METHOD_UNSUPPORTED = "method-unsupported";

	public enum Severity {
		ERROR, WARNING, INFO;

		public String label() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	public static Diagnostic error(String id, Path file, int line, int column, String message) {
		return new Diagnostic(Severity.ERROR, id, file, line, column, message);
	}

	public static Diagnostic warning(String id, Path file, int line, int column, String message) {
		return new Diagnostic(Severity.WARNING, id, file, line, column, message);
	}

	/** Read and set aside: nothing to do (`sysplex check --verbose` lists them). */
	public static Diagnostic info(String id, Path file, int line, int column, String message) {
		return new Diagnostic(Severity.INFO, id, file, line, column, message);
	}

	public boolean isError() {
		return severity == Severity.ERROR;
	}

	/** {@code file:line:column} with the parts that are known. */
	public String position() {
		StringBuilder sb = new StringBuilder(String.valueOf(file));
		if (line > 0) {
			sb.append(':').append(line);
			if (column > 0) {
				sb.append(':').append(column);
			}
		}
		return sb.toString();
	}

	@Override
	public String toString() {
		return position() + ": " + severity.label() + ": " + message;
	}

	/** As `sysplex check` prints a finding: {@code file:line:column: error [id] message}. */
	public String display() {
		return position() + ": " + severity.label() + " [" + id + "] " + message;
	}
}
