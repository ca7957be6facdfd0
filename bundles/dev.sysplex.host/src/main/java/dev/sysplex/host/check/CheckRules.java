package dev.sysplex.host.check;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every rule of `sysplex check`, one per finding id (the loader's own diagnostics come on top). */
final class CheckRules {

	static final List<CheckRule> ALL = List.of(
			// RSED behind the DVIPA
			new RoundRobinEvenPlain(), new ServerWlmRsed(), new NoSysplexPorts(), new ReservationIgnored(),
			new SysplexPortsNoEzbeport(), new SysplexPortsNotFirst(), new EnableDdvipa(), new DenyNonzeroPort(),
			new PortRangeOverlap(),
			// Debug Managers
			new RsedWithoutDbm(), new DbmClientPortNotUnique(), new DbmClientPortNotDistributed(), new DbmNoHub(),
			new TrustedTcpOff(),
			// shared configuration, DVIPA availability
			new SslDiffers(), new NoVipaBackup());

	static final Map<String, CheckRule> BY_ID = ALL.stream()
			.collect(Collectors.toUnmodifiableMap(CheckRule::id, Function.identity()));

	private CheckRules() {
	}
}
