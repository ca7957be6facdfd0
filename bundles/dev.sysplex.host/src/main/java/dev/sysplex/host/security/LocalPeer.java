package dev.sysplex.host.security;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Which local process is at the other end of an accepted loopback TCP connection, from Linux's
 * /proc: the kernel's socket table (/proc/net/tcp and tcp6) gives the inode of the peer's socket,
 * and a process's descriptors (/proc/PID/fd) show whether it holds that socket. The Debug Manager
 * uses it to accept a job's JDWP agent only from the job's own JVM: any local program can open a
 * TCP connection, but only the JVM it started holds the agent's socket.
 */
public final class LocalPeer {

	/** The outcome of {@link #check}. */
	public enum Check {
		/** The peer's socket belongs to the process. */
		VERIFIED,
		/** It belongs to another process, or the connection is not in the kernel's table (any more). */
		OTHER_PROCESS,
		/** This system has no /proc socket table: the peer cannot be verified. */
		UNSUPPORTED
	}

	private static final Path PROC = Path.of("/proc");

	private LocalPeer() {
	}

	/** Whether {@code accepted} (a connection this process accepted) comes from process {@code pid}. */
	public static Check check(Socket accepted, long pid) {
		if (!Files.isReadable(PROC.resolve("net/tcp"))) {
			return Check.UNSUPPORTED;
		}
		OptionalLong inode = peerInode(accepted);
		if (inode.isEmpty()) {
			return Check.OTHER_PROCESS;
		}
		String link = "socket:[" + inode.getAsLong() + "]";
		try (Stream<Path> fds = Files.list(PROC.resolve(pid + "/fd"))) {
			return fds.anyMatch(fd -> {
				try {
					return Files.readSymbolicLink(fd).toString().equals(link);
				} catch (IOException e) {
					return false; // closed while we looked
				}
			}) ? Check.VERIFIED : Check.OTHER_PROCESS;
		} catch (IOException e) {
			return Check.OTHER_PROCESS; // the process is gone, or its descriptors are not ours to read
		}
	}

	/**
	 * The user id (uid) that owns the other end of {@code accepted}, a loopback connection this
	 * process accepted: the kernel's socket table has it for every socket. Empty when the table has
	 * no such row (the peer is gone) or this system has none.
	 */
	public static OptionalLong peerUid(Socket accepted) {
		return peerField(accepted, 7);
	}

	/** This process's own user id, from /proc/self; -1 where the system has no /proc. */
	public static long ownUid() {
		try {
			return ((Number) Files.getAttribute(PROC.resolve("self"), "unix:uid")).longValue();
		} catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
			return -1;
		}
	}

	/** The inode of the peer's end: the table row whose local end is our remote end and vice versa. */
	static OptionalLong peerInode(Socket accepted) {
		return peerField(accepted, 9);
	}

	/** A field of the peer's row in the socket table (7: uid, 9: inode). */
	private static OptionalLong peerField(Socket accepted, int field) {
		InetAddress peer = accepted.getInetAddress();
		InetAddress us = accepted.getLocalAddress();
		if (peer == null || us == null) {
			return OptionalLong.empty();
		}
		for (String table : List.of("net/tcp", "net/tcp6")) {
			boolean v6 = table.endsWith("6");
			String local = encode(peer, accepted.getPort(), v6);
			String remote = encode(us, accepted.getLocalPort(), v6);
			if (local == null || remote == null) {
				continue;
			}
			List<String> lines;
			try {
				lines = Files.readAllLines(PROC.resolve(table));
			} catch (IOException e) {
				continue;
			}
			for (String line : lines) {
				String[] f = line.strip().split("\\s+");
				if (f.length > 9 && f[1].equalsIgnoreCase(local) && f[2].equalsIgnoreCase(remote)) {
					try {
						return OptionalLong.of(Long.parseLong(f[field]));
					} catch (NumberFormatException e) {
						return OptionalLong.empty();
					}
				}
			}
		}
		return OptionalLong.empty();
	}

	/**
	 * An address as the kernel's table prints it: the address in 32-bit words of host (little-endian)
	 * byte order, then the port; IPv4 addresses in the tcp6 table are IPv4-mapped.
	 */
	static String encode(InetAddress address, int port, boolean v6) {
		byte[] a = address.getAddress();
		if (v6 && a.length == 4) {
			byte[] mapped = new byte[16];
			mapped[10] = (byte) 0xFF;
			mapped[11] = (byte) 0xFF;
			System.arraycopy(a, 0, mapped, 12, 4);
			a = mapped;
		} else if (!v6 && !(address instanceof Inet4Address)) {
			return null;
		}
		StringBuilder sb = new StringBuilder();
		HexFormat hex = HexFormat.of().withUpperCase();
		for (int w = 0; w < a.length; w += 4) {
			sb.append(hex.formatHex(new byte[] { a[w + 3], a[w + 2], a[w + 1], a[w] }));
		}
		return sb.append(':').append(String.format(Locale.ROOT, "%04X", port)).toString();
	}
}
