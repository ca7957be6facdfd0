package dev.sysplex.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.commands.Command;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.IMarkerResolution2;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.navigator.CommonNavigator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.check.CheckMarkers;
import dev.sysplex.check.SysplexCheckNature;
import dev.sysplex.host.SysplexDirectories;

/**
 * A system programmer's members in the workbench: a project over a sysplex directory, the check
 * turned on from the project's Configure commands in the Project Explorer, a pitfall in the Problems
 * view with its Quick Fix showing the fix, and the row gone once the member is fixed and saved.
 */
@ExtendWith(ScreenshotOnFailure.class)
class CheckProblemsTest {

	private static final String ENABLE = "dev.sysplex.ui.commands.checkEnable";
	private static final String DISABLE = "dev.sysplex.ui.commands.checkDisable";
	private static final String PROBLEMS = "org.eclipse.ui.views.ProblemView";

	@TempDir
	Path dir;

	private IProject project;

	@AfterEach
	void cleanUp() throws Exception {
		org.eclipse.core.runtime.Platform.removeLogListener(logged);
		Ui.stopWatching();
		if (project != null && project.exists()) {
			project.delete(false, true, null);
		}
	}

	/** What the platform logs while the test runs (with its exceptions' messages), children included. */
	private final java.util.List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
	private final org.eclipse.core.runtime.ILogListener logged = (status, plugin) -> record(status);

	private void record(org.eclipse.core.runtime.IStatus status) {
		log.add(status.getMessage() + (status.getException() == null ? "" : ": " + status.getException().getMessage()));
		for (org.eclipse.core.runtime.IStatus child : status.getChildren()) {
			record(child);
		}
	}

	@Test
	void aPitfallIsInTheProblemsViewWithItsFixAndGoesAwayWhenTheMemberIsFixed() throws Exception {
		org.eclipse.core.runtime.Platform.addLogListener(logged);
		Path plex = dir.resolve("plex");
		SysplexDirectories.copy(Path.of(System.getProperty("sysplex.examples")).resolve("two-systems"), plex);
		Path profilePath = plex.resolve("systems/SYSA/PROFILE.TCPIP");
		String fixed = Files.readString(profilePath);
		Files.writeString(profilePath, fixed.replace("DEFINE SYSPLEXPORTS DISTMETHOD", "DEFINE DISTMETHOD"));
		project = ResourcesPlugin.getWorkspace().getRoot().getProject("PLEX1-members");
		IProjectDescription d = ResourcesPlugin.getWorkspace().newProjectDescription(project.getName());
		d.setLocation(IPath.fromPath(dir));
		project.create(d, null);
		project.open(null);
		project.setDefaultCharset("UTF-8", null); // else the platform warns that it has none

		// Project Explorer: the project selected, Configure > Check Sysplex Directories
		IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
		CommonNavigator explorer = (CommonNavigator) page.showView(org.eclipse.ui.IPageLayout.ID_PROJECT_EXPLORER);
		explorer.selectReveal(new StructuredSelection(project));
		page.activate(explorer);
		Ui.pumpUntil(() -> enabled(ENABLE), "Check Sysplex Directories is enabled on the selected project");
		// a connection's state changes meanwhile (the explorer asks the workbench to evaluate its
		// properties again, as it does at every state change)
		org.eclipse.ui.services.IEvaluationService evaluation = PlatformUI.getWorkbench()
				.getService(org.eclipse.ui.services.IEvaluationService.class);
		for (String p : new String[] { "canConnect", "canDisconnect", "connected" }) {
			evaluation.requestEvaluation("dev.sysplex.ui." + p);
		}
		// the explorer's Connect and Disconnect are asked about a project now: they are not for it, and
		// nothing goes to the Error Log (their tester used to be asked, and to fail, on any selection)
		assertFalse(enabled("dev.sysplex.ui.commands.connect"), "Connect is not for a project");
		assertFalse(enabled("dev.sysplex.ui.commands.disconnect"), "Disconnect is not for a project");
		assertTrue(log.stream().noneMatch(m -> m.contains("dev.sysplex.ui.can")),
				"no Sysplex command fails to evaluate on a project: " + log);
		handlers().executeCommand(ENABLE, null);
		assertTrue(project.hasNature(SysplexCheckNature.ID), "the command gave the project the nature");
		settle();

		IMarker[] markers = project.findMarkers(CheckMarkers.TYPE, true, IResource.DEPTH_INFINITE);
		assertEquals(1, markers.length, "the one pitfall of the member");
		IMarker marker = markers[0];
		IFile profile = project.getFile("plex/systems/SYSA/PROFILE.TCPIP");
		assertEquals(profile, marker.getResource());

		IViewPart problems = page.showView(PROBLEMS);
		page.activate(problems);
		AtomicReference<Tree> found = new AtomicReference<>();
		Ui.pumpUntil(() -> {
			if (!page.isPartVisible(problems)) {
				// a Console of an earlier test's job may come to the front of the same stack: the user
				// clicks the Problems tab again
				page.bringToTop(problems);
			}
			expandCategories(problems.getSite().getShell()); // "Errors (1 item)", as a user opens it
			found.set(treeWith(problems.getSite().getShell(), "[no-sysplexports]"));
			return found.get() != null && Ui.texts(found.get()).stream().anyMatch(t -> t.contains("has no SYSPLEXPORTS"));
		}, "the Problems view lists the finding", 30);
		Tree tree = found.get();
		String row = row(tree, "[no-sysplexports]");
		assertTrue(row.contains("PROFILE.TCPIP") && row.contains("line 13"), "the row names the member and line: " + row);
		// as a user double-clicks the row: the member in the text editor at the finding's line
		org.eclipse.ui.IEditorPart editor = IDE.openEditor(page, profile, "org.eclipse.ui.DefaultTextEditor");
		IDE.gotoMarker(editor, marker);
		page.activate(problems);
		page.bringToTop(problems);
		Ui.docPicture("problems-view.png");
		page.closeEditor(editor, false);

		// Quick Fix: the fix text is the resolution's description, and running it shows the finding whole
		IMarkerResolution[] fixes = IDE.getMarkerHelpRegistry().getResolutions(marker);
		assertEquals(1, fixes.length);
		assertEquals("Show how to fix [no-sysplexports]", fixes[0].getLabel());
		assertTrue(((IMarkerResolution2) fixes[0]).getDescription().startsWith("add SYSPLEXPORTS to the first "
				+ "VIPADISTRIBUTE"), ((IMarkerResolution2) fixes[0]).getDescription());
		AtomicReference<String> shown = new AtomicReference<>();
		Ui.whenShellOpens(s -> "sysplex check: no-sysplexports".equals(s.getText()), s -> {
			shown.set(Ui.labels(s));
			Ui.click(s, "Close");
		});
		fixes[0].run(marker);
		assertTrue(shown.get() != null, "the fix dialog opened");
		assertTrue(shown.get().contains("/PLEX1-members/plex/systems/SYSA/PROFILE.TCPIP:13"), shown.get());
		assertTrue(shown.get().contains("Fix: add SYSPLEXPORTS"), shown.get());

		// the member fixed and saved: the row goes away
		profile.setContents(new ByteArrayInputStream(fixed.getBytes(StandardCharsets.UTF_8)), IResource.KEEP_HISTORY,
				null);
		settle();
		assertEquals(0, project.findMarkers(CheckMarkers.TYPE, true, IResource.DEPTH_INFINITE).length);
		page.bringToTop(problems);
		Ui.pumpUntil(() -> Ui.texts(tree).stream().noneMatch(t -> t.contains("no-sysplexports")),
				"the Problems view no longer lists the finding", 30);

		// and the check turned off again from the same menu
		page.activate(explorer);
		explorer.selectReveal(new StructuredSelection(project));
		Ui.pumpUntil(() -> enabled(DISABLE), "Stop Checking Sysplex Directories is enabled");
		handlers().executeCommand(DISABLE, null);
		assertFalse(project.hasNature(SysplexCheckNature.ID));
	}

