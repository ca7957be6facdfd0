package dev.sysplex.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.TrustStore;
import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.ConnectionRegistry;
import dev.sysplex.core.PasswordStore;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.ui.WidgetIds;
import dev.sysplex.ui.internal.NewConnectionWizard;

/** The New Sysplex Connection wizard in the real workbench, driven by widget ids. */
@ExtendWith(ScreenshotOnFailure.class)
class NewConnectionWizardTest {

	private final IEclipsePreferences node = (IEclipsePreferences) InstanceScope.INSTANCE.getNode("dev.sysplex.ui.tests")
			.node("w" + System.nanoTime());
	private final PasswordStore saved = PasswordStore.inMemory();
	private WizardDialog dialog;

	@AfterEach
	void close() throws Exception {
		if (dialog != null && dialog.getShell() != null && !dialog.getShell().isDisposed()) {
			dialog.close();
		}
		node.removeNode();
	}

	private SysplexConnections connections() {
		return new SysplexConnections(new ConnectionRegistry(node), saved, TrustStore.inMemory());
	}

	private void type(String id, String text) {
		Widgets.single(Display.getCurrent(), id, Text.class).setText(text); // fires Modify: the page validates
	}

	private String error() {
		return dialog.getCurrentPage().getErrorMessage();
	}

	@Test
	void theWizardSaysWhatIsWrongAndSavesTheConnectionAndItsPassword() throws Exception {
		SysplexConnections connections = connections();
		dialog = new WizardDialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(),
				new NewConnectionWizard(connections));
		dialog.setBlockOnOpen(false);
		dialog.open();

		type(WidgetIds.WIZARD_NAME, "Plex One");
		assertEquals("Enter the host: the sysplex's DVIPA address or host name", error());
		type(WidgetIds.WIZARD_HOST, "127.0.10.100");
		type(WidgetIds.WIZARD_USER, "ibmuser");
		type(WidgetIds.WIZARD_PASSWORD, "pw1");
		type(WidgetIds.WIZARD_PORT, "40x5");
		assertTrue(error().contains("port must be a number"), error());
		type(WidgetIds.WIZARD_PORT, "70000");
		assertTrue(error().contains("1-65535"), error());
		type(WidgetIds.WIZARD_PORT, "4035");
		type(WidgetIds.WIZARD_USER, "toolonguserid");
		assertTrue(error().contains("1-8 characters"), error());
		type(WidgetIds.WIZARD_USER, "ibmuser");
		Combo encryption = Widgets.single(Display.getCurrent(), WidgetIds.WIZARD_ENCRYPTION, Combo.class);
		encryption.select(EncryptionPolicy.REQUIRED.ordinal());
		encryption.notifyListeners(SWT.Selection, new Event());
		assertNull(error(), "all fields valid");

		finish();
		assertTrue(dialog.getShell() == null || dialog.getShell().isDisposed(), "Finish closed the wizard");
		ConnectionDescriptor c = connections.registry().get("Plex One").orElseThrow();
		assertEquals("127.0.10.100", c.host());
		assertEquals("IBMUSER", c.user());
		assertEquals(EncryptionPolicy.REQUIRED, c.encryption());
		assertEquals("pw1", new String(saved.get("Plex One").orElseThrow()), "the password went to the password store");
		assertTrue(node.node("Plex One").get("password", null) == null, "and not into the preferences");
	}

	@Test
	void aNameInUseIsRefusedBeforeAnythingIsSaved() throws Exception {
		SysplexConnections connections = connections();
		connections.registry().add(new ConnectionDescriptor("Plex One", "10.1.1.1", 4035, "IBMUSER",
				EncryptionPolicy.PREFERRED, true, true));
		dialog = new WizardDialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(),
				new NewConnectionWizard(connections));
		dialog.setBlockOnOpen(false);
		dialog.open();
		type(WidgetIds.WIZARD_NAME, "Plex One");
		assertTrue(error().contains("exists already"), error());
		type(WidgetIds.WIZARD_HOST, "127.0.10.100");
		type(WidgetIds.WIZARD_USER, "ibmuser");
		type(WidgetIds.WIZARD_PASSWORD, "pw1");
		assertTrue(error().contains("exists already"), "still refused: " + error());
		assertTrue(saved.get("Plex One").isEmpty(), "no password saved");
	}

	@Test
	void aBadHostIsRefusedAndThePasswordIsNeededOnlyToBeSaved() throws Exception {
		SysplexConnections connections = connections();
		dialog = new WizardDialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(),
				new NewConnectionWizard(connections));
		dialog.setBlockOnOpen(false);
		dialog.open();
		type(WidgetIds.WIZARD_NAME, "Plex Two");
		type(WidgetIds.WIZARD_USER, "ibmuser");
		type(WidgetIds.WIZARD_HOST, "127.0.10.300");
		assertTrue(error().contains("not an IPv4 address") && error().contains("0-255"), error());
		type(WidgetIds.WIZARD_HOST, "127.0.10");
		assertTrue(error().contains("not an IPv4 address"), error());
		type(WidgetIds.WIZARD_HOST, "plex_b.example");
		assertTrue(error().contains("not a host name"), error());
		type(WidgetIds.WIZARD_HOST, "-plex.example");
		assertTrue(error().contains("not a host name"), error());
		type(WidgetIds.WIZARD_HOST, "plexb.example.com");
		assertTrue(error().contains("password"), "save is ticked: the password is needed: " + error());
		Button save = Widgets.single(Display.getCurrent(), WidgetIds.WIZARD_SAVE_PASSWORD, Button.class);
		save.setSelection(false);
		save.notifyListeners(SWT.Selection, new Event());
		assertNull(error(), "without saving, the password may be left empty (asked at connect)");
		type(WidgetIds.WIZARD_HOST, "fd00::10");
		assertNull(error(), "an IPv6 address is a host too");
		finish();
		assertEquals("fd00::10", connections.registry().get("Plex Two").orElseThrow().host());
		assertTrue(saved.get("Plex Two").isEmpty(), "nothing went to the password store");
	}

	private void finish() {
		Button finish = Widgets.button(dialog.getShell(), "Finish");
		assertTrue(finish.isEnabled(), "Finish is enabled once the fields are valid");
		finish.notifyListeners(SWT.Selection, new Event());
	}
}
