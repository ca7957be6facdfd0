package dev.sysplex.host.jobs;

import java.io.IOException;
import java.util.List;

/**
 * The jobs of every system, where each system's job list can see them: in the isolated mode each
 * system is a process with a job runner of its own, and a user's session on one system lists (and
 * its debugger finds) the user's jobs on the others too, as JES2's checkpoint shows a MAS its jobs.
 */
public interface Spool {

	/** A job of this system, as a job list line says it: "ID PROGRAM SYSTEM STATE [rc=N]". */
	void publish(String user, String id, String line) throws IOException;

	/** The list lines of {@code user}'s jobs on the systems other than {@code system}. */
	List<String> others(String user, String system) throws IOException;
}
