package dev.sysplex.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.views.IViewCategory;
import org.eclipse.ui.views.IViewDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sysplex.ui.WidgetIds;

/** Runs in the real IDE workbench (tycho-surefire, UI harness, on the UI thread). */
@ExtendWith(ScreenshotOnFailure.class)
class SysplexExplorerViewTest {

	private static final String VIEW_ID = "dev.sysplex.ui.views.explorer";

	private IWorkbenchPage page;
	private IViewPart view;

	@BeforeEach
	void openView() throws PartInitException {
		page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
		view = page.showView(VIEW_ID);
		flushEvents();
	}

	@AfterEach
	void closeView() {
		if (view != null) {
			page.hideView(view);
		}
	}

	@Test
	void emptyExplorerSaysSoAndOffersTheNewConnectionLink() {
		Display display = Display.getCurrent();
		assertNotNull(display, "UI tests run on the UI thread");

		Label message = Widgets.single(display, WidgetIds.EXPLORER_EMPTY_MESSAGE, Label.class);
		assertEquals("No connections yet", message.getText());
		assertTrue(message.isVisible(), "the empty-state message is visible");

		Link link = Widgets.single(display, WidgetIds.EXPLORER_NEW_CONNECTION_LINK, Link.class);
		assertTrue(link.getText().contains("Create a connection"), link.getText());
		assertTrue(link.isVisible(), "the new-connection link is visible");
		assertTrue(link.isEnabled(), "the wizard's handler is installed");
		assertEquals("Opens the New Sysplex Connection wizard", link.getToolTipText());
	}

	@Test
	void theViewListsAConnectionOnceThereIsOne() throws Exception {
		dev.sysplex.core.ConnectionRegistry registry = dev.sysplex.core.SysplexConnections.instance().registry();
		registry.add(new dev.sysplex.core.ConnectionDescriptor("UI test plex", "127.0.10.100", 4035, "IBMUSER",
				dev.sysplex.client.EncryptionPolicy.PREFERRED, true, true));
		try {
			Display display = Display.getCurrent();
			org.eclipse.swt.widgets.Tree tree = Widgets.single(display, WidgetIds.EXPLORER_CONNECTIONS,
					org.eclipse.swt.widgets.Tree.class);
			Ui.pumpUntil(() -> tree.getItemCount() > 0 && tree.isVisible(), "the view shows the new connection", 10);
			assertEquals("UI test plex (IBMUSER@127.0.10.100:4035) - disconnected", tree.getItem(0).getText());
			assertEquals(0, tree.getItem(0).getItemCount(), "no jobs or debug sessions while disconnected");
		} finally {
			registry.remove("UI test plex");
		}
	}

