package dev.sysplex.host.check;

import java.net.Inet4Address;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sysplex.config.TcpipProfile.VipaDistribute;

/**
 * The SYSPLEXPORTS of a DVIPA counts only on its first VIPADISTRIBUTE (in each profile).
 */
final class SysplexPortsNotFirst implements CheckRule {

	@Override
	public String id() {
		return "sysplexports-not-first";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.ERROR;
	}

	@Override
	public String summary() {
		return "SYSPLEXPORTS on a VIPADISTRIBUTE that is not the DVIPA's first";
	}

	@Override
	public void check(CheckContext sysplex) {
		for (SystemView s : sysplex.systems) {
			Map<Inet4Address, VipaDistribute> first = new LinkedHashMap<>();
			for (VipaDistribute d : s.profile().vipaDistributes()) {
				if (d.delete()) {
					continue;
				}
				VipaDistribute f = first.putIfAbsent(d.address(), d);
				if (f != null && d.sysplexPorts() && !f.sysplexPorts()) {
					sysplex.explained.add(sysplex.show(d.position().file()) + ":" + d.position().line());
					sysplex.report(this, d.position().file(), d.position().line(), d.position().column(),
							"SYSPLEXPORTS on a later VIPADISTRIBUTE of " + d.address().getHostAddress() + " is ignored: "
									+ "the stack takes it from the first one (line " + f.position().line() + ")",
							"move SYSPLEXPORTS to the first VIPADISTRIBUTE of " + d.address().getHostAddress(),
							List.of(s.name()));
				}
			}
		}
	}
}
