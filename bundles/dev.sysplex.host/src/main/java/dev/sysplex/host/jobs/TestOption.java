package dev.sysplex.host.jobs;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TEST runtime option of a job, in the forms z/OS Debugger documents for the Debug Manager:
 * {@code TEST(,,,DBMDT%userid:*)}, {@code TEST(,,,DBMDT%userid)}, {@code TEST(,,,DBMDT:*)} and
 * {@code TEST(,,,DBMDT)} (the last two: the submitting user). {@code NOTEST} or no TEST: no debugging.
 */
public final class TestOption {

	private static final Pattern TEST = Pattern.compile(
			"TEST\\(\\s*[^,]*,[^,]*,[^,]*,\\s*DBMDT(?:%([A-Z@#$][A-Z0-9@#$]{0,7}))?(?::\\*)?\\s*\\)");

	private TestOption() {
	}

	/**
	 * The user whose workstation should debug the job, if the options ask for debugging.
	 *
	 * @throws IllegalArgumentException for a TEST option that is not one of the DBMDT forms
	 */
	public static Optional<String> debugUser(String runtimeOptions, String submitter) {
		String opts = runtimeOptions == null ? "" : runtimeOptions.toUpperCase(Locale.ROOT).strip();
		int at = opts.indexOf("TEST(");
		if (at < 0 || opts.contains("NOTEST")) {
			if (opts.matches(".*(^|[\\s,])TEST($|[\\s,]).*")) {
				throw new IllegalArgumentException("TEST needs the Debug Manager form here: TEST(,,,DBMDT%userid) or "
						+ "TEST(,,,DBMDT:*)");
			}
			return Optional.empty();
		}
		Matcher m = TEST.matcher(opts.substring(at));
		if (!m.lookingAt()) {
			throw new IllegalArgumentException("runtime option " + opts.substring(at)
					+ " is not understood; expected TEST(,,,DBMDT%userid) or TEST(,,,DBMDT:*)");
		}
		return Optional.of(m.group(1) != null ? m.group(1) : submitter.toUpperCase(Locale.ROOT));
	}
}
