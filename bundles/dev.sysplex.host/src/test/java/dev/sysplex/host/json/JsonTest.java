package dev.sysplex.host.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** What the command line writes is JSON whatever the text in it, and the reader is as strict as the RFC. */
class JsonTest {

	/** Strings a member, a message or a user name can carry into the output. */
	private static final List<String> HOSTILE = List.of("", "plain", "quote \" and backslash \\", "line\nfeed\r\ttab",
			"nul \u0000 bell \u0007 esc \u001b del \u007f", "line separator \u2028 paragraph \u2029",
			"emoji \ud83d\ude00 and a lone surrogate \ud83d here", "a lone low \ude00", "slash / and </script>",
			"\u00e4\u20ac\u4e2d");

	@Test
	void everyStringSurvivesARoundTrip() {
		for (String s : HOSTILE) {
			Map<String, Object> o = Json.object();
			o.put(s, s); // keys are escaped as values are
			o.put("list", List.of(s, s));
			Object back = Json.parse(Json.write(o));
			// a lone surrogate is written as \\uXXXX and comes back as the same char
			assertEquals(Map.of(s, s, "list", List.of(s, s)), back, "for " + Arrays.toString(s.toCharArray()));
			assertEquals(back, Json.parse(Json.line(o)), "the one-line form reads the same");
			assertTrue(Json.line(o).chars().noneMatch(c -> c < 0x20 || c == 0x2028 || c == 0x2029),
					"no raw control character or line separator in the output");
		}
	}

	@Test
	void valuesAsTheCommandLineWritesThem() {
		Map<String, Object> o = Json.object();
		o.put("int", 42);
		o.put("long", 1L << 40);
		o.put("negative", -7);
		o.put("double", 2.5);
		o.put("whole double", 3.0);
		o.put("yes", true);
		o.put("nothing", null);
		o.put("empty", Optional.empty());
		o.put("present", Optional.of("x"));
		o.put("enum", Thread.State.NEW);
		o.put("nested", Map.of("a", List.of(1, 2, Map.of("b", List.of()))));
		Map<String, Object> back = cast(Json.parse(Json.write(o)));
		assertEquals(42L, back.get("int"));
		assertEquals(1L << 40, back.get("long"));
		assertEquals(-7L, back.get("negative"));
		assertEquals(2.5, back.get("double"));
		assertEquals(3L, back.get("whole double"));
		assertEquals(true, back.get("yes"));
		assertTrue(back.containsKey("nothing") && back.get("nothing") == null);
		assertEquals(null, back.get("empty"));
		assertEquals("x", back.get("present"));
		assertEquals("NEW", back.get("enum"));
		assertEquals(Map.of("a", List.of(1L, 2L, Map.of("b", List.of()))), back.get("nested"));
		assertEquals(List.copyOf(o.keySet()), List.copyOf(back.keySet()), "keys keep their order");
		assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
		assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "not a string key")));
		assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
	}

	@Test
	void theReaderRefusesWhatTheRfcDoesNotAllowAndSaysWhere() {
		for (String bad : List.of("", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "{a:1}", "[01]", "[1.]", "[.5]", "[1e]",
				"[+1]", "[NaN]", "[\"tab\there\"]", "[\"\\x\"]", "[\"\\u12\"]", "{\"a\":1,\"a\":2}", "[1] [2]", "tru",
				"[\"unterminated]", "[1 2]")) {
			Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(bad), bad);
			assertTrue(e.getMessage().contains("at offset"), e.getMessage());
		}
		assertThrows(Json.ParseException.class, () -> Json.parse("[".repeat(Json.MAX_DEPTH + 2)), "bounded nesting");
		assertEquals(List.of(1L, -0.5, 1.0E10, "\u00e9/"), Json.parse(" [1, -0.5, 1e10, \"\\u00e9\\/\"] "));
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> cast(Object o) {
		return (Map<String, Object>) o;
	}
}
