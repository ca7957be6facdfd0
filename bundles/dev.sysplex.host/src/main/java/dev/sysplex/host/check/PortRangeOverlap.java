package dev.sysplex.host.check;

import java.util.List;
import java.util.Optional;

import dev.sysplex.config.EnvFile;

/**
 * Per-system _RSE_PORTRANGE overrides must not overlap (the same range shared is an overlap too).
 */
final class PortRangeOverlap implements CheckRule {

	@Override
	public String id() {
		return "portrange-overlap";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.ERROR;
	}

	@Override
	public String summary() {
		return "two systems' _RSE_PORTRANGE overlap";
	}

	@Override
	public void check(CheckContext sysplex) {
		List<SystemView> rsed = sysplex.rsed;
		for (int i = 0; i < rsed.size(); i++) {
			for (int j = i + 1; j < rsed.size(); j++) {
				SystemView a = rsed.get(i);
				SystemView b = rsed.get(j);
				Optional<int[]> ra = CheckContext.range(a.rseEnv());
				Optional<int[]> rb = CheckContext.range(b.rseEnv());
				if (ra.isPresent() && rb.isPresent() && CheckContext.overlap(ra.get(), rb.get())) {
					EnvFile.Entry e = b.rseEnv().entry("_RSE_PORTRANGE").orElseThrow();
					EnvFile.Entry other = a.rseEnv().entry("_RSE_PORTRANGE").orElseThrow();
					sysplex.report(this, e.file(), e.line(), 1, "_RSE_PORTRANGE of " + b.name() + " (" + e.value()
							+ ") overlaps that of " + a.name() + " (" + other.value() + ", " + sysplex.show(other.file())
							+ ":" + other.line() + "): RSE servers of both systems can get the same port",
							"give each system a range of its own in systems/SYSNAME/rse.env", List.of(a.name(), b.name()));
				}
			}
		}
	}
}
