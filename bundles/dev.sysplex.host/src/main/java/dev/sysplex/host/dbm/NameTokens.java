package dev.sysplex.host.dbm;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One system's name/token pairs (z/OS IEANTCR/IEANTRT at system level): the Debug Manager
 * publishes its HOST port here, and the Debug Miner and the debug engines of the same system
 * read it. Another system's pairs are never visible. Who waits for a pair is told when it is
 * created, so nothing has to poll for a Debug Manager to start.
 */
public final class NameTokens {

	private final String system;
	private final Map<String, String> pairs = new ConcurrentHashMap<>();
	private final Map<String, List<Runnable>> watchers = new ConcurrentHashMap<>();

	public NameTokens(String system) {
		this.system = system;
	}

	public String system() {
		return system;
	}

	public void create(String name, String token) {
		pairs.put(name, token);
		watchers.getOrDefault(name, List.of()).forEach(Runnable::run);
	}

	public void delete(String name, String token) {
		pairs.remove(name, token);
	}

	public Optional<String> retrieve(String name) {
		return Optional.ofNullable(pairs.get(name));
	}

	/** Runs {@code watcher} (quickly: it should hand off work) every time a pair {@code name} is created. */
	public void onCreate(String name, Runnable watcher) {
		watchers.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(watcher);
	}
}
