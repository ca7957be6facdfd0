package dev.sysplex.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Pattern;

import org.eclipse.core.commands.Command;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.navigator.CommonNavigator;
import org.eclipse.ui.views.properties.IPropertyDescriptor;
import org.eclipse.ui.views.properties.IPropertySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.Session;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.ConnectionRegistry;
import dev.sysplex.core.ConnectionState;
import dev.sysplex.core.PasswordStore;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.debug.SysplexDebug;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.demo.BreakpointScript;
import dev.sysplex.host.jobs.JobRunner;
import dev.sysplex.ui.WidgetIds;
import dev.sysplex.ui.internal.WorkbenchBinding;

/**
 * The explorer as an Eclipse user expects it, in the real workbench against the real host side:
 * an icon per node with state overlays, labels in words (no raw state name anywhere), tooltips
 * with the details, Connect and Disconnect enabled only when they can act, F5 keeping what the
 * user collapsed, the Properties view's rows and a named property dialog, and a saved "Sysplex
 * Debug Session" configuration, opened in the launch dialog and launched before its job exists,
 * that stops the job at the first line of main.
 */
@ExtendWith(ScreenshotOnFailure.class)
class ExplorerNativeTest {

	private static final String NAME = "Native plex";
	private static final char[] PASSWORD = "native-test".toCharArray();
	private static final Pattern RAW_STATE = Pattern.compile("\\b[A-Z]+_[A-Z_]+\\b|: (ENDED|RUNNING|DEBUGGING|CANCELED)");

	@TempDir
	Path dir;

	private Sysplex sysplex;
	private SysplexConnections connections;
	private IViewPart view;
	private IDebugEventSetListener listener;
	private final IEclipsePreferences node = (IEclipsePreferences) InstanceScope.INSTANCE.getNode("dev.sysplex.ui.tests")
			.node("n" + System.nanoTime());

	/** Debug UI's "switch perspective when a launch suspends?" question: a modal dialog would stop the test. */
	private static final String SWITCH_ON_SUSPEND = "org.eclipse.debug.ui.switch_perspective_on_suspend";

	@AfterEach
	void cleanUp() throws Exception {
		Ui.stopWatching();
		Ui.endLaunches(listener);
		if (view != null) {
			view.getSite().getPage().hideView(view);
		}
		if (connections != null) {
			Job.getJobManager().join(SysplexConnections.JOB_FAMILY, null);
			connections.session(NAME).ifPresent(s -> connections.disconnect(NAME));
			Job.getJobManager().join(SysplexConnections.JOB_FAMILY, null);
		}
		SysplexConnections.setInstance(null);
		if (sysplex != null) {
			sysplex.close();
		}
		node.removeNode();
	}

