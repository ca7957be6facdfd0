package dev.sysplex.host.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.sysplex.client.Cancellation;
import dev.sysplex.client.ConnectException;
import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.host.cli.Command.UsageException;

/**
 * How every command that talks to a sysplex logs on, as `login` does: the DVIPA and port, the
 * user, the encryption policy, pinned certificates and where the password comes from. The host and
 * user may also come from SYSPLEX_HOST and SYSPLEX_USER.
 */
final class LogonOptions {

	static final Set<String> VALUED = Set.of("--host", "--port", "--user", "--encryption", "--known-servers",
			"--password-env", "--password-file");
	static final Set<String> FLAGS = Set.of("--no-tls-memory", "--trust-new", "--trace");

	/** The usage lines every such command shares. */
	static final String HELP = """
			Logon options (as ./sysplex login):
			  --host HOST            the DVIPA (or SYSPLEX_HOST)
			  --port PORT            the RSE daemon port (default 4035)
			  --user USERID          (or SYSPLEX_USER)
			  --encryption required|preferred|disabled   default preferred (TLS; plain only when the daemon says it has none)
			  --no-tls-memory        do not remember that TLS was refused
			  --trust-new            pin a server certificate seen for the first time without asking
			  --known-servers FILE   pinned certificates (default ~/.sysplex/known_servers)
			  --password-env VAR | --password-file FILE   else the password is asked on the terminal
			  --trace                print every logon step
			""";

	/** The help line of the commands that use a held session (submit, jobs, output, cancel). */
	static final String HELD = """
			  --new-logon            log on for this command even when ./sysplex session holds a session
			                         of this user, host and port (else that session is used, no password)
			""";

	final String host;
	final int port;
	final String user;
	final EncryptionPolicy policy;
	final RseConnector connector;
	/** The pinned certificates (--known-servers). */
	final Path known;
	private final Args args;

	private LogonOptions(Args args, String host, int port, String user, EncryptionPolicy policy, Path known,
			RseConnector connector) {
		this.args = args;
		this.known = known;
		this.host = host;
		this.port = port;
		this.user = user;
		this.policy = policy;
		this.connector = connector;
	}

	/** The valued options of a command that logs on, with its own. */
	static Set<String> valued(String... own) {
		Set<String> all = new HashSet<>(VALUED);
		all.addAll(List.of(own));
		return all;
	}

	/** The flags of a command that logs on, with its own. */
	static Set<String> flags(String... own) {
		Set<String> all = new HashSet<>(FLAGS);
		all.addAll(List.of(own));
		return all;
	}

	static LogonOptions of(Args args, PrintStream out, PrintStream err) throws UsageException {
		String host = args.get("--host", System.getenv("SYSPLEX_HOST"));
		String user = args.get("--user", System.getenv("SYSPLEX_USER"));
		if (host == null || host.isBlank() || user == null || user.isBlank()) {
			throw new UsageException("--host and --user are required (or SYSPLEX_HOST and SYSPLEX_USER)");
		}
		int port = args.intValue("--port", 4035, 1, 65535);
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
			options.trace(line -> err.println("  " + line));
		}
		return new LogonOptions(args, host, port, user, policy, known, new RseConnector(options));
	}

	/** The password, from the environment, a file or the terminal. */
	char[] password() throws UsageException, IOException {
		return Passwords.read(args, "Password for " + user + " at " + host + ": ", false);
	}

	/** Logs on once (the password is cleared afterwards), with {@code listeners} heard from the first message. */
	Session logon(List<Session.Listener> listeners) throws UsageException, IOException {
		char[] password = password();
		try {
			return connector.connect(host, port, user, password, policy, new Cancellation(), listeners);
		} finally {
			java.util.Arrays.fill(password, '\0');
		}
	}

	/**
	 * The job requests of a command: through the session `./sysplex session` holds for this user,
	 * host and port when one runs (and the command was not given --new-logon), else a logon of its own.
	 */
	JobsApi jobs(List<Session.Listener> listeners, PrintStream err) throws UsageException, IOException {
		if (!args.has("--new-logon") && listeners.isEmpty()) {
			java.util.Optional<HeldSession> held = HeldSession.find(host, port, user);
			if (held.isPresent()) {
				return held.get();
			}
		}
		return JobsApi.of(logon(listeners));
	}

	/** "host:port". */
	String endpoint() {
		return host + ":" + port;
	}

	/** Shows a new certificate on the terminal and asks; without a terminal, refuses it. */
	static TrustDecision askOnTerminal(PrintStream err) {
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

	/**
	 * Prints a failed logon's message (it says what failed, where, and what to do), and for a
	 * changed certificate where its pin is kept; exit code 1.
	 */
	int failed(ConnectException e, PrintStream err) {
		err.println(e.getMessage());
		if (e instanceof dev.sysplex.client.CertificateRefused r && r.changed()) {
			err.println("The pins are in " + known.toAbsolutePath() + " (--known-servers), one line per endpoint: to "
					+ "forget the one named above, delete its line there.");
		}
		return 1;
	}
}
