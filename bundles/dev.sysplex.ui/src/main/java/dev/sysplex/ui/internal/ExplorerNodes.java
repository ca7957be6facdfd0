package dev.sysplex.ui.internal;

import org.eclipse.debug.core.ILaunch;

import dev.sysplex.core.JobInfo;

/** The explorer's children of a connected connection. */
final class ExplorerNodes {

	private ExplorerNodes() {
	}

	/** The input of the explorer: all connections of the workspace. */
	static final class Root {
		static final Root INSTANCE = new Root();

		private Root() {
		}
	}

	/** A connection as the element of its property page (which takes adaptables). */
	record Adaptable(dev.sysplex.core.ConnectionDescriptor connection) implements org.eclipse.core.runtime.IAdaptable {
		@Override
		public <T> T getAdapter(Class<T> adapter) {
			return adapter.isInstance(connection) ? adapter.cast(connection) : null;
		}
	}

	/**
	 * A system of the sysplex the connection has seen: the one its RSE session landed on, and each
	 * one a job of the user runs or ran on. Its jobs are its children.
	 */
	record SystemNode(String connection, String system) {
	}

	/** A job of the connection's user. */
	record JobNode(String connection, JobInfo job) {
	}

	/** A debug session of a job launched in this workbench (its launch, until it terminates). */
	record DebugNode(String connection, ILaunch launch) {
	}
}
