package dev.sysplex.host.dbm;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sysplex.config.ConfigException;
import dev.sysplex.config.Diagnostic;
import dev.sysplex.config.JclProc;
import dev.sysplex.protocol.Dbm;

/**
 * A Debug Manager's settings from its started-task PROC (proclib/DBGMGR, system symbols
 * substituted): CLIENT (external port, on the DVIPA), HOST (internal port, on the system's own
 * address), HUBIP/HUBPORT (the hub of the sysplex support; none: the DBM runs alone), PRM=DEBUG
 * (trace), TRUSTEDTCP=ON|OFF (authenticate the other Debug Managers on the hub link, as z/OS
 * Debugger 16.0.4 does; IBM's default is OFF, ours is ON: a sysplex whose PROC does not say so is
 * not left open), and our own DORMANT (seconds a session waits for its workstation, default 300),
 * TOKENLIFE (seconds a session token is valid, default 120) and TLS=ON|OFF (whether the CLIENT
 * port is encrypted; default ON when the sysplex's ssl.properties has enable_ssl=true).
 *
 * <p>Each setting can also come from the Debug Manager's environment, as an environment variable of
 * the same name: set in the PARM's Language Environment options ({@code ENVAR("HUBIP=10.1.1.1")})
 * or in the file that {@code _CEE_ENVFILE} or {@code _CEE_ENVFILE_S} names there (LE reads one
 * NAME=value per line at start; _S strips trailing blanks; a z/OS UNIX path is read in the sysplex
 * directory, /etc/debug/dbgmgr.env as etc/debug/dbgmgr.env). A PROC parameter written with a value
 * wins; the environment fills what the PROC leaves out; both with different values is a warning.
 *
 * @param trustedTcp    the {@code TRUSTEDTCP} value, and where it was written (line 0: not written)
 * @param tls           TLS=ON or OFF as written, empty when the PROC does not say
 */
