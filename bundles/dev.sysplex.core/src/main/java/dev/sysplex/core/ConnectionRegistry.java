package dev.sysplex.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.osgi.service.prefs.BackingStoreException;

import dev.sysplex.client.EncryptionPolicy;

/**
 * The named connections, persisted in the workspace's preferences (one child node per
 * connection), with change events. Passwords are not here: see {@link PasswordStore}.
 */
public final class ConnectionRegistry {

	private final IEclipsePreferences node;
	private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

	/** @param node where the definitions live (tests pass their own) */
	public ConnectionRegistry(IEclipsePreferences node) {
		this.node = node;
	}

	/** The workspace's registry: instance scope, dev.sysplex.core/connections. */
	public static ConnectionRegistry instanceScope() {
		return new ConnectionRegistry((IEclipsePreferences) InstanceScope.INSTANCE.getNode(CorePreferences.PLUGIN_ID)
				.node(CorePreferences.CONNECTIONS_NODE));
	}

	public void addListener(ConnectionListener l) {
		listeners.add(l);
	}

	public void removeListener(ConnectionListener l) {
		listeners.remove(l);
	}

	/** The connections, by name. A definition that cannot be read is logged and left out. */
	public synchronized List<ConnectionDescriptor> all() {
		List<ConnectionDescriptor> list = new ArrayList<>();
		try {
			for (String name : node.childrenNames()) {
				read(name).ifPresent(list::add);
			}
		} catch (BackingStoreException e) {
			ILog.of(getClass()).error("Cannot read the Sysplex Explorer connections from the preferences", e);
		}
		list.sort(Comparator.comparing(ConnectionDescriptor::name, String.CASE_INSENSITIVE_ORDER));
		return list;
	}

	public synchronized Optional<ConnectionDescriptor> get(String name) {
		try {
			return node.nodeExists(name) ? read(name) : Optional.empty();
		} catch (BackingStoreException e) {
			ILog.of(getClass()).error("Cannot read the connection " + name, e);
			return Optional.empty();
		}
	}

	private Optional<ConnectionDescriptor> read(String name) {
		var n = node.node(name);
		try {
			return Optional.of(new ConnectionDescriptor(name, n.get("host", ""), n.getInt("port", 4035),
					n.get("user", ""), EncryptionPolicy.valueOf(n.get("encryption", EncryptionPolicy.PREFERRED.name())),
					n.getBoolean("tlsMemory", true), n.getBoolean("autoReconnect", true)));
		} catch (IllegalArgumentException e) {
			ILog.of(getClass()).warn("The connection '" + name + "' in the preferences is not valid and is ignored: "
					+ e.getMessage());
			return Optional.empty();
		}
	}

	/** Adds a connection; a name in use is an error (the status says so). */
	public void add(ConnectionDescriptor c) throws CoreException {
		synchronized (this) {
			if (get(c.name()).isPresent()) {
				throw new CoreException(Status.error("A connection named '" + c.name() + "' exists already; choose "
						+ "another name"));
			}
			write(c);
		}
		listeners.forEach(l -> l.added(c));
	}

	/** Replaces the definition named {@code name} (which may be renamed). */
	public void update(String name, ConnectionDescriptor c) throws CoreException {
		ConnectionDescriptor before;
		synchronized (this) {
			before = get(name).orElseThrow(() -> new CoreException(Status.error("There is no connection named '"
					+ name + "'")));
			if (!name.equals(c.name()) && get(c.name()).isPresent()) {
				throw new CoreException(Status.error("A connection named '" + c.name() + "' exists already"));
			}
			if (!name.equals(c.name())) {
				removeNode(name);
			}
			write(c);
		}
		listeners.forEach(l -> l.changed(before, c));
	}

	public void remove(String name) throws CoreException {
		ConnectionDescriptor before;
		synchronized (this) {
			Optional<ConnectionDescriptor> c = get(name);
			if (c.isEmpty()) {
				return;
			}
			before = c.get();
			removeNode(name);
			flush();
		}
		listeners.forEach(l -> l.removed(before));
	}

	private void write(ConnectionDescriptor c) throws CoreException {
		var n = node.node(c.name());
		n.put("host", c.host());
		n.putInt("port", c.port());
		n.put("user", c.user());
		n.put("encryption", c.encryption().name());
		n.putBoolean("tlsMemory", c.tlsMemory());
		n.putBoolean("autoReconnect", c.autoReconnect());
		flush();
	}

	private void removeNode(String name) throws CoreException {
		try {
			node.node(name).removeNode();
		} catch (BackingStoreException e) {
			throw new CoreException(Status.error("Cannot remove the connection " + name + " from the preferences: "
					+ e.getMessage(), e));
		}
	}

	private void flush() throws CoreException {
		try {
			node.flush();
		} catch (BackingStoreException e) {
			throw new CoreException(Status.error("Cannot save the Sysplex Explorer connections in the preferences: "
					+ e.getMessage(), e));
		}
	}
}
