package dev.sysplex.host.check;

/**
 * One finding of `sysplex check`: a class per finding id, which it alone reports, always with its
 * severity. docs/configuration.md describes each under its id (an anchor the SARIF helpUri reaches).
 */
interface CheckRule {

	/** The finding's id, as docs/configuration.md and SARIF name it. */
	String id();

	Finding.Severity severity();

	/** One line about the finding (SARIF's shortDescription). */
	String summary();

	/** Looks at the sysplex and reports what it finds with {@link CheckContext#report}. */
	void check(CheckContext sysplex);
}
