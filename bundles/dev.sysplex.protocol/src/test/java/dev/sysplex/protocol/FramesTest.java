package dev.sysplex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class FramesTest {

	@Test
	void roundTripKeepsTypeFieldsAndOrderIncludingEscapes() throws IOException {
		Message sent = Message.of("LOGON").with("user", "IBMUSER").with("note", "a\\b\nc=d\re")
				.with("port", 0).build();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Frames.write(out, sent);
		Frames.write(out, Message.of("BYE").build());
		ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());

		Message got = Frames.read(in, 1024);
		assertEquals(sent, got);
		assertEquals("a\\b\nc=d\re", got.require("note"));
		assertEquals(java.util.List.of("user", "note", "port"), java.util.List.copyOf(got.fields().keySet()));
		assertEquals("BYE", Frames.read(in, 1024).type());
		assertNull(Frames.read(in, 1024), "clean end of stream between frames");
	}

	@Test
	void oversizedFrameIsRejectedBeforeThePayloadIsRead() {
		byte[] header = { 0x00, 0x01, 0x00, 0x01 }; // 65537 bytes announced, none sent
		ProtocolException e = assertThrows(ProtocolException.class,
				() -> Frames.read(new ByteArrayInputStream(header), Frames.DEFAULT_MAX_FRAME));
		assertTrue(e.getMessage().contains("65537"), e.getMessage());
	}

	@Test
	void emptyFrameIsRejected() {
		assertThrows(ProtocolException.class, () -> Frames.read(new ByteArrayInputStream(new byte[4]), 100));
	}

	@Test
	void truncatedFrameSaysHowMuchArrived() {
		byte[] bytes = { 0, 0, 0, 10, 'L', 'O' };
		EOFException e = assertThrows(EOFException.class, () -> Frames.read(new ByteArrayInputStream(bytes), 100));
		assertTrue(e.getMessage().contains("2 of 10"), e.getMessage());
	}

	@Test
	void tlsClientHelloIsRecognised() {
		byte[] hello = { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 };
		ProtocolException e = assertThrows(ProtocolException.class,
				() -> Frames.read(new ByteArrayInputStream(hello), Frames.DEFAULT_MAX_FRAME));
		assertTrue(e.getMessage().contains("TLS"), e.getMessage());
	}

	@Test
	void malformedPayloadsAreProtocolErrors() {
		for (String bad : new String[] { "bad type", "OK\nnoequals", "OK\nk=1\nk=2", "OK\nk=\\x", "OK\nk=\\",
				"OK\nbad key=1" }) {
			assertThrows(ProtocolException.class, () -> Message.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
		}
		assertThrows(ProtocolException.class, () -> Message.decode(new byte[] { 'O', 'K', (byte) 0xC3 }));
	}

	@Test
	void requiredFieldsAreChecked() throws ProtocolException {
		Message m = Message.of("PORT").with("port", "70000").with("n", "x").build();
		assertThrows(ProtocolException.class, () -> m.require("missing"));
		assertThrows(ProtocolException.class, () -> m.requireInt("port", 0, 65535));
		assertThrows(ProtocolException.class, () -> m.requireInt("n", 0, 1));
		assertEquals(70000, m.requireInt("port", 0, 100000));
	}

	@Test
	void toStringMasksSecrets() {
		String s = Message.of("LOGON").with("user", "U").with("password", "pw").with("ticket", "t").build().toString();
		assertTrue(s.contains("user=U") && !s.contains("pw") && !s.contains("=t"), s);
	}
}
