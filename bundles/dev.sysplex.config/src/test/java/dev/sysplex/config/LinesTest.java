package dev.sysplex.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Lines are numbered as text.split("\r?\n", -1) numbers them, for every kind of line end. */
class LinesTest {

	@Test
	void splitsAsTheRegularExpressionDid() {
		for (String text : new String[] { "", "a", "a\n", "a\r\nb", "a\r\n\r\nb\n", "\n", "\r\n", "a\rb\nc", "a\r",
				"a\r\r\nb", "\n\nx" }) {
			assertArrayEquals(text.split("\r?\n", -1), Lines.of(text), () -> "'" + text.replace("\r", "\\r")
					.replace("\n", "\\n") + "'");
		}
	}
}
