package dev.sysplex.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The daemon's first bytes after our ClientHello decide whether PREFERRED may log on without
 * encryption: only a TLS alert before any ServerHello or a plaintext RSE frame may say "no TLS
 * here"; any other bytes must not (fail closed), and nothing may throw.
 */
class FirstBytesFuzzTest {

	@FuzzTest(maxDuration = "30s")
	void refusalOfTls(byte[] first) {
		String refusal = RseConnector.refusalOfTls(first);
		if (refusal != null) {
			assertTrue(first.length >= 5 && (first[0] == 0x15 || first[0] == 0),
					"only an alert record or an RSE frame is a refusal of TLS");
		}
	}

	@Test
	void theTwoRefusalsAndAServerHello() {
		assertNotNull(RseConnector.refusalOfTls(new byte[] { 0x15, 0x03, 0x03, 0, 2, 2, 40 }));
		assertNotNull(RseConnector.refusalOfTls(new byte[] { 0, 0, 0, 9, 'F', 'A', 'I', 'L', 'E' }));
		assertNull(RseConnector.refusalOfTls(new byte[] { 0x16, 0x03, 0x03, 0, 90, 2 }), "a ServerHello");
		assertNull(RseConnector.refusalOfTls(new byte[0]));
	}
}
