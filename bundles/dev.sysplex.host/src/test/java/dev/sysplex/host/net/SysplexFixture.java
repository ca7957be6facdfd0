package dev.sysplex.host.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import dev.sysplex.config.SysplexConfig;

/**
 * Writes a sysplex directory for a test: N systems SYS1..SYSn on 127.64.S.1..n and the DVIPA on
 * 127.64.S.100, where S is new for every fixture so tests never share addresses. The first system
 * defines the DVIPA; the others back it up with rank 10 * (n - i) unless a test writes its own.
 */
public final class SysplexFixture {

	private static final AtomicInteger SUBNET = new AtomicInteger((int) (ProcessHandle.current().pid() % 100) + 1);

	public final int subnet = SUBNET.getAndIncrement() % 250 + 1;
	public final Path dir;
	final int systems;

	public SysplexFixture(Path dir, int systems) {
		this.dir = dir;
		this.systems = systems;
	}

	public String address(int system) {
		return "127.64." + subnet + "." + system;
	}

	public String dvipa() {
		return "127.64." + subnet + ".100";
	}

	public InetAddress dvipaAddress() throws IOException {
		return InetAddress.getByName(dvipa());
	}

	/**
	 * Writes the directory.
	 *
	 * @param distribute the VIPADISTRIBUTE statement(s) of the owner, with {@code DVIPA} standing
	 *                   for the address
	 * @param ezbeport   whether the CFRM policy defines EZBEPORT
	 * @param extra      more profile statements per system (1-based), or null
	 */
	public SysplexFixture write(String distribute, boolean ezbeport, IntFunction<String> extra) throws IOException {
		StringBuilder conf = new StringBuilder("SYSPLEX NAME(TESTPLEX)\n");
		for (int i = 1; i <= systems; i++) {
			conf.append("SYSTEM NAME(SYS").append(i).append(") SYSCLONE(0").append(i).append(") ADDRESS(")
					.append(address(i)).append(")\n");
		}
		Files.writeString(dir.resolve("sysplex.conf"), conf);
		if (ezbeport) {
			Files.writeString(dir.resolve("cfrm.policy"), "STRUCTURE NAME(EZBEPORT) SIZE(8192)\n");
		}
		for (int i = 1; i <= systems; i++) {
			Path sys = Files.createDirectories(dir.resolve("systems/SYS" + i));
			StringBuilder p = new StringBuilder();
			p.append("IPCONFIG SYSPLEXROUTING DYNAMICXCF ").append(address(i)).append(" 255.255.255.0 1\n");
			p.append("TCPCONFIG EPHEMERALPORTS 20000 20999\n");
			if (extra != null && extra.apply(i) != null) {
				p.append(extra.apply(i)).append('\n');
			}
			p.append("VIPADYNAMIC\n");
			if (i == 1) {
				p.append("  VIPADEFINE MOVEABLE IMMEDIATE 255.255.255.0 ").append(dvipa()).append('\n');
				p.append("  ").append(distribute.replace("DVIPA", dvipa())).append('\n');
			} else if (extra == null || extra.apply(i) == null || !extra.apply(i).contains("VIPABACKUP")) {
				p.append("  VIPABACKUP ").append(10 * (systems - i + 1)).append(' ').append(dvipa()).append('\n');
			}
			p.append("ENDVIPADYNAMIC\n");
			Files.writeString(sys.resolve("PROFILE.TCPIP"), p);
		}
		return this;
	}

	public SysplexNetwork start() throws Exception {
		return SysplexNetwork.start(SysplexConfig.load(dir));
	}

	/** Writes etc/zexpl/rse.env (shared) and etc/zexpl/ssl.properties with enable_ssl as given. */
	public SysplexFixture rse(String rseEnv, boolean ssl) throws IOException {
		Path zexpl = Files.createDirectories(dir.resolve("etc/zexpl"));
		Files.writeString(zexpl.resolve("rse.env"), rseEnv);
		Files.writeString(zexpl.resolve("ssl.properties"), "enable_ssl=" + ssl + "\n");
		if (ssl) {
			reuseCertificate();
		}
		return this;
	}

	private static Path certificate;

