package dev.sysplex.host.net;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The coupling facility as the TCP/IP stacks use it: which structures exist (as the CFRM policy
 * declares them) and the EZBEPORT list structure that assigns ephemeral ports sysplex-wide for
 * a DVIPA whose first VIPADISTRIBUTE has SYSPLEXPORTS. A port assigned here is held by exactly
 * one stack until that stack releases it or ends.
 */
public interface CouplingFacility {

	Set<String> structures();

	/**
	 * Assigns a port of {@code dvipa} to {@code stack}, unique in the sysplex.
	 *
	 * @param usable says whether a candidate port can be used (for example: no server bound it
	 *               explicitly, the distributor can listen on it)
	 * @throws IOException when no port is left (z/OS: the EZBEPORT structure is full)
	 */
	int assignPort(InetAddress dvipa, String stack, IntPredicate usable) throws IOException;

	void releasePort(InetAddress dvipa, int port, String stack);

	/** Releases every port the stack holds; called when the stack ends. */
	void releaseAll(String stack);

	Optional<String> holder(InetAddress dvipa, int port);

	/** Never assigns this port of the DVIPA again (something outside the sysplex holds it on this machine). */
	void exclude(InetAddress dvipa, int port);

	/** Number of ports the stack holds, for displays and tests. */
	int heldBy(String stack);
}
