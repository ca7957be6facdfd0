package dev.sysplex.ui.internal;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.jface.wizard.Wizard;

import dev.sysplex.core.SysplexConnections;

/**
 * Creates a connection: its definition goes to the registry (workspace preferences), its password
 * to Secure Storage when "save" is ticked. Nothing is saved when any part fails.
 */
public final class NewConnectionWizard extends Wizard implements org.eclipse.ui.INewWizard {

	private final SysplexConnections connections;
	private NewConnectionPage page;

	/** For File > New > Other...: the workspace's connections. */
	public NewConnectionWizard() {
		this(SysplexConnections.instance());
	}

	@Override
	public void init(org.eclipse.ui.IWorkbench workbench, org.eclipse.jface.viewers.IStructuredSelection selection) {
		// a connection does not depend on the selection
	}

	public NewConnectionWizard(SysplexConnections connections) {
		this.connections = connections;
		setWindowTitle(Messages.Wizard_title);
		setNeedsProgressMonitor(false);
	}

	@Override
	public void addPages() {
		page = new NewConnectionPage(connections.registry());
		addPage(page);
	}

	@Override
	public boolean performFinish() {
		var c = page.connection();
		if (c == null) {
			return false;
		}
		char[] password = page.password();
		try {
			if (page.savePassword()) {
				connections.passwords().put(c.name(), password);
			}
			try {
				connections.registry().add(c);
			} catch (CoreException e) {
				if (page.savePassword()) {
					connections.passwords().remove(c.name()); // nothing half-saved
				}
				throw e;
			}
			return true;
		} catch (CoreException e) {
			ILog.of(getClass()).log(e.getStatus());
			page.setErrorMessage(org.eclipse.osgi.util.NLS.bind(Messages.Wizard_notSaved, e.getStatus().getMessage()));
			return false;
		} finally {
			java.util.Arrays.fill(password, '\0');
		}
	}
}
