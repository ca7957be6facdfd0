package dev.sysplex.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.TrustStore;
import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.ConnectionRegistry;
import dev.sysplex.core.CorePreferences;
import dev.sysplex.core.PasswordStore;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.jobs.JobRunner;
import dev.sysplex.ui.WidgetIds;

/**
 * An encrypted RSE session and a Debug Manager whose CLIENT port is not encrypted (TLS=OFF): with
 * the default preference the workbench asks before it links; Cancel sends nothing and leaves the
 * session waiting in the explorer, "Debug Without Encryption" debugs it. Real workbench, real host.
 */
@ExtendWith(ScreenshotOnFailure.class)
class PlainDebugLinkQuestionTest {

	private static final char[] PASSWORD = "question-test".toCharArray();
	private static final String NAME = "Plain DBM plex";
	private static final String QUESTION = "Debug Without Encryption?";

	@TempDir
	Path dir;

	private Sysplex sysplex;
	private SysplexConnections connections;
	private IViewPart view;
	private IDebugEventSetListener listener;
	private boolean automatedMode;
	private final List<String> trace = new CopyOnWriteArrayList<>();
	private final IEclipsePreferences node = (IEclipsePreferences) InstanceScope.INSTANCE.getNode("dev.sysplex.ui.tests")
			.node("q" + System.nanoTime());

