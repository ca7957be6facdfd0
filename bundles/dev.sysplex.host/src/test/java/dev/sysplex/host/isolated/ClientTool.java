package dev.sysplex.host.isolated;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;

/**
 * What a test runs inside a namespace of an isolated sysplex (the test's own JVM cannot enter
 * one): one line of output per answer.
 * <ul>
 * <li>{@code ask HOST PORT N}: N connections one after the other, each answer's first word (the
 * whoami server's system) or ERROR and the exception;</li>
 * <li>{@code hold HOST PORT N SECONDS}: N connections to an echo server, then an echo on each every
 * 50 ms for SECONDS; prints HOLDING and where each landed, then per connection whether it
 * survived and its longest pause;</li>
 * <li>{@code rsedebug HOST AVOID PROGRAM} (password in PW): an RSE session of IBMUSER on a system
 * other than AVOID, a job submitted there with TEST, and a debugger (JDI) linked to it through
 * the DVIPA; prints READY, then on a line GO on its standard input uses both again: the RSE
 * session (whoami, jobs) and the debug session (a breakpoint at PROGRAM's marked line, its
 * variable, the job's end);</li>
 * <li>{@code xcf HOST PORT SYSTEM}: a rogue XCF peer: claims to be SYSTEM without the sysplex key
 * and prints what the owner answered.</li>
 * </ul>
 */
public final class ClientTool {

