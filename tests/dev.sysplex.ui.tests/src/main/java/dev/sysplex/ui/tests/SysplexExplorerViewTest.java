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
