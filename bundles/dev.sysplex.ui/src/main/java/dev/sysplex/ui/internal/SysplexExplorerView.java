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
 * The Sysplex Explorer view. Until connections exist it shows an empty state: a message and a
 * link that starts the new-connection wizard (the command {@link #NEW_CONNECTION_COMMAND}).
 */
public class SysplexExplorerView extends ViewPart {

	public static final String ID = "dev.sysplex.ui.views.explorer";

	public static final String NEW_CONNECTION_COMMAND = "dev.sysplex.ui.commands.newConnection";

	private Composite emptyState;
	private Link newConnectionLink;
	private Command newConnectionCommand;
	private final ICommandListener commandListener = this::commandChanged;

	@Override
	public void createPartControl(Composite parent) {
		emptyState = new Composite(parent, SWT.NONE);
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
		} else if (emptyState != null && !emptyState.isDisposed()) {
			emptyState.setFocus();
		}
	}

	@Override
	public void dispose() {
		if (newConnectionCommand != null) {
			newConnectionCommand.removeCommandListener(commandListener);
		}
		super.dispose();
	}
}
