package dev.sysplex.host.check;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.sysplex.config.EnvFile;
import dev.sysplex.config.SystemDefinition;

/**
 * ssl.properties is shared on z/OS (/etc/zexpl); a system's own copy that differs splits the sysplex:
 * clients get a different encryption depending on the system the DVIPA picks.
 */
final class SslDiffers implements CheckRule {

	@Override
	public String id() {
		return "ssl-differs";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.ERROR;
	}

	@Override
	public String summary() {
		return "a system's ssl.properties differs from the shared one";
	}

	@Override
	public void check(CheckContext sysplex) {
		EnvFile shared = sysplex.config.sslProperties();
		for (SystemDefinition s : sysplex.config.systems()) {
			Optional<EnvFile> own = sysplex.ownSsl(s.name());
			if (own.isEmpty()) {
				continue;
			}
			Set<String> keys = new LinkedHashSet<>(shared.entries().keySet());
			keys.addAll(own.get().entries().keySet());
			for (String key : keys) {
				Optional<String> a = shared.get(key);
				Optional<String> b = own.get().get(key);
				if (!a.equals(b)) {
					int line = own.get().entry(key).map(EnvFile.Entry::line).orElse(0);
					sysplex.report(this, own.get().file(), line, line > 0 ? 1 : 0, s.name() + " has " + key + "="
							+ b.orElse("(not set)") + " where the other systems have " + key + "=" + a.orElse("(not set)")
							+ " (" + sysplex.show(shared.file()) + "): clients get a different encryption depending on "
							+ "the system the DVIPA picks",
							"keep ssl.properties only in etc/zexpl/, shared by every system", List.of(s.name()));
				}
			}
		}
	}
}
