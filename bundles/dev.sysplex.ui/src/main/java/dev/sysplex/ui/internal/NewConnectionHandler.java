package dev.sysplex.ui.internal;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.ui.handlers.HandlerUtil;

import dev.sysplex.core.SysplexConnections;

/** Opens the New Sysplex Connection wizard on the workspace's connections. */
public final class NewConnectionHandler extends AbstractHandler {

	@Override
	public Object execute(ExecutionEvent event) {
		new WizardDialog(HandlerUtil.getActiveShell(event), new NewConnectionWizard(SysplexConnections.instance())) {
			@Override
			protected void configureShell(org.eclipse.swt.widgets.Shell shell) {
				super.configureShell(shell);
				shell.setData(dev.sysplex.ui.WidgetIds.KEY, dev.sysplex.ui.WidgetIds.NEW_CONNECTION_WIZARD);
			}
		}.open();
		return null;
	}
}
