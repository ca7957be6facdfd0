package dev.sysplex.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.ui.IDebugView;
import org.eclipse.jdt.debug.core.IJavaLineBreakpoint;
import org.eclipse.jdt.debug.core.JDIDebugModel;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IPerspectiveDescriptor;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.console.ConsolePlugin;
import org.eclipse.ui.console.IConsole;
import org.eclipse.ui.console.TextConsole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.TrustStore;
import dev.sysplex.core.ConnectionRegistry;
import dev.sysplex.core.CorePreferences;
import dev.sysplex.core.PasswordStore;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.debug.DebugSessions;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.demo.BreakpointScript;
import dev.sysplex.host.jobs.JobRunner;
import dev.sysplex.ui.WidgetIds;

/**
 * The whole loop as a user does it in the workbench, against the real host side: the Sysplex
 * perspective; a connection made in the wizard; Connect and Trust Always; the system and the
 * encryption in the explorer; Submit Job with debug on the other system; the notification and
 * its Debug action; the Debug view suspended at the breakpoint and the variable in the Variables
 * view; Resume; the job ended in the explorer and its output in the Console. The screenshots of
 * the README are taken here.
 */
@ExtendWith(ScreenshotOnFailure.class)
class DebugFromTheWorkbenchTest {

	private static final String PASSWORD = "workbench-test";
	private static final String PERSPECTIVE = "dev.sysplex.ui.perspective";
	private static final String DEBUG_VIEW = "org.eclipse.debug.ui.DebugView";
	private static final String VARIABLES_VIEW = "org.eclipse.debug.ui.VariableView";

	@TempDir
	Path dir;

	private Sysplex sysplex;
	private SysplexConnections connections;
	private IJavaLineBreakpoint breakpoint;
	private IDebugEventSetListener listener;
	private IProject project;
	private IPerspectiveDescriptor previousPerspective;
	private final IEclipsePreferences node = (IEclipsePreferences) InstanceScope.INSTANCE.getNode("dev.sysplex.ui.tests")
			.node("e" + System.nanoTime());

	@AfterEach
	void cleanUp() throws Exception {
		Ui.stopWatching();
		Ui.endLaunches(listener);
		if (breakpoint != null) {
			breakpoint.delete();
		}
		if (connections != null) {
			connections.session("Plex").ifPresent(s -> connections.disconnect("Plex"));
			Job.getJobManager().join(SysplexConnections.JOB_FAMILY, null);
		}
		SysplexConnections.setInstance(null);
		if (sysplex != null) {
			sysplex.close();
		}
		if (project != null) {
			project.delete(true, null);
		}
		IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
		if (previousPerspective != null) {
			page.closePerspective(page.getPerspective(), false, false);
			page.setPerspective(previousPerspective);
		}
		node.removeNode();
	}

