package dev.sysplex.host.jobs;

import java.io.IOException;
import java.util.List;

/**
 * The jobs of every system, where each system's job list can see them: in the isolated mode each
 * system is a process with a job runner of its own, and a user's session on one system lists (and
 * its debugger finds) the user's jobs on the others too, as JES2's checkpoint shows a MAS its jobs.
 */
public interface Spool {

	/** A job of another system: its user and its list line "ID PROGRAM SYSTEM STATE [rc=N]". */
	record Listed(String user, String line) {
	}

	/** A job of this system, as a job list line says it: "ID PROGRAM SYSTEM STATE [rc=N]". */
	void publish(String user, String id, String line) throws IOException;

	/** Every user's jobs on the systems other than {@code system}. */
	List<Listed> allOthers(String system) throws IOException;

	/** The list lines of {@code user}'s jobs on the systems other than {@code system}. */
	default List<String> others(String user, String system) throws IOException {
		return allOthers(system).stream().filter(l -> l.user().equalsIgnoreCase(user)).map(Listed::line).toList();
	}
}
