package dev.sysplex.ui.internal;

import java.util.Optional;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.window.Window;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.console.ConsolePlugin;
import org.eclipse.ui.console.IConsole;
import org.eclipse.ui.console.IConsoleManager;
import org.eclipse.ui.console.MessageConsole;
import org.eclipse.ui.console.MessageConsoleStream;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.eclipse.ui.handlers.HandlerUtil;

import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.ConnectionState;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.debug.DebugSessions;

/** The Sysplex Explorer's commands on its selection: a connection, or a job or debug session under one. */
public final class ConnectionHandlers {

	private ConnectionHandlers() {
	}

	private static Object first(ExecutionEvent event) {
		return HandlerUtil.getCurrentSelection(event) instanceof IStructuredSelection s ? s.getFirstElement() : null;
	}

	/** The selected connection, or the connection of the selected job or debug session. */
	static Optional<ConnectionDescriptor> selected(ExecutionEvent event) {
		SysplexConnections connections = SysplexConnections.instance();
		return switch (first(event)) {
		case ConnectionDescriptor c -> Optional.of(c);
		case ExplorerNodes.JobNode j -> connections.registry().get(j.connection());
		case ExplorerNodes.SystemNode n -> connections.registry().get(n.connection());
		case ExplorerNodes.DebugNode d -> connections.registry().get(d.connection());
		case DebugSessions.WaitingSession w -> connections.registry().get(w.connection());
		case null, default -> Optional.empty();
		};
	}