	@AfterEach
	void cleanUp() throws Exception {
		org.eclipse.core.runtime.preferences.InstanceScope.INSTANCE.getNode(CorePreferences.PLUGIN_ID)
				.remove(CorePreferences.STOP_AT_ENTRY);
		Ui.stopWatching();
		ErrorDialog.AUTOMATED_MODE = automatedMode;
		Ui.endLaunches(listener);
		if (view != null) {
			view.getSite().getPage().hideView(view);
		}
		if (connections != null) {
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
	void theWorkbenchAsksBeforeAnUnencryptedDebugLinkAndCancelSendsNothing() throws Exception {
		sysplex = Ui.startTwoSystems(dir, "127.73.", Map.of("proclib/DBGMGR", t -> t.replace("HUBIP=",
				"TLS=OFF,HUBIP=")));
		sysplex.addTracer(trace::add);
		sysplex.users().setPassword("IBMUSER", PASSWORD, false, 1_000);
		String dvipa = Ui.subnet("127.73.") + "100";
		PasswordStore passwords = PasswordStore.inMemory();
		passwords.put(NAME, PASSWORD);
		connections = new SysplexConnections(new ConnectionRegistry(node), passwords, TrustStore.inMemory());
		connections.registry().add(new ConnectionDescriptor(NAME, dvipa, 4035, "IBMUSER", EncryptionPolicy.REQUIRED,
				true, false));
		SysplexConnections.setInstance(connections);
		assertEquals("ask", org.eclipse.core.runtime.Platform.getPreferencesService().getString(
				CorePreferences.PLUGIN_ID, CorePreferences.PLAIN_DEBUG_LINK, "?", null), "the default asks");
		// the question is this test's subject: the job runs on once resumed (no stop at its entry)
		org.eclipse.core.runtime.preferences.InstanceScope.INSTANCE.getNode(CorePreferences.PLUGIN_ID)
				.putBoolean(CorePreferences.STOP_AT_ENTRY, false);
		automatedMode = ErrorDialog.AUTOMATED_MODE;
		ErrorDialog.AUTOMATED_MODE = false;
		AtomicReference<IDebugTarget> target = new AtomicReference<>();
		listener = events -> {
			for (DebugEvent e : events) {
				if (e.getKind() == DebugEvent.CREATE && e.getSource() instanceof IDebugTarget t) {
					target.set(t);
				}
			}
		};
		DebugPlugin.getDefault().addDebugEventListener(listener);

		IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
		view = page.showView("dev.sysplex.ui.views.explorer");
		Display display = Display.getCurrent();
		Tree tree = Widgets.single(display, WidgetIds.EXPLORER_CONNECTIONS, Tree.class);
		Ui.pumpUntil(() -> Ui.find(tree, NAME) != null, "the explorer lists the connection");
		Ui.select(tree, NAME);
		Ui.whenShellOpens(WidgetIds.TRUST_DIALOG, shell -> Ui.click(shell, "Trust Always"));
		Ui.execute("dev.sysplex.ui.commands.connect");
		Ui.pumpUntil(() -> Ui.find(tree, NAME).getText().contains(", encrypted"), "an encrypted session");
		String other = connections.state(NAME).system().orElseThrow().equals("SYSA") ? "SYSB" : "SYSA";
		String job = connections.session(NAME).orElseThrow().submit("Payroll.java", "", "TEST(,,,DBMDT%IBMUSER)",
				other).id();

		// Debug from the notification: the question comes; Cancel
		Ui.pumpUntil(() -> Ui.shell(display, WidgetIds.DEBUG_NOTIFICATION) != null, "the notification shows", 60);
		AtomicReference<String> asked = new AtomicReference<>();
		Ui.whenShellOpens(shell -> QUESTION.equals(shell.getText()), shell -> {
			asked.set(labels(shell));
			Ui.click(shell, "Cancel");
		});
		AtomicReference<String> error = new AtomicReference<>();
		Ui.whenShellOpens(WidgetIds.ERROR_DIALOG, shell -> {
			error.set(labels(shell));
			Ui.click(shell, "OK");
		});
		Widgets.single(display, WidgetIds.DEBUG_NOTIFICATION_DEBUG, Button.class).notifyListeners(SWT.Selection,
				new Event());
		Ui.pumpUntil(() -> error.get() != null, "the refusal is shown", 60);
		assertTrue(asked.get().contains("does not encrypt"), asked.get());
		assertTrue(error.get().contains("declined (nothing was sent)"), error.get());
		assertFalse(trace.stream().anyMatch(l -> l.contains("workstation")), "nothing reached the Debug Manager");
		Ui.pumpUntil(() -> Ui.texts(tree).stream().anyMatch(t -> t.startsWith("Debug session of ") && t.contains(
				" on " + other + " waits")), "the session still waits in the explorer");

		// Debug again from the explorer, and this time debug without encryption (the error dialog
		// took the focus: the explorer is made active again, as the user's click on it does)
		view.getSite().getPage().activate(view);
		Ui.select(tree, "Debug session of ");
		org.eclipse.core.commands.Command debugCommand = PlatformUI.getWorkbench()
				.getService(org.eclipse.ui.commands.ICommandService.class).getCommand("dev.sysplex.ui.commands.debug");
		Ui.pumpUntil(debugCommand::isEnabled, "Debug is enabled for the selected waiting session");
		Ui.whenShellOpens(shell -> QUESTION.equals(shell.getText()), shell -> Ui.click(shell,
				"Debug Without Encryption"));
		Ui.execute("dev.sysplex.ui.commands.debug");
		Ui.pumpUntil(() -> target.get() != null, "the debug target is created", 60);
		assertTrue(trace.stream().anyMatch(l -> l.contains("linked to job " + job) && l.contains("(NOT encrypted)")),
				"linked without encryption, as the user allowed");
		target.get().resume();
		JobRunner.Job ended = sysplex.jobs().job(job).orElseThrow().awaitEnd(Duration.ofSeconds(60));
		assertEquals(0, ended.rc().orElseThrow());
	}

	private static String labels(Shell shell) {
		StringBuilder sb = new StringBuilder();
		collect(shell, sb);
		return sb.toString();
	}

	private static void collect(org.eclipse.swt.widgets.Composite c, StringBuilder sb) {
		for (var child : c.getChildren()) {
			if (child instanceof Label l) {
				sb.append(l.getText()).append('\n');
			} else if (child instanceof org.eclipse.swt.widgets.Text t) {
				sb.append(t.getText()).append('\n');
			} else if (child instanceof org.eclipse.swt.widgets.List l) {
				sb.append(String.join("\n", l.getItems())).append('\n');
			}
			if (child instanceof org.eclipse.swt.widgets.Composite inner) {
				collect(inner, sb);
			}
		}
	}
}
