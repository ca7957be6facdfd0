package dev.sysplex.ui.internal;

import org.eclipse.core.commands.Command;
import org.eclipse.core.commands.CommandEvent;
import org.eclipse.core.commands.ICommandListener;
import org.eclipse.core.commands.common.CommandException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.part.ViewPart;

import dev.sysplex.ui.WidgetIds;

/**
 * The Sysplex Explorer view: the workspace's connections with their state (the system a session
 * landed on, whether it is encrypted, the RSE server port). Without connections it shows an empty
 * state: a message and a link that starts the new-connection wizard ({@link #NEW_CONNECTION_COMMAND}).
 */
public class SysplexExplorerView extends ViewPart {

	public static final String ID = "dev.sysplex.ui.views.explorer";

	public static final String NEW_CONNECTION_COMMAND = "dev.sysplex.ui.commands.newConnection";

	/**
	 * One handler of "debug session waiting" per connections instance, kept for as long as the
	 * workbench runs (in the IDE there is one instance; tests that replace it add one each).
	 */
	private static final java.util.Map<dev.sysplex.core.SysplexConnections, dev.sysplex.debug.DebugSessions> DEBUG_SESSIONS = new java.util.concurrent.ConcurrentHashMap<>();

	private Composite stack;
	private Composite emptyState;
	private org.eclipse.jface.viewers.TableViewer table;
	private final dev.sysplex.core.SysplexConnections connections = dev.sysplex.core.SysplexConnections.instance();
	private final dev.sysplex.core.ConnectionListener refresher = new dev.sysplex.core.ConnectionListener() {
		@Override
		public void added(dev.sysplex.core.ConnectionDescriptor c) {
			refreshLater();
		}

		@Override
		public void changed(dev.sysplex.core.ConnectionDescriptor before, dev.sysplex.core.ConnectionDescriptor after) {
			refreshLater();
		}

		@Override
		public void removed(dev.sysplex.core.ConnectionDescriptor c) {
			refreshLater();
		}

		@Override
		public void stateChanged(String connection, dev.sysplex.core.ConnectionState state) {
			refreshLater();
		}
	};
	private Link newConnectionLink;
	private Command newConnectionCommand;
	private final ICommandListener commandListener = this::commandChanged;