	public static void main(String[] a) throws Exception {
		switch (a[0]) {
		case "ask" -> {
			for (int i = 0; i < Integer.parseInt(a[3]); i++) {
				try (Socket s = new Socket()) {
					s.connect(new InetSocketAddress(a[1], Integer.parseInt(a[2])), 3_000);
					s.setSoTimeout(3_000);
					String answer = new String(s.getInputStream().readNBytes(256), StandardCharsets.US_ASCII).strip();
					System.out.println(answer.isEmpty() ? "ERROR closed without an answer" : answer.split(" ")[0]);
				} catch (IOException e) {
					System.out.println("ERROR " + e.getClass().getSimpleName() + ": " + e.getMessage());
				}
			}
		}
		case "hold" -> {
			int n = Integer.parseInt(a[3]);
			java.util.List<Socket> conns = new java.util.ArrayList<>();
			java.util.List<String> where = new java.util.ArrayList<>();
			for (int i = 0; i < n; i++) {
				Socket s = new Socket();
				s.connect(new InetSocketAddress(a[1], Integer.parseInt(a[2])), 3_000);
				s.setSoTimeout(20_000);
				s.setTcpNoDelay(true);
				StringBuilder name = new StringBuilder();
				for (int c; (c = s.getInputStream().read()) != '\n' && c >= 0;) {
					name.append((char) c);
				}
				conns.add(s);
				where.add(name.toString());
			}
			System.out.println("HOLDING " + String.join(",", where));
			System.out.flush();
			long end = System.currentTimeMillis() + Long.parseLong(a[4]) * 1000;
			long[] last = new long[n];
			long[] gap = new long[n];
			String[] failed = new String[n];
			java.util.Arrays.fill(last, System.currentTimeMillis());
			while (System.currentTimeMillis() < end) {
				for (int i = 0; i < n; i++) {
					if (failed[i] != null) {
						continue;
					}
					try {
						conns.get(i).getOutputStream().write('x');
						if (conns.get(i).getInputStream().read() != 'x') {
							throw new IOException("closed");
						}
						long now = System.currentTimeMillis();
						gap[i] = Math.max(gap[i], now - last[i]);
						last[i] = now;
					} catch (IOException e) {
						failed[i] = e.getClass().getSimpleName() + ": " + e.getMessage();
					}
				}
				Thread.sleep(50);
			}
			for (int i = 0; i < n; i++) {
				System.out.println("CONN " + i + " " + where.get(i) + " " + (failed[i] == null ? "survived longest_pause_ms="
						+ gap[i] : "failed " + failed[i]));
				conns.get(i).close();
			}
		}
		case "rsedebug" -> rseAndDebug(a[1], a[2], java.nio.file.Path.of(a[3]));
		case "xcf" -> {
			try (Socket s = new Socket()) {
				s.connect(new InetSocketAddress(a[1], Integer.parseInt(a[2])), 3_000);
				s.setSoTimeout(5_000);
				InputStream in = s.getInputStream();
				OutputStream out = s.getOutputStream();
				Message challenge = Frames.read(in, 4096);
				System.out.println("challenge " + challenge.type());
				Frames.write(out, Message.of("XCF-HELLO").with("system", a[3]).with("nonce", "00112233445566778899")
						.with("mac", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").build(), 4096);
				Message answer = Frames.read(in, 4096);
				System.out.println(answer == null ? "closed" : answer.type() + " " + answer.get("message").orElse(""));
				// whatever it said: try to route a port anyway
				Frames.write(out, Message.of("LISTEN").with("dvipa", a.length > 4 ? a[4] : "0.0.0.0").with("port", 6000)
						.build(), 4096);
				Message after = Frames.read(in, 4096);
				System.out.println("after " + (after == null ? "closed" : after.type()));
			} catch (IOException e) {
				System.out.println("after ERROR " + e.getClass().getSimpleName() + ": " + e.getMessage());
			}
		}
		default -> throw new IllegalArgumentException(a[0]);
		}
	}

	private static void rseAndDebug(String host, String avoid, java.nio.file.Path program) throws Exception {
		char[] pw = System.getenv("PW").toCharArray();
		dev.sysplex.client.RseConnector connector = new dev.sysplex.client.RseConnector(
				new dev.sysplex.client.RseConnector.Options().trust(dev.sysplex.client.TrustStore.inMemory(),
						dev.sysplex.client.TrustDecision.TRUST_ON_FIRST_USE).reconnect(false, 0, java.time.Duration.ZERO,
								java.time.Duration.ZERO));
		dev.sysplex.client.Session session = null;
		for (int i = 0; i < 4 && session == null; i++) { // round robin: the next logon lands on the next system
			dev.sysplex.client.Session s = connector.connect(host, 4035, "IBMUSER", pw,
					dev.sysplex.client.EncryptionPolicy.PREFERRED);
			if (s.system().equals(avoid)) {
				s.logoff();
			} else {
				session = s;
			}
		}
		if (session == null) {
			System.out.println("ERROR no logon avoided " + avoid);
			return;
		}
		java.util.concurrent.CompletableFuture<java.util.Map<String, String>> waiting = new java.util.concurrent.CompletableFuture<>();
		java.util.concurrent.CompletableFuture<java.util.Map<String, String>> ended = new java.util.concurrent.CompletableFuture<>();
		session.addListener(new dev.sysplex.client.Session.Listener() {
			@Override
			public void notification(String kind, java.util.Map<String, String> fields) {
				if (kind.equals(dev.sysplex.protocol.Dbm.NOTIFY_WAITING)) {
					waiting.complete(fields);
				} else if (kind.equals(dev.sysplex.protocol.Rse.NOTIFY_JOB_ENDED)) {
					ended.complete(fields);
				}
			}
		});
		dev.sysplex.client.Session.SubmittedJob job = session.submit("Payroll.java", "", "TEST(,,,DBMDT%IBMUSER)",
				session.system());
		dev.sysplex.client.DebugLink.Waiting note = dev.sysplex.client.DebugLink.Waiting.of(waiting.get(30,
				java.util.concurrent.TimeUnit.SECONDS));
		dev.sysplex.client.DebugLink.Linked linked = dev.sysplex.client.DebugLink.open(host, note,
				java.time.Duration.ofSeconds(10), dev.sysplex.client.DebugLink.Security.of(session,
						dev.sysplex.client.DebugLink.PlainLinkPolicy.REFUSE,
						dev.sysplex.client.DebugLink.PlainLinkQuestion.NOBODY));
		com.sun.jdi.VirtualMachine vm = dev.sysplex.host.demo.BreakpointScript.attach(linked);
		System.out.println("READY rse=" + session.whoami().get("system") + " job=" + job.id() + "@" + job.system()
				+ " debug=" + note.system() + ":" + note.port() + " threads=" + vm.allThreads().size());
		System.out.flush();
		String go = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.US_ASCII))
				.readLine();
		if (!"GO".equals(go)) {
			System.out.println("ERROR no GO: " + go);
			return;
		}
		try {
			long t = System.nanoTime();
			String whoami = session.whoami().get("system");
			boolean listed = session.jobs().stream().anyMatch(l -> l.startsWith(job.id() + " "));
			System.out.println("RSE survived on " + whoami + ", job listed " + listed + ", answered in "
					+ (System.nanoTime() - t) / 1_000_000 + " ms");
		} catch (IOException e) {
			System.out.println("RSE failed " + e.getMessage());
		}
		try {
			dev.sysplex.host.demo.BreakpointScript.Result r = dev.sysplex.host.demo.BreakpointScript.run(vm, "Payroll",
					dev.sysplex.host.demo.BreakpointScript.markedLine(program), "total", java.time.Duration.ofSeconds(30));
			System.out.println("DEBUG survived: stopped at " + r.location() + ", total = " + r.value() + ", ended "
					+ r.ended());
		} catch (IOException | RuntimeException e) {
			System.out.println("DEBUG failed " + e);
		}
		try {
			java.util.Map<String, String> end = ended.get(30, java.util.concurrent.TimeUnit.SECONDS);
			System.out.println("ENDED " + end.get("job") + " rc=" + end.get("rc"));
		} catch (java.util.concurrent.TimeoutException e) {
			System.out.println("ENDED not told within 30 s");
		}
		session.logoff();
	}
}
