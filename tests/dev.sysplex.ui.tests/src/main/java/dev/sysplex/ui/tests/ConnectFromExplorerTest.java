package dev.sysplex.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.TrustStore;
import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.ConnectionRegistry;
import dev.sysplex.core.PasswordStore;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.ui.WidgetIds;

/**
 * In the real workbench, against the real host side started here: select a connection in the
 * Sysplex Explorer, Connect, trust the certificate in the dialog, and see the system and the
 * encryption in the view; then Disconnect.
 */
@ExtendWith(ScreenshotOnFailure.class)
class ConnectFromExplorerTest {

	private static final char[] PASSWORD = "ui-test".toCharArray();

	@TempDir
	Path dir;

	private Sysplex sysplex;
	private IViewPart view;
	private final IEclipsePreferences node = (IEclipsePreferences) InstanceScope.INSTANCE.getNode("dev.sysplex.ui.tests")
			.node("c" + System.nanoTime());

	@AfterEach
	void cleanUp() throws Exception {
		if (view != null) {
			view.getSite().getPage().hideView(view);
		}
		SysplexConnections.setInstance(null);
		if (sysplex != null) {
			sysplex.close();
		}
		node.removeNode();
	}

	@Test
	void connectTrustTheCertificateAndSeeTheSystemAndEncryption() throws Exception {
		Path copy = dir.resolve("plex");
		SysplexDirectories.copy(Path.of(System.getProperty("sysplex.examples")).resolve("two-systems"), copy);
		String subnet = "127.70." + (ProcessHandle.current().pid() % 200 + 1) + ".";
		try (Stream<Path> files = Files.walk(copy)) {
			for (Path p : files.filter(Files::isRegularFile).toList()) {
				Files.writeString(p, Files.readString(p).replace("127.0.10.", subnet));
			}
		}
		sysplex = Sysplex.start(copy);
		sysplex.users().setPassword("IBMUSER", PASSWORD, false, 1_000);

		PasswordStore passwords = PasswordStore.inMemory();
		passwords.put("Test plex", PASSWORD);
		SysplexConnections connections = new SysplexConnections(new ConnectionRegistry(node), passwords,
				TrustStore.inMemory());
		connections.registry().add(new ConnectionDescriptor("Test plex", subnet + "100", 4035, "IBMUSER",
				EncryptionPolicy.REQUIRED, true, false));
		SysplexConnections.setInstance(connections);

		IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
		view = page.showView("dev.sysplex.ui.views.explorer");
		page.activate(view);
		Display display = Display.getCurrent();
		Table table = Widgets.single(display, WidgetIds.EXPLORER_CONNECTIONS, Table.class);
		pumpUntil(display, () -> table.getItemCount() == 1, "the view lists the connection");
		table.setSelection(0);
		table.notifyListeners(SWT.Selection, new Event());

		answerTrustDialog(display, "Trust Always");
		PlatformUI.getWorkbench().getService(IHandlerService.class).executeCommand("dev.sysplex.ui.commands.connect",
				null);
		pumpUntil(display, () -> table.getItem(0).getText(3).startsWith("connected"), "the view shows the session");
		String state = table.getItem(0).getText(3);
		assertTrue(state.startsWith("connected to SYS") && state.contains(", encrypted, RSE server port "), state);
		String system = connections.state("Test plex").system().orElseThrow();
		assertTrue(state.contains(system), state);
		assertTrue(sysplex.rsed(system).orElseThrow().session("IBMUSER").isPresent(), "the host has the session");

		PlatformUI.getWorkbench().getService(IHandlerService.class).executeCommand("dev.sysplex.ui.commands.disconnect",
				null);
		pumpUntil(display, () -> table.getItem(0).getText(3).equals("disconnected"), "the view shows the logoff");
		assertEquals(1, table.getItemCount());
	}

	/**
	 * Clicks {@code label} in the trust dialog when it opens. The dialog runs its own event loop
	 * (opened from the connect job through syncExec), so the click comes from a timer in that loop.
	 */
	private static void answerTrustDialog(Display display, String label) {
		Runnable[] poll = new Runnable[1];
		poll[0] = () -> {
			for (Shell shell : display.getShells()) {
				if (WidgetIds.TRUST_DIALOG.equals(shell.getData(WidgetIds.KEY))) {
					Button b = Widgets.button(shell, label);
					if (b != null) {
						b.notifyListeners(SWT.Selection, new Event());
						return;
					}
				}
			}
			display.timerExec(50, poll[0]);
		};
		display.timerExec(50, poll[0]);
	}

	/** Runs the event loop until {@code done}, at most 30 s (a timer wakes the loop to check). */
	private static void pumpUntil(Display display, BooleanSupplier done, String what) {
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (!done.getAsBoolean()) {
			assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
			if (!display.readAndDispatch()) {
				display.timerExec(100, () -> {
				});
				display.sleep();
			}
		}
	}
}
