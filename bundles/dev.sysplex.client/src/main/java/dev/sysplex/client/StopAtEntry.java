package dev.sysplex.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Stops a job's JVM at the first line of its main method before any debugger speaks, as z/OS
 * Debugger stops a program at entry: on a linked debug session (its JVM suspended at VM start),
 * it does the JDWP handshake, asks for the main class's preparation, lets the JVM load it, sets a
 * breakpoint at the first line of {@code main}, resumes, and takes the breakpoint's event; then it
 * clears its requests. The JVM is left suspended there with no request of ours in it, and a
 * debugger that attaches afterwards (its handshake answered by {@link #answerHandshake}) finds the
 * program stopped at its first line whatever breakpoints it has. Raw JDWP, a few packets each way,
 * every read bounded by the socket's timeout and every packet by its size.
 */
public final class StopAtEntry {

	private static final byte[] HANDSHAKE = "JDWP-Handshake".getBytes(StandardCharsets.US_ASCII);
	private static final int MAX_PACKET = 1 << 20;
	/** Packets to skip while waiting for one answer or event (a JVM sends few unasked). */
	private static final int MAX_SKIPPED = 64;
	private static final byte EVENT_BREAKPOINT = 2;
	private static final byte EVENT_CLASS_PREPARE = 8;
	private static final byte EVENT_VM_START = 90;
	private static final byte SUSPEND_ALL = 2;

	private final DataInputStream in;
	private final DataOutputStream out;
	private int nextId = 1;
	private int objectIdSize = 8;
	private int methodIdSize = 8;
	private int referenceIdSize = 8;
	/**
	 * Events that came while a reply was awaited: a JVM may send the event a Resume causes (the
	 * class prepared, the breakpoint hit) before its reply to that Resume. Dropping them lost the
	 * stop, and the wait for it timed out.
	 */
	private final java.util.ArrayDeque<byte[]> early = new java.util.ArrayDeque<>();

	private StopAtEntry(InputStream in, OutputStream out) {
		this.in = new DataInputStream(in);
		this.out = new DataOutputStream(out);
	}

	/**
	 * Where the program stopped; {@code thread} is the JDWP id of its main thread, {@code idSize}
	 * the target's object id size.
	 */
	public record Stopped(String className, int line, byte[] thread, int idSize) {
	}

	/**
	 * Runs the sequence on {@code link} (a linked session whose JVM waits at VM start); its read
	 * timeout is set to {@code timeout} for every step and left at 0 afterwards.
	 *
	 * @param mainClass the binary name of the job's main class, such as Payroll
	 */
	public static Stopped run(Socket link, InputStream in, OutputStream out, String mainClass, Duration timeout)
			throws IOException {
		link.setSoTimeout((int) Math.max(1, timeout.toMillis()));
		try {
			return new StopAtEntry(in, out).stop(mainClass);
		} finally {
			link.setSoTimeout(0);
		}
	}

	/**
	 * Reads a debugger's "JDWP-Handshake" from {@code in} and answers it (the JVM's was done
	 * already), then tells it the VM started with every thread suspended, naming the stopped main
	 * thread: the VMStart event a debugger gets when it attaches to a JVM that waits for it, so it
	 * takes the program as stopped, and shows the main thread at its first line.
	 */
	public static void answerHandshake(InputStream in, OutputStream out, Stopped stopped) throws IOException {
		byte[] got = new DataInputStream(in).readNBytes(HANDSHAKE.length);
		if (!Arrays.equals(got, HANDSHAKE)) {
			throw new IOException("the debugger did not begin with the JDWP handshake");
		}
		DataOutputStream d = new DataOutputStream(out);
		d.write(HANDSHAKE);
		d.writeInt(11 + 1 + 4 + 1 + 4 + stopped.thread().length); // Event.Composite, one VM_START
		d.writeInt(1);
		d.writeByte(0);
		d.writeByte(64);
		d.writeByte(100);
		d.writeByte(SUSPEND_ALL);
		d.writeInt(1);
		d.writeByte(EVENT_VM_START);
		d.writeInt(0); // requestID 0: the automatic event
		d.write(stopped.thread());
		d.flush();
	}

	private Stopped stop(String mainClass) throws IOException {
		out.write(HANDSHAKE);
		out.flush();
		if (!Arrays.equals(in.readNBytes(HANDSHAKE.length), HANDSHAKE)) {
			throw new IOException("the job's JVM did not answer the JDWP handshake");
		}
		awaitEvent(EVENT_VM_START);
		DataInputStream sizes = command(1, 7, new byte[0]); // VirtualMachine.IDSizes
		sizes.readInt(); // fieldID
		methodIdSize = sizes.readInt();
		objectIdSize = sizes.readInt();
		referenceIdSize = sizes.readInt();
		// EventRequest.Set CLASS_PREPARE, suspend all, ClassMatch(mainClass)
		Packet prepare = new Packet().b(EVENT_CLASS_PREPARE).b(SUSPEND_ALL).i(1).b(5).s(mainClass);
		int prepareRequest = command(15, 1, prepare.bytes()).readInt();
		command(1, 9, new byte[0]); // VirtualMachine.Resume
		DataInputStream event = awaitEvent(EVENT_CLASS_PREPARE);
		event.readInt(); // requestID
		event.skipNBytes(objectIdSize); // thread
		byte typeTag = event.readByte();
		byte[] classId = event.readNBytes(referenceIdSize);
		command(15, 2, new Packet().b(EVENT_CLASS_PREPARE).i(prepareRequest).bytes()); // EventRequest.Clear
		// ReferenceType.Methods: find main(String[])
		DataInputStream methods = command(2, 5, classId);
		int count = methods.readInt();
		byte[] mainId = null;
		for (int i = 0; i < count && i < 100_000; i++) {
			byte[] id = methods.readNBytes(methodIdSize);
			String name = string(methods);
			String signature = string(methods);
			methods.readInt(); // modBits
			if (name.equals("main") && signature.equals("([Ljava/lang/String;)V")) {
				mainId = id;
			}
		}
		if (mainId == null) {
			throw new IOException(mainClass + " has no main(String[]) to stop in");
		}
		// Method.LineTable: the first line's code index
		DataInputStream lines = command(6, 1, new Packet().raw(classId).raw(mainId).bytes());
		lines.readLong(); // start
		lines.readLong(); // end
		int n = lines.readInt();
		long index = -1;
		int line = -1;
		for (int i = 0; i < n && i < 100_000; i++) {
			long codeIndex = lines.readLong();
			int number = lines.readInt();
			if (index < 0 || codeIndex < index) {
				index = codeIndex;
				line = number;
			}
		}
		if (index < 0) {
			throw new IOException(mainClass + ".main has no line numbers (compiled without -g?)");
		}
		// EventRequest.Set BREAKPOINT, suspend all, LocationOnly(main, first line)
		Packet bp = new Packet().b(EVENT_BREAKPOINT).b(SUSPEND_ALL).i(1).b(7).b(typeTag).raw(classId).raw(mainId).l(index);
		int bpRequest = command(15, 1, bp.bytes()).readInt();
		command(1, 9, new byte[0]); // resume: main starts and stops at once
		DataInputStream hit = awaitEvent(EVENT_BREAKPOINT);
		hit.readInt(); // requestID
		byte[] thread = hit.readNBytes(objectIdSize);
		command(15, 2, new Packet().b(EVENT_BREAKPOINT).i(bpRequest).bytes());
		return new Stopped(mainClass, line, thread, objectIdSize);
	}

	/** Sends a command and returns its reply's data; an error code is an IOException naming the command. */
	private DataInputStream command(int set, int cmd, byte[] data) throws IOException {
		int id = nextId++;
		out.writeInt(11 + data.length);
		out.writeInt(id);
		out.writeByte(0);
		out.writeByte(set);
		out.writeByte(cmd);
		out.write(data);
		out.flush();
		for (int skipped = 0; skipped < MAX_SKIPPED; skipped++) {
			int length = in.readInt();
			if (length < 11 || length > MAX_PACKET) {
				throw new IOException("the job's JVM sent a JDWP packet of " + length + " bytes");
			}
			int got = in.readInt();
			int flags = in.readUnsignedByte();
			byte[] rest = in.readNBytes(length - 9);
			if ((flags & 0x80) != 0 && got == id) {
				int error = ((rest[0] & 0xff) << 8) | (rest[1] & 0xff);
				if (error != 0) {
					throw new IOException("JDWP command " + set + "/" + cmd + " failed with error " + error);
				}
				return new DataInputStream(new java.io.ByteArrayInputStream(rest, 2, rest.length - 2));
			}
			if ((flags & 0x80) == 0 && early.size() < MAX_SKIPPED) {
				early.add(rest); // an event before the reply: kept for awaitEvent
			}
		}
		throw new IOException("no answer to JDWP command " + set + "/" + cmd + " within " + MAX_SKIPPED + " packets");
	}

	/** Waits for a composite event holding an event of {@code kind}; returns the data after its kind byte. */
	private DataInputStream awaitEvent(byte kind) throws IOException {
		for (byte[] rest; (rest = early.poll()) != null;) {
			DataInputStream e = event(rest, kind);
			if (e != null) {
				return e;
			}
		}
		for (int skipped = 0; skipped < MAX_SKIPPED; skipped++) {
			int length = in.readInt();
			if (length < 11 || length > MAX_PACKET) {
				throw new IOException("the job's JVM sent a JDWP packet of " + length + " bytes");
			}
			in.readInt(); // id
			int flags = in.readUnsignedByte();
			byte[] rest = in.readNBytes(length - 9);
			DataInputStream e = (flags & 0x80) == 0 ? event(rest, kind) : null;
			if (e != null) {
				return e;
			}
		}
		throw new IOException("the job's JVM sent no JDWP event " + kind + " within " + MAX_SKIPPED + " packets");
	}

	/** The data after the kind byte when {@code rest} (a packet after its flags) is a composite event of {@code kind}. */
	private static DataInputStream event(byte[] rest, byte kind) throws IOException {
		if (rest.length < 8 || rest[0] != 64 || rest[1] != 100) { // Event.Composite
			return null;
		}
		DataInputStream e = new DataInputStream(new java.io.ByteArrayInputStream(rest, 2, rest.length - 2));
		e.readByte(); // suspendPolicy
		int events = e.readInt();
		// the first event is the one asked for (requests here hold one kind at a time)
		return events >= 1 && e.readByte() == kind ? e : null;
	}

	private static String string(DataInputStream in) throws IOException {
		int n = in.readInt();
		if (n < 0 || n > MAX_PACKET) {
			throw new IOException("a JDWP string of " + n + " bytes");
		}
		return new String(in.readNBytes(n), StandardCharsets.UTF_8);
	}

	/** A command's data, written field by field. */
	private static final class Packet {
		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		private final DataOutputStream d = new DataOutputStream(bytes);

		Packet b(int v) throws IOException {
			d.writeByte(v);
			return this;
		}

		Packet i(int v) throws IOException {
			d.writeInt(v);
			return this;
		}

		Packet l(long v) throws IOException {
			d.writeLong(v);
			return this;
		}

		Packet s(String v) throws IOException {
			byte[] b = v.getBytes(StandardCharsets.UTF_8);
			d.writeInt(b.length);
			d.write(b);
			return this;
		}

		Packet raw(byte[] v) throws IOException {
			d.write(v);
			return this;
		}

		byte[] bytes() {
			return bytes.toByteArray();
		}
	}
}
