package dev.sysplex.host.cli;

import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.sysplex.client.ConnectException;
import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;

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
				  --encryption required|preferred|disabled   default preferred (TLS; plain only when the daemon says it has none)
				  --no-tls-memory        do not remember that TLS was refused (every plain logon then
				                         costs a second daemon connection, as clients without it do)
				  --count N              log on N times and print how many sessions landed on each system
				  --trust-new            pin a server certificate seen for the first time without asking
				  --known-servers FILE   pinned certificates (default ~/.sysplex/known_servers)
				  --password-env VAR | --password-file FILE   else the password is asked on the terminal
				  --trace                print every logon step

				Example (after ./sysplex start examples/two-systems and ./sysplex user add ...):
				  ./sysplex login --host 127.0.10.100 --user IBMUSER --count 4 --trust-new
				""";
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, Set.of("--host", "--port", "--user", "--encryption", "--count", "--known-servers",
				"--password-env", "--password-file"), Set.of("--no-tls-memory", "--trust-new", "--trace"));
		String host = args.get("--host", null);
		String user = args.get("--user", null);
		if (host == null || user == null) {
			throw new UsageException("--host and --user are required");
		}
		int port = args.intValue("--port", 4035, 1, 65535);
		int count = args.intValue("--count", 1, 1, 100_000);
		EncryptionPolicy policy;
		try {
			policy = EncryptionPolicy.valueOf(args.get("--encryption", "preferred").toUpperCase(Locale.ROOT));
		} catch (IllegalArgumentException e) {
			throw new UsageException("--encryption must be required, preferred or disabled");
		}
		Path known = Path.of(args.get("--known-servers",
				Path.of(System.getProperty("user.home"), ".sysplex", "known_servers").toString()));
		TrustDecision decision = args.has("--trust-new") ? TrustDecision.TRUST_ON_FIRST_USE : askOnTerminal(err);
		RseConnector.Options options = new RseConnector.Options()
				.tlsMemory(args.has("--no-tls-memory") ? TlsMemory.disabled() : TlsMemory.enabled(TlsMemory.DEFAULT_TTL))
				.trust(TrustStore.file(known), decision).reconnect(false, 0, Duration.ZERO, Duration.ZERO);
		if (args.has("--trace")) {
			options.trace(line -> out.println("  " + line));
		}
		RseConnector connector = new RseConnector(options);
		char[] password = Passwords.read(args, "Password for " + user + " at " + host + ": ", false);
		Map<String, Integer> landed = new TreeMap<>();
		int encrypted = 0;
		try {
			for (int i = 0; i < count; i++) {
				Session s = connector.connect(host, port, user, password, policy);
				landed.merge(s.system(), 1, Integer::sum);
				encrypted += s.encrypted() ? 1 : 0;
				if (count == 1) {
					out.println("Logged on as " + s.user() + " to " + s.system() + " through " + host + ":" + port
							+ "; RSE server port " + s.serverPort() + ", "
							+ (s.encrypted() ? "encrypted" : "NOT encrypted"));
				}
				s.logoff();
			}
		} catch (ConnectException e) {
			err.println(e.getMessage());
			return 1;
		} finally {
			Arrays.fill(password, '\0');
		}
		if (count > 1) {
			out.println(count + " logons through " + host + ":" + port + " (" + encrypted + " encrypted, TLS memory "
					+ (connector.tlsMemory().isEnabled() ? "on" : "off") + "):");
			landed.forEach((system, n) -> out.printf("  %-8s %d%n", system, n));
		}
		return 0;
	}

	/** Shows a new certificate on the terminal and asks; without a terminal, refuses it. */
	private static TrustDecision askOnTerminal(PrintStream err) {
		return cert -> {
			Console console = System.console();
			if (console == null) {
				err.println("The server at " + cert.endpoint() + " presents a certificate not seen before:\n  " + cert
						+ "\nNo terminal to ask; run again with --trust-new to pin it.");
				return TrustDecision.Answer.REJECT;
			}
			console.printf("The server at %s presents a certificate not seen before:%n  subject  %s%n  issuer   %s%n"
					+ "  valid    %s to %s%n  SHA-256  %s%n", cert.endpoint(), cert.subject(), cert.issuer(),
					cert.notBefore(), cert.notAfter(), cert.sha256());
			String answer = console.readLine("Trust it [a]lways, [o]nce, or [n]o? ");
			return switch (answer == null ? "n" : answer.strip().toLowerCase(Locale.ROOT)) {
			case "a", "always" -> TrustDecision.Answer.TRUST_ALWAYS;
			case "o", "once" -> TrustDecision.Answer.TRUST_ONCE;
			default -> TrustDecision.Answer.REJECT;
			};
		};
	}
}
