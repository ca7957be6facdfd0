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
}