	private static boolean enabled(String command) {
		Command c = PlatformUI.getWorkbench().getService(ICommandService.class).getCommand(command);
		return c.isDefined() && c.isEnabled();
	}

	private static IHandlerService handlers() {
		return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getService(IHandlerService.class);
	}

	/** Waits for the auto-build, running the event loop meanwhile. */
	private static void settle() {
		Job.getJobManager().wakeUp(ResourcesPlugin.FAMILY_AUTO_BUILD);
		Ui.pumpUntil(() -> Job.getJobManager().find(ResourcesPlugin.FAMILY_AUTO_BUILD).length == 0,
				"the auto-build ended", 60);
	}


	/** Opens the Problems view's severity groups ("Errors (1 item)") as a click on their arrows does. */
	private static void expandCategories(org.eclipse.swt.widgets.Control c) {
		if (c instanceof Tree t && !t.isDisposed()) {
			for (org.eclipse.swt.widgets.TreeItem item : t.getItems()) {
				if (!item.getExpanded() && item.getText().matches(".+ \\(\\d+ items?\\)")) {
					org.eclipse.swt.widgets.Event e = new org.eclipse.swt.widgets.Event();
					e.item = item;
					t.notifyListeners(org.eclipse.swt.SWT.Expand, e);
					item.setExpanded(true);
				}
			}
		} else if (c instanceof org.eclipse.swt.widgets.Composite comp) {
			for (org.eclipse.swt.widgets.Control child : comp.getChildren()) {
				expandCategories(child);
			}
		}
	}

	/** Every column of the row whose first column contains {@code text}, separated by " | ". */
	private static String row(Tree tree, String text) {
		java.util.Deque<org.eclipse.swt.widgets.TreeItem> todo = new java.util.ArrayDeque<>(java.util.List.of(tree.getItems()));
		while (!todo.isEmpty()) {
			org.eclipse.swt.widgets.TreeItem item = todo.pop();
			if (item.getText().contains(text)) {
				StringBuilder sb = new StringBuilder();
				for (int i = 0; i < Math.max(1, tree.getColumnCount()); i++) {
					sb.append(item.getText(i)).append(" | ");
				}
				return sb.toString();
			}
			todo.addAll(java.util.List.of(item.getItems()));
		}
		return "";
	}

	/** The tree under {@code c} with an item whose text contains {@code text} (the Problems view's). */
	private static Tree treeWith(org.eclipse.swt.widgets.Control c, String text) {
		if (c instanceof Tree t && !t.isDisposed() && Ui.texts(t).stream().anyMatch(x -> x.contains(text))) {
			return t;
		}
		if (c instanceof org.eclipse.swt.widgets.Composite comp) {
			for (org.eclipse.swt.widgets.Control child : comp.getChildren()) {
				Tree found = treeWith(child, text);
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}
}
