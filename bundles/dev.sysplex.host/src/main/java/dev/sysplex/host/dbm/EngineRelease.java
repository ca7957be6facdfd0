package dev.sysplex.host.dbm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lets a job's suspended JVM go on without a debugger, over the connection its JDWP agent opened
 * to the Debug Manager (or a workstation's linked connection to it): the JDWP handshake, then VirtualMachine.Dispose (command set 1, command 6),
 * which cancels every event request and resumes every thread, then close. The agent was started
 * with server=n, so nothing can attach to the JVM afterwards. Raw JDWP, a few bytes each way, so
 * the Debug Manager needs no debugger library.
 */
public final class EngineRelease {

	private static final byte[] HANDSHAKE = "JDWP-Handshake".getBytes(StandardCharsets.US_ASCII);
	private static final int DISPOSE_ID = 1;
	/** Packets the agent may send before the answer to Dispose (its VMStart event); more means it is not JDWP. */
	private static final int MAX_PACKETS = 16;
	private static final int MAX_PACKET = 64 * 1024;

	private EngineRelease() {
	}

	/** Releases the JVM behind {@code engine} and closes the connection; bounded by {@code timeoutMs} per read. */
	public static void release(Socket engine, int timeoutMs) throws IOException {
		try (engine) {
			engine.setSoTimeout(timeoutMs);
			DataOutputStream out = new DataOutputStream(engine.getOutputStream());
			DataInputStream in = new DataInputStream(engine.getInputStream());
			out.write(HANDSHAKE);
			out.flush();
			byte[] answer = in.readNBytes(HANDSHAKE.length);
			if (!Arrays.equals(answer, HANDSHAKE)) {
				throw new IOException("the engine did not answer the JDWP handshake");
			}
			awaitVmStart(in);
			dispose(out, in);
		}
	}

	/**
	 * Waits for the agent's VMStart event (an Event.Composite command), which a JVM started with
	 * suspend=y sends once its threads are suspended. A Dispose that the agent handles before that
	 * suspension resumes nothing, and the suspension that follows leaves the JVM stopped for good
	 * with no debugger: seen as a job that never ended after a dormant timeout on a busy machine.
	 * No event within the read timeout (a JVM already started): Dispose anyway.
	 */
	private static void awaitVmStart(DataInputStream in) throws IOException {
		try {
			for (int i = 0; i < MAX_PACKETS; i++) {
				int length = in.readInt();
				if (length < 11 || length > MAX_PACKET) {
					throw new IOException("the engine sent a JDWP packet of " + length + " bytes");
				}
				in.readInt(); // id
				int flags = in.readUnsignedByte();
				int commandSet = in.readUnsignedByte();
				int command = in.readUnsignedByte();
				in.skipNBytes(length - 11);
				if ((flags & 0x80) == 0 && commandSet == 64 && command == 100) {
					return;
				}
			}
		} catch (java.net.SocketTimeoutException e) {
			// no event: nothing is suspended by the agent, Dispose lets it go on as it is
		}
	}

	/**
	 * Sends VirtualMachine.Dispose on a JDWP connection whose handshake is done and waits for its
	 * answer, skipping the events the agent sends before it (bounded by the stream's read timeout).
	 */
	public static void dispose(DataOutputStream out, DataInputStream in) throws IOException {
		out.writeInt(11); // length: header only
		out.writeInt(DISPOSE_ID);
		out.writeByte(0); // flags: command
		out.writeByte(1); // VirtualMachine
		out.writeByte(6); // Dispose
		out.flush();
		for (int i = 0; i < MAX_PACKETS; i++) {
			int length = in.readInt();
			if (length < 11 || length > MAX_PACKET) {
				throw new IOException("the engine sent a JDWP packet of " + length + " bytes");
			}
			int id = in.readInt();
			int flags = in.readUnsignedByte();
			in.skipNBytes(length - 9);
			if ((flags & 0x80) != 0 && id == DISPOSE_ID) {
				return;
			}
		}
		throw new IOException("the engine did not answer Dispose within " + MAX_PACKETS + " packets");
	}
}
