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
			selected(event).ifPresent(c -> JobErrors.schedule(connections.connectJob(c.name()), "Connecting to " + c.name()));
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
			if (!MessageDialog.openConfirm(HandlerUtil.getActiveShell(event), "Delete Sysplex Connection",
					"Delete the connection '" + c.name() + "' to " + c.host() + "? Its saved password is removed too.")) {
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
				JobErrors.show(HandlerUtil.getActiveShell(event), "Deleting " + c.name(), e.getStatus());
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
					MessageDialog.openInformation(HandlerUtil.getActiveShell(event), "Submit Job",
							"'" + c.name() + "' is not connected. Connect it first, then submit the job.");
					return;
				}
				SubmitJobDialog d = new SubmitJobDialog(HandlerUtil.getActiveShell(event), c);
				if (d.open() == Window.OK) {
					JobErrors.schedule(connections.submitJob(c.name(), d.program(), d.arguments(), d.debug(),
							d.system(), j -> ILog.of(Submit.class).info("Submitted " + d.program() + " as " + j.id()
									+ " on " + j.system() + " for " + c.name())),
							"Submitting " + d.program() + " on " + c.name());
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
			Job read = new Job("Reading the output of " + node.job().id()) {
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
			JobErrors.schedule(read, "Reading the output of " + node.job().id());
			return null;
		}

		static String consoleName(ExplorerNodes.JobNode node) {
			return "Sysplex job " + node.job().id() + " " + node.job().program() + " (" + node.job().system() + ")";
		}

		private static void show(ExplorerNodes.JobNode node, String text) {
			IConsoleManager manager = ConsolePlugin.getDefault().getConsoleManager();
			String name = consoleName(node);
			MessageConsole console = null;
			for (IConsole c : manager.getConsoles()) {
				if (c instanceof MessageConsole m && c.getName().equals(name)) {
					console = m;
				}
			}
			if (console == null) {
				console = new MessageConsole(name, null);
				manager.addConsoles(new IConsole[] { console });
			}
			console.clearConsole();
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
				JobErrors.schedule(WorkbenchBinding.debugSessions().launchJob(w), "Debugging " + w.session().job());
			}
			return null;
		}
	}
}
