package dev.sysplex.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Stop at entry against a JVM that sends the event a Resume causes before its reply to that
 * Resume, as the JDWP agent may (the resumed thread runs while the reply is written). The events
 * used to be dropped while the reply was awaited, and the stop timed out ("Read timed out", seen
 * in `./sysplex debug` under load). A scripted JVM makes the order certain.
 */
class StopAtEntryTest {

	private static final byte[] HANDSHAKE = "JDWP-Handshake".getBytes(StandardCharsets.US_ASCII);
	private static final byte[] THREAD = { 0, 0, 0, 0, 0, 0, 0, 7 };
	private static final byte[] CLASS = { 0, 0, 0, 0, 0, 0, 0, 42 };
	private static final byte[] MAIN = { 0, 0, 0, 0, 0, 0, 0, 9 };

	@Test
	void eventsThatComeBeforeTheResumesReplyAreNotLost() throws Exception {
		try (ServerSocket jvm = new ServerSocket()) {
			jvm.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			CompletableFuture<Void> script = CompletableFuture.runAsync(() -> {
				try (Socket s = jvm.accept()) {
					s.setSoTimeout(10_000);
					play(new DataInputStream(s.getInputStream()), new DataOutputStream(s.getOutputStream()));
				} catch (IOException e) {
					throw new IllegalStateException(e);
				}
			});
			try (Socket link = new Socket()) {
				link.connect(jvm.getLocalSocketAddress(), 5_000);
				StopAtEntry.Stopped stopped = StopAtEntry.run(link, link.getInputStream(), link.getOutputStream(),
						"Payroll", Duration.ofSeconds(5));
				assertEquals("Payroll", stopped.className());
				assertEquals(8, stopped.line(), "the line of main's lowest code index");
				assertArrayEquals(THREAD, stopped.thread());
			}
			script.get(10, TimeUnit.SECONDS);
		}
	}

	/** The JVM's side: VM_START, then each command answered; after each Resume its event comes first. */
	private static void play(DataInputStream in, DataOutputStream out) throws IOException {
		assertArrayEquals(HANDSHAKE, in.readNBytes(HANDSHAKE.length));
		out.write(HANDSHAKE);
		event(out, 90, new Data().i(0).raw(THREAD)); // VM_START, requestID 0
		int resumes = 0;
		for (int n = 0; n < 20; n++) {
			int length = in.readInt();
			int id = in.readInt();
			in.readByte(); // flags
			int set = in.readUnsignedByte();
			int cmd = in.readUnsignedByte();
			in.readNBytes(length - 11);
			if (set == 1 && cmd == 7) { // IDSizes
				reply(out, id, new Data().i(8).i(8).i(8).i(8).i(8));
			} else if (set == 15 && cmd == 1) { // EventRequest.Set
				reply(out, id, new Data().i(100 + n));
			} else if (set == 15 && cmd == 2) { // EventRequest.Clear
				reply(out, id, new Data());
				if (resumes == 2) {
					return; // the breakpoint's request cleared: done
				}
			} else if (set == 1 && cmd == 9) { // Resume: the event first, then the reply
				resumes++;
				if (resumes == 1) { // CLASS_PREPARE of Payroll
					event(out, 8, new Data().i(101).raw(THREAD).b(1).raw(CLASS).s("LPayroll;").i(7));
				} else { // BREAKPOINT at main's first line
					event(out, 2, new Data().i(105).raw(THREAD).b(1).raw(CLASS).raw(MAIN).l(0));
				}
				reply(out, id, new Data());
			} else if (set == 2 && cmd == 5) { // ReferenceType.Methods
				reply(out, id, new Data().i(2).raw(new byte[8]).s("<init>").s("()V").i(1).raw(MAIN).s("main")
						.s("([Ljava/lang/String;)V").i(9));
			} else if (set == 6 && cmd == 1) { // Method.LineTable: code index 4 is line 9, 0 is line 8
				reply(out, id, new Data().l(0).l(40).i(2).l(4).i(9).l(0).i(8));
			} else {
				throw new IOException("the script has no answer to JDWP " + set + "/" + cmd);
			}
		}
	}

	private static void event(DataOutputStream out, int kind, Data data) throws IOException {
		byte[] d = new Data().b(2).i(1).b(kind).raw(data.bytes()).bytes(); // suspend all, one event
		out.writeInt(11 + d.length);
		out.writeInt(9000 + kind);
		out.writeByte(0);
		out.writeByte(64);
		out.writeByte(100);
		out.write(d);
		out.flush();
	}

	private static void reply(DataOutputStream out, int id, Data data) throws IOException {
		byte[] d = data.bytes();
		out.writeInt(11 + d.length);
		out.writeInt(id);
		out.writeByte(0x80);
		out.writeShort(0);
		out.write(d);
		out.flush();
	}

	private static final class Data {
		private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		private final DataOutputStream d = new DataOutputStream(bytes);

		Data b(int v) throws IOException {
			d.writeByte(v);
			return this;
		}

		Data i(int v) throws IOException {
			d.writeInt(v);
			return this;
		}

		Data l(long v) throws IOException {
			d.writeLong(v);
			return this;
		}

		Data s(String v) throws IOException {
			byte[] b = v.getBytes(StandardCharsets.UTF_8);
			d.writeInt(b.length);
			d.write(b);
			return this;
		}

		Data raw(byte[] v) throws IOException {
			d.write(v);
			return this;
		}

		byte[] bytes() {
			return bytes.toByteArray();
		}
	}
}
