package dev.sysplex.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.sun.jdi.connect.spi.ClosedConnectionException;
import com.sun.jdi.connect.spi.Connection;

/**
 * A JDI connection (com.sun.jdi.connect.spi.Connection) over the stream {@link DebugLink} linked
 * through the DVIPA and a Debug Manager to a job's JDWP agent: JDWP packets, a 4-byte length and
 * the rest. {@link #handshake} does the JDWP handshake; the result goes to any JDI's
 * VirtualMachineManager.createVirtualMachine: the JDK's (the demo) or Eclipse's (the IDE).
 */
public final class JdwpConnection extends Connection {

	/** Largest JDWP packet accepted from the engine. */
	public static final int MAX_PACKET = 16 * 1024 * 1024;
	private static final byte[] HANDSHAKE = "JDWP-Handshake".getBytes(StandardCharsets.US_ASCII);

	private final Socket socket;
	private final InputStream in;
	private final OutputStream out;
	private final Object readLock = new Object();
	private final Object writeLock = new Object();
	private volatile boolean open = true;

	private JdwpConnection(Socket socket, InputStream in, OutputStream out) {
		this.socket = socket;
		this.in = in;
		this.out = out;
	}

	/** Does the JDWP handshake on the linked stream and returns the connection, ready for a VirtualMachine. */
	public static JdwpConnection handshake(DebugLink.Linked linked) throws IOException {
		linked.out().write(HANDSHAKE);
		linked.out().flush();
		byte[] answer = linked.in().readNBytes(HANDSHAKE.length);
		if (!Arrays.equals(answer, HANDSHAKE)) {
			throw new IOException("the debug engine of job " + linked.job() + " did not answer the JDWP handshake (got "
					+ new String(answer, StandardCharsets.US_ASCII) + ")");
		}
		return new JdwpConnection(linked.socket(), linked.in(), linked.out());
	}

	@Override
	public byte[] readPacket() throws IOException {
		synchronized (readLock) {
			if (!open) {
				throw new ClosedConnectionException();
			}
			byte[] head = in.readNBytes(4);
			if (head.length == 0) {
				// end of stream: the engine or the relay closed. Both JDIs end the session on an
				// IOException; Eclipse's fails on the empty packet the JDK's would also accept.
				open = false;
				throw new ClosedConnectionException();
			}
			if (head.length < 4) {
				throw new EOFException("the JDWP stream ended inside a packet header");
			}
			int length = ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
			if (length < 11 || length > MAX_PACKET) {
				throw new IOException("JDWP packet of " + length + " bytes, expected 11.." + MAX_PACKET);
			}
			byte[] packet = new byte[length];
			System.arraycopy(head, 0, packet, 0, 4);
			if (in.readNBytes(packet, 4, length - 4) < length - 4) {
				throw new EOFException("the JDWP stream ended inside a packet");
			}
			return packet;
		}
	}

	@Override
	public void writePacket(byte[] packet) throws IOException {
		synchronized (writeLock) {
			if (!open) {
				throw new ClosedConnectionException();
			}
			out.write(packet);
			out.flush();
		}
	}

	@Override
	public void close() throws IOException {
		open = false;
		socket.close();
	}

	@Override
	public boolean isOpen() {
		return open;
	}
}