	@Test
	void iconsLabelsTooltipsEnablementKeysPropertiesAndASavedLaunchConfiguration() throws Exception {
		// this test runs in whatever perspective is open; the Sysplex perspective would be switched to, and
		// the question may come after the test (a job of Debug UI's): left at "never" for the test run
		InstanceScope.INSTANCE.getNode("org.eclipse.debug.ui").put(SWITCH_ON_SUSPEND, "never");
		sysplex = Ui.startTwoSystems(dir, "127.75.");
		sysplex.users().setPassword("IBMUSER", PASSWORD, false, 1_000);
		String dvipa = Ui.subnet("127.75.") + "100";
		PasswordStore passwords = PasswordStore.inMemory();
		passwords.put(NAME, PASSWORD);
		connections = new SysplexConnections(new ConnectionRegistry(node), passwords, TrustStore.inMemory());
		connections.registry().add(new ConnectionDescriptor(NAME, dvipa, 4035, "IBMUSER", EncryptionPolicy.REQUIRED,
				true, false));
		SysplexConnections.setInstance(connections);
		WorkbenchBinding.bind(connections);
		connections.setTrustDecision(TrustDecision.TRUST_ON_FIRST_USE);

		IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
		view = page.showView("dev.sysplex.ui.views.explorer");
		page.activate(view);
		TreeViewer viewer = ((CommonNavigator) view).getCommonViewer();
		Tree tree = Widgets.single(Display.getCurrent(), WidgetIds.EXPLORER_CONNECTIONS, Tree.class);
		Ui.pumpUntil(() -> Ui.find(tree, NAME) != null, "the explorer lists the connection");
		Ui.select(tree, NAME);
		ConnectionDescriptor c = connections.registry().get(NAME).orElseThrow();
		viewer.setSelection(new StructuredSelection(c));

		// disconnected: its own icon; Connect can act, Disconnect cannot; a tooltip with the details
		ICommandService commands = PlatformUI.getWorkbench().getService(ICommandService.class);
		Command connect = commands.getCommand("dev.sysplex.ui.commands.connect");
		Command disconnect = commands.getCommand("dev.sysplex.ui.commands.disconnect");
		Ui.pumpUntil(() -> connect.isEnabled() && !disconnect.isEnabled(), "Connect enabled, Disconnect not");
		TreeItem item = Ui.find(tree, NAME);
		assertNotNull(item.getImage(), "the connection has an icon");
		var disconnectedImage = item.getImage();
		String tooltip = ((org.eclipse.jface.viewers.IToolTipProvider) new dev.sysplex.ui.internal.ExplorerContent.Labels())
				.getToolTipText(c);
		assertTrue(tooltip.contains(dvipa) && tooltip.contains("4035") && tooltip.contains("IBMUSER")
				&& tooltip.contains("required"), tooltip);

		// connected (Enter on the connection is its natural action): Disconnect can act, Connect cannot
		Ui.execute("dev.sysplex.ui.commands.connect");
		Ui.pumpUntil(() -> connections.state(NAME).phase() == ConnectionState.Phase.CONNECTED, "connected");
		Ui.pumpUntil(() -> !connect.isEnabled() && disconnect.isEnabled(), "Disconnect enabled, Connect not");
		Ui.pumpUntil(() -> Ui.find(tree, NAME).getImage() != disconnectedImage, "the icon shows the state");
		assertTrue(Ui.find(tree, NAME).getText().contains(", encrypted, RSE server port"), Ui.find(tree, NAME).getText());

		// a job: its state in words, no raw state name in any label
		Session session = connections.session(NAME).orElseThrow();
		Session.SubmittedJob job = session.submit("Payroll.java", "", "", null);
		sysplex.jobs().job(job.id()).orElseThrow().awaitEnd(java.time.Duration.ofSeconds(60));
		connections.refreshJobs(NAME);
		Ui.pumpUntil(() -> Ui.texts(tree).stream().anyMatch(t -> t.contains(job.id()) && t.endsWith(": ended, rc=0")),
				"the job is listed as 'ended, rc=0': " + Ui.texts(tree));
		for (String t : Ui.texts(tree)) {
			assertFalse(RAW_STATE.matcher(t).find(), "a raw state name in '" + t + "'");
		}
		TreeItem jobItem = Ui.texts(tree).stream().filter(t -> t.contains(job.id())).findFirst()
				.map(t -> Ui.find(tree, t)).orElseThrow();
		assertNotNull(jobItem.getImage(), "the job has an icon");
		assertNotSame(jobItem.getImage(), Ui.find(tree, NAME).getImage(), "a job's icon is not a connection's");
		// the job is under its system: a node of its own, with its icon, the job count and Properties
		String jobSystem = connections.jobs(NAME).stream().filter(j -> j.id().equals(job.id())).findFirst()
				.orElseThrow().system();
		TreeItem systemItem = jobItem.getParentItem();
		assertNotNull(systemItem, "the job is a child of its system");
		Ui.pumpUntil(() -> systemItem.getText().startsWith(jobSystem + " (") && systemItem.getText().contains("1 job"),
				"the system counts its job: " + systemItem.getText(), 10);
		assertNotNull(systemItem.getImage(), "a system has an icon");
		assertNotSame(systemItem.getImage(), jobItem.getImage(), "a system's icon is not a job's");
		assertEquals(NAME, systemItem.getParentItem().getText().substring(0, NAME.length()), "under the connection");
		String sessionSystem = connections.state(NAME).system().orElseThrow();
		TreeItem sessionItem = Ui.find(tree, sessionSystem + " (");
		assertNotNull(sessionItem, "the system of the RSE session is shown: " + Ui.texts(tree));
		assertTrue(sessionItem.getText().contains("RSE session here"), sessionItem.getText());
		IPropertySource sp = org.eclipse.core.runtime.Adapters.adapt(systemItem.getData(), IPropertySource.class);
		assertNotNull(sp, "the Properties view has a source for a system");
		assertEquals(jobSystem, value(sp, "Name"));
		assertEquals(dvipa, value(sp, "Reached through (DVIPA)"));
		assertTrue(value(sp, "Jobs").contains(job.id() + " ended, rc=0"), value(sp, "Jobs"));
		String systemTip = new dev.sysplex.ui.internal.ExplorerContent.Labels().getToolTipText(systemItem.getData());
		assertTrue(systemTip.contains("System " + jobSystem) && systemTip.contains(dvipa), systemTip);

		// Properties: rows for the connection and the job; a property dialog named after its element
		IPropertySource cp = org.eclipse.core.runtime.Adapters.adapt(c, IPropertySource.class);
		assertNotNull(cp, "the Properties view has a source for a connection");
		assertEquals(dvipa, value(cp, "Host (DVIPA)"));
		assertTrue(value(cp, "State").startsWith("connected to "), value(cp, "State"));
		Object jobNode = jobItem.getData();
		IPropertySource jp = org.eclipse.core.runtime.Adapters.adapt(jobNode, IPropertySource.class);
		assertNotNull(jp, "the Properties view has a source for a job");
		assertEquals("ended, rc=0", value(jp, "State"));
		assertEquals("0", value(jp, "Return code"));
		// the Sysplex perspective has the Properties view below the explorer: the job selected, its rows,
		// and the docs' picture
		org.eclipse.ui.IPerspectiveDescriptor before = page.getPerspective();
		PlatformUI.getWorkbench().showPerspective("dev.sysplex.ui.perspective", page.getWorkbenchWindow());
		assertNotNull(page.findView(org.eclipse.ui.IPageLayout.ID_PROP_SHEET), "the Sysplex perspective has the Properties view");
		org.eclipse.ui.IViewPart sheet = page.showView(org.eclipse.ui.IPageLayout.ID_PROP_SHEET, null,
				IWorkbenchPage.VIEW_VISIBLE); // its tab brought to the front, as a click on it does
		assertTrue(page.isPartVisible(sheet) && page.isPartVisible(view), "beside the explorer, both visible");
		page.activate(view);
		viewer.setSelection(new StructuredSelection(jobNode), true);
		Ui.pumpUntil(() -> {
			Tree rows = sheetTree(sheet);
			if (rows != null) {
				for (TreeItem category : rows.getItems()) {
					category.setExpanded(true); // expanded as the view shows them at first
				}
			}
			return rows != null && Ui.texts(rows).stream().anyMatch(t -> t.equals("Return code"));
		}, "the Properties view shows the selected job's rows", 20);
		org.eclipse.swt.widgets.Shell window = page.getWorkbenchWindow().getShell();
		org.eclipse.swt.graphics.Rectangle bounds = window.getBounds();
		window.setBounds(window.getDisplay().getBounds()); // the whole screen, for a readable picture
		Ui.docPicture("properties-view.png");
		window.setBounds(bounds);
		org.eclipse.ui.IPerspectiveDescriptor sysplexPerspective = page.getPerspective();
		page.setPerspective(before);
		// closed, not only left: its placeholder of the shared explorer part would take the next
		// explorer a later test opens, out of sight in the perspective that is not shown
		page.closePerspective(sysplexPerspective, false, false);
		page.activate(view);

		// what Alt+Enter opens (PropertyDialogAction): its title comes from the element's IWorkbenchAdapter
		org.eclipse.jface.preference.PreferenceDialog dialog = org.eclipse.ui.internal.dialogs.PropertyDialog
				.createDialogOn(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), null, c);
		dialog.setBlockOnOpen(false);
		dialog.open();
		try {
			assertEquals("Properties for " + NAME, dialog.getShell().getText());
		} finally {
			dialog.close();
		}

