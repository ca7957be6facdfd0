package dev.sysplex.host.check;

import java.util.Map;

/**
 * One line about every finding id `sysplex check` reports (SARIF's shortDescription): a rule's own
 * {@link CheckRule#summary()}, and here those of the loader's diagnostics; the whole story of each
 * is in docs/configuration.md under the same id.
 */
final class Rules {

	private static final Map<String, String> SHORT = Map.ofEntries(
			Map.entry("unreadable-file", "a member cannot be read"),
			Map.entry("profile-syntax", "a PROFILE.TCPIP statement z/OS would not accept as written"),
			Map.entry("sequence-numbers", "sequence numbers in columns 73-80 of a TCP/IP profile"),
			Map.entry("conf-syntax", "a sysplex.conf or CFRM policy statement not written as documented"),
			Map.entry("proc-syntax", "a PROC statement not written as JCL is"),
			Map.entry("proc-value", "a PROC parameter its started task does not accept"),
			Map.entry("env-syntax", "an rse.env or environment-file line that is not NAME=value as its reader takes it"),
			Map.entry("env-set-again", "an rse.env variable set twice"),
			Map.entry("undefined-symbol", "a system symbol the system does not define"),
			Map.entry("not-modelled", "a statement that can change the DVIPA and is not modelled"),
			Map.entry("unknown-statement", "a statement of no known kind"),
			Map.entry("file-missing", "a file or INCLUDEd member the directory needs is missing"),
			Map.entry("security-file", "the user registry or the PassTicket key cannot be read or made"),
			Map.entry("shared-work-area", "two systems share a work area or log directory"),
			Map.entry("shared-config-differs", "a per-system rse.env sets a key z/OS shares among all systems"),
			Map.entry("system-clash", "two systems with the same name, address or SYSCLONE"),
			Map.entry("hotstandby-preferred", "DISTMETHOD HOTSTANDBY without exactly one PREFERRED target"),
			Map.entry("distribute-unknown-dvipa", "a VIPADISTRIBUTE of a DVIPA the stack does not define"),
			Map.entry("distribute-needs-dynamicxcf", "VIPADISTRIBUTE on a stack without IPCONFIG DYNAMICXCF"),
			Map.entry("sysplexrouting-missing", "VIPADISTRIBUTE without IPCONFIG SYSPLEXROUTING"),
			Map.entry("destip-unknown", "a DESTIP that is no system's XCF address"),
			Map.entry("method-unsupported", "a distribution method Sysplex Explorer cannot run"),
			Map.entry("no-effect", "a setting that changes nothing where it stands"),
			Map.entry("rse-env-value", "an rse.env value RSE does not accept"),
			Map.entry("dbm-setting-value", "a Debug Manager parameter the Debug Manager does not accept"),
			Map.entry("dbm-setting-conflict", "a Debug Manager setting the PROC and its environment set differently"),
			Map.entry("tls-setup", "RSE's TLS cannot be set up"),
			Map.entry("rse-env-flags-missing", "rse.env lacks a flag the DVIPA needs"),
			Map.entry("portrange-with-sysplexports", "_RSE_PORTRANGE while the DVIPA has SYSPLEXPORTS"));

	private Rules() {
	}

	/** The one line about {@code id}; for an id this list does not know, the finding's own message. */
	static String shortDescription(String id, Finding example) {
		CheckRule rule = CheckRules.BY_ID.get(id);
		return rule != null ? rule.summary() : SHORT.getOrDefault(id, example.message());
	}

	/** Whether the catalog knows the id (a test holds every id the check reports to it). */
	static boolean known(String id) {
		return CheckRules.BY_ID.containsKey(id) || SHORT.containsKey(id);
	}
}
