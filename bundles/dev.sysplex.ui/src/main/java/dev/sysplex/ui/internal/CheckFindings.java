package dev.sysplex.ui.internal;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.IMarkerResolution2;
import org.eclipse.ui.IMarkerResolutionGenerator2;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.HandlerUtil;

import dev.sysplex.check.CheckMarkers;
import dev.sysplex.check.SysplexCheckNature;

/**
 * The workbench side of sysplex check's markers (dev.sysplex.check makes them): the Quick Fix of a
 * finding shows how to fix it (the CLI's fix text, with the systems concerned), and the project's
 * Configure menu turns the check on and off.
 */
public final class CheckFindings {

	private CheckFindings() {
	}

	/** Quick Fix (Ctrl+1 in the Problems view) on a finding: its fix text. */
	public static final class Resolutions implements IMarkerResolutionGenerator2 {

		@Override
		public boolean hasResolutions(IMarker marker) {
			return !marker.getAttribute(CheckMarkers.FIX, "").isEmpty();
		}

		@Override
		public IMarkerResolution[] getResolutions(IMarker marker) {
			return hasResolutions(marker) ? new IMarkerResolution[] { new ShowFix(marker) } : new IMarkerResolution[0];
		}
	}

	/** "Show how to fix [id]": the description in the Quick Fix dialog is the fix itself. */
	static final class ShowFix implements IMarkerResolution2 {

		private final String id;
		private final String fix;

		ShowFix(IMarker marker) {
			this.id = marker.getAttribute(CheckMarkers.FINDING_ID, "");
			this.fix = marker.getAttribute(CheckMarkers.FIX, "");
		}

		@Override
		public String getLabel() {
			return NLS.bind(Messages.Check_showFix, id);
		}

		@Override
		public String getDescription() {
			return fix;
		}

		@Override
		public Image getImage() {
			return null;
		}

		@Override
		public void run(IMarker marker) {
			Shell shell = PlatformUI.getWorkbench().getModalDialogShellProvider().getShell();
			show(shell, marker);
		}
	}

	/** The finding, where it is, the systems it concerns and its fix, in a dialog. */
	static void show(Shell shell, IMarker marker) {
		String systems = marker.getAttribute(CheckMarkers.SYSTEMS, "");
		int line = marker.getAttribute(IMarker.LINE_NUMBER, 0);
		String where = marker.getResource().getFullPath() + (line > 0 ? ":" + line : "");
		String text = NLS.bind(Messages.Check_fixText,
				new Object[] { where, marker.getAttribute(IMarker.MESSAGE, ""),
						systems.isEmpty() ? "" : NLS.bind(Messages.Check_systems, systems.replace(",", ", ")),
						marker.getAttribute(CheckMarkers.FIX, "") });
		int kind = marker.getAttribute(IMarker.SEVERITY, 0) == IMarker.SEVERITY_ERROR ? MessageDialog.ERROR
				: MessageDialog.WARNING;
		MessageDialog dialog = new MessageDialog(shell,
				NLS.bind(Messages.Check_fixTitle, marker.getAttribute(CheckMarkers.FINDING_ID, "")), null, text, kind,
				0, IDialogConstants.CLOSE_LABEL);
		dialog.open();
	}

	/** The projects of the selection (a project, or any resource in one). */
	private static java.util.Set<IProject> projects(ISelection selection) {
		java.util.Set<IProject> projects = new java.util.LinkedHashSet<>();
		if (selection instanceof IStructuredSelection s) {
			for (Object o : s.toList()) {
				IResource r = Adapters.adapt(o, IResource.class);
				if (r != null && r.getProject() != null && r.getProject().isOpen()) {
					projects.add(r.getProject());
				}
			}
		}
		return projects;
	}

	/** A project's check turned on or off: {@link SysplexCheckNature#add} or {@link SysplexCheckNature#remove}. */
	@FunctionalInterface
	private interface Configure {
		void apply(IProject project) throws CoreException;
	}

	/** Runs {@code configure} on every project of the selection; a failure names the project and why. */
	private static void configure(ExecutionEvent event, Configure configure) throws ExecutionException {
		for (IProject p : projects(HandlerUtil.getCurrentSelection(event))) {
			try {
				configure.apply(p);
			} catch (CoreException e) {
				throw new ExecutionException(NLS.bind(Messages.Check_cannotConfigure, p.getName(),
						e.getStatus().getMessage()), e);
			}
		}
	}

	/** Configure > Check Sysplex Directories: adds the nature, so every member save runs the check. */
	public static final class Enable extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) throws ExecutionException {
			configure(event, SysplexCheckNature::add);
			return null;
		}
	}

	/** Configure > Stop Checking Sysplex Directories: removes the nature, the builder and the markers. */
	public static final class Disable extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) throws ExecutionException {
			configure(event, SysplexCheckNature::remove);
			return null;
		}
	}
}