		// F5 (refresh) keeps a connection the user collapsed collapsed
		viewer.setExpandedState(c, false);
		page.activate(view); // F5 is the explorer's while it is the active part
		viewer.setSelection(new StructuredSelection(c));
		Ui.execute("org.eclipse.ui.file.refresh");
		connections.refreshJobs(NAME);
		Job.getJobManager().join(SysplexConnections.JOB_FAMILY, null);
		for (int i = 0; i < 20; i++) {
			Display.getCurrent().readAndDispatch();
		}
		assertFalse(viewer.getExpandedState(c), "the refresh kept the connection collapsed");

		// the launch configuration: its tabs open in the dialog, and launched before its job exists it waits,
		// then stops the job at main's first line
		ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
		ILaunchConfigurationWorkingCopy wc = manager.getLaunchConfigurationType(SysplexDebug.LAUNCH_TYPE)
				.newInstance(null, manager.generateLaunchConfigurationName("Next Payroll"));
		wc.setAttribute(SysplexDebug.ATTR_CONNECTION, NAME);
		wc.setAttribute(SysplexDebug.ATTR_PROGRAM, "Payroll.java");
		wc.setAttribute(SysplexDebug.ATTR_STOP_AT_ENTRY, true);
		wc.setAttribute(SysplexDebug.ATTR_WAIT_SECONDS, 120);
		var config = wc.doSave();
		String[] shown = { null, null };
		Ui.whenShellOpens(s -> !Widgets.withId(s.getDisplay(), WidgetIds.LAUNCH_CONNECTION).isEmpty(), s -> {
			shown[0] = Widgets.single(s.getDisplay(), WidgetIds.LAUNCH_CONNECTION, Combo.class).getText();
			shown[1] = String.valueOf(Widgets.single(s.getDisplay(), WidgetIds.LAUNCH_STOP_AT_ENTRY, Button.class)
					.getSelection());
			try {
				Ui.docPicture("launch-configuration.png");
			} catch (java.io.IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
			Ui.click(s, Widgets.button(s, "Cancel") != null ? "Cancel" : "Close");
		});
		org.eclipse.debug.ui.DebugUITools.openLaunchConfigurationPropertiesDialog(
				PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), config,
				org.eclipse.debug.ui.IDebugUIConstants.ID_DEBUG_LAUNCH_GROUP);
		assertEquals(NAME, shown[0], "the Main tab shows the connection");
		assertEquals("true", shown[1], "the Main tab shows stop at entry");

