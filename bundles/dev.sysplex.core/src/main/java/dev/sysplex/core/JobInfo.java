package dev.sysplex.core;

import java.util.Optional;

/**
 * A job of the connection's user as the RSE server lists it: its id, program, the system it runs
 * on, its state (WAITING_FOR_DEBUGGER, DEBUGGING, RUNNING, ENDED, CANCELED, FAILED) and its return
 * code once it has ended by itself (a job its user's debugger terminated is CANCELED, with none).
 */
public record JobInfo(String id, String program, String system, String state, Optional<Integer> rc) {

	/** True once the job can change no more. */
	public boolean ended() {
		return state.equals("ENDED") || state.equals("CANCELED") || state.equals("FAILED");
	}

	/** Reads one line of the server's job list: "JOB00001 Payroll SYSB ENDED rc=0". */
	public static JobInfo parse(String line) {
		String[] f = line.strip().split("\\s+");
		if (f.length < 4) {
			throw new IllegalArgumentException("a job line has id, program, system and state: '" + line + "'");
		}
		Optional<Integer> rc = Optional.empty();
		if (f.length > 4 && f[4].startsWith("rc=")) {
			try {
				rc = Optional.of(Integer.parseInt(f[4].substring(3)));
			} catch (NumberFormatException e) {
				throw new IllegalArgumentException("a job's return code is not a number: '" + line + "'");
			}
		}
		return new JobInfo(f[0], f[1], f[2], f[3], rc);
	}

	/** "Payroll JOB00001 on SYSB: ENDED rc=0". */
	public String label() {
		return program + " " + id + " on " + system + ": " + state + rc.map(r -> " rc=" + r).orElse("");
	}
}
