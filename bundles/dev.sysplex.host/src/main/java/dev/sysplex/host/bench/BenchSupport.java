package dev.sysplex.host.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;

/** What the benchmarks share: a sink, a timed bulk transfer, heap and descriptor readings. */
final class BenchSupport {

	private BenchSupport() {
	}

	private static final byte[] JDWP_HANDSHAKE = "JDWP-Handshake".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

	/** The debugger's side of the JDWP handshake. */
	static void jdwpHandshake(java.io.DataOutputStream out, java.io.DataInputStream in) throws IOException {
		out.write(JDWP_HANDSHAKE);
		out.flush();
		if (!java.util.Arrays.equals(in.readNBytes(JDWP_HANDSHAKE.length), JDWP_HANDSHAKE)) {
			throw new IOException("no JDWP handshake");
		}
	}

	/**
	 * Sends VirtualMachine.Version as packet {@code id} in one write (as a JDI does: one TLS record,
	 * not one per field) and reads up to its answer, skipping what the agent sends first (VMStart).
	 */
	static void jdwpVersion(java.io.DataOutputStream out, java.io.DataInputStream in, int id) throws IOException {
		out.writeInt(11);
		out.writeInt(id);
		out.writeByte(0);
		out.writeByte(1); // VirtualMachine
		out.writeByte(1); // Version
		out.flush();
		while (true) {
			int length = in.readInt();
			int got = in.readInt();
			int flags = in.readUnsignedByte();
			if (length < 9 || length > 1 << 20) {
				throw new IOException("a JDWP packet of " + length + " bytes");
			}
			in.skipNBytes(length - 9);
			if ((flags & 0x80) != 0 && got == id) {
				return;
			}
		}
	}

	/** Something that accepts connections (a ServerSocket, a ServerEndpoint). */
	interface Acceptor {
		Socket accept() throws IOException;
	}

	/** Accepts connections until closed; reads each to its end, then answers 'K' so the sender knows all arrived. */
	static void drain(Acceptor acceptor) {
		while (true) {
			Socket s;
			try {
				s = acceptor.accept();
			} catch (IOException e) {
				return;
			}
			Thread.ofVirtual().start(() -> {
				try (s) {
					InputStream in = s.getInputStream();
					byte[] buf = new byte[256 * 1024];
					while (in.read(buf) >= 0) {
						// discard
					}
					s.getOutputStream().write('K');
				} catch (IOException e) {
					// sender gone
				}
			});
		}
	}

	/** MB/s to send {@code bytes} on a connected socket to a {@link #drain} sink and have it confirm; closes it. */
	static double bulk(Socket s, long bytes) throws IOException {
		try (s) {
			s.setSoTimeout(60_000);
			byte[] chunk = new byte[256 * 1024];
			OutputStream out = s.getOutputStream();
			long t0 = System.nanoTime();
			for (long sent = 0; sent < bytes; sent += chunk.length) {
				out.write(chunk);
			}
			s.shutdownOutput();
			if (s.getInputStream().read() != 'K') {
				throw new IOException("the sink did not confirm the transfer");
			}
			return bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
		}
	}

	/** Heap in use after a few collections. */
	static long usedHeap() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(100);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/** The process's descriptor limit, or -1 where the JVM cannot tell. */
	static long maxFileDescriptors() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u) {
			return u.getMaxFileDescriptorCount();
		}
		return -1;
	}

	/** The resident memory of process {@code pid} in bytes (VmRSS), 0 where it is gone or not Linux. */
	static long residentBytes(long pid) {
		try {
			for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid),
					"status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		} catch (IOException | NumberFormatException e) {
			// the process ended while we looked
		}
		return 0;
	}
}