		BlockingQueue<DebugEvent> events = new LinkedBlockingQueue<>();
		listener = set -> events.addAll(List.of(set));
		DebugPlugin.getDefault().addDebugEventListener(listener);
		Job launch = new Job("launch Next Payroll") {
			@Override
			protected org.eclipse.core.runtime.IStatus run(org.eclipse.core.runtime.IProgressMonitor monitor) {
				try {
					config.launch(ILaunchManager.DEBUG_MODE, monitor);
					return org.eclipse.core.runtime.Status.OK_STATUS;
				} catch (org.eclipse.core.runtime.CoreException e) {
					return e.getStatus();
				}
			}
		};
		launch.schedule();
		// the launch waits for its job: submitted once the launch runs (a session announced before its
		// claim starts waits in the explorer, where the claim looks first)
		Ui.pumpUntil(() -> launch.getState() == Job.RUNNING, "the launch runs");
		String other = connections.state(NAME).system().orElseThrow().equals("SYSA") ? "SYSB" : "SYSA";
		Session.SubmittedJob debugged = session.submit("Payroll.java", "", "TEST(,,,DBMDT%IBMUSER)", other);
		IThread[] stopped = { null };
		Ui.pumpUntil(() -> {
			for (DebugEvent e; (e = events.poll()) != null;) {
				if (e.getKind() == DebugEvent.SUSPEND && e.getDetail() == DebugEvent.BREAKPOINT
						&& e.getSource() instanceof IThread t) {
					stopped[0] = t;
				}
			}
			return stopped[0] != null;
		}, "the saved configuration's launch stops job " + debugged.id() + " at its entry", 90);
		Ui.pumpUntil(() -> launch.getResult() != null, "the launch job ends");
		assertEquals(org.eclipse.core.runtime.IStatus.OK, launch.getResult().getSeverity(), launch.getResult().toString());
		var frame = (org.eclipse.jdt.debug.core.IJavaStackFrame) stopped[0].getTopStackFrame();
		assertEquals("main", frame.getMethodName());
		assertEquals(BreakpointScript.firstLineOfMain(dir.resolve("plex/jobs/Payroll.java")), frame.getLineNumber());
		assertTrue(stopped[0].getDebugTarget().getName().contains(debugged.id()), stopped[0].getDebugTarget().getName());
		stopped[0].resume();
		JobRunner.Job ended = sysplex.jobs().job(debugged.id()).orElseThrow().awaitEnd(java.time.Duration.ofSeconds(60));
		assertEquals(0, ended.rc().orElseThrow());
	}

	private static String value(IPropertySource source, String label) {
		for (IPropertyDescriptor d : source.getPropertyDescriptors()) {
			if (d.getDisplayName().equals(label)) {
				return String.valueOf(source.getPropertyValue(d.getId()));
			}
		}
		throw new AssertionError("no property '" + label + "'");
	}

	/** The Properties view's tree (its page is a PropertySheetPage over a Tree). */
	private static Tree sheetTree(org.eclipse.ui.IViewPart sheet) {
		return ((org.eclipse.ui.views.properties.PropertySheet) sheet).getCurrentPage()
				instanceof org.eclipse.ui.views.properties.PropertySheetPage p && p.getControl() instanceof Tree t ? t : null;
	}
}
