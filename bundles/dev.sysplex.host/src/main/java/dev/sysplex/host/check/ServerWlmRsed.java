package dev.sysplex.host.check;

import dev.sysplex.config.TcpipProfile.DistMethod;
import dev.sysplex.config.TcpipProfile.VipaDistribute;

/**
 * DISTMETHOD SERVERWLM on the RSED port weighs the RSE daemon, which only authenticates, not the RSE
 * server threads that do the work.
 */
final class ServerWlmRsed implements CheckRule {

	@Override
	public String id() {
		return "serverwlm-rsed";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.WARNING;
	}

	@Override
	public String summary() {
		return "SERVERWLM on the RSED port weighs the daemon, not the RSE servers";
	}

	@Override
	public void check(CheckContext sysplex) {
		if (sysplex.rsedRule.isEmpty()) {
			return; // RSED without a DVIPA, each system on its own address: no distribution to check
		}
		VipaDistribute d = sysplex.rsedRule.get();
		if (d.method() != DistMethod.SERVERWLM) {
			return;
		}
		sysplex.report(this, d.position().file(), d.position().line(), d.position().column(),
				"DISTMETHOD SERVERWLM on the RSED port " + sysplex.rsedPort() + " weighs the RSE daemon, which only authenticates; "
						+ "the RSE server threads that do the work are not weighed",
				"use DISTMETHOD BASEWLM or WEIGHTEDACTIVE (or ROUNDROBIN with encryption on) for the RSED port",
				sysplex.rsedTargets);
	}
}
