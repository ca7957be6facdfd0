package dev.sysplex.host.check;

import dev.sysplex.config.TcpipProfile.VipaDistribute;

/**
 * SYSPLEXPORTS on the RSED DVIPA needs the EZBEPORT structure in the coupling facility (cfrm.policy).
 */
final class SysplexPortsNoEzbeport implements CheckRule {

	@Override
	public String id() {
		return "sysplexports-no-ezbeport";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.ERROR;
	}

	@Override
	public String summary() {
		return "SYSPLEXPORTS without the EZBEPORT coupling facility structure";
	}

	@Override
	public void check(CheckContext sysplex) {
		if (sysplex.rsedRule.isEmpty()) {
			return; // RSED without a DVIPA, each system on its own address: no distribution to check
		}
		VipaDistribute d = sysplex.rsedRule.get();
		if (!sysplex.sysplexPorts(d.address()) || sysplex.config.hasEzbeportStructure()) {
			return;
		}
		sysplex.report(this, d.position().file(), d.position().line(), d.position().column(),
				"SYSPLEXPORTS needs the EZBEPORT structure in the coupling facility, and cfrm.policy defines none: "
						+ "the DVIPA cannot hand out sysplex-unique ports",
				"add STRUCTURE NAME(EZBEPORT) SIZE(...) PREFLIST(...) to cfrm.policy", sysplex.rsedTargets);
	}
}
