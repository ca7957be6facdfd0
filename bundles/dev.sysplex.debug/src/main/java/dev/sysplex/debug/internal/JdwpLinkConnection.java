package dev.sysplex.debug.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.sun.jdi.connect.spi.ClosedConnectionException;
import com.sun.jdi.connect.spi.Connection;

import dev.sysplex.client.DebugLink;

/**
 * A JDI connection over the stream the debug handoff linked through the DVIPA and the Debug
 * Manager: JDWP packets (a 4-byte length, then the rest). Used with Eclipse's JDI
 * (org.eclipse.jdi.Bootstrap), which makes a VirtualMachine from any open Connection.
 */
final class JdwpLinkConnection extends Connection {

	static final int MAX_PACKET = 16 * 1024 * 1024;
	private static final byte[] HANDSHAKE = "JDWP-Handshake".getBytes(StandardCharsets.US_ASCII);

	private final Socket socket;
	private final InputStream in;
	private final OutputStream out;
	private final Object readLock = new Object();
	private final Object writeLock = new Object();
	private volatile boolean open = true;

	private JdwpLinkConnection(Socket socket, InputStream in, OutputStream out) {
		this.socket = socket;
		this.in = in;
		this.out = out;
	}

	/** Does the JDWP handshake on the linked stream; the connection is then ready for a VirtualMachine. */
	static JdwpLinkConnection handshake(DebugLink.Linked linked) throws IOException {
		linked.out().write(HANDSHAKE);
		linked.out().flush();
		byte[] answer = linked.in().readNBytes(HANDSHAKE.length);
		if (!Arrays.equals(answer, HANDSHAKE)) {
			throw new IOException("the debug engine of job " + linked.job() + " did not answer the JDWP handshake");
		}
		return new JdwpLinkConnection(linked.socket(), linked.in(), linked.out());
	}

	@Override
	public byte[] readPacket() throws IOException {
		synchronized (readLock) {
			if (!open) {
				throw new ClosedConnectionException();
			}
			byte[] head = in.readNBytes(4);
			if (head.length == 0) {
				return new byte[0];
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
