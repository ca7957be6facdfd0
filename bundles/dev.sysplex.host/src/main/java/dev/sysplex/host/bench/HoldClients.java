package dev.sysplex.host.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of the benchmark: opens N connections to HOST:PORT, keeps them open and idle,
 * prints "OPEN n", and exits when its standard input closes. A separate process so the
 * benchmark's own file-descriptor budget holds only the relay's and the servers' sockets.
 */
public final class HoldClients {

	private HoldClients() {
	}

	public static void main(String[] args) throws IOException {
		String host = args[0];
		int port = Integer.parseInt(args[1]);
		int n = Integer.parseInt(args[2]);
		List<Socket> open = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			Socket s = new Socket();
			s.connect(new InetSocketAddress(host, port), 10_000);
			open.add(s);
		}
		System.out.println("OPEN " + open.size());
		System.out.flush();
		while (System.in.read() >= 0) {
			// wait until the benchmark closes our stdin
		}
		for (Socket s : open) {
			s.close();
		}
	}
}
