package dev.sysplex.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
		// No wizard handler is installed yet: the link must say so rather than do nothing.
		assertFalse(link.isEnabled(), "link is disabled while no wizard handles the command");
		assertTrue(link.getToolTipText().contains("not installed"), link.getToolTipText());
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
