package dev.sysplex.host.check;

import dev.sysplex.config.TcpipProfile.VipaDistribute;

/**
 * The RSED DVIPA without SYSPLEXPORTS while the systems have no unique _RSE_PORTRANGE: RSE server
 * ports collide between systems and a client's second connection can reach the wrong system.
 */
final class NoSysplexPorts implements CheckRule {

	@Override
	public String id() {
		return "no-sysplexports";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.ERROR;
	}

	@Override
	public String summary() {
		return "RSE server ports can collide: no SYSPLEXPORTS and no unique _RSE_PORTRANGE";
	}

	@Override
	public void check(CheckContext sysplex) {
		if (sysplex.rsedRule.isEmpty()) {
			return; // RSED without a DVIPA, each system on its own address: no distribution to check
		}
		VipaDistribute d = sysplex.rsedRule.get();
		if (sysplex.sysplexPorts(d.address()) || sysplex.uniqueRanges()) {
			return;
		}
		sysplex.report(this, d.position().file(), d.position().line(), d.position().column(),
				"the DVIPA " + d.address().getHostAddress() + " of RSED has no SYSPLEXPORTS and the systems have no "
						+ "unique _RSE_PORTRANGE: RSE server ports collide between systems, and a client's second "
						+ "connection can reach the wrong system",
				"add SYSPLEXPORTS to the first VIPADISTRIBUTE of " + d.address().getHostAddress()
						+ " (with STRUCTURE NAME(EZBEPORT) in cfrm.policy), or give each system its own "
						+ "_RSE_PORTRANGE in systems/SYSNAME/rse.env",
				sysplex.rsedTargets);
	}
}
