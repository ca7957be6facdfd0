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
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.navigator.CommonNavigator;
import org.eclipse.ui.navigator.CommonViewer;

import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.ConnectionListener;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.ui.WidgetIds;

/**
 * The Sysplex Explorer: a Common Navigator of the workspace's connections with their state (the
 * system a session landed on, whether it is encrypted, the RSE server port) and, under a
 * connected one, the user's jobs and debug sessions ({@link ExplorerContent}). Without connections
 * it shows an empty state: a message and a link that starts the new-connection wizard.
 */
public class SysplexExplorerView extends CommonNavigator {

	public static final String ID = "dev.sysplex.ui.views.explorer";

	public static final String NEW_CONNECTION_COMMAND = "dev.sysplex.ui.commands.newConnection";

	private Composite stack;
	private Composite emptyState;
	private Link newConnectionLink;
	private Command newConnectionCommand;
	private SysplexConnections connections;
	private final ICommandListener commandListener = this::commandChanged;
	private final ConnectionListener emptyStateListener = new ConnectionListener() {
		@Override
		public void added(ConnectionDescriptor c) {
			showLater();
		}

		@Override
		public void removed(ConnectionDescriptor c) {
			showLater();
		}

		@Override
		public void stateChanged(String connection, dev.sysplex.core.ConnectionState state) {
			statusLineLater();
		}

		@Override
		public void jobsChanged(String connection, java.util.List<dev.sysplex.core.JobInfo> jobs) {
			statusLineLater();
		}
	};
	private final ExplorerContent.Labels labels = new ExplorerContent.Labels();

	@Override
	public void createPartControl(Composite parent) {
		connections = SysplexConnections.instance();
		WorkbenchBinding.bind(connections);
		stack = new Composite(parent, SWT.NONE);
		stack.setLayout(new StackLayout());
		emptyState = new Composite(stack, SWT.NONE);
		GridLayoutFactory.swtDefaults().margins(12, 12).spacing(6, 8).applyTo(emptyState);

		Label message = new Label(emptyState, SWT.WRAP);
		message.setText(Messages.Explorer_empty);
		message.setData(WidgetIds.KEY, WidgetIds.EXPLORER_EMPTY_MESSAGE);
		GridDataFactory.fillDefaults().grab(true, false).applyTo(message);

		newConnectionLink = new Link(emptyState, SWT.NONE);
		newConnectionLink.setText(Messages.Explorer_createLink);
		newConnectionLink.setData(WidgetIds.KEY, WidgetIds.EXPLORER_NEW_CONNECTION_LINK);
		newConnectionLink.addListener(SWT.Selection, e -> startNewConnectionWizard());
		GridDataFactory.fillDefaults().grab(true, false).applyTo(newConnectionLink);

		ICommandService commands = getSite().getService(ICommandService.class);
		newConnectionCommand = commands.getCommand(NEW_CONNECTION_COMMAND);
		newConnectionCommand.addCommandListener(commandListener);
		updateLinkState();

		super.createPartControl(stack);
		getCommonViewer().getTree().setData(WidgetIds.KEY, WidgetIds.EXPLORER_CONNECTIONS);
		getCommonViewer().expandToLevel(2);
		// Enter and double-click: the node's natural action (connect, show output, debug)
		getCommonViewer().addOpenListener(e -> ConnectionHandlers.open(first(e.getSelection()), getSite(),
				getCommonViewer()));
		// the full details of the node under the mouse, as its tooltip
		org.eclipse.swt.widgets.Tree tree = getCommonViewer().getTree();
		tree.addListener(SWT.MouseHover, e -> {
			org.eclipse.swt.widgets.TreeItem item = tree.getItem(new org.eclipse.swt.graphics.Point(e.x, e.y));
			tree.setToolTipText(item == null ? null : labels.getToolTipText(item.getData()));
		});
		tree.addListener(SWT.MouseExit, e -> tree.setToolTipText(null));
		getCommonViewer().addSelectionChangedListener(e -> updateStatusLine());
		org.eclipse.ui.PlatformUI.getWorkbench().getHelpSystem().setHelp(tree, HELP_CONTEXT);
		connections.registry().addListener(emptyStateListener);
		connections.addListener(emptyStateListener);
		show();
	}

	/** The context help of the explorer (F1): contexts.xml. */
	public static final String HELP_CONTEXT = "dev.sysplex.ui.explorer";

	private static Object first(org.eclipse.jface.viewers.ISelection selection) {
		return selection instanceof org.eclipse.jface.viewers.IStructuredSelection s ? s.getFirstElement() : null;
	}

	/** The open listener does a node's action; the navigator's own double-click would also expand it. */
	@Override
	protected void handleDoubleClick(org.eclipse.jface.viewers.DoubleClickEvent anEvent) {
	}

	private void statusLineLater() {
		if (stack != null && !stack.isDisposed()) {
			stack.getDisplay().asyncExec(this::updateStatusLine);
		}
	}

	/** The status line says what the selected node says now, not what it said when it was selected. */
	private void updateStatusLine() {
		if (stack == null || stack.isDisposed() || getCommonViewer() == null) {
			return;
		}
		Object selected = first(getCommonViewer().getSelection());
		getViewSite().getActionBars().getStatusLineManager().setMessage(selected == null ? null
				: labels.getDescription(selected));
	}

	@Override
	protected Object getInitialInput() {
		return ExplorerNodes.Root.INSTANCE;
	}

	@Override
	protected CommonViewer createCommonViewerObject(Composite parent) {
		return new CommonViewer(getViewSite().getId(), parent, SWT.SINGLE | SWT.H_SCROLL | SWT.V_SCROLL);
	}

	private void showLater() {
		if (stack != null && !stack.isDisposed()) {
			stack.getDisplay().asyncExec(this::show);
		}
	}

	/** The tree, or the empty state when there are no connections. */
	private void show() {
		if (stack == null || stack.isDisposed()) {
			return;
		}
		((StackLayout) stack.getLayout()).topControl = connections.registry().all().isEmpty() ? emptyState
				: getCommonViewer().getControl();
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
		newConnectionLink.setToolTipText(handled ? Messages.Explorer_linkTip
				: Messages.Explorer_linkTipMissing);
	}

	private void startNewConnectionWizard() {
		IHandlerService handlers = getSite().getService(IHandlerService.class);
		try {
			handlers.executeCommand(NEW_CONNECTION_COMMAND, null);
		} catch (CommandException e) {
			IStatus status = Status.error(org.eclipse.osgi.util.NLS.bind(Messages.Explorer_wizardFailed, e.getMessage()), e);
			ILog.of(getClass()).log(status);
			ErrorDialog.openError(getSite().getShell(), Messages.Error_title, null, status);
		}
	}

	@Override
	public void setFocus() {
		if (stack != null && ((StackLayout) stack.getLayout()).topControl == emptyState) {
			if (newConnectionLink.isEnabled()) {
				newConnectionLink.setFocus();
			} else {
				emptyState.setFocus();
			}
		} else {
			super.setFocus();
		}
	}

	@Override
	public void dispose() {
		if (connections != null) {
			connections.registry().removeListener(emptyStateListener);
			connections.removeListener(emptyStateListener);
		}
		if (newConnectionCommand != null) {
			newConnectionCommand.removeCommandListener(commandListener);
		}
		super.dispose();
	}
}
