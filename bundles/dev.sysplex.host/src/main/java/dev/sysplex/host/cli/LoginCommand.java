package dev.sysplex.host.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.sysplex.client.ConnectException;
import dev.sysplex.client.Session;

/** `sysplex login`: log on through a DVIPA with the pure-Java client connector. */
final class LoginCommand implements Command {

	@Override
	public String name() {
		return "login";
	}

	@Override
	public String summary() {
		return "log on to RSE through a DVIPA, print where the session runs, log off (--count: spread)";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex login --host HOST [--port PORT] --user USERID [options]

				Logs on to the RSE daemon at HOST:PORT (default 4035) as z/OS Explorer does: encryption
				first, then the RSE server port through the same HOST (the DVIPA) with the ticket. Prints
				the system, server port and encryption of the session, then logs off.

				Options:
				  --count N              log on N times and print how many sessions landed on each
				                         system; a failed logon is counted and the next one tried
				  --json                 print the result as JSON
				""" + LogonOptions.HELP + """

				Exit code: 0 every logon worked, 1 one or more failed, 2 bad arguments.

				Example (after ./sysplex start examples/two-systems and ./sysplex user add ...):
				  ./sysplex login --host 127.0.10.100 --user IBMUSER --count 4 --trust-new
				""";
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, LogonOptions.valued("--count"), LogonOptions.flags("--json"));
		args.positional(0, 0, "");
		LogonOptions logon = LogonOptions.of(args, out, err);
		int count = args.intValue("--count", 1, 1, 100_000);
		boolean json = args.has("--json");
		char[] password = logon.password();
		Map<String, Integer> landed = new TreeMap<>();
		Map<String, Integer> failures = new TreeMap<>();
		List<Map<String, Object>> sessions = new java.util.ArrayList<>();
		int encrypted = 0;
		try {
			for (int i = 0; i < count; i++) {
				Session s;
				try {
					s = logon.connector.connect(logon.host, logon.port, logon.user, password, logon.policy);
				} catch (ConnectException e) {
					failures.merge(e.getMessage(), 1, Integer::sum);
					if (count == 1 && !json) {
						logon.failed(e, err);
					}
					continue;
				}
				landed.merge(s.system(), 1, Integer::sum);
				encrypted += s.encrypted() ? 1 : 0;
				if (count == 1) {
					Map<String, Object> o = dev.sysplex.host.json.Json.object();
					o.put("user", s.user());
					o.put("system", s.system());
					o.put("endpoint", logon.endpoint());
					o.put("serverPort", s.serverPort());
					o.put("encrypted", s.encrypted());
					sessions.add(o);
					if (!json) {
						out.println("Logged on as " + s.user() + " to " + s.system() + " through " + logon.endpoint()
								+ "; RSE server port " + s.serverPort() + ", "
								+ (s.encrypted() ? "encrypted" : "NOT encrypted"));
					}
				}
				s.logoff();
			}
		} finally {
			Arrays.fill(password, '\0');
		}
		int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
		if (json) {
			Map<String, Object> o = dev.sysplex.host.json.Json.object();
			o.put("endpoint", logon.endpoint());
			o.put("logons", count);
			o.put("succeeded", count - failed);
			o.put("encrypted", encrypted);
			o.put("tlsMemory", logon.connector.tlsMemory().isEnabled());
			o.put("systems", landed);
			if (count == 1 && !sessions.isEmpty()) {
				o.put("session", sessions.get(0));
			}
			List<Object> why = new java.util.ArrayList<>();
			failures.forEach((message, n) -> why.add(Map.of("count", n, "message", message)));
			o.put("failures", why);
			out.print(dev.sysplex.host.json.Json.write(o));
		} else if (count > 1) {
			out.println(count + " logons through " + logon.endpoint() + " (" + (count - failed) + " succeeded, "
					+ encrypted + " encrypted, TLS memory " + (logon.connector.tlsMemory().isEnabled() ? "on" : "off")
					+ "):");
			landed.forEach((system, n) -> out.printf("  %-8s %d%n", system, n));
			if (failed > 0) {
				out.println("  failed   " + failed + ":");
				failures.forEach((message, n) -> out.println("    " + n + " x " + message));
			}
		}
		return failed == 0 ? 0 : 1;
	}
}
