package dev.sysplex.host.check;

import java.util.Optional;

import dev.sysplex.config.EnvFile;
import dev.sysplex.config.JclProc;
import dev.sysplex.config.SystemDefinition;
import dev.sysplex.config.TcpipProfile;

/**
 * What one system runs, as its statements say: its profile, its rse.env, the RSED port, and its
 * Debug Manager's settings as the Debug Manager sees them (the PROC, then its environment).
 */
record SystemView(SystemDefinition def, TcpipProfile profile, EnvFile rseEnv, int rsedPort,
		Optional<JclProc.Parameter> client, Optional<Integer> clientPort, Optional<JclProc> dbmProc) {

	String name() {
		return def.name();
	}

	/**
	 * One view per system in a check: the same system is the same view (a record's own equals would
	 * compare every member's whole model, and rules keep views in lists).
	 */
	@Override
	public boolean equals(Object o) {
		return o instanceof SystemView v && v.name().equals(name());
	}

	@Override
	public int hashCode() {
		return name().hashCode();
	}
}
