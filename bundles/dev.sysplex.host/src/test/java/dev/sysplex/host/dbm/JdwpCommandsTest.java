package dev.sysplex.host.dbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class JdwpCommandsTest {

	private static byte[] packet(int id, int flags, int a, int b, byte[] data) {
		ByteBuffer p = ByteBuffer.allocate(11 + data.length);
		p.putInt(11 + data.length).putInt(id).put((byte) flags).put((byte) a).put((byte) b).put(data);
		return p.array();
	}

	private static byte[] stream() {
		ByteArrayOutputStream s = new ByteArrayOutputStream();
		s.writeBytes("JDWP-Handshake".getBytes(StandardCharsets.US_ASCII));
		s.writeBytes(packet(1, 0, 1, 1, new byte[0])); // VirtualMachine.Version
		s.writeBytes(packet(2, 0x80, 0, 0, new byte[40])); // a reply: never a command, whatever its bytes
		s.writeBytes(packet(3, 0, 15, 1, new byte[] { 1, 10, 1, 10 })); // EventRequest.Set, data that looks like 1/10
		s.writeBytes(packet(4, 0, 1, 10, new byte[] { 0, 0, 0, 1 })); // VirtualMachine.Exit(1)
		return s.toByteArray();
	}

	@Test
	void reportsEachCommandWhateverTheBuffersLookLike() {
		byte[] all = stream();
		for (int chunk : new int[] { 1, 2, 3, 7, 11, 14, 64, all.length }) {
			List<String> seen = new ArrayList<>();
			JdwpCommands w = new JdwpCommands((set, cmd) -> seen.add(set + "/" + cmd));
			for (int i = 0; i < all.length; i += chunk) {
				w.feed(all, i, Math.min(chunk, all.length - i));
			}
			assertEquals(List.of("1/1", "15/1", "1/10"), seen, "in pieces of " + chunk);
			assertTrue(w.watching());
		}
		assertTrue(JdwpCommands.isExit(1, 10));
		assertFalse(JdwpCommands.isExit(1, 1));
	}

	@Test
	void aStreamThatIsNotJdwpStopsTheWatchAndReportsNothing() {
		List<String> seen = new ArrayList<>();
		JdwpCommands w = new JdwpCommands((set, cmd) -> seen.add(set + "/" + cmd));
		byte[] http = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		w.feed(http, 0, http.length);
		assertFalse(w.watching());
		byte[] exit = packet(4, 0, 1, 10, new byte[4]);
		w.feed(exit, 0, exit.length);
		assertEquals(List.of(), seen);

		JdwpCommands shortLength = new JdwpCommands((set, cmd) -> seen.add(set + "/" + cmd));
		byte[] hs = "JDWP-Handshake".getBytes(StandardCharsets.US_ASCII);
		shortLength.feed(hs, 0, hs.length);
		byte[] bad = packet(1, 0, 1, 10, new byte[0]);
		bad[3] = 5; // a length below the header's 11 bytes
		shortLength.feed(bad, 0, bad.length);
		assertFalse(shortLength.watching());
		assertEquals(List.of(), seen);
	}
}
