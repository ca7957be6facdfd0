package dev.sysplex.ide.help;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.help.HelpSystem;
import org.eclipse.help.IToc;
import org.eclipse.help.ITopic;
import org.eclipse.help.server.HelpServer;

/**
 * The help server of the IDE we ship. Eclipse's own (help.webapp on Jetty, JSP and servlets) is
 * not on Maven Central in a form we can use, so this one serves what the workbench's Help system
 * asks of it: topics ({@code /help/topic/}, {@code /help/ntopic/}, {@code /help/nftopic/}: the
 * bytes {@link HelpSystem#getHelpContent(String)} gives, from every installed plug-in's help) and
 * a contents page ({@code /help/index.jsp}, the books and their topics as links; with
 * {@code ?topic=} it goes to that topic). Search and context help (F1) run in the workbench
 * (help.base, Lucene) and need no server.
 * <p>
 * Who may speak on this port: it listens on the loopback address only, on a port the system picks,
 * answers GET and HEAD of help content and nothing else, and refuses a request whose Host is not
 * this address and port (a web page that rebinds a name to 127.0.0.1 gets 403, not the help). A
 * request head is read within 10 s and 16 KiB, a topic up to 16 MiB, and a connection that is
 * still open after 30 s is closed.
 */
public final class LocalHelpServer extends HelpServer {

	static final int MAX_HEAD = 16 * 1024;
	static final int MAX_CONTENT = 16 * 1024 * 1024;
	static final int READ_TIMEOUT_MS = 10_000;
	static final int CONNECTION_LIMIT_S = 30;

	private ServerSocket server;
	private ScheduledExecutorService watchdog;