	@Test
	void submitWithDebugOnTheOtherSystemAndDebugTheJobInTheWorkbench() throws Exception {
		sysplex = Ui.startTwoSystems(dir, "127.71.");
		sysplex.users().setPassword("IBMUSER", PASSWORD.toCharArray(), false, 1_000);
		String dvipa = Ui.subnet("127.71.") + "100";
		Path payroll = dir.resolve("plex/jobs/Payroll.java");
		int line = BreakpointScript.markedLine(payroll);
		connections = new SysplexConnections(new ConnectionRegistry(node), PasswordStore.inMemory(),
				TrustStore.inMemory());
		SysplexConnections.setInstance(connections);
		assertEquals("ask", org.eclipse.core.runtime.Platform.getPreferencesService().getString(
				CorePreferences.PLUGIN_ID, CorePreferences.DEBUG_SESSIONS, "?", null), "the default asks the user");

		// the job's source in the workspace (source lookup) and a breakpoint at its marked line
		project = ResourcesPlugin.getWorkspace().getRoot().getProject("payroll-src");
		project.create(null);
		project.open(null);
		IFolder src = project.getFolder("src");
		src.create(true, true, null);
		IFile source = src.getFile("Payroll.java");
		source.create(Files.newInputStream(payroll), true, null);
		breakpoint = JDIDebugModel.createLineBreakpoint(source, "Payroll", line, -1, -1, 0, true, null);
		AtomicReference<IThread> suspended = new AtomicReference<>();
		listener = events -> {
			for (DebugEvent e : events) {
				if (e.getKind() == DebugEvent.SUSPEND && e.getDetail() == DebugEvent.BREAKPOINT
						&& e.getSource() instanceof IThread t) {
					suspended.set(t);
				}
			}
		};
		DebugPlugin.getDefault().addDebugEventListener(listener);

		// the Sysplex perspective puts the explorer, the Debug view and the Console together
		IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
		previousPerspective = window.getActivePage().getPerspective();
		window.getShell().setBounds(Display.getCurrent().getBounds()); // the whole screen, for the screenshots
		IWorkbenchPage page = PlatformUI.getWorkbench().showPerspective(PERSPECTIVE, window);
		assertNotNull(page.findView("dev.sysplex.ui.views.explorer"), "the explorer is in the perspective");
		assertNotNull(page.findViewReference(DEBUG_VIEW), "the Debug view is in the perspective");
		assertNotNull(page.findViewReference("org.eclipse.ui.console.ConsoleView"), "the Console is in the perspective");
		Display display = Display.getCurrent();

		// a connection made in the wizard, from the empty explorer's link
		Ui.whenShellOpens(WidgetIds.NEW_CONNECTION_WIZARD, shell -> {
			type(display, WidgetIds.WIZARD_NAME, "Plex");
			type(display, WidgetIds.WIZARD_HOST, dvipa);
			type(display, WidgetIds.WIZARD_USER, "ibmuser");
			type(display, WidgetIds.WIZARD_PASSWORD, PASSWORD);
			Ui.click(shell, "Finish");
		});
		Link link = Widgets.single(display, WidgetIds.EXPLORER_NEW_CONNECTION_LINK, Link.class);
		link.notifyListeners(SWT.Selection, new Event());
		assertTrue(connections.registry().get("Plex").isPresent(), "the wizard saved the connection");

		// connect, trust the certificate, see where the session landed
		Tree tree = Widgets.single(display, WidgetIds.EXPLORER_CONNECTIONS, Tree.class);
		Ui.pumpUntil(() -> Ui.find(tree, "Plex ") != null, "the explorer lists the connection");
		page.activate(page.findView("dev.sysplex.ui.views.explorer")); // as the user's click in it does
		Ui.select(tree, "Plex ");
		org.eclipse.core.commands.Command connect = PlatformUI.getWorkbench()
				.getService(org.eclipse.ui.commands.ICommandService.class).getCommand("dev.sysplex.ui.commands.connect");
		Ui.pumpUntil(connect::isEnabled, "Connect is enabled for the new, disconnected connection");
		Ui.whenShellOpens(WidgetIds.TRUST_DIALOG, shell -> Ui.click(shell, "Trust Always"));
		Ui.execute("dev.sysplex.ui.commands.connect");
		Ui.pumpUntil(() -> Ui.find(tree, "Plex ").getText().contains("connected to"), "the explorer shows the session");
		String system = connections.state("Plex").system().orElseThrow();
		assertTrue(Ui.find(tree, "Plex ").getText().contains("connected to " + system + ", encrypted"),
				Ui.find(tree, "Plex ").getText());
		String other = system.equals("SYSA") ? "SYSB" : "SYSA";

		// Submit Job with debug on the other system
		Ui.select(tree, "Plex ");
		Ui.whenShellOpens(WidgetIds.SUBMIT_DIALOG, shell -> {
			assertEquals("Payroll.java", Widgets.single(display, WidgetIds.SUBMIT_PROGRAM, Text.class).getText());
			assertTrue(Widgets.single(display, WidgetIds.SUBMIT_DEBUG, Button.class).getSelection(), "debug is ticked");
			Widgets.single(display, WidgetIds.SUBMIT_SYSTEM, Text.class).setText(other);
			Ui.click(shell, "Submit");
		});
		Ui.execute("dev.sysplex.ui.commands.submit");

		// the notification, and the waiting session under the connection
		Ui.pumpUntil(() -> Ui.shell(display, WidgetIds.DEBUG_NOTIFICATION) != null, "the notification shows", 60);
		Ui.pumpUntil(() -> Ui.texts(tree).stream().anyMatch(t -> t.startsWith("Debug session of ")
				&& t.contains(" on " + other + " waits")), "the explorer shows the waiting session");
		Ui.pumpUntil(() -> Ui.texts(tree).stream().anyMatch(t -> t.startsWith("Payroll.java ") && t.contains(" on "
				+ other + ": waiting for the debugger")), "the explorer shows the job waiting for the debugger");
		Ui.docPicture("sysplex-explorer.png");
		// Debug from the explorer while the notification shows (its own Debug button has its test in
		// PlainDebugLinkQuestionTest): the notification goes as its session is taken, not 30 s later
		page.activate(page.findView("dev.sysplex.ui.views.explorer")); // the Submit dialog had the focus
		Ui.select(tree, "Debug session of ");
		org.eclipse.core.commands.Command debugCommand = PlatformUI.getWorkbench()
				.getService(org.eclipse.ui.commands.ICommandService.class).getCommand("dev.sysplex.ui.commands.debug");
		Ui.pumpUntil(debugCommand::isEnabled, "Debug is enabled for the selected waiting session");
		Ui.execute("dev.sysplex.ui.commands.debug");
		Ui.pumpUntil(() -> Ui.shell(display, WidgetIds.DEBUG_NOTIFICATION) == null,
				"the notification closes once its session is debugged", 10);

		// stop at entry (the default): the job stops at main's first line; resumed, it runs to the breakpoint
		Ui.pumpUntil(() -> suspended.get() != null, "the job stops at its entry", 60);
		IThread atEntry = suspended.getAndSet(null);
		assertEquals("main", ((org.eclipse.jdt.debug.core.IJavaStackFrame) atEntry.getTopStackFrame()).getMethodName());
		assertEquals(BreakpointScript.firstLineOfMain(payroll), atEntry.getTopStackFrame().getLineNumber(), "stopped at main's first line");
		atEntry.resume();

		// the Debug view suspended at the breakpoint, the variable in the Variables view
		Ui.pumpUntil(() -> suspended.get() != null, "the job stops at the breakpoint", 60);
		IThread thread = suspended.get();
		IStackFrame top = thread.getTopStackFrame();
		assertEquals(line, top.getLineNumber());
		IDebugView debugView = page.findView(DEBUG_VIEW).getAdapter(IDebugView.class);
		Ui.pumpUntil(() -> debugView.getViewer().getSelection() instanceof IStructuredSelection s
				&& s.getFirstElement() instanceof IStackFrame f && f.getThread() == thread,
				"the Debug view selects the suspended frame");
		Ui.pumpUntil(() -> Ui.texts(tree).stream().anyMatch(t -> t.startsWith("Debugging ") && t.contains(other)),
				"the explorer shows the running debug session");
		Ui.pumpUntil(() -> Ui.texts(tree).stream().anyMatch(t -> t.startsWith("Payroll.java ") && t.endsWith(
				": being debugged")), "the explorer shows the job being debugged");
		IDebugView variables = page.showView(VARIABLES_VIEW).getAdapter(IDebugView.class);
		Tree variableTree = (Tree) variables.getViewer().getControl();
		Ui.pumpUntil(() -> variable(variableTree, "total") != null, "the Variables view shows 'total'");
		TreeItem total = variable(variableTree, "total");
		String row = total.getText() + " " + total.getText(1);
		assertTrue(row.contains("17900"), "total is 17900: " + row);
		page.activate(page.findView(DEBUG_VIEW));
		// the Debug view fills its labels asynchronously: the picture waits until no row is empty
		Tree debugTree = (Tree) debugView.getViewer().getControl();
		Ui.pumpUntil(() -> !Ui.texts(debugTree).isEmpty() && Ui.texts(debugTree).stream().noneMatch(String::isBlank)
				&& Ui.texts(debugTree).stream().anyMatch(t -> t.contains("Payroll.main")), "the Debug view's labels render");
		Ui.docPicture("debug-session.png");

		// while it is debugged the job has its Console already, following its output
		String job = sysplex.jobs().jobs("IBMUSER").get(0).id();
		Ui.pumpUntil(() -> console(job) != null, "the job's Console is open while it is debugged");
		assertFalse(console(job).getDocument().get().contains("Payroll total:"), "nothing printed before the line");
		// resume: the job ends, the explorer says so, its output reaches the Console by itself
		thread.resume();
		JobRunner.Job ended = sysplex.jobs().job(job).orElseThrow().awaitEnd(Duration.ofSeconds(30));
		assertEquals(0, ended.rc().orElseThrow());
		Ui.pumpUntil(() -> console(job).getDocument().get().contains("Payroll total: 17900"),
				"the job's output came to its Console as it ran, without Show Job Output");
		Ui.pumpUntil(() -> Ui.texts(tree).stream().anyMatch(t -> t.startsWith("Payroll.java " + job)
				&& t.endsWith(": ended, rc=0")), "the explorer shows the job ended");
		page.activate(page.findView("dev.sysplex.ui.views.explorer"));
		Ui.select(tree, "Payroll.java " + job);
		Ui.execute("dev.sysplex.ui.commands.showOutput");
		Ui.pumpUntil(() -> console(job) != null && console(job).getDocument().get().contains("Payroll total: 17900"),
				"the Console shows the job's output");
	}

	private static void type(Display display, String id, String text) {
		Widgets.single(display, id, Text.class).setText(text);
	}

	private static TreeItem variable(Tree tree, String name) {
		for (TreeItem item : tree.getItems()) {
			if (item.getText().equals(name) || item.getText().startsWith(name + " ")
					|| item.getText().startsWith(name + "=")) {
				return item;
			}
		}
		return null;
	}

	private static TextConsole console(String job) {
		for (IConsole c : ConsolePlugin.getDefault().getConsoleManager().getConsoles()) {
			if (c instanceof TextConsole t && c.getName().startsWith("Sysplex job " + job)) {
				return t;
			}
		}
		return null;
	}

}
