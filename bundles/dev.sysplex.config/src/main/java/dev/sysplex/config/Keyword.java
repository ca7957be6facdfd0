package dev.sysplex.config;

import java.util.Locale;

/**
 * A profile keyword with IBM's minimum abbreviation: the upper-case part of the spelling in the
 * manual ("DISTMethod" may be written DISTM, DISTME ... DISTMETHOD).
 */
record Keyword(String full, int minimum) {

	/** {@code spelling} as IBM prints it: upper-case letters first, the optional rest in lower case. */
	static Keyword of(String spelling) {
		int min = 0;
		while (min < spelling.length() && !Character.isLowerCase(spelling.charAt(min))) {
			min++;
		}
		return new Keyword(spelling.toUpperCase(Locale.ROOT), min);
	}

	boolean matches(String token) {
		String t = token.toUpperCase(Locale.ROOT);
		return t.length() >= minimum && t.length() <= full.length() && full.startsWith(t);
	}

	@Override
	public String toString() {
		return full;
	}
}