	/** Connects in a job (Progress view); asks for the password when none is saved; failures in a dialog. */
	public static final class Connect extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			SysplexConnections connections = SysplexConnections.instance();
			WorkbenchBinding.bind(connections);
			selected(event).ifPresent(c -> JobErrors.schedule(connections.connectJob(c.name()), org.eclipse.osgi.util.NLS.bind(Messages.Handler_connecting, c.name())));
			return null;
		}
	}

	/** Logs off in a job. */
	public static final class Disconnect extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			selected(event).ifPresent(c -> SysplexConnections.instance().disconnect(c.name()));
			return null;
		}
	}

	/** Opens the connection's properties (host, port, user, encryption, saved password). */
	public static final class Edit extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			selected(event).ifPresent(c -> PreferencesUtil.createPropertyDialogOn(HandlerUtil.getActiveShell(event),
					new ExplorerNodes.Adaptable(c),
					ConnectionPropertyPage.ID, new String[] { ConnectionPropertyPage.ID }, null).open());
			return null;
		}
	}

	/** Deletes the connection after asking: logs off first, forgets its saved password. */
	public static final class Delete extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			Optional<ConnectionDescriptor> selected = selected(event);
			if (selected.isEmpty() || !(first(event) instanceof ConnectionDescriptor)) {
				return null;
			}
			ConnectionDescriptor c = selected.get();
			if (!MessageDialog.openConfirm(HandlerUtil.getActiveShell(event), Messages.Handler_deleteTitle,
					org.eclipse.osgi.util.NLS.bind(Messages.Handler_deleteQuestion, c.name(), c.host()))) {
				return null;
			}
			SysplexConnections connections = SysplexConnections.instance();
			if (connections.state(c.name()).phase() != ConnectionState.Phase.DISCONNECTED) {
				connections.disconnect(c.name());
			}
			try {
				connections.registry().remove(c.name());
				connections.passwords().remove(c.name());
			} catch (CoreException e) {
				ILog.of(getClass()).log(e.getStatus());
				JobErrors.show(HandlerUtil.getActiveShell(event), org.eclipse.osgi.util.NLS.bind(Messages.Handler_deleting, c.name()), e.getStatus());
			}
			return null;
		}
	}

	/** Lists the jobs again (of the selected connection, or of every connected one). */
	public static final class Refresh extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			SysplexConnections connections = SysplexConnections.instance();
			Optional<ConnectionDescriptor> selected = selected(event);
			for (ConnectionDescriptor c : selected.map(java.util.List::of).orElseGet(connections.registry()::all)) {
				if (connections.state(c.name()).phase() == ConnectionState.Phase.CONNECTED) {
					connections.refreshJobs(c.name());
				}
			}
			return null;
		}
	}

	/** Submits a job from the dialog (program, arguments, system, debug). */
	public static final class Submit extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			selected(event).ifPresent(c -> {
				SysplexConnections connections = SysplexConnections.instance();
				if (connections.state(c.name()).phase() != ConnectionState.Phase.CONNECTED) {
					MessageDialog.openInformation(HandlerUtil.getActiveShell(event), Messages.Submit_shell,
							org.eclipse.osgi.util.NLS.bind(Messages.Handler_notConnected, c.name()));
					return;
				}
				SubmitJobDialog d = new SubmitJobDialog(HandlerUtil.getActiveShell(event), c);
				if (first(event) instanceof ExplorerNodes.SystemNode n) {
					d.runOn(n.system()); // submitted from a system: to run there, unless the user changes it
				}
				if (d.open() == Window.OK) {
					JobErrors.schedule(connections.submitJob(c.name(), d.program(), d.arguments(), d.debug(),
							d.system(), j -> {
								ILog.of(Submit.class).info("Submitted " + d.program() + " as " + j.id() + " on "
										+ j.system() + " for " + c.name());
								// its output in a Console while it runs and is debugged
								JobConsoles.follow(connections, c.name(), j.id(), d.program(), j.system());
							}),
							org.eclipse.osgi.util.NLS.bind(Messages.Handler_submitting, d.program(), c.name()));
				}
			});
			return null;
		}
	}

	/** Shows the selected job's output in a console named after the job. */
	public static final class ShowOutput extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			if (!(first(event) instanceof ExplorerNodes.JobNode node)) {
				return null;
			}
			Job read = new Job(org.eclipse.osgi.util.NLS.bind(Messages.Handler_readingOutput, node.job().id())) {
				@Override
				protected IStatus run(IProgressMonitor monitor) {
					try {
						String text = SysplexConnections.instance().output(node.connection(), node.job().id());
						PlatformUI.getWorkbench().getDisplay().asyncExec(() -> show(node, text));
						return Status.OK_STATUS;
					} catch (CoreException e) {
						return e.getStatus();
					}
				}

				@Override
				public boolean belongsTo(Object family) {
					return family == SysplexConnections.JOB_FAMILY;
				}
			};
			read.setUser(true);
			JobErrors.schedule(read, org.eclipse.osgi.util.NLS.bind(Messages.Handler_readingOutput, node.job().id()));
			return null;
		}

		static String consoleName(ExplorerNodes.JobNode node) {
			return JobConsoles.consoleName(node.job().id(), node.job().program(), node.job().system());
		}

		private static void show(ExplorerNodes.JobNode node, String text) {
			IConsoleManager manager = ConsolePlugin.getDefault().getConsoleManager();
			MessageConsole console = JobConsoles.console(consoleName(node), true);
			try (MessageConsoleStream out = console.newMessageStream()) {
				out.print(text);
			} catch (java.io.IOException e) {
				ILog.of(ShowOutput.class).warn("The console of " + node.job().id() + " did not close cleanly", e);
			}
			manager.showConsoleView(console);
		}
	}

	/** Starts the selected waiting debug session. */
	public static final class Debug extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			if (first(event) instanceof DebugSessions.WaitingSession w) {
				JobErrors.schedule(WorkbenchBinding.debugSessions().launchJob(w), org.eclipse.osgi.util.NLS.bind(Messages.Notification_debugging, w.session().job()));
			}
			return null;
		}
	}

	/**
	 * Renames the selected connection (F2): its definition and its saved password move to the new
	 * name; a connection in use is not renamed (its session and jobs go by its name).
	 */
	public static final class Rename extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			if (!(first(event) instanceof ConnectionDescriptor c)) {
				return null;
			}
			SysplexConnections connections = SysplexConnections.instance();
			ConnectionState.Phase phase = connections.state(c.name()).phase();
			if (phase != ConnectionState.Phase.DISCONNECTED && phase != ConnectionState.Phase.FAILED) {
				MessageDialog.openInformation(HandlerUtil.getActiveShell(event), Messages.Rename_title, "'" + c.name()
						+ "' is in use; disconnect it, then rename it.");
				return null;
			}
			org.eclipse.jface.dialogs.InputDialog d = new org.eclipse.jface.dialogs.InputDialog(
					HandlerUtil.getActiveShell(event), Messages.Rename_title,
					org.eclipse.osgi.util.NLS.bind(Messages.Rename_message, c.name()), c.name(), text -> {
						String name = text.strip();
						if (name.equals(c.name())) {
							return null;
						}
						if (connections.registry().get(name).isPresent()) {
							return "A connection named '" + name + "' exists already";
						}
						try {
							new ConnectionDescriptor(name, c.host(), c.port(), c.user(), c.encryption(), c.tlsMemory(),
									c.autoReconnect());
							return null;
						} catch (IllegalArgumentException e) {
							return e.getMessage();
						}
					});
			if (d.open() != Window.OK || d.getValue().strip().equals(c.name())) {
				return null;
			}
			String name = d.getValue().strip();
			try {
				Optional<char[]> password = connections.passwords().get(c.name());
				connections.registry().update(c.name(), new ConnectionDescriptor(name, c.host(), c.port(), c.user(),
						c.encryption(), c.tlsMemory(), c.autoReconnect()));
				if (password.isPresent()) {
					connections.passwords().put(name, password.get());
					connections.passwords().remove(c.name());
					java.util.Arrays.fill(password.get(), '\0');
				}
			} catch (CoreException e) {
				ILog.of(getClass()).log(e.getStatus());
				JobErrors.show(HandlerUtil.getActiveShell(event), org.eclipse.osgi.util.NLS.bind(Messages.Handler_renaming, c.name()), e.getStatus());
			}
			return null;
		}
	}

	/**
	 * The natural action of a node (Enter, double-click): connect a connection that is not connected
	 * (a connected one opens or closes), show a job's output, debug a waiting session, show a running
	 * debug session in the Debug view.
	 */
	static void open(Object element, org.eclipse.ui.IWorkbenchPartSite site, org.eclipse.jface.viewers.TreeViewer tree) {
		org.eclipse.ui.handlers.IHandlerService handlers = site.getService(org.eclipse.ui.handlers.IHandlerService.class);
		String command = switch (element) {
		case ConnectionDescriptor c -> switch (SysplexConnections.instance().state(c.name()).phase()) {
			case DISCONNECTED, FAILED -> "dev.sysplex.ui.commands.connect";
			default -> null;
			};
		case ExplorerNodes.JobNode j -> "dev.sysplex.ui.commands.showOutput";
		case DebugSessions.WaitingSession w -> "dev.sysplex.ui.commands.debug";
		case null, default -> null;
		};
		if (command == null) {
			if (element instanceof ConnectionDescriptor || element instanceof ExplorerNodes.SystemNode) {
				tree.setExpandedState(element, !tree.getExpandedState(element));
			} else if (element instanceof ExplorerNodes.DebugNode d && d.launch().getDebugTarget() != null) {
				try {
					org.eclipse.debug.ui.IDebugView view = site.getPage().showView(SysplexPerspective.DEBUG_VIEW)
							.getAdapter(org.eclipse.debug.ui.IDebugView.class);
					if (view != null) {
						view.getViewer().setSelection(new org.eclipse.jface.viewers.StructuredSelection(
								d.launch().getDebugTarget()), true);
					}
				} catch (org.eclipse.ui.PartInitException e) {
					ILog.of(ConnectionHandlers.class).log(e.getStatus());
				}
			}
			return;
		}
		try {
			handlers.executeCommand(command, null);
		} catch (org.eclipse.core.commands.common.CommandException e) {
			ILog.of(ConnectionHandlers.class).error("The action of " + element + " failed: " + e.getMessage(), e);
		}
	}

	/**
	 * What the commands' enablement asks of a connection: {@code canConnect} (disconnected or failed),
	 * {@code canDisconnect} (connecting, connected or reconnecting), {@code connected}. The explorer
	 * asks the workbench to test again when a connection's state changes.
	 */
	public static final class Tester extends org.eclipse.core.expressions.PropertyTester {
		public static final String NAMESPACE = "dev.sysplex.ui";

		@Override
		public boolean test(Object receiver, String property, Object[] args, Object expectedValue) {
			if (!(receiver instanceof ConnectionDescriptor c)) {
				return false;
			}
			ConnectionState.Phase phase = SysplexConnections.instance().state(c.name()).phase();
			boolean result = switch (property) {
			case "canConnect" -> phase == ConnectionState.Phase.DISCONNECTED || phase == ConnectionState.Phase.FAILED;
			case "canDisconnect" -> phase == ConnectionState.Phase.CONNECTING || phase == ConnectionState.Phase.CONNECTED
					|| phase == ConnectionState.Phase.RECONNECTING;
			case "connected" -> phase == ConnectionState.Phase.CONNECTED;
			default -> false;
			};
			return expectedValue == null ? result : result == Boolean.parseBoolean(String.valueOf(expectedValue));
		}

		/** Asks the workbench to test the properties again (any thread). */
		static void changed() {
			org.eclipse.swt.widgets.Display display = PlatformUI.getWorkbench().getDisplay();
			display.asyncExec(() -> {
				org.eclipse.ui.services.IEvaluationService evaluation = PlatformUI.getWorkbench()
						.getService(org.eclipse.ui.services.IEvaluationService.class);
				if (evaluation != null) {
					for (String p : new String[] { "canConnect", "canDisconnect", "connected" }) {
						evaluation.requestEvaluation(NAMESPACE + "." + p);
					}
				}
			});
		}
	}
}
