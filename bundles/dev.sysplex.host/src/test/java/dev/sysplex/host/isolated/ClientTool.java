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
}
