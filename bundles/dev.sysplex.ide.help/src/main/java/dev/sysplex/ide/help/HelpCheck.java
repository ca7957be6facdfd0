package dev.sysplex.ide.help;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.help.HelpSystem;
import org.eclipse.help.IContext;
import org.eclipse.help.IHelpResource;
import org.eclipse.help.internal.base.BaseHelpSystem;
import org.eclipse.help.internal.search.ISearchHitCollector;
import org.eclipse.help.internal.search.SearchHit;
import org.eclipse.help.internal.search.SearchQuery;
import org.eclipse.help.internal.server.WebappManager;

/**
 * A headless application the install check runs in the IDE we ship, with the client installed:
 * the Help system finds the client's context help (F1) and its guide, its search (Lucene) finds
 * the guide, and the help server serves the guide and the contents page over HTTP, and nothing to
 * a request for another host or another path. Exit 0 when all hold; each step prints a line.
 */
public final class HelpCheck implements IApplication {

	private static final String GUIDE = "/dev.sysplex.ui/help/html/guide.html";
	private static final String CONTEXT = "dev.sysplex.ui.explorer";
	private final List<String> failures = new ArrayList<>();

	@Override
	public Object start(IApplicationContext context) throws Exception {
		IContext f1 = HelpSystem.getContext(CONTEXT);
		if (f1 == null) {
			fail("no context help for " + CONTEXT + " (F1 in the Sysplex Explorer)");
		} else {
			boolean guide = false;
			for (IHelpResource r : f1.getRelatedTopics()) {
				guide |= r.getHref() != null && r.getHref().startsWith(GUIDE);
			}
			say("context help " + CONTEXT + ": \"" + f1.getText().strip() + "\", related topics: "
					+ f1.getRelatedTopics().length);
			check(guide, "the context help of " + CONTEXT + " links the guide");
		}

		List<String> found = new ArrayList<>();
		BaseHelpSystem.getSearchManager().search(new SearchQuery("DVIPA", false, List.of(), Locale.getDefault()
				.toString()), new ISearchHitCollector() {
					@Override
					public void addHits(List<SearchHit> hits, String wordsSearched) {
						hits.forEach(h -> found.add(h.getHref()));
					}

					@Override
					public void addQTCException(org.eclipse.help.internal.search.QueryTooComplexException e) {
						fail("the search said: " + e.getMessage());
					}
				}, new NullProgressMonitor());
		say("search for DVIPA: " + found.size() + " hits " + found);
		check(found.stream().anyMatch(h -> h.startsWith(GUIDE)), "the help search finds the guide");

		check(BaseHelpSystem.ensureWebappRunning(), "the help server started");
		String base = "http://" + WebappManager.getHost() + ":" + WebappManager.getPort();
		say("help server at " + base);
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		HttpResponse<String> topic = get(http, base + "/help/topic" + GUIDE);
		check(topic.statusCode() == 200 && topic.body().contains("Sysplex Explorer"),
				"GET /help/topic" + GUIDE + " serves the guide (" + topic.statusCode() + ")");
		HttpResponse<String> contents = get(http, base + "/help/index.jsp");
		check(contents.statusCode() == 200 && contents.body().contains("href=\"/help/topic" + GUIDE),
				"GET /help/index.jsp lists the guide (" + contents.statusCode() + ")");
		HttpResponse<String> missing = get(http, base + "/help/topic/dev.sysplex.ui/../../etc/passwd");
		check(missing.statusCode() == 404, "a path outside the help is not served (" + missing.statusCode() + ")");
		String other = rawGet(WebappManager.getHost(), WebappManager.getPort(), "/help/topic" + GUIDE, "attacker.example");
		check(other.startsWith("HTTP/1.0 403"), "a request for another Host is refused: " + other.lines().findFirst()
				.orElse(""));
		String host = WebappManager.getHost() + ":" + WebappManager.getPort();
		String post = raw(WebappManager.getHost(), WebappManager.getPort(), "POST /help/index.jsp HTTP/1.1\r\nHost: "
				+ host + "\r\nContent-Length: 0\r\n\r\n");
		check(post.startsWith("HTTP/1.0 405"), "a POST is refused: " + post.lines().findFirst().orElse(""));
		String big = raw(WebappManager.getHost(), WebappManager.getPort(), "GET /help/index.jsp HTTP/1.1\r\nHost: " + host
				+ "\r\nX-Filler: " + "x".repeat(LocalHelpServer.MAX_HEAD) + "\r\n\r\n");
		check(big.startsWith("HTTP/1.0 431"), "a request head over " + LocalHelpServer.MAX_HEAD + " bytes is refused: "
				+ big.lines().findFirst().orElse(""));

		if (failures.isEmpty()) {
			say("OK");
			return IApplication.EXIT_OK;
		}
		System.err.println("helpCheck: FAILED: " + String.join("; ", failures));
		return 1;
	}

	private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/** A request with a Host header of our choice (java.net.http sets its own). */
	private static String rawGet(String host, int port, String path, String hostHeader) throws IOException {
		return raw(host, port, "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n\r\n");
	}

	/** Sends {@code request} as it is and returns the start of the answer (the server closes after it). */
	private static String raw(String host, int port, String request) throws IOException {
		try (java.net.Socket s = new java.net.Socket()) {
			s.connect(new java.net.InetSocketAddress(host, port), 10_000);
			s.setSoTimeout(20_000);
			OutputStream out = s.getOutputStream();
			InputStream in = s.getInputStream();
			try {
				out.write(request.getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
			} catch (IOException e) {
				// the server may answer and close before it read all of an oversized request
			}
			return new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
		}
	}

	private void check(boolean ok, String what) {
		if (ok) {
			say(what);
		} else {
			fail(what);
		}
	}

	private void fail(String what) {
		failures.add(what);
		System.err.println("helpCheck: NOT: " + what);
	}

	private static void say(String what) {
		System.out.println("helpCheck: " + what);
	}

	@Override
	public void stop() {
	}
}