	@Test
	void editChangesTheConnectionAndDeleteRemovesItWithItsPassword() throws Exception {
		// its own connections with passwords in memory (Secure Storage could ask for a master password)
		org.eclipse.core.runtime.preferences.IEclipsePreferences node = (org.eclipse.core.runtime.preferences.IEclipsePreferences) org.eclipse.core.runtime.preferences.InstanceScope.INSTANCE
				.getNode("dev.sysplex.ui.tests").node("p" + System.nanoTime());
		dev.sysplex.core.SysplexConnections connections = new dev.sysplex.core.SysplexConnections(
				new dev.sysplex.core.ConnectionRegistry(node), dev.sysplex.core.PasswordStore.inMemory(),
				dev.sysplex.client.TrustStore.inMemory());
		page.hideView(view);
		dev.sysplex.core.SysplexConnections.setInstance(connections);
		view = page.showView(VIEW_ID);
		dev.sysplex.core.ConnectionRegistry registry = connections.registry();
		registry.add(new dev.sysplex.core.ConnectionDescriptor("Edit plex", "127.0.10.100", 4035, "IBMUSER",
				dev.sysplex.client.EncryptionPolicy.PREFERRED, true, true));
		try {
			Display display = Display.getCurrent();
			org.eclipse.swt.widgets.Tree tree = Widgets.single(display, WidgetIds.EXPLORER_CONNECTIONS,
					org.eclipse.swt.widgets.Tree.class);
			Ui.pumpUntil(() -> Ui.find(tree, "Edit plex") != null, "the view shows the connection", 10);
			page.activate(view);
			Ui.select(tree, "Edit plex");

			// Edit: the property page says what is wrong, then saves the new host and a password
			String[] problem = { null };
			Ui.whenShellHolding(WidgetIds.PROPERTIES_HOST, shell -> {
				Widgets.single(display, WidgetIds.PROPERTIES_PORT, org.eclipse.swt.widgets.Text.class).setText("x");
				problem[0] = String.valueOf(((org.eclipse.jface.dialogs.IPageChangeProvider) shell.getData())
						.getSelectedPage() instanceof org.eclipse.jface.dialogs.DialogPage p ? p.getErrorMessage()
								: null);
				Widgets.single(display, WidgetIds.PROPERTIES_PORT, org.eclipse.swt.widgets.Text.class)
						.setText("4036");
				Widgets.single(display, WidgetIds.PROPERTIES_HOST, org.eclipse.swt.widgets.Text.class)
						.setText("127.0.10.101");
				Widgets.single(display, WidgetIds.PROPERTIES_PASSWORD, org.eclipse.swt.widgets.Text.class)
						.setText("new-secret");
				Ui.click(shell, "Apply and Close");
			});
			Ui.execute("dev.sysplex.ui.commands.edit");
			assertTrue(problem[0] != null && problem[0].contains("must be a number"), "the page said: " + problem[0]);
			dev.sysplex.core.ConnectionDescriptor edited = registry.get("Edit plex").orElseThrow();
			assertEquals("127.0.10.101", edited.host());
			assertEquals(4036, edited.port());
			assertEquals("new-secret", new String(connections.passwords().get("Edit plex").orElseThrow()));
			Ui.pumpUntil(() -> Ui.find(tree, "Edit plex").getText().contains("127.0.10.101:4036"),
					"the view shows the new host");

			// Delete, after the confirmation: the connection and its saved password are gone
			Ui.select(tree, "Edit plex");
			Ui.whenShellOpens(shell -> shell.getText().equals("Delete Sysplex Connection"), shell -> Ui.click(shell, "OK"));
			Ui.execute("dev.sysplex.ui.commands.delete");
			assertTrue(registry.get("Edit plex").isEmpty(), "deleted");
			assertTrue(connections.passwords().get("Edit plex").isEmpty(), "its password is gone too");
		} finally {
			if (registry.get("Edit plex").isPresent()) {
				registry.remove("Edit plex");
			}
			Ui.stopWatching();
			page.hideView(view);
			dev.sysplex.core.SysplexConnections.setInstance(null);
			node.removeNode();
		}
	}

	@Test
	void viewIsListedUnderTheSysplexExplorerCategory() {
		IViewDescriptor descriptor = PlatformUI.getWorkbench().getViewRegistry().find(VIEW_ID);
		assertNotNull(descriptor, "view registered");
		assertEquals("Sysplex Explorer", descriptor.getLabel());
		IViewCategory category = Arrays.stream(PlatformUI.getWorkbench().getViewRegistry().getCategories())
				.filter(c -> c.getId().equals("dev.sysplex.ui.category")).findFirst().orElseThrow();
		assertTrue(Arrays.asList(category.getViews()).contains(descriptor), "view in its category");
		assertEquals(view, page.findView(VIEW_ID), "the opened view is the one the page knows");
	}

	private static void flushEvents() {
		Display display = Display.getCurrent();
		for (int i = 0; i < 1000 && display.readAndDispatch(); i++) {
			// bounded: process pending layout and paint events so widgets are realised
		}
	}
}
