package dev.sysplex.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.TrustStore;
import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.ConnectionRegistry;
import dev.sysplex.core.ConnectionState;
import dev.sysplex.core.PasswordStore;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.host.Sysplex;
import dev.sysplex.ui.WidgetIds;

/**
 * In the real workbench, against the real host side started here: connect from the Sysplex
 * Explorer and trust the certificate; a wrong password typed in the password dialog shows the
 * failed step and is not saved; a changed certificate is refused with a warning that stands out,
 * and once the user forgets the pin on the connection's page, the next connection asks again.
 */
@ExtendWith(ScreenshotOnFailure.class)
class ConnectFromExplorerTest {

	private static final char[] PASSWORD = "ui-test".toCharArray();
	private static final String NAME = "Test plex";

	@TempDir
	Path dir;

	private Sysplex sysplex;
	private IViewPart view;
	private String dvipa;
	private final PasswordStore passwords = PasswordStore.inMemory();
	private final TrustStore pins = TrustStore.inMemory();
	private final List<IStatus> logged = new ArrayList<>();
	private final ILogListener log = (status, plugin) -> logged.add(status);
	private SysplexConnections connections;
	private boolean automatedMode;
	private final IEclipsePreferences node = (IEclipsePreferences) InstanceScope.INSTANCE.getNode("dev.sysplex.ui.tests")
			.node("c" + System.nanoTime());

	@BeforeEach
	void startTheSysplex() throws Exception {
		sysplex = Ui.startTwoSystems(dir, "127.70.");
		sysplex.users().setPassword("IBMUSER", PASSWORD, false, 1_000);
		dvipa = Ui.subnet("127.70.") + "100";
		connections = new SysplexConnections(new ConnectionRegistry(node), passwords, pins);
		connections.registry().add(new ConnectionDescriptor(NAME, dvipa, 4035, "IBMUSER", EncryptionPolicy.REQUIRED,
				true, false));
		SysplexConnections.setInstance(connections);
		Platform.addLogListener(log);
		automatedMode = ErrorDialog.AUTOMATED_MODE;
		ErrorDialog.AUTOMATED_MODE = false; // the test harness sets it: error dialogs would only be logged
	}

	@AfterEach
	void cleanUp() throws Exception {
		Ui.stopWatching();
		ErrorDialog.AUTOMATED_MODE = automatedMode;
		Platform.removeLogListener(log);
		if (view != null) {
			view.getSite().getPage().hideView(view);
		}
		Job.getJobManager().join(SysplexConnections.JOB_FAMILY, null);
		connections.session(NAME).ifPresent(s -> connections.disconnect(NAME));
		Job.getJobManager().join(SysplexConnections.JOB_FAMILY, null);
		SysplexConnections.setInstance(null);
		if (sysplex != null) {
			sysplex.close();
		}
		node.removeNode();
	}

	private Tree showExplorer() throws Exception {
		IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
		view = page.showView("dev.sysplex.ui.views.explorer");
		page.activate(view);
		Tree tree = Widgets.single(Display.getCurrent(), WidgetIds.EXPLORER_CONNECTIONS, Tree.class);
		Ui.pumpUntil(() -> Ui.find(tree, NAME) != null, "the view lists the connection");
		Ui.select(tree, NAME);
		return tree;
	}

	@Test
	void connectTrustTheCertificateAndSeeTheSystemAndEncryption() throws Exception {
		passwords.put(NAME, PASSWORD);
		Tree tree = showExplorer();

		Ui.whenShellOpens(WidgetIds.TRUST_DIALOG, shell -> Ui.click(shell, "Trust Always"));
		Ui.execute("dev.sysplex.ui.commands.connect");
		Ui.pumpUntil(() -> Ui.find(tree, NAME).getText().contains("connected to"), "the view shows the session");
		String state = Ui.find(tree, NAME).getText();
		String system = connections.state(NAME).system().orElseThrow();
		assertTrue(state.contains("connected to " + system + ", encrypted, RSE server port "), state);
		assertTrue(pins.pinned(dvipa + ":4035").isPresent(), "Trust Always pinned the certificate");
		assertTrue(sysplex.rsed(system).orElseThrow().session("IBMUSER").isPresent(), "the host has the session");

		Ui.select(tree, NAME);
		Ui.execute("dev.sysplex.ui.commands.disconnect");
		Ui.pumpUntil(() -> Ui.find(tree, NAME).getText().endsWith("- disconnected"), "the view shows the logoff");
	}