public record DbmSettings(int clientPort, int hostPort, Optional<InetAddress> hub, int hubPort, boolean trace,
		int dormantSeconds, int tokenSeconds, boolean trustedTcp, int trustedTcpLine, Optional<Boolean> tls) {

	/** The settings a Debug Manager reads, by name. */
	public static final List<String> KEYS = List.of("CLIENT", "HOST", "HUBIP", "HUBPORT", "TRUSTEDTCP", "PRM", "DORMANT",
			"TOKENLIFE", "TLS");

	/** From the PROC alone (no environment). */
	public static DbmSettings from(JclProc proc, Path file) throws ConfigException {
		return from(proc.name(), proc.parameters(), file);
	}

	/**
	 * The settings by name as the Debug Manager sees them: the PROC's parameters written with a
	 * value, then its environment (ENVAR in the PARM, then the _CEE_ENVFILE file, read in
	 * {@code sysplexDir}). {@code diagnostics} gets an error for an environment file that is
	 * missing, warnings for lines that are not NAME=value and for a setting the PROC and the
	 * environment give different values.
	 */
	public static Map<String, JclProc.Parameter> effective(JclProc proc, Path sysplexDir, List<Diagnostic> diagnostics) {
		Map<String, JclProc.Parameter> env = new LinkedHashMap<>(proc.environment());
		for (String var : List.of("_CEE_ENVFILE", "_CEE_ENVFILE_S")) {
			JclProc.Parameter named = env.get(var);
			if (named == null || named.value().isBlank()) {
				continue;
			}
			String unixPath = named.value().strip();
			Path rel = Path.of(unixPath.replaceFirst("^/+", ""));
			Path file = sysplexDir.resolve(rel);
			if (!Files.isRegularFile(file)) {
				diagnostics.add(Diagnostic.error(Diagnostic.FILE_MISSING, named.file(), named.line(), named.column(), var + "="
						+ unixPath + " names an environment file that is not in the sysplex directory (expected " + rel
						+ "); Language Environment cannot read the Debug Manager's settings from it"));
				continue;
			}
			try {
				List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
				for (int i = 0; i < lines.size(); i++) {
					String line = var.endsWith("_S") ? lines.get(i).stripTrailing() : lines.get(i);
					if (line.isBlank() || line.stripLeading().startsWith("#")) {
						continue;
					}
					int eq = line.indexOf('=');
					if (eq <= 0) {
						diagnostics.add(Diagnostic.error(Diagnostic.ENV_SYNTAX, rel, i + 1, 1, "found '" + line.strip()
								+ "', expected NAME=value (one environment variable per line, as " + var + " is read)"));
						continue;
					}
					env.putIfAbsent(line.substring(0, eq), new JclProc.Parameter(line.substring(eq + 1), rel, i + 1, 1));
				}
			} catch (IOException e) {
				diagnostics.add(Diagnostic.error(Diagnostic.FILE_MISSING, rel, 0, 0, "cannot be read: " + e.getMessage()));
			}
		}
		Map<String, JclProc.Parameter> settings = new LinkedHashMap<>();
		proc.parameters().forEach((k, v) -> {
			if (!v.value().isBlank()) {
				settings.put(k, v);
			}
		});
		for (String key : KEYS) {
			JclProc.Parameter fromEnv = env.get(key);
			if (fromEnv == null) {
				continue;
			}
			JclProc.Parameter fromProc = settings.get(key);
			if (fromProc == null) {
				settings.put(key, fromEnv);
			} else if (!fromProc.value().strip().equalsIgnoreCase(fromEnv.value().strip())) {
				diagnostics.add(Diagnostic.warning(Diagnostic.DBM_SETTING_CONFLICT, fromEnv.file(), fromEnv.line(),
						fromEnv.column(), "the environment sets " + key + "=" + fromEnv.value() + " and the PROC " + key + "="
								+ fromProc.value() + " (" + fromProc.file() + ":" + fromProc.line()
								+ "); the Debug Manager uses the PROC's"));
			}
		}
		return settings;
	}

	/** From the settings by name ({@link #effective}); {@code procName} names them in messages. */
	public static DbmSettings from(String procName, Map<String, JclProc.Parameter> params, Path file)
			throws ConfigException {
		JclProc proc = new JclProc(procName, params, Optional.empty());
		List<Diagnostic> errors = new ArrayList<>();
		int client = port(proc, "CLIENT", Dbm.DEFAULT_CLIENT_PORT, file, errors);
		int host = port(proc, "HOST", Dbm.DEFAULT_HOST_PORT, file, errors);
		int hubPort = port(proc, "HUBPORT", Dbm.DEFAULT_HUB_PORT, file, errors);
		Optional<InetAddress> hub = Optional.empty();
		JclProc.Parameter hubIp = proc.parameters().get("HUBIP");
		if (hubIp != null && !hubIp.value().isBlank()) {
			Inet4Address a = ipv4(hubIp.value().strip());
			if (a == null) {
				errors.add(Diagnostic.error(Diagnostic.DBM_SETTING_VALUE, file, hubIp.line(), hubIp.column(), "found HUBIP=" + hubIp.value()
						+ ", expected the IPv4 address of the hub system (or nothing: no sysplex support)"));
			}
			hub = Optional.ofNullable(a);
		}
		int dormant = number(proc, "DORMANT", 300, 1, 86400, file, errors);
		int token = number(proc, "TOKENLIFE", 120, 1, 86400, file, errors);
		boolean trustedTcp = onOff(proc, "TRUSTEDTCP", file, errors).orElse(true);
		JclProc.Parameter tt = proc.parameters().get("TRUSTEDTCP");
		Optional<Boolean> tls = onOff(proc, "TLS", file, errors);
		if (client == host) {
			JclProc.Parameter p = proc.parameters().get("CLIENT");
			errors.add(Diagnostic.error(Diagnostic.DBM_SETTING_VALUE, file, p == null ? 0 : p.line(), p == null ? 0 : p.column(),
					"CLIENT and HOST are both " + client + "; the external and internal ports must differ"));
		}
		if (!errors.isEmpty()) {
			throw new ConfigException(errors);
		}
		boolean trace = proc.get("PRM").map(v -> v.toUpperCase(java.util.Locale.ROOT).contains("DEBUG")).orElse(false);
		return new DbmSettings(client, host, hub, hubPort, trace, dormant, token, trustedTcp, tt == null ? 0 : tt.line(),
				tls);
	}

	private static Optional<Boolean> onOff(JclProc proc, String key, Path file, List<Diagnostic> errors) {
		JclProc.Parameter p = proc.parameters().get(key);
		if (p == null || p.value().isBlank()) {
			return Optional.empty();
		}
		String v = p.value().strip().toUpperCase(java.util.Locale.ROOT);
		if (v.equals("ON") || v.equals("YES")) {
			return Optional.of(true);
		}
		if (v.equals("OFF") || v.equals("NO")) {
			return Optional.of(false);
		}
		errors.add(Diagnostic.error(Diagnostic.DBM_SETTING_VALUE, file, p.line(), p.column(), "found " + key + "=" + p.value() + " for "
				+ proc.name() + ", expected ON or OFF"));
		return Optional.empty();
	}

	private static int port(JclProc proc, String key, int fallback, Path file, List<Diagnostic> errors) {
		return number(proc, key, fallback, 1, 65535, file, errors);
	}

	private static int number(JclProc proc, String key, int fallback, int min, int max, Path file,
			List<Diagnostic> errors) {
		JclProc.Parameter p = proc.parameters().get(key);
		if (p == null || p.value().isBlank()) {
			return fallback;
		}
		try {
			int n = Integer.parseInt(p.value().strip());
			if (n < min || n > max) {
				throw new NumberFormatException();
			}
			return n;
		} catch (NumberFormatException e) {
			errors.add(Diagnostic.error(Diagnostic.DBM_SETTING_VALUE, file, p.line(), p.column(), "found " + key + "=" + p.value() + " for "
					+ proc.name() + ", expected a number " + min + "-" + max
					+ (p.value().contains("&") ? " (a symbol in it is not defined on this system)" : "")));
			return fallback;
		}
	}

	private static Inet4Address ipv4(String text) {
		if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
			return null;
		}
		try {
			return (Inet4Address) InetAddress.getByName(text);
		} catch (java.io.IOException e) {
			return null;
		}
	}
}
