package dev.sysplex.host.rse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.sysplex.config.ConfigException;
import dev.sysplex.config.Diagnostic;
import dev.sysplex.config.EnvFile;

/**
 * What RSED takes from one system's rse.env (the shared file with the system's own overrides).
 *
 * @param portRange      _RSE_PORTRANGE=min-max, max exclusive (8108-8118 means 8108..8117)
 * @param ticketSeconds  sysplex.ticket.timeout: how long the ticket of a logon stays valid (default 120)
 * @param idleSeconds    sysplex.session.idle.timeout: an RSE server with no message for this long ends (default 1800)
 */
public record RseSettings(boolean bindDvipa, boolean denyNonzeroPort, Optional<int[]> portRange, int ticketSeconds,
		int idleSeconds) {

	public static RseSettings from(EnvFile env) throws ConfigException {
		List<Diagnostic> errors = new ArrayList<>();
		Optional<int[]> range = env.entry("_RSE_PORTRANGE").map(e -> {
			String[] p = e.value().split("-");
			try {
				int min = Integer.parseInt(p[0].strip());
				int max = Integer.parseInt(p[1].strip());
				if (p.length != 2 || min < 1 || max > 65536 || min >= max) {
					throw new NumberFormatException();
				}
				return new int[] { min, max };
			} catch (RuntimeException ex) {
				errors.add(Diagnostic.error(Diagnostic.RSE_ENV_VALUE, e.file(), e.line(), 1, "found _RSE_PORTRANGE=" + e.value()
						+ ", expected min-max with 1 <= min < max <= 65536 (max is exclusive)"));
				return null;
			}
		});
		int ticket = seconds(env, "sysplex.ticket.timeout", 120, errors);
		int idle = seconds(env, "sysplex.session.idle.timeout", 1800, errors);
		for (String flag : List.of("enable.dDVIPA", "deny.nonzero.port")) {
			env.entry(flag).filter(e -> !e.value().equalsIgnoreCase("true") && !e.value().equalsIgnoreCase("false"))
					.ifPresent(e -> errors.add(Diagnostic.error(Diagnostic.RSE_ENV_VALUE, e.file(), e.line(), 1, "found " + flag + "=" + e.value()
							+ ", expected true or false")));
		}
		if (!errors.isEmpty()) {
			throw new ConfigException(errors);
		}
		return new RseSettings(env.flag("enable.dDVIPA"), env.flag("deny.nonzero.port"), range, ticket, idle);
	}

	private static int seconds(EnvFile env, String key, int fallback, List<Diagnostic> errors) {
		Optional<EnvFile.Entry> e = env.entry(key);
		if (e.isEmpty()) {
			return fallback;
		}
		try {
			int n = Integer.parseInt(e.get().value().strip());
			if (n < 1 || n > 86400 * 7) {
				throw new NumberFormatException();
			}
			return n;
		} catch (NumberFormatException ex) {
			errors.add(Diagnostic.error(Diagnostic.RSE_ENV_VALUE, e.get().file(), e.get().line(), 1, "found " + key + "=" + e.get().value()
					+ ", expected seconds (1-604800)"));
			return fallback;
		}
	}
}