	@Test
	void aWrongPasswordShowsTheFailedStepAndIsNotSaved() throws Exception {
		Tree tree = showExplorer();
		Ui.whenShellOpens(WidgetIds.TRUST_DIALOG, shell -> Ui.click(shell, "Trust Once"));
		Ui.whenShellOpens(WidgetIds.PASSWORD_DIALOG, shell -> {
			Widgets.single(shell.getDisplay(), WidgetIds.PASSWORD_TEXT, Text.class).setText("wrong-password");
			Ui.click(shell, "Log On");
		});
		// dialogs opened for a job run their own event loop: they are read and closed from a timer in it
		String[] error = { null };
		Ui.whenShellOpens(WidgetIds.ERROR_DIALOG, shell -> {
			error[0] = labels(shell);
			Ui.click(shell, "OK");
		});
		Ui.execute("dev.sysplex.ui.commands.connect");
		Ui.pumpUntil(() -> error[0] != null, "the error dialog opens");
		String message = error[0];
		assertTrue(message.contains("Connecting to " + NAME + " failed while logging on"), message);
		assertTrue(message.toLowerCase().contains("password"), "the reason names the password: " + message);
		assertTrue(passwords.get(NAME).isEmpty(), "the wrong password was not saved");
		assertEquals(ConnectionState.Phase.FAILED, connections.state(NAME).phase());
		Ui.pumpUntil(() -> Ui.find(tree, NAME).getText().contains("failed: "), "the explorer shows the failure");
		assertTrue(logged.stream().anyMatch(s -> s.getSeverity() == IStatus.ERROR
				&& s.getMessage().contains("logging on")), "the failure is in the Error Log: " + logged);

		// the right password, "save" ticked: connected, and now it is saved
		Ui.select(tree, NAME);
		Ui.whenShellOpens(WidgetIds.TRUST_DIALOG, shell -> Ui.click(shell, "Trust Once"));
		Ui.whenShellOpens(WidgetIds.PASSWORD_DIALOG, shell -> {
			Widgets.single(shell.getDisplay(), WidgetIds.PASSWORD_TEXT, Text.class).setText(new String(PASSWORD));
			Ui.click(shell, "Log On");
		});
		Ui.execute("dev.sysplex.ui.commands.connect");
		Ui.pumpUntil(() -> connections.state(NAME).phase() == ConnectionState.Phase.CONNECTED, "the logon succeeds");
		assertEquals(new String(PASSWORD), new String(passwords.get(NAME).orElseThrow()),
				"the accepted password was saved");
	}

	@Test
	void aChangedCertificateIsRefusedWithAWarningThatStandsOut() throws Exception {
		passwords.put(NAME, PASSWORD);
		pins.pin(dvipa + ":4035", "00".repeat(32)); // what the workspace trusted before
		Tree tree = showExplorer();
		boolean[] asked = { false };
		Ui.whenShellOpens(WidgetIds.TRUST_DIALOG, shell -> {
			asked[0] = true;
			Ui.click(shell, "Cancel");
		});
		String[] warning = { null, null };
		Ui.whenShellOpens(WidgetIds.CERTIFICATE_CHANGED_DIALOG, shell -> {
			warning[0] = shell.getText();
			warning[1] = labels(shell);
			Ui.click(shell, "Close");
		});
		Ui.execute("dev.sysplex.ui.commands.connect");
		Ui.pumpUntil(() -> warning[0] != null, "the changed-certificate warning opens");
		assertTrue(warning[0].contains("CHANGED"), warning[0]);
		assertTrue(warning[1].contains("HAS CHANGED") && warning[1].contains("00".repeat(32)), warning[1]);
		assertEquals(ConnectionState.Phase.FAILED, connections.state(NAME).phase());
		assertTrue(!asked[0], "a changed certificate is never put to the trust dialog");
		assertEquals("00".repeat(32), pins.pinned(dvipa + ":4035").orElseThrow(), "the pin stays");
		assertNull(sysplex.rsed("SYSA").orElseThrow().session("IBMUSER").orElse(null), "no session on SYSA");
		assertNull(sysplex.rsed("SYSB").orElseThrow().session("IBMUSER").orElse(null), "no session on SYSB");
		Ui.pumpUntil(() -> Ui.find(tree, NAME).getText().contains("failed: "), "the explorer shows the failure");

		// the administrator confirmed the new certificate: the user does what the warning says
		assertTrue(warning[1].contains("Edit Connection... page, check \"Forget the pinned certificate\""), warning[1]);
		Ui.stopWatching(); // the first connect's answers (Cancel the trust dialog) must not answer the next ones
		String[] shown = { null };
		boolean[] offered = { false };
		// matched by the host field every connection page has, so that a page without the box is closed too
		Ui.whenShellHolding(WidgetIds.PROPERTIES_HOST, shell -> {
			shown[0] = labels(shell);
			List<org.eclipse.swt.widgets.Widget> forget = Widgets.withId(shell.getDisplay(),
					WidgetIds.PROPERTIES_FORGET_CERTIFICATE);
			offered[0] = forget.size() == 1;
			if (offered[0]) {
				((org.eclipse.swt.widgets.Button) forget.get(0)).setSelection(true);
				Ui.click(shell, "Apply and Close");
			} else {
				Ui.click(shell, "Cancel");
			}
		});
		Ui.select(tree, NAME);
		Ui.execute("dev.sysplex.ui.commands.edit");
		Ui.pumpUntil(() -> shown[0] != null, "the connection's page opens");
		assertTrue(offered[0], "the connection's page offers to forget the pin: " + shown[0]);
		assertTrue(shown[0].contains("pinned for " + dvipa + ":4035: SHA-256 " + "00".repeat(32)), shown[0]);
		assertTrue(pins.pinned(dvipa + ":4035").isEmpty(), "the pin is gone");
		// the next connection asks about the host's certificate, and with it trusted logs on
		boolean[] trusted = { false };
		String[] failed = { null };
		Ui.whenShellOpens(WidgetIds.TRUST_DIALOG, shell -> {
			trusted[0] = true;
			Ui.click(shell, "Trust Always");
		});
		Ui.whenShellOpens(WidgetIds.ERROR_DIALOG, shell -> {
			failed[0] = labels(shell);
			Ui.click(shell, "OK");
		});
		Ui.select(tree, NAME);
		Ui.execute("dev.sysplex.ui.commands.connect");
		Ui.pumpUntil(() -> failed[0] != null || connections.state(NAME).phase() == ConnectionState.Phase.CONNECTED,
				"the logon ends");
		assertNull(failed[0], "the logon after forgetting the pin failed");
		assertTrue(trusted[0], "the new certificate was put to the trust dialog");
		assertTrue(pins.pinned(dvipa + ":4035").filter(f -> !f.equals("00".repeat(32))).isPresent(),
				"the host's certificate is pinned now");
	}

	private static String labels(Shell shell) {
		return Ui.labels(shell);
	}
}
