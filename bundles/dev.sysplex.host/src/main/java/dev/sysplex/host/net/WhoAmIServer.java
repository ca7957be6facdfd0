package dev.sysplex.host.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A tiny server that answers every connection with one line, "SYSNAME JOBNAME PORT", and closes.
 * It shows where the distributor sent a connection before the real servers exist, and it is the
 * server the network tests and benchmarks route to.
 */
public final class WhoAmIServer implements Closeable {

	private final ServerEndpoint endpoint;

	private WhoAmIServer(ServerEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/** Listens on {@code stack} at {@code address:port} (port 0: assigned) as job WHOAMI. */
	public static WhoAmIServer start(TcpipStack stack, java.net.InetAddress address, int port) throws IOException {
		WhoAmIServer server = new WhoAmIServer(stack.listen("WHOAMI", address, port));
		Thread.ofVirtual().name("whoami " + server.endpoint).start(server::serve);
		return server;
	}

	public ServerEndpoint endpoint() {
		return endpoint;
	}

	private void serve() {
		byte[] answer = (endpoint.systemName() + " " + endpoint.jobName() + " " + endpoint.port() + "\n")
				.getBytes(StandardCharsets.US_ASCII);
		while (!endpoint.isClosed()) {
			try {
				Socket s = endpoint.accept();
				Thread.ofVirtual().start(() -> {
					try (s; OutputStream out = s.getOutputStream()) {
						out.write(answer);
					} catch (IOException e) {
						// the client went away first: nothing to answer
					}
				});
			} catch (IOException e) {
				return; // closed
			}
		}
	}

	@Override
	public void close() {
		endpoint.close();
	}
}
