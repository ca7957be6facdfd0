package dev.sysplex.host.check;

import java.util.List;

import dev.sysplex.config.TcpipProfile;
import dev.sysplex.config.TcpipProfile.VipaDistribute;

/**
 * With SYSPLEXPORTS on the RSED DVIPA, _RSE_PORTRANGE and PORT/PORTRANGE reservations for RSED\'s
 * server ports no longer apply (a reservation for any job, "*", is not one of them).
 */
final class ReservationIgnored implements CheckRule {

	@Override
	public String id() {
		return "reservation-ignored";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.WARNING;
	}

	@Override
	public String summary() {
		return "a reservation of RSE server ports that SYSPLEXPORTS overrides";
	}

	@Override
	public void check(CheckContext sysplex) {
		if (sysplex.rsedRule.isEmpty() || !sysplex.sysplexPorts(sysplex.rsedRule.get().address())) {
			return;
		}
		VipaDistribute d = sysplex.rsedRule.get();
		for (SystemView s : sysplex.rsed) {
			s.rseEnv().entry("_RSE_PORTRANGE").ifPresent(e -> {
				sysplex.explained.add(sysplex.show(e.file()) + ":" + e.line());
				sysplex.report(this, e.file(), e.line(), 1, s.name() + ": _RSE_PORTRANGE=" + e.value()
						+ " is set while the DVIPA " + d.address().getHostAddress() + " has SYSPLEXPORTS, which makes "
						+ "RSE server ports unique only when RSED leaves the choice to the stack",
						"remove _RSE_PORTRANGE (or drop SYSPLEXPORTS and give each system its own range)",
						List.of(s.name()));
			});
			for (TcpipProfile.PortReservation r : s.profile().reservations()) {
				// a reservation for RSE's servers names RSED (or a prefix of it); one for any job ("*", as
				// IBM's sample has for FTP's PORT 20 TCP * NOAUTOLOG, or 623 TCP * SAF) reserves nothing for them
				boolean forServers = !r.jobName().equals("*") && r.allows("RSED")
						&& !(r.low() == r.high() && r.low() == s.rsedPort());
				if (forServers) {
					sysplex.report(this, r.position().file(), r.position().line(), r.position().column(), s.name() + ": "
							+ (r.range() ? "PORTRANGE " : "PORT ") + r.low() + (r.range() ? "-" + r.high() : "") + " for "
							+ r.jobName() + " reserves RSE server ports that SYSPLEXPORTS hands out on the DVIPA "
							+ d.address().getHostAddress() + " anyway",
							"remove the reservation; keep only PORT " + s.rsedPort() + " TCP RSED for the daemon",
							List.of(s.name()));
				}
			}
		}
	}
}
