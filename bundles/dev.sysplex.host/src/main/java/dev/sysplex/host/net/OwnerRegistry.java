package dev.sysplex.host.net;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Who is alive in an isolated sysplex and who owns each DVIPA, kept where every system's process
 * sees it (the coupling facility's engine), on one lease per system: a system whose process ends
 * stops renewing it, and its presence and its ownerships go when the lease ends, which is how its
 * backups learn of its failure (as XCF's failure detection tells z/OS stacks).
 */
public interface OwnerRegistry extends AutoCloseable {

	/** Says that {@code system} is alive: its presence, on its lease (granted here). */
	void present(String system) throws IOException;

	/** The systems alive now. */
	Set<String> alive() throws IOException;

	/** The owner of each DVIPA (its address as text) that has one. */
	Map<String, String> owners() throws IOException;

	/** Claims the DVIPA for this registry's system if nobody owns it; true when it owns it now. */
	boolean claim(String dvipa) throws IOException;

	/** What the registry is, for messages ("etcd at http://..."). */
	String describe();

	/** Gives up presence and ownerships at once (a clean stop; a killed process's lease ends by itself). */
	@Override
	void close();
}
