package dev.sysplex.host.check;


/**
 * deny.nonzero.port not true in the shared rse.env: clients may ask for their own RSE server port,
 * which defeats SYSPLEXPORTS and _RSE_PORTRANGE.
 */
final class DenyNonzeroPort implements CheckRule {

	@Override
	public String id() {
		return "deny-nonzero-port";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.WARNING;
	}

	@Override
	public String summary() {
		return "clients may choose their RSE server port (deny.nonzero.port is not true)";
	}

	@Override
	public void check(CheckContext sysplex) {
		if (sysplex.rsed.isEmpty()) {
			return;
		}
		EnableDdvipa.unlessTrue(this, sysplex, "deny.nonzero.port", "clients may ask for their own RSE server port, "
				+ "which defeats SYSPLEXPORTS and _RSE_PORTRANGE", "set deny.nonzero.port=true in etc/zexpl/rse.env");
	}
}
