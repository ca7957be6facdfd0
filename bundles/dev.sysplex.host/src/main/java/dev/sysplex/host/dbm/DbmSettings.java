package dev.sysplex.host.dbm;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * @param trustedTcp    the {@code TRUSTEDTCP} value, and where it was written (line 0: not written)
 * @param tls           TLS=ON or OFF as written, empty when the PROC does not say
 */
public record DbmSettings(int clientPort, int hostPort, Optional<InetAddress> hub, int hubPort, boolean trace,
		int dormantSeconds, int tokenSeconds, boolean trustedTcp, int trustedTcpLine, Optional<Boolean> tls) {

	public static DbmSettings from(JclProc proc, Path file) throws ConfigException {
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
