package dev.sysplex.host.check;

import java.util.ArrayList;
import java.util.List;

import dev.sysplex.config.TcpipProfile.DistMethod;
import dev.sysplex.config.TcpipProfile.VipaDistribute;

/**
 * DISTMETHOD ROUNDROBIN on the RSED port over an even number of systems while encryption is off:
 * a client that tries TLS first and plain second uses two daemon connections per logon, so every
 * logon lands on the 2nd, 4th, ... system.
 */
final class RoundRobinEvenPlain implements CheckRule {

	@Override
	public String id() {
		return "roundrobin-even-plain";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.WARNING;
	}

	@Override
	public String summary() {
		return "ROUNDROBIN over an even number of RSED systems without encryption";
	}

	@Override
	public void check(CheckContext sysplex) {
		if (sysplex.rsedRule.isEmpty()) {
			return; // RSED without a DVIPA, each system on its own address: no distribution to check
		}
		VipaDistribute d = sysplex.rsedRule.get();
		List<String> targets = sysplex.rsedTargets;
		if (d.method() != DistMethod.ROUNDROBIN || targets.size() < 2 || targets.size() % 2 != 0 || sysplex.tls()) {
			return;
		}
		List<String> landing = new ArrayList<>();
		for (int i = 1; i < targets.size(); i += 2) {
			landing.add(targets.get(i));
		}
		sysplex.report(this, d.position().file(), d.position().line(), d.position().column(),
				"DISTMETHOD ROUNDROBIN on the RSED port " + sysplex.rsedPort() + " spreads over " + targets.size() + " systems "
						+ targets + " while encryption is off: a client that tries TLS first and retries in plain "
						+ "uses two daemon connections per logon, so every logon lands on " + landing,
				"turn encryption on (enable_ssl=true in etc/zexpl/ssl.properties), or use DISTMETHOD BASEWLM or "
						+ "WEIGHTEDACTIVE, or an odd number of targets; clients can remember that TLS is refused",
				targets);
	}
}
