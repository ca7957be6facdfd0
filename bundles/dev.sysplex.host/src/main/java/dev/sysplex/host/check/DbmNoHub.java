package dev.sysplex.host.check;

import java.nio.file.Path;
import java.util.List;

import dev.sysplex.config.SysplexConfig;

/**
 * Debug Managers on more than one RSED system with no hub (HUBIP, from the PROC or their environment):
 * each knows only the users logged on to its own system, so a job debugged on one never reaches a
 * user logged on to another; the runtime is quiet about it. One finding, at the shared PROC.
 */
final class DbmNoHub implements CheckRule {

	@Override
	public String id() {
		return "dbm-no-hub";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.WARNING;
	}

	@Override
	public String summary() {
		return "Debug Managers on several systems without a hub";
	}

	@Override
	public void check(CheckContext sysplex) {
		List<SystemView> withDbm = sysplex.rsed.stream().filter(s -> s.dbmProc().isPresent()).toList();
		List<String> alone = withDbm.stream().filter(s -> !CheckContext.hasHub(s)).map(SystemView::name).toList();
		if (withDbm.size() < 2 || alone.isEmpty()) {
			return;
		}
		sysplex.report(this, Path.of(SysplexConfig.DBGMGR_PROC), 1, 1, "the Debug Managers of " + alone
				+ " have no hub (no HUBIP): each knows only the users logged on to its own system, so a job started "
				+ "with TEST(,,,DBMDT%userid) on one never reaches a user logged on to another",
				"name one system's Debug Manager the hub in proclib/DBGMGR: HUBIP=its address,HUBPORT=5337 for every "
						+ "system (the hub's own address makes it the hub)",
				alone);
	}
}
