package dev.sysplex.host.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The established TCP connections of this process's network namespace on one local address, from
 * /proc/net/tcp and tcp6 (a JVM's sockets are often IPv6 ones with IPv4-mapped addresses): what a
 * target tells a new distributor so that connections routed before a takeover keep their route,
 * as z/OS targets tell a new distributing stack.
 */
final class TcpTable {

	/** One connection: the local port, and the client's address and port. */
	record Connection(int localPort, InetAddress client, int clientPort) {
	}

	private static final String ESTABLISHED = "01";
	/** A namespace with more connections than this is not read further. */
	private static final int MAX_LINES = 200_000;

	private TcpTable() {
	}

	static List<Connection> established(InetAddress local) throws IOException {
		List<Connection> list = new ArrayList<>();
		read(Path.of("/proc/net/tcp"), local, list);
		read(Path.of("/proc/net/tcp6"), local, list);
		return list;
	}

	private static void read(Path file, InetAddress local, List<Connection> into) throws IOException {
		if (!Files.exists(file)) {
			return;
		}
		List<String> lines = Files.readAllLines(file);
		for (int i = 1; i < lines.size() && i < MAX_LINES; i++) {
			String[] f = lines.get(i).strip().split("\\s+");
			if (f.length < 4 || !f[3].equals(ESTABLISHED)) {
				continue;
			}
			String[] l = f[1].split(":");
			String[] r = f[2].split(":");
			InetAddress la = address(l[0]);
			InetAddress ra = address(r[0]);
			if (la != null && ra != null && la.equals(local)) {
				into.add(new Connection(Integer.parseInt(l[1], 16), ra, Integer.parseInt(r[1], 16)));
			}
		}
	}

	/** An address as /proc writes it: IPv4 in 8 hex digits, IPv6 in 32, both in host (little-endian) words. */
	static InetAddress address(String hex) {
		try {
			if (hex.length() == 8) {
				return InetAddress.getByAddress(word(hex));
			}
			if (hex.length() == 32 && hex.startsWith("0000000000000000FFFF0000")) { // ::ffff:a.b.c.d
				return InetAddress.getByAddress(word(hex.substring(24)));
			}
		} catch (UnknownHostException | NumberFormatException e) {
			return null;
		}
		return null; // a real IPv6 address: no DVIPA here is one
	}

	private static byte[] word(String hex8) {
		long v = Long.parseLong(hex8, 16);
		return new byte[] { (byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24) };
	}
}
