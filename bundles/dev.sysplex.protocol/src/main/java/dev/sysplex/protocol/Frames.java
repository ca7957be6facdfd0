package dev.sysplex.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Length-prefixed framing: a 4-byte big-endian payload length, then the payload. Every read
 * is bounded by a caller-given limit, checked before any payload byte is buffered, so a peer
 * cannot make us allocate more than the limit. Timeouts are the socket's (SO_TIMEOUT): a read
 * that times out throws {@link java.net.SocketTimeoutException}.
 */
public final class Frames {

	/** Largest frame any Sysplex Explorer protocol accepts unless it says otherwise. */
	public static final int DEFAULT_MAX_FRAME = 64 * 1024;

	/** First byte of a TLS record carrying a handshake (a ClientHello from a TLS client). */
	public static final int TLS_HANDSHAKE_RECORD = 0x16;

	/** First byte of a TLS alert record: a TLS server's answer to a plaintext client. */
	public static final int TLS_ALERT_RECORD = 0x15;

	private Frames() {
	}

	/** Writes a message of at most {@link #DEFAULT_MAX_FRAME} bytes; see {@link #write(OutputStream, Message, int)}. */
	public static void write(OutputStream out, Message message) throws IOException {
		write(out, message, DEFAULT_MAX_FRAME);
	}

	/**
	 * Writes one message as one frame. A message whose payload is over {@code maxFrame} (the limit the
	 * receiver enforces) is refused here, before any byte is written, with {@link FrameTooLarge}: the
	 * receiver would otherwise drop the whole connection.
	 */
	public static void write(OutputStream out, Message message, int maxFrame) throws IOException {
		byte[] payload = message.encode();
		if (payload.length > maxFrame) {
			throw new FrameTooLarge("a " + message.type() + " message of " + payload.length + " bytes is over the frame "
					+ "limit of " + maxFrame + " bytes; nothing was sent");
		}
		byte[] frame = new byte[4 + payload.length];
		frame[0] = (byte) (payload.length >>> 24);
		frame[1] = (byte) (payload.length >>> 16);
		frame[2] = (byte) (payload.length >>> 8);
		frame[3] = (byte) payload.length;
		System.arraycopy(payload, 0, frame, 4, payload.length);
		out.write(frame);
		out.flush();
	}

	/**
	 * Reads one message.
	 *
	 * @return the message, or {@code null} when the peer closed the connection cleanly before a
	 *         new frame began
	 * @throws ProtocolException when the frame is longer than {@code maxFrame}, empty, cut
	 *         short, or not a message; a frame that starts like a TLS record is reported as such
	 */
	public static Message read(InputStream in, int maxFrame) throws IOException {
		int b0 = in.read();
		if (b0 < 0) {
			return null;
		}
		byte[] head = new byte[3];
		readFully(in, head, "frame length");
		if (b0 == TLS_HANDSHAKE_RECORD && head[0] == 0x03) {
			throw new TlsRecordException("the peer started a TLS handshake on a connection without encryption");
		}
		if (b0 == TLS_ALERT_RECORD && head[0] == 0x03) {
			throw new TlsRecordException("the peer answered with a TLS alert: it expects an encrypted connection");
		}
		long length = ((long) b0 << 24) | ((head[0] & 0xFFL) << 16) | ((head[1] & 0xFFL) << 8) | (head[2] & 0xFFL);
		if (length == 0 || length > maxFrame) {
			throw new ProtocolException("frame of " + length + " bytes, the limit is 1.." + maxFrame);
		}
		byte[] payload = new byte[(int) length];
		readFully(in, payload, "frame of " + length + " bytes");
		return Message.decode(payload);
	}

	/** A message too large for the frame limit; it was not sent, and the connection is still usable. */
	public static final class FrameTooLarge extends ProtocolException {
		private static final long serialVersionUID = 1L;

		FrameTooLarge(String message) {
			super(message);
		}
	}

	/** The peer speaks TLS where plaintext frames were expected (or answered plaintext with a TLS alert). */
	public static final class TlsRecordException extends ProtocolException {
		private static final long serialVersionUID = 1L;

		TlsRecordException(String message) {
			super(message);
		}
	}

	private static void readFully(InputStream in, byte[] buf, String what) throws IOException {
		int off = 0;
		while (off < buf.length) {
			int n = in.read(buf, off, buf.length - off);
			if (n < 0) {
				throw new EOFException("connection closed in the middle of a " + what + " (" + off + " of "
						+ buf.length + " bytes read)");
			}
			off += n;
		}
	}
}
