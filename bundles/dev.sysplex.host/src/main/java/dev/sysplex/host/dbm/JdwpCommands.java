package dev.sysplex.host.dbm;

/**
 * Watches the debugger-to-JVM direction of a relayed JDWP connection, byte by byte as it passes,
 * and reports each command packet's command set and command. It never holds a packet: it keeps an
 * 11-byte header and counts the rest, so a relay can feed it every buffer it forwards at no cost.
 * <p>
 * The stream is the 14-byte "JDWP-Handshake" and then packets: length (4 bytes, big-endian, header
 * included), id (4), flags (1; 0x80 for a reply), then command set (1) and command (1) for a
 * command or an error code (2) for a reply, then data. A stream that is not JDWP (a wrong
 * handshake, a length below 11) stops the watch for good; the bytes still flow, the relay is not a
 * firewall.
 */
public final class JdwpCommands {

	/** What the watcher reports. */
	@FunctionalInterface
	public interface Listener {
		void command(int commandSet, int command);
	}

	/** JDWP VirtualMachine (command set 1) Exit (command 10): the debugger ends the JVM. */
	public static boolean isExit(int commandSet, int command) {
		return commandSet == 1 && command == 10;
	}

	private static final byte[] HANDSHAKE = "JDWP-Handshake".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
	private static final int HEADER = 11;

	private final Listener listener;
	private int handshake; // handshake bytes seen so far
	private final byte[] header = new byte[HEADER];
	private int headerFill;
	private long skip; // data bytes of the current packet still to pass
	private boolean stopped;

	public JdwpCommands(Listener listener) {
		this.listener = listener;
	}

	/** False once the stream proved not to be JDWP. */
	public boolean watching() {
		return !stopped;
	}

	/** Feeds bytes in stream order. */
	public void feed(byte[] b, int off, int len) {
		int i = off;
		int end = off + len;
		while (i < end && !stopped) {
			if (handshake < HANDSHAKE.length) {
				if (b[i++] != HANDSHAKE[handshake++]) {
					stopped = true;
				}
			} else if (skip > 0) {
				int n = (int) Math.min(skip, end - i);
				skip -= n;
				i += n;
			} else {
				header[headerFill++] = b[i++];
				if (headerFill == HEADER) {
					headerFill = 0;
					long length = ((header[0] & 0xFFL) << 24) | ((header[1] & 0xFF) << 16) | ((header[2] & 0xFF) << 8)
							| (header[3] & 0xFF);
					if (length < HEADER) {
						stopped = true;
						return;
					}
					skip = length - HEADER;
					if ((header[8] & 0x80) == 0) {
						listener.command(header[9] & 0xFF, header[10] & 0xFF);
					}
				}
			}
		}
	}
}
