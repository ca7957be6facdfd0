package dev.sysplex.host.dbm;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One system's name/token pairs (z/OS IEANTCR/IEANTRT at system level): the Debug Manager
 * publishes its HOST port here, and the Debug Miner and the debug engines of the same system
 * read it. Another system's pairs are never visible.
 */
public final class NameTokens {

	private final String system;
	private final Map<String, String> pairs = new ConcurrentHashMap<>();

	public NameTokens(String system) {
		this.system = system;
	}

	public String system() {
		return system;
	}

	public void create(String name, String token) {
		pairs.put(name, token);
	}

	public void delete(String name, String token) {
		pairs.remove(name, token);
	}

	public Optional<String> retrieve(String name) {
		return Optional.ofNullable(pairs.get(name));
	}
}