	/** keytool takes a second or two: generate the self-signed certificate once per test run. */
	private synchronized void reuseCertificate() throws IOException {
		Path target = Files.createDirectories(dir.resolve("var/security"));
		if (certificate == null) {
			Path d = Files.createTempDirectory("sysplex-cert");
			try {
				dev.sysplex.host.rse.RseTls.from(dev.sysplex.config.EnvFile.parse(Path.of("ssl.properties"),
						"enable_ssl=true\n", new ArrayList<>()), d, java.util.Set.of(InetAddress.getLoopbackAddress()));
			} catch (dev.sysplex.config.ConfigException e) {
				throw new IOException(e.getMessage(), e);
			}
			certificate = d.resolve("var/security");
		}
		for (String f : List.of("rse-selfsigned.p12", "rse-selfsigned.pass")) {
			Files.copy(certificate.resolve(f), target.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/** Starts the whole sysplex (network and RSE daemons). */
	public dev.sysplex.host.Sysplex startSysplex() throws Exception {
		return dev.sysplex.host.Sysplex.start(dir);
	}

	/** Connects to the DVIPA at {@code port} and returns the system named in the whoami answer. */
	public String ask(int port) throws IOException {
		try (Socket s = new Socket()) {
			s.connect(new InetSocketAddress(dvipa(), port), 5_000);
			s.setSoTimeout(5_000);
			String answer = new String(s.getInputStream().readNBytes(256), StandardCharsets.US_ASCII).strip();
			if (answer.isEmpty()) {
				throw new IOException("connection to " + dvipa() + ":" + port + " closed without an answer");
			}
			return answer.split(" ")[0];
		}
	}

	/** Asks n times, waiting after each answer until the distributor has no connection left (bounded). */
	public List<String> askSequentially(SysplexNetwork network, int port, int n) throws Exception {
		List<String> systemsSeen = new ArrayList<>();
		DistributedVipa d = network.dvipa(dvipaAddress()).orElseThrow();
		for (int i = 0; i < n; i++) {
			systemsSeen.add(ask(port));
			awaitNoConnections(d, port);
		}
		return systemsSeen;
	}

	/** Waits (bounded) until the distributor relays no connection to {@code port}. */
	public static void awaitNoConnections(DistributedVipa d, int port) throws InterruptedException {
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (d.connectionTable().stream().anyMatch(c -> c.port() == port)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("routed connections did not end: " + d.connectionTable());
			}
			Thread.onSpinWait();
			Thread.yield();
		}
	}

	/**
	 * A server that keeps each connection open: it sends its system name and then echoes every
	 * byte back until the client closes.
	 */
	public static ServerEndpoint holdServer(TcpipStack stack, InetAddress address, int port) throws IOException {
		ServerEndpoint e = stack.listen("HOLD", address, port);
		Thread.ofVirtual().start(() -> {
			while (!e.isClosed()) {
				try {
					Socket s = e.accept();
					Thread.ofVirtual().start(() -> {
						try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
							out.write((stack.name() + "\n").getBytes(StandardCharsets.US_ASCII));
							out.flush();
							in.transferTo(out);
						} catch (IOException ex) {
							// the client or the relay closed the connection
						}
					});
				} catch (IOException ex) {
					return;
				}
			}
		});
		return e;
	}

	/** Opens a connection to a hold server and returns it with the system that answered. */
	public record Held(Socket socket, String system) {
		public String echo(String text) throws IOException {
			socket.getOutputStream().write((text + "\n").getBytes(StandardCharsets.US_ASCII));
			byte[] buf = new byte[text.length() + 1];
			int n = 0;
			while (n < buf.length) {
				int r = socket.getInputStream().read(buf, n, buf.length - n);
				if (r < 0) {
					throw new IOException("connection closed after " + n + " bytes");
				}
				n += r;
			}
			return new String(buf, StandardCharsets.US_ASCII).strip();
		}
	}

	public Held hold(int port) throws IOException {
		Socket s = new Socket();
		s.connect(new InetSocketAddress(dvipa(), port), 5_000);
		s.setSoTimeout(5_000);
		StringBuilder sb = new StringBuilder();
		int c;
		while ((c = s.getInputStream().read()) >= 0 && c != '\n' && sb.length() < 64) {
			sb.append((char) c);
		}
		return new Held(s, sb.toString());
	}
}