	@Override
	public void createPartControl(Composite parent) {
		stack = new Composite(parent, SWT.NONE);
		stack.setLayout(new org.eclipse.swt.custom.StackLayout());
		emptyState = new Composite(stack, SWT.NONE);
		GridLayoutFactory.swtDefaults().margins(12, 12).spacing(6, 8).applyTo(emptyState);

		Label message = new Label(emptyState, SWT.WRAP);
		message.setText("No connections yet");
		message.setData(WidgetIds.KEY, WidgetIds.EXPLORER_EMPTY_MESSAGE);
		GridDataFactory.fillDefaults().grab(true, false).applyTo(message);

		newConnectionLink = new Link(emptyState, SWT.NONE);
		newConnectionLink.setText("<a>Create a connection to a sysplex...</a>");
		newConnectionLink.setData(WidgetIds.KEY, WidgetIds.EXPLORER_NEW_CONNECTION_LINK);
		newConnectionLink.addListener(SWT.Selection, e -> startNewConnectionWizard());
		GridDataFactory.fillDefaults().grab(true, false).applyTo(newConnectionLink);

		ICommandService commands = getSite().getService(ICommandService.class);
		newConnectionCommand = commands.getCommand(NEW_CONNECTION_COMMAND);
		newConnectionCommand.addCommandListener(commandListener);
		updateLinkState();

		table = new org.eclipse.jface.viewers.TableViewer(stack, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
		table.getTable().setData(WidgetIds.KEY, WidgetIds.EXPLORER_CONNECTIONS);
		table.getTable().setHeaderVisible(true);
		column("Connection", 140, c -> c.name());
		column("Host", 140, c -> c.host() + ":" + c.port());
		column("User", 80, c -> c.user());
		column("State", 320, this::describeState);
		table.setContentProvider(org.eclipse.jface.viewers.ArrayContentProvider.getInstance());
		org.eclipse.jface.action.MenuManager menu = new org.eclipse.jface.action.MenuManager();
		table.getControl().setMenu(menu.createContextMenu(table.getControl()));
		getSite().registerContextMenu(ID, menu, table);
		getSite().setSelectionProvider(table);
		connections.registry().addListener(refresher);
		connections.addListener(refresher);
		DEBUG_SESSIONS.computeIfAbsent(connections, dev.sysplex.debug.DebugSessions::new);
		refresh();
	}

	private void column(String title, int width,
			java.util.function.Function<dev.sysplex.core.ConnectionDescriptor, String> text) {
		var column = new org.eclipse.jface.viewers.TableViewerColumn(table, SWT.NONE);
		column.getColumn().setText(title);
		column.getColumn().setWidth(width);
		column.setLabelProvider(new org.eclipse.jface.viewers.ColumnLabelProvider() {
			@Override
			public String getText(Object element) {
				return text.apply((dev.sysplex.core.ConnectionDescriptor) element);
			}
		});
	}

	/** "connected to SYSB, encrypted, RSE server port 20001", "NOT encrypted" standing out. */
	private String describeState(dev.sysplex.core.ConnectionDescriptor c) {
		var s = connections.state(c.name());
		return switch (s.phase()) {
		case CONNECTED -> "connected to " + s.system().orElse("?") + ", " + (s.encrypted() ? "encrypted" : "NOT ENCRYPTED")
				+ ", RSE server port " + s.serverPort();
		case FAILED -> "failed: " + s.problem().orElse("");
		default -> s.phase().name().toLowerCase(java.util.Locale.ROOT);
		};
	}

	private void refreshLater() {
		if (stack != null && !stack.isDisposed()) {
			stack.getDisplay().asyncExec(this::refresh);
		}
	}

	/** Shows the connections, or the empty state when there are none. */
	private void refresh() {
		if (stack == null || stack.isDisposed()) {
			return;
		}
		var all = connections.registry().all();
		table.setInput(all);
		((org.eclipse.swt.custom.StackLayout) stack.getLayout()).topControl = all.isEmpty() ? emptyState
				: table.getControl();
		stack.layout();
	}

	private void commandChanged(CommandEvent event) {
		if (event.isHandledChanged() || event.isEnabledChanged()) {
			emptyState.getDisplay().asyncExec(this::updateLinkState);
		}
	}

	/** The link is live only while a handler for the wizard command is present. */
	private void updateLinkState() {
		if (newConnectionLink == null || newConnectionLink.isDisposed()) {
			return;
		}
		boolean handled = newConnectionCommand.isDefined() && newConnectionCommand.isHandled();
		newConnectionLink.setEnabled(handled);
		newConnectionLink.setToolTipText(handled ? "Opens the New Sysplex Connection wizard"
				: "The New Sysplex Connection wizard is not installed in this version");
	}

	private void startNewConnectionWizard() {
		IHandlerService handlers = getSite().getService(IHandlerService.class);
		try {
			handlers.executeCommand(NEW_CONNECTION_COMMAND, null);
		} catch (CommandException e) {
			IStatus status = Status.error("Could not start the New Sysplex Connection wizard: " + e.getMessage(), e);
			ILog.of(getClass()).log(status);
			ErrorDialog.openError(getSite().getShell(), "Sysplex Explorer", null, status);
		}
	}

	@Override
	public void setFocus() {
		if (newConnectionLink != null && !newConnectionLink.isDisposed() && newConnectionLink.isEnabled()) {
			newConnectionLink.setFocus();
		} else if (table != null && !table.getControl().isDisposed() && table.getControl().isVisible()) {
			table.getControl().setFocus();
		} else if (emptyState != null && !emptyState.isDisposed()) {
			emptyState.setFocus();
		}
	}

	@Override
	public void dispose() {
		connections.registry().removeListener(refresher);
		connections.removeListener(refresher);
		if (newConnectionCommand != null) {
			newConnectionCommand.removeCommandListener(commandListener);
		}
		super.dispose();
	}
}
