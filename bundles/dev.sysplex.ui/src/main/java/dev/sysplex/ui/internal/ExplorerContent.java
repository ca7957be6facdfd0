package dev.sysplex.ui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchesListener2;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.StructuredViewer;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.swt.graphics.Image;
import org.eclipse.ui.ISharedImages;
import org.eclipse.ui.IMemento;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.navigator.ICommonContentExtensionSite;
import org.eclipse.ui.navigator.ICommonContentProvider;
import org.eclipse.ui.navigator.ICommonLabelProvider;

import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.ConnectionListener;
import dev.sysplex.core.ConnectionState;
import dev.sysplex.core.JobInfo;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.debug.DebugSessions;
import dev.sysplex.debug.SysplexDebug;

/**
 * The Sysplex Explorer's content for the Common Navigator: connections at the top; under a
 * connected one the user's jobs with their state, the debug sessions that wait for this client,
 * and the debug sessions running in this workbench.
 */
public final class ExplorerContent {

	private ExplorerContent() {
	}

	/** Children, and refreshes of the viewer when connections, jobs, sessions or launches change. */
	public static final class Provider implements ICommonContentProvider, ConnectionListener, ILaunchesListener2 {

		private SysplexConnections connections;
		private DebugSessions debugSessions;
		private StructuredViewer viewer;
		private final Runnable sessionsChanged = this::refreshLater;

		@Override
		public void init(ICommonContentExtensionSite site) {
		}

		@Override
		public void inputChanged(Viewer v, Object oldInput, Object newInput) {
			unhook();
			if (newInput instanceof ExplorerNodes.Root && v instanceof StructuredViewer sv) {
				viewer = sv;
				connections = SysplexConnections.instance();
				debugSessions = WorkbenchBinding.bind(connections);
				connections.registry().addListener(this);
				connections.addListener(this);
				debugSessions.addChangeListener(sessionsChanged);
				DebugPlugin.getDefault().getLaunchManager().addLaunchListener(this);
			}
		}

		private void unhook() {
			if (connections != null) {
				connections.registry().removeListener(this);
				connections.removeListener(this);
				debugSessions.removeChangeListener(sessionsChanged);
				DebugPlugin.getDefault().getLaunchManager().removeLaunchListener(this);
				connections = null;
			}
		}

		@Override
		public Object[] getElements(Object input) {
			return getChildren(input);
		}

		@Override
		public Object[] getChildren(Object parent) {
			if (connections == null) {
				return new Object[0];
			}
			if (parent instanceof ExplorerNodes.Root) {
				return connections.registry().all().toArray();
			}
			if (parent instanceof ConnectionDescriptor c
					&& connections.state(c.name()).phase() == ConnectionState.Phase.CONNECTED) {
				List<Object> children = new ArrayList<>();
				children.addAll(debugSessions.waiting(c.name()));
				for (ILaunch launch : DebugPlugin.getDefault().getLaunchManager().getLaunches()) {
					if (!launch.isTerminated() && c.name().equals(connectionOf(launch))) {
						children.add(new ExplorerNodes.DebugNode(c.name(), launch));
					}
				}
				for (JobInfo j : connections.jobs(c.name())) {
					children.add(new ExplorerNodes.JobNode(c.name(), j));
				}
				return children.toArray();
			}
			return new Object[0];
		}

		@Override
		public Object getParent(Object element) {
			String connection = switch (element) {
			case ExplorerNodes.JobNode j -> j.connection();
			case ExplorerNodes.DebugNode d -> d.connection();
			case DebugSessions.WaitingSession w -> w.connection();
			default -> null;
			};
			if (connection != null && connections != null) {
				return connections.registry().get(connection).orElse(null);
			}
			return element instanceof ConnectionDescriptor ? ExplorerNodes.Root.INSTANCE : null;
		}

		@Override
		public boolean hasChildren(Object element) {
			return getChildren(element).length > 0;
		}

		private void refreshLater() {
			StructuredViewer v = viewer;
			if (v != null && !v.getControl().isDisposed()) {
				v.getControl().getDisplay().asyncExec(() -> {
					if (!v.getControl().isDisposed()) {
						v.refresh();
						if (v instanceof org.eclipse.jface.viewers.TreeViewer tv) {
							tv.expandToLevel(2);
						}
					}
				});
			}
		}

		@Override
		public void added(ConnectionDescriptor c) {
			refreshLater();
		}

		@Override
		public void changed(ConnectionDescriptor before, ConnectionDescriptor after) {
			refreshLater();
		}

		@Override
		public void removed(ConnectionDescriptor c) {
			refreshLater();
		}

		@Override
		public void stateChanged(String connection, ConnectionState state) {
			refreshLater();
		}

