package dev.sysplex.host.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.sysplex.config.JclProc;
import dev.sysplex.config.SysplexConfig;

/**
 * Debug Managers of several systems on the same CLIENT port: through the DVIPA a debugger reaches only
 * one of them. One finding per shared port, at the second system's CLIENT setting.
 */
final class DbmClientPortNotUnique implements CheckRule {

	@Override
	public String id() {
		return "dbm-client-port-not-unique";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.ERROR;
	}

	@Override
	public String summary() {
		return "several Debug Managers share one CLIENT port";
	}

	@Override
	public void check(CheckContext sysplex) {
		Map<Integer, List<SystemView>> byPort = new TreeMap<>();
		for (SystemView s : sysplex.systems) {
			s.clientPort().ifPresent(p -> byPort.computeIfAbsent(p, k -> new ArrayList<>()).add(s));
		}
		byPort.forEach((port, users) -> {
			if (users.size() < 2) {
				return;
			}
			JclProc.Parameter p = users.get(1).client().orElse(null);
			List<String> names = users.stream().map(SystemView::name).toList();
			sysplex.report(this, p == null ? Path.of(SysplexConfig.DBGMGR_PROC) : p.file(), p == null ? 0 : p.line(),
					p == null ? 0 : p.column(), "the Debug Managers of " + names + " all use CLIENT port " + port
							+ ": through the DVIPA a debugger reaches only one of them, and sessions waiting on the "
							+ "others are lost",
					"give each system its own CLIENT port, e.g. CLIENT=&EQADBM with SYMDEF(&EQADBM='53nn') per system "
							+ "(a SYSCLONE such as 0A is no digit: CLIENT=53&SYSCLONE. would give 530A)",
					names);
		});
	}
}
