package dev.sysplex.host.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A server for the failure tests and benchmarks: it greets every connection with its system's
 * name, then echoes what it reads ({@link Mode#ECHO}: a session that must survive a takeover) or
 * reads to the end and answers how many bytes came ({@link Mode#SINK}: bulk throughput). Reads
 * are bounded by the client's own sending; an idle connection is closed after 10 minutes.
 */
public final class EchoServer implements Closeable {

	public enum Mode {
		ECHO, SINK
	}

	private static final int IDLE_MS = 600_000;
	private final ServerEndpoint endpoint;
	private final Mode mode;

	private EchoServer(ServerEndpoint endpoint, Mode mode) {
		this.endpoint = endpoint;
		this.mode = mode;
	}

	public static EchoServer start(TcpipStack stack, java.net.InetAddress address, int port, Mode mode)
			throws IOException {
		EchoServer server = new EchoServer(stack.listen(mode.name(), address, port), mode);
		Thread.ofVirtual().name(mode + " " + server.endpoint).start(server::serve);
		return server;
	}

	public ServerEndpoint endpoint() {
		return endpoint;
	}

	private void serve() {
		while (!endpoint.isClosed()) {
			Socket s;
			try {
				s = endpoint.accept();
			} catch (IOException e) {
				return;
			}
			Thread.ofVirtual().start(() -> handle(s));
		}
	}

	private void handle(Socket s) {
		try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
			s.setSoTimeout(IDLE_MS);
			s.setTcpNoDelay(true);
			out.write((endpoint.systemName() + "\n").getBytes(StandardCharsets.US_ASCII));
			byte[] b = new byte[64 * 1024];
			long total = 0;
			for (int n; (n = in.read(b)) >= 0;) {
				if (mode == Mode.ECHO) {
					out.write(b, 0, n);
				}
				total += n;
			}
			if (mode == Mode.SINK) {
				out.write((endpoint.systemName() + " " + total + "\n").getBytes(StandardCharsets.US_ASCII));
			}
		} catch (IOException e) {
			// the client went away
		}
	}

	@Override
	public void close() {
		endpoint.close();
	}
}
