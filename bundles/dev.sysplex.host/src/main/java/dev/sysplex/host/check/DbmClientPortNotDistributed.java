package dev.sysplex.host.check;

import java.util.ArrayList;
import java.util.List;

import dev.sysplex.config.TcpipProfile.VipaDistribute;

/**
 * CLIENT ports of Debug Managers missing from VIPADISTRIBUTE PORT of the RSED DVIPA: a debugger
 * connecting through the DVIPA reaches only the owning stack.
 */
final class DbmClientPortNotDistributed implements CheckRule {

	@Override
	public String id() {
		return "dbm-client-port-not-distributed";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.ERROR;
	}

	@Override
	public String summary() {
		return "a Debug Manager's CLIENT port is not distributed on the DVIPA";
	}

	@Override
	public void check(CheckContext sysplex) {
		if (sysplex.rsedRule.isEmpty()) {
			return;
		}
		VipaDistribute d = sysplex.rsedRule.get();
		List<String> missing = new ArrayList<>();
		List<Integer> ports = new ArrayList<>();
		for (SystemView s : sysplex.systems) {
			if (s.clientPort().isPresent() && !sysplex.distributedOn(d.address(), s.clientPort().get())) {
				missing.add(s.name());
				ports.add(s.clientPort().get());
			}
		}
		if (missing.isEmpty()) {
			return;
		}
		sysplex.report(this, d.position().file(), d.position().line(), d.position().column(), "CLIENT port(s) " + ports
				+ " of the Debug Managers of " + missing + " are not in VIPADISTRIBUTE PORT of "
				+ d.address().getHostAddress() + ": a debugger connecting through the DVIPA reaches only the owning stack",
				"add " + ports.stream().map(String::valueOf).reduce((a, b) -> a + " " + b).orElse("")
						+ " to the PORT operand of that VIPADISTRIBUTE",
				missing);
	}
}