		@Override
		public void jobsChanged(String connection, List<JobInfo> jobs) {
			refreshLater();
		}

		@Override
		public void notification(String connection, String kind, Map<String, String> fields) {
			// jobs and waiting sessions come through jobsChanged and the sessions' listener
		}

		@Override
		public void launchesRemoved(ILaunch[] launches) {
			refreshLater();
		}

		@Override
		public void launchesAdded(ILaunch[] launches) {
			refreshLater();
		}

		@Override
		public void launchesChanged(ILaunch[] launches) {
			refreshLater();
		}

		@Override
		public void launchesTerminated(ILaunch[] launches) {
			refreshLater();
		}

		@Override
		public void restoreState(IMemento memento) {
		}

		@Override
		public void saveState(IMemento memento) {
		}

		@Override
		public void dispose() {
			unhook();
			viewer = null;
		}
	}

	static String connectionOf(ILaunch launch) {
		ILaunchConfiguration config = launch.getLaunchConfiguration();
		try {
			return config == null ? null : config.getAttribute(SysplexDebug.ATTR_CONNECTION, (String) null);
		} catch (org.eclipse.core.runtime.CoreException e) {
			return null;
		}
	}

	/** Texts: the state of a connection says where it landed and marks a session that is NOT ENCRYPTED. */
	public static final class Labels extends LabelProvider implements ICommonLabelProvider {

		@Override
		public void init(ICommonContentExtensionSite site) {
		}

		@Override
		public String getText(Object element) {
			return switch (element) {
			case ConnectionDescriptor c -> c.name() + " (" + c.user() + "@" + c.host() + ":" + c.port() + ") - "
					+ describe(SysplexConnections.instance().state(c.name()));
			case ExplorerNodes.JobNode j -> j.job().label();
			case DebugSessions.WaitingSession w -> "Debug session of " + w.label();
			case ExplorerNodes.DebugNode d -> describe(d);
			default -> String.valueOf(element);
			};
		}

		@Override
		public Image getImage(Object element) {
			ISharedImages images = PlatformUI.getWorkbench().getSharedImages();
			return switch (element) {
			case ConnectionDescriptor c -> {
				ConnectionState s = SysplexConnections.instance().state(c.name());
				if (s.phase() == ConnectionState.Phase.FAILED || s.phase() == ConnectionState.Phase.RECONNECTING
						|| (s.phase() == ConnectionState.Phase.CONNECTED && !s.encrypted())) {
					yield images.getImage(ISharedImages.IMG_OBJS_WARN_TSK);
				}
				yield images.getImage(ISharedImages.IMG_OBJ_FOLDER);
			}
			case ExplorerNodes.JobNode j -> images.getImage(j.job().state().equals("FAILED")
					? ISharedImages.IMG_OBJS_ERROR_TSK : ISharedImages.IMG_OBJ_FILE);
			case DebugSessions.WaitingSession w -> images.getImage(ISharedImages.IMG_OBJS_INFO_TSK);
			case ExplorerNodes.DebugNode d -> images.getImage(ISharedImages.IMG_TOOL_FORWARD);
			default -> null;
			};
		}

		@Override
		public String getDescription(Object element) {
			return getText(element);
		}

		@Override
		public void restoreState(IMemento memento) {
		}

		@Override
		public void saveState(IMemento memento) {
		}
	}

	/** "connected to SYSB, encrypted, RSE server port 20001"; "NOT ENCRYPTED" stands out. */
	static String describe(ConnectionState s) {
		return switch (s.phase()) {
		case CONNECTED -> "connected to " + s.system().orElse("?") + ", "
				+ (s.encrypted() ? "encrypted" : "NOT ENCRYPTED") + ", RSE server port " + s.serverPort();
		case FAILED -> "failed: " + s.problem().orElse("");
		case RECONNECTING -> "reconnecting (attempt " + s.attempt() + " of " + s.attempts() + ")"
				+ s.problem().map(p -> " after: " + p).orElse("");
		case DISCONNECTED -> "disconnected" + s.problem().map(p -> " (" + p + ")").orElse("");
		default -> s.phase().name().toLowerCase(Locale.ROOT);
		};
	}

	private static String describe(ExplorerNodes.DebugNode d) {
		String name = d.launch().getLaunchConfiguration() == null ? "debug session"
				: d.launch().getLaunchConfiguration().getName();
		IDebugTarget target = d.launch().getDebugTarget();
		String state = target == null ? "connecting" : target.isSuspended() ? "suspended" : "running";
		try {
			if (target != null) {
				for (var t : target.getThreads()) {
					if (t.isSuspended()) {
						state = "suspended";
					}
				}
			}
		} catch (org.eclipse.debug.core.DebugException e) {
			// the state stays as the target says
		}
		return "Debugging " + name + " (" + state + ")";
	}
}
