package dev.sysplex.host.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.sysplex.client.DebugLink;
import dev.sysplex.client.JdwpConnection;
import dev.sysplex.host.dbm.JdwpCommands;
import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;
import dev.sysplex.protocol.ProtocolException;
import dev.sysplex.protocol.Rse;

/**
 * Every decoder of bytes from the network, fed arbitrary bytes: an IOException (the peer's fault,
 * said to it or logged) or a value, never another exception, and a message that decodes encodes
 * back to the same message. Seeds: src/test/resources/dev/sysplex/host/fuzz/WireFuzzTestInputs/.
 */
class WireFuzzTest {

	/** Frames and messages of the RSE and DBM protocols, as every reader reads them. */
	@FuzzTest(maxDuration = "30s")
	void frames(byte[] data) {
		ByteArrayInputStream in = new ByteArrayInputStream(data);
		for (int i = 0; i < 64; i++) {
			Message m;
			try {
				m = Frames.read(in, Rse.MAX_FRAME);
			} catch (IOException e) {
				return;
			}
			if (m == null) {
				return;
			}
			roundTrip(m);
		}
	}

	/** A message's payload on its own (the decoder behind every frame). */
	@FuzzTest(maxDuration = "30s")
	void message(byte[] data) {
		try {
			roundTrip(Message.decode(data));
		} catch (ProtocolException e) {
			// refused, as designed
		}
	}

	private static void roundTrip(Message m) {
		try {
			assertEquals(m.fields(), Message.decode(m.encode()).fields(), "a decoded message encodes back to itself");
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			Frames.write(out, m, Integer.MAX_VALUE);
		} catch (IOException e) {
			throw new AssertionError("a decoded message must encode: " + e, e);
		}
	}

	/**
	 * What a Debug Manager's CLIENT port reads from a workstation: the LINK frame (its token and
	 * fields, as a notification would carry them), then the debugger's JDWP bytes, which it watches.
	 */
	@FuzzTest(maxDuration = "30s")
	void linkPreambleThenJdwp(byte[] data) {
		ByteArrayInputStream in = new ByteArrayInputStream(data);
		try {
			Message link = Frames.read(in, Dbm.MAX_FRAME);
			if (link == null) {
				return;
			}
			link.get(Dbm.F_TOKEN).orElse("").getBytes(StandardCharsets.US_ASCII);
			try {
				DebugLink.Waiting.of(link.fields()); // the same fields reach the client as debug.waiting
			} catch (IllegalArgumentException e) {
				// a notification with missing or bad fields is refused, as designed
			}
		} catch (IOException e) {
			return;
		}
		byte[] rest = in.readAllBytes();
		JdwpCommands watch = new JdwpCommands((set, command) -> {
			if (set < 0 || set > 255 || command < 0 || command > 255) {
				throw new AssertionError("a command set or command outside a byte: " + set + "/" + command);
			}
		});
		for (int i = 0; i < rest.length; i += 7) { // in pieces, as a relay's reads split them
			watch.feed(rest, i, Math.min(7, rest.length - i));
		}
	}

	/** The client's JDWP packet reader (Eclipse's and the JDK's JDI read through it), after the handshake. */
	@FuzzTest(maxDuration = "30s")
	void jdwpPacketReader(byte[] data) throws IOException {
		byte[] stream = new byte[14 + data.length];
		System.arraycopy("JDWP-Handshake".getBytes(StandardCharsets.US_ASCII), 0, stream, 0, 14);
		System.arraycopy(data, 0, stream, 14, data.length);
		DebugLink.Linked linked = new DebugLink.Linked(new Socket(), new ByteArrayInputStream(stream),
				new ByteArrayOutputStream(), "JOB00001", "SYSA", "ALICE");
		JdwpConnection c = JdwpConnection.handshake(linked);
		for (int i = 0; i < 64; i++) {
			byte[] packet;
			try {
				packet = c.readPacket();
			} catch (IOException e) {
				return;
			}
			int length = ((packet[0] & 0xFF) << 24) | ((packet[1] & 0xFF) << 16) | ((packet[2] & 0xFF) << 8)
					| (packet[3] & 0xFF);
			assertEquals(packet.length, length, "a packet is as long as its header says");
			if (length < 11 || Arrays.equals(packet, new byte[0])) {
				throw new AssertionError("a packet shorter than its header");
			}
		}
	}
}
