package dev.sysplex.host.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.sysplex.config.JclProc;

/**
 * TRUSTEDTCP=OFF on a Debug Manager with sysplex support: its hub port takes any program as a Debug
 * Manager (and a secondary trusts whatever answers at the hub's address), so users' debug sessions
 * and their tokens go to whoever connects. One finding per place it is written.
 */
final class TrustedTcpOff implements CheckRule {

	@Override
	public String id() {
		return "trustedtcp-off";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.WARNING;
	}

	@Override
	public String summary() {
		return "TRUSTEDTCP=OFF on Debug Managers with a hub";
	}

	@Override
	public void check(CheckContext sysplex) {
		Map<String, List<String>> offAt = new TreeMap<>();
		Map<String, JclProc.Parameter> where = new TreeMap<>();
		for (SystemView s : sysplex.systems) {
			if (!CheckContext.hasHub(s)) {
				continue;
			}
			JclProc.Parameter p = s.dbmProc().get().parameters().get("TRUSTEDTCP");
			if (p != null && List.of("OFF", "NO").contains(p.value().strip().toUpperCase(Locale.ROOT))) {
				String key = sysplex.show(p.file()) + ":" + p.line() + ":" + p.column();
				offAt.computeIfAbsent(key, k -> new ArrayList<>()).add(s.name());
				where.put(key, p);
			}
		}
		offAt.forEach((key, names) -> {
			JclProc.Parameter p = where.get(key);
			sysplex.report(this, p.file(), p.line(), p.column(), "TRUSTEDTCP=OFF for the Debug Managers of " + names
					+ ": the hub accepts any program that connects to its port as a Debug Manager, and a secondary "
					+ "trusts whatever answers at the hub's address; either can receive users' waiting debug sessions "
					+ "and their session tokens",
					"set TRUSTEDTCP=ON (the default here; every Debug Manager of the sysplex proves it holds the "
							+ "sysplex's key, security/ptktdata)",
					names);
		});
	}
}
