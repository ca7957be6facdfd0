package dev.sysplex.host.check;

import java.nio.file.Files;
import java.util.List;

import dev.sysplex.config.SysplexConfig;

/**
 * A system that runs RSED but no Debug Manager: a warning, since many sites run RSED without z/OS
 * Debugger; where it is used, debug sessions never reach clients logged on there.
 */
final class RsedWithoutDbm implements CheckRule {

	@Override
	public String id() {
		return "rsed-without-dbm";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.WARNING;
	}

	@Override
	public String summary() {
		return "a system runs RSED but no Debug Manager";
	}

	@Override
	public void check(CheckContext sysplex) {
		boolean procExists = Files.isRegularFile(sysplex.dir.resolve(SysplexConfig.DBGMGR_PROC));
		for (SystemView s : sysplex.rsed) {
			if (s.def().starts("DBGMGR") && procExists) {
				continue;
			}
			sysplex.report(this, s.def().definedIn(), s.def().line(), 1, s.name() + " runs RSED but no Debug Manager"
					+ (procExists ? "" : " (proclib/DBGMGR is missing)") + ": debug sessions never reach clients "
					+ "logged on to " + s.name(),
					procExists ? "if the site debugs with z/OS Debugger, add DBGMGR to START(...) of SYSTEM NAME("
							+ s.name() + ")"
							: "if the site debugs with z/OS Debugger, add the DBGMGR procedure to proclib/ and start it "
									+ "on every RSED system",
					List.of(s.name()));
		}
	}
}