	@Override
	public synchronized void start(String webappName) throws Exception {
		if (server != null) {
			return;
		}
		ServerSocket s = new ServerSocket();
		s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		server = s;
		watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "Sysplex IDE help server watchdog");
			t.setDaemon(true);
			return t;
		});
		Thread acceptor = new Thread(() -> accept(s), "Sysplex IDE help server on " + getHost() + ":" + s.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	@Override
	public synchronized void stop(String webappName) throws CoreException {
		if (server != null) {
			try {
				server.close();
			} catch (IOException e) {
				// closing: nothing more to do
			}
			watchdog.shutdownNow();
			server = null;
		}
	}

	@Override
	public synchronized int getPort() {
		return server == null ? -1 : server.getLocalPort();
	}

	@Override
	public String getHost() {
		return InetAddress.getLoopbackAddress().getHostAddress();
	}

	private void accept(ServerSocket s) {
		while (!s.isClosed()) {
			Socket c;
			try {
				c = s.accept();
			} catch (IOException e) {
				return; // stopped
			}
			ScheduledFuture<?> limit = watchdog.schedule(() -> close(c), CONNECTION_LIMIT_S, TimeUnit.SECONDS);
			Thread.ofVirtual().name("help request").start(() -> {
				try (c) {
					c.setSoTimeout(READ_TIMEOUT_MS);
					serve(c.getInputStream(), c.getOutputStream(), s.getLocalPort());
					// a graceful end: what the client still sends (an oversized request) is read and dropped,
					// at most 64 KiB within 1 s, so that closing does not reset the answer away
					c.shutdownOutput();
					c.setSoTimeout(1_000);
					c.getInputStream().readNBytes(64 * 1024);
				} catch (SocketTimeoutException e) {
					// a client that said nothing within the limit: closed
				} catch (IOException e) {
					ILog.of(LocalHelpServer.class).warn("Help server on " + getHost() + ":" + s.getLocalPort()
							+ ": a request failed: " + e.getMessage());
				} finally {
					limit.cancel(false);
				}
			});
		}
	}

	private static void close(Socket c) {
		try {
			c.close();
		} catch (IOException e) {
			// gone already
		}
	}

	/** One request, one answer, then the connection closes (HTTP/1.0 style). */
	void serve(InputStream in, OutputStream out, int port) throws IOException {
		String head = readHead(in);
		if (head == null) {
			respond(out, 431, "text/plain", "request head larger than " + MAX_HEAD + " bytes\n", false);
			return;
		}
		String[] lines = head.split("\r\n");
		String[] request = lines[0].split(" ");
		if (request.length != 3 || !request[2].startsWith("HTTP/")) {
			respond(out, 400, "text/plain", "not an HTTP request line: " + lines[0] + "\n", false);
			return;
		}
		boolean headOnly = request[0].equals("HEAD");
		if (!request[0].equals("GET") && !headOnly) {
			respond(out, 405, "text/plain", "only GET and HEAD\n", false);
			return;
		}
		String host = null;
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase("Host")) {
				host = lines[i].substring(colon + 1).trim();
			}
		}
		if (host == null || !(host.equals(getHost() + ":" + port) || host.equals("localhost:" + port))) {
			respond(out, 403, "text/plain", "this help server answers requests for " + getHost() + ":" + port
					+ " only\n", headOnly);
			return;
		}
		String target = request[1];
		int q = target.indexOf('?');
		String path = q < 0 ? target : target.substring(0, q);
		String query = q < 0 ? "" : target.substring(q + 1);
		if (path.equals("/help") || path.equals("/help/") || path.equals("/help/index.jsp")) {
			String topic = parameter(query, "topic");
			if (topic != null && topic.startsWith("/")) {
				redirect(out, "/help/topic" + topic);
			} else {
				respond(out, 200, "text/html; charset=UTF-8", contents(), headOnly);
			}
			return;
		}
		for (String prefix : new String[] { "/help/topic/", "/help/ntopic/", "/help/nftopic/" }) {
			if (path.startsWith(prefix)) {
				String href = "/" + URLDecoder.decode(path.substring(prefix.length()), StandardCharsets.UTF_8);
				if (href.contains("/../") || href.endsWith("/..")) {
					break;
				}
				byte[] content = content(href);
				if (content == null) {
					break;
				}
				respond(out, 200, type(href), content, headOnly);
				return;
			}
		}
		respond(out, 404, "text/plain", "no help topic at " + path + "\n", headOnly);
	}

	/** The request head up to the empty line, or null when it exceeds {@link #MAX_HEAD}. */
	static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int last = 0; // the last four bytes read
		while (head.size() < MAX_HEAD) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("the client closed the connection within its request");
			}
			head.write(b);
			last = (last << 8) | b;
			if (last == 0x0d0a0d0a) { // CR LF CR LF: the end of the head
				return head.toString(StandardCharsets.ISO_8859_1);
			}
		}
		return null;
	}

	private static String parameter(String query, String name) {
		for (String pair : query.split("&")) {
			int eq = pair.indexOf('=');
			if (eq > 0 && pair.substring(0, eq).equals(name)) {
				return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	private static byte[] content(String href) throws IOException {
		InputStream in = HelpSystem.getHelpContent(href);
		if (in == null) {
			return null;
		}
		try (in) {
			byte[] bytes = in.readNBytes(MAX_CONTENT + 1);
			if (bytes.length > MAX_CONTENT) {
				throw new IOException("the help topic " + href + " is larger than " + MAX_CONTENT + " bytes");
			}
			return bytes;
		}
	}

	/** The books and their topics, as links to the topics. */
	static String contents() {
		StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>Help - "
				+ "Contents</title></head><body><h1>Help contents</h1>\n");
		IToc[] tocs = HelpSystem.getTocs();
		if (tocs.length == 0) {
			html.append("<p>No installed plug-in contributes help.</p>\n");
		}
		for (IToc toc : tocs) {
			String book = toc.getHref();
			html.append("<h2>");
			link(html, book, toc.getLabel());
			html.append("</h2>\n<ul>\n");
			for (ITopic t : toc.getTopics()) {
				topic(html, t, 0);
			}
			html.append("</ul>\n");
		}
		return html.append("</body></html>\n").toString();
	}

	private static void topic(StringBuilder html, ITopic t, int depth) {
		if (depth > 16) {
			return; // a book nested deeper than any real one: not followed further
		}
		html.append("<li>");
		link(html, t.getHref(), t.getLabel());
		ITopic[] children = t.getSubtopics();
		if (children.length > 0) {
			html.append("\n<ul>\n");
			for (ITopic c : children) {
				topic(html, c, depth + 1);
			}
			html.append("</ul>");
		}
		html.append("</li>\n");
	}

	/** {@code label} as a link to the topic at {@code href}, or as text when it has none of its own. */
	private static void link(StringBuilder html, String href, String label) {
		if (href != null && href.startsWith("/")) {
			html.append("<a href=\"/help/topic").append(escape(href)).append("\">").append(escape(label)).append("</a>");
		} else {
			html.append(escape(label));
		}
	}

	static String escape(String s) {
		return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

	static String type(String href) {
		String name = href.toLowerCase(Locale.ROOT);
		int q = name.indexOf('#');
		if (q >= 0) {
			name = name.substring(0, q);
		}
		if (name.endsWith(".html") || name.endsWith(".htm")) {
			return "text/html";
		} else if (name.endsWith(".css")) {
			return "text/css";
		} else if (name.endsWith(".png")) {
			return "image/png";
		} else if (name.endsWith(".gif")) {
			return "image/gif";
		} else if (name.endsWith(".svg")) {
			return "image/svg+xml";
		} else if (name.endsWith(".js")) {
			return "text/javascript";
		}
		return "application/octet-stream";
	}

	private static void redirect(OutputStream out, String location) throws IOException {
		out.write(("HTTP/1.0 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
		out.flush();
	}

	private static void respond(OutputStream out, int status, String type, String body, boolean headOnly)
			throws IOException {
		respond(out, status, type, body.getBytes(StandardCharsets.UTF_8), headOnly);
	}

	private static void respond(OutputStream out, int status, String type, byte[] body, boolean headOnly)
			throws IOException {
		String reason = switch (status) {
		case 200 -> "OK";
		case 400 -> "Bad Request";
		case 403 -> "Forbidden";
		case 404 -> "Not Found";
		case 405 -> "Method Not Allowed";
		case 431 -> "Request Header Fields Too Large";
		default -> "Error";
		};
		out.write(("HTTP/1.0 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: "
				+ body.length + "\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
		if (!headOnly) {
			out.write(body);
		}
		out.flush();
	}
}
