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
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.graphics.Image;
import org.eclipse.ui.IMemento;
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
 * connected one the debug sessions that wait for this client, the debug sessions running in this
 * workbench, and the systems it has seen (where its RSE session is, where the user's jobs run),
 * each with the user's jobs on it and their state.
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
				systems(c.name()).forEach(x -> children.add(new ExplorerNodes.SystemNode(c.name(), x)));
				return children.toArray();
			}
			if (parent instanceof ExplorerNodes.SystemNode n
					&& connections.state(n.connection()).phase() == ConnectionState.Phase.CONNECTED) {
				List<Object> children = new ArrayList<>();
				for (JobInfo j : connections.jobs(n.connection())) {
					if (j.system().equals(n.system())) {
						children.add(new ExplorerNodes.JobNode(n.connection(), j));
					}
				}
				return children.toArray();
			}
			return new Object[0];
		}

		/** The systems a connected connection has seen, by name: its session's and its jobs'. */
		private List<String> systems(String connection) {
			java.util.SortedSet<String> names = new java.util.TreeSet<>();
			connections.state(connection).system().ifPresent(names::add);
			connections.jobs(connection).forEach(j -> names.add(j.system()));
			return List.copyOf(names);
		}

		@Override
		public Object getParent(Object element) {
			if (element instanceof ExplorerNodes.JobNode j) {
				return new ExplorerNodes.SystemNode(j.connection(), j.job().system());
			}
			String connection = switch (element) {
			case ExplorerNodes.SystemNode n -> n.connection();
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
						v.refresh(); // the tree keeps what the user expanded and collapsed
						SysplexConnections cs = connections;
						if (v instanceof org.eclipse.jface.viewers.TreeViewer tv && cs != null) {
							for (String name : List.copyOf(toExpand)) {
								cs.registry().get(name).filter(c -> getChildren(c).length > 0).ifPresent(c -> {
									toExpand.remove(name);
									tv.expandToLevel(c, 1);
								});
							}
							// a system seen for the first time opens with its jobs, if its connection is open;
							// afterwards the user decides
							for (ConnectionDescriptor c : cs.registry().all()) {
								for (Object child : getChildren(c)) {
									if (!(child instanceof ExplorerNodes.SystemNode n)) {
										continue;
									}
									tv.update(n, null); // its label counts its jobs: the node itself is equal
									// seen once it opened: one with no jobs yet cannot open, and one whose jobs
									// came after this refresh built the tree has no item yet; both open later
									if (getChildren(n).length > 0 && !seenSystems.contains(n) && tv.getExpandedState(c)) {
										tv.setExpandedState(n, true);
										if (tv.getExpandedState(n)) {
											seenSystems.add(n);
										}
									}
								}
							}
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
			if (state.phase() == ConnectionState.Phase.CONNECTED) {
				toExpand.add(connection); // opens once it has children to show; afterwards the user decides
			} else {
				toExpand.remove(connection);
				seenSystems.removeIf(n -> n.connection().equals(connection)); // open again at the next connect
			}
			refreshLater();
			ConnectionHandlers.Tester.changed(); // Connect and Disconnect follow the state
		}

		/** Connections that connected and have not been opened yet (they open with their first children). */
		private final java.util.Set<String> toExpand = java.util.concurrent.ConcurrentHashMap.newKeySet();
		/** Systems shown once already: the user's collapse of one is kept. */
		private final java.util.Set<ExplorerNodes.SystemNode> seenSystems = java.util.concurrent.ConcurrentHashMap
				.newKeySet();

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

	/**
	 * Texts, icons and tooltips: a connection's state says where it landed and marks a session that is
	 * NOT ENCRYPTED, in its text and in an overlay; a job's state is said in words.
	 */
	public static final class Labels extends LabelProvider implements ICommonLabelProvider,
			org.eclipse.jface.viewers.IToolTipProvider {

		@Override
		public void init(ICommonContentExtensionSite site) {
		}

		@Override
		public String getText(Object element) {
			return switch (element) {
			case ConnectionDescriptor c -> NLS.bind(Messages.Connection_label, new Object[] { c.name(), c.user(),
					c.host(), c.port(), describe(SysplexConnections.instance().state(c.name())) });
			case ExplorerNodes.JobNode j -> label(j.job());
			case ExplorerNodes.SystemNode n -> NLS.bind(Messages.System_label, n.system(), details(n));
			case DebugSessions.WaitingSession w -> NLS.bind(Messages.Waiting_label, w.session().job(),
					w.session().system());
			case ExplorerNodes.DebugNode d -> describe(d);
			default -> String.valueOf(element);
			};
		}

		@Override
		public Image getImage(Object element) {
			return switch (element) {
			case ConnectionDescriptor c -> Icons.image(Icons.CONNECTION, overlay(SysplexConnections.instance()
					.state(c.name())));
			case ExplorerNodes.JobNode j -> Icons.image(Icons.JOB, j.job().state().equals("FAILED") ? Icons.FAILED
					: null);
			case ExplorerNodes.SystemNode n -> Icons.image(Icons.SYSTEM, sessionHere(n) ? Icons.CONNECTED : null);
			case DebugSessions.WaitingSession w -> Icons.image(Icons.DEBUG_WAITING);
			case ExplorerNodes.DebugNode d -> Icons.image(Icons.DEBUG_RUNNING);
			default -> null;
			};
		}

		/** The state overlay: failed, reconnecting, connected and NOT ENCRYPTED, connected and encrypted. */
		static String overlay(ConnectionState s) {
			return switch (s.phase()) {
			case FAILED -> Icons.FAILED;
			case RECONNECTING -> Icons.RECONNECTING;
			case CONNECTED -> s.encrypted() ? Icons.ENCRYPTED : Icons.NOT_ENCRYPTED;
			default -> null;
			};
		}

		@Override
		public String getToolTipText(Object element) {
			return switch (element) {
			case ConnectionDescriptor c -> {
				ConnectionState s = SysplexConnections.instance().state(c.name());
				String session = s.phase() == ConnectionState.Phase.CONNECTED
						? describe(s) + SysplexConnections.instance().session(c.name())
								.flatMap(x -> x.certificateSha256()).map(f -> "\n" + Messages.Property_certificate + ": " + f)
								.orElse("")
						: describe(s);
				yield NLS.bind(Messages.Connection_tooltip, new Object[] { c.name(), c.user(), c.host(), c.port(),
						c.encryption().name().toLowerCase(Locale.ROOT), session });
			}
			case ExplorerNodes.SystemNode n -> NLS.bind(Messages.System_tooltip, new Object[] { n.system(),
					n.connection(), SysplexConnections.instance().registry().get(n.connection()).map(c -> c.host())
							.orElse("?"), session(n), jobs(n).size() });
			case ExplorerNodes.JobNode j -> NLS.bind(Messages.Job_tooltip, new Object[] { j.job().program(),
					j.job().id(), j.job().system(), state(j.job()) });
			case DebugSessions.WaitingSession w -> NLS.bind(Messages.Waiting_tooltip, new Object[] { w.session().job(),
					w.session().system(), w.session().user(), w.session().port(), w.session().encrypted()
							? Messages.Connection_encrypted : Messages.Connection_notEncrypted });
			case ExplorerNodes.DebugNode d -> describe(d);
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

	/** True when the connection's RSE session is on this system. */
	static boolean sessionHere(ExplorerNodes.SystemNode n) {
		ConnectionState s = SysplexConnections.instance().state(n.connection());
		return s.phase() == ConnectionState.Phase.CONNECTED && s.system().filter(n.system()::equals).isPresent();
	}

	/** The user's jobs on the system, as the connection last listed them. */
	static List<JobInfo> jobs(ExplorerNodes.SystemNode n) {
		return SysplexConnections.instance().jobs(n.connection()).stream().filter(j -> j.system().equals(n.system()))
				.toList();
	}

	/** "your RSE session is here, RSE server port 20001", or "no RSE session of yours". */
	static String session(ExplorerNodes.SystemNode n) {
		return sessionHere(n) ? NLS.bind(Messages.System_sessionHere,
				SysplexConnections.instance().state(n.connection()).serverPort()) : Messages.System_noSession;
	}

	/** "RSE session here, 2 jobs"; "1 job"; "no jobs". */
	static String details(ExplorerNodes.SystemNode n) {
		int count = jobs(n).size();
		String jobs = count == 0 ? Messages.System_noJobs : count == 1 ? Messages.System_oneJob
				: NLS.bind(Messages.System_jobs, count);
		return sessionHere(n) ? NLS.bind(Messages.System_sessionAnd, jobs) : jobs;
	}

	/** "Payroll JOB00003 on SYSB: waiting for the debugger". */
	static String label(JobInfo j) {
		return NLS.bind(Messages.Job_label, new Object[] { j.program(), j.id(), j.system(), state(j) });
	}

	/** A job's state in words: "waiting for the debugger", "ended, rc=0", "canceled". */
	static String state(JobInfo j) {
		return switch (j.state()) {
		case "WAITING_FOR_DEBUGGER" -> Messages.Job_waiting;
		case "DEBUGGING" -> Messages.Job_debugging;
		case "RUNNING" -> Messages.Job_running;
		case "ENDED" -> j.rc().map(rc -> NLS.bind(Messages.Job_endedRc, rc)).orElse(Messages.Job_ended);
		case "CANCELED" -> Messages.Job_canceled;
		case "FAILED" -> Messages.Job_failed;
		default -> j.state().toLowerCase(Locale.ROOT).replace('_', ' '); // a state of a newer host
		};
	}

	/** "connected to SYSB, encrypted, RSE server port 20001"; "NOT ENCRYPTED" stands out. */
	static String describe(ConnectionState s) {
		return switch (s.phase()) {
		case CONNECTED -> NLS.bind(Messages.Connection_connected, new Object[] { s.system().orElse("?"),
				s.encrypted() ? Messages.Connection_encrypted : Messages.Connection_notEncrypted, s.serverPort() });
		case FAILED -> NLS.bind(Messages.Connection_failed, s.problem().orElse(""));
		case RECONNECTING -> s.problem().map(p -> NLS.bind(Messages.Connection_reconnectingAfter,
				new Object[] { s.attempt(), s.attempts(), p })).orElse(NLS.bind(Messages.Connection_reconnecting,
						s.attempt(), s.attempts()));
		case DISCONNECTED -> Messages.Connection_disconnected + s.problem().map(p -> " (" + p + ")").orElse("");
		case CONNECTING -> Messages.Connection_connecting;
		default -> s.phase().name().toLowerCase(Locale.ROOT);
		};
	}

	private static String describe(ExplorerNodes.DebugNode d) {
		String name = d.launch().getLaunchConfiguration() == null ? "debug session"
				: d.launch().getLaunchConfiguration().getName();
		IDebugTarget target = d.launch().getDebugTarget();
		String state = target == null ? Messages.Debugging_connecting
				: target.isSuspended() ? Messages.Debugging_suspended : Messages.Debugging_running;
		try {
			if (target != null) {
				for (var t : target.getThreads()) {
					if (t.isSuspended()) {
						state = Messages.Debugging_suspended;
					}
				}
			}
		} catch (org.eclipse.debug.core.DebugException e) {
			// the state stays as the target says
		}
		return NLS.bind(Messages.Debugging_label, name, state);
	}
}
