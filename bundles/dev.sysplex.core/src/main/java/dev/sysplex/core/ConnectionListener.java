package dev.sysplex.core;

import java.util.Map;

/** Told about connections: definitions added, changed or removed, states, and host notifications. */
public interface ConnectionListener {

	default void added(ConnectionDescriptor connection) {
	}

	default void changed(ConnectionDescriptor before, ConnectionDescriptor after) {
	}

	default void removed(ConnectionDescriptor connection) {
	}

	default void stateChanged(String connection, ConnectionState state) {
	}

	/** A notification on a connected session: "debug.waiting", "job.ended", ... */
	default void notification(String connection, String kind, Map<String, String> fields) {
	}

	/** The user's jobs on the connection were listed again. */
	default void jobsChanged(String connection, java.util.List<JobInfo> jobs) {
	}
}
