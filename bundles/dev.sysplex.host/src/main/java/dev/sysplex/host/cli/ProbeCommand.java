package dev.sysplex.host.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** `sysplex probe`: connect N times to a whoami port and count which system answered. */
final class ProbeCommand implements Command {

	static final int TIMEOUT_MS = 5_000;
	static final int MAX_ANSWER = 256;

	@Override
	public String name() {
		return "probe";
	}

	@Override
	public String summary() {
		return "connect to a DVIPA port N times and count which system answered (whoami servers)";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex probe --host ADDRESS --port PORT [--count N] [--json]

				Connects N times (default 10) to ADDRESS:PORT, where `sysplex start --whoami PORT` runs a
				server on every system, and prints how many connections each system answered: how the
				Sysplex Distributor spreads new connections under the DVIPA's DISTMETHOD.

				Example:
				  ./sysplex probe --host 127.0.10.100 --port 4035 --count 8
				""";
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, Set.of("--host", "--port", "--count"), Set.of("--json"));
		args.positional(0, 0, "");
		String host = args.get("--host", null);
		if (host == null || !args.has("--port")) {
			throw new UsageException("--host and --port are required");
		}
		int port = args.intValue("--port", 0, 1, 65535);
		int count = args.intValue("--count", 10, 1, 1_000_000);
		Map<String, Integer> landed = new TreeMap<>();
		for (int i = 0; i < count; i++) {
			landed.merge(ask(host, port), 1, Integer::sum);
		}
		if (args.has("--json")) {
			Map<String, Object> o = dev.sysplex.host.json.Json.object();
			o.put("endpoint", host + ":" + port);
			o.put("connections", count);
			o.put("systems", landed);
			out.print(dev.sysplex.host.json.Json.write(o));
		} else {
			landed.forEach((system, n) -> out.printf("%-8s %d%n", system, n));
		}
		return 0;
	}

	/** The first word of the whoami answer: the system name. */
	static String ask(String host, int port) throws IOException {
		try (Socket s = new Socket()) {
			s.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
			s.setSoTimeout(TIMEOUT_MS);
			InputStream in = s.getInputStream();
			byte[] buf = new byte[MAX_ANSWER];
			int n = 0;
			int r;
			while (n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0) {
				n += r;
			}
			String answer = new String(buf, 0, n, StandardCharsets.US_ASCII).strip();
			if (answer.isEmpty()) {
				throw new IOException("connected to " + host + ":" + port + " but nothing answered; is it a whoami port?");
			}
			return answer.split("\\s+")[0];
		} catch (ConnectException e) {
			throw new IOException("connection to " + host + ":" + port + " refused: nothing listens there. Start the "
					+ "sysplex with ./sysplex start <dir> --whoami " + port, e);
		} catch (SocketTimeoutException e) {
			throw new IOException("no answer from " + host + ":" + port + " within " + TIMEOUT_MS + " ms", e);
		}
	}
}
