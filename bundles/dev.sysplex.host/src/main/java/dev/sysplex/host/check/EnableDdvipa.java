package dev.sysplex.host.check;

import java.util.Optional;

import dev.sysplex.config.EnvFile;

/**
 * enable.dDVIPA not true in the shared rse.env while RSED is behind a DVIPA: RSE servers bind the
 * system's own address, so a client's second connection through the DVIPA cannot reach them.
 */
final class EnableDdvipa implements CheckRule {

	@Override
	public String id() {
		return "enable-ddvipa";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.ERROR;
	}

	@Override
	public String summary() {
		return "RSE servers do not bind the DVIPA (enable.dDVIPA is not true)";
	}

	@Override
	public void check(CheckContext sysplex) {
		if (sysplex.rsed.isEmpty() || sysplex.rsedRule.isEmpty()) {
			return;
		}
		unlessTrue(this, sysplex, "enable.dDVIPA", "RSE servers bind the system's own address, so a client's second "
				+ "connection through the DVIPA cannot reach them", "set enable.dDVIPA=true in etc/zexpl/rse.env");
	}

	/** Reports {@code key} of the shared rse.env unless it is true. */
	static void unlessTrue(CheckRule rule, CheckContext sysplex, String key, String why, String fix) {
		EnvFile env = sysplex.config.sharedRseEnv();
		Optional<EnvFile.Entry> e = env.entry(key);
		if (e.isPresent() && e.get().value().strip().equalsIgnoreCase("true")) {
			return;
		}
		sysplex.report(rule, e.map(EnvFile.Entry::file).orElse(env.file()), e.map(EnvFile.Entry::line).orElse(0),
				e.isPresent() ? 1 : 0, key + (e.isPresent() ? "=" + e.get().value() : " is not set") + ": " + why, fix,
				sysplex.rsed.stream().map(SystemView::name).toList());
	}
}
