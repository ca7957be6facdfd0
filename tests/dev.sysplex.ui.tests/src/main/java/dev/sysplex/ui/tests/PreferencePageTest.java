package dev.sysplex.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Control;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sysplex.core.CorePreferences;

/** The Sysplex Explorer preference page edits dev.sysplex.core's preferences, defaults first. */
@ExtendWith(ScreenshotOnFailure.class)
class PreferencePageTest {

	private PreferenceDialog dialog;

	@AfterEach
	void close() {
		if (dialog != null && dialog.getShell() != null && !dialog.getShell().isDisposed()) {
			dialog.close();
		}
		InstanceScope.INSTANCE.getNode(CorePreferences.PLUGIN_ID).remove(CorePreferences.DEBUG_SESSIONS);
	}

	@Test
	void thePageShowsTheDefaultsAndSavesAChoiceInTheCorePreferences() {
		dialog = PreferencesUtil.createPreferenceDialogOn(
				PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), "dev.sysplex.ui.preferences", null,
				null);
		dialog.setBlockOnOpen(false);
		dialog.open();
		Combo debug = combo(dialog.getShell(), "Ask (notification with a Debug action)");
		assertTrue(debug != null, "the debug-session choice shows the default 'ask'");
		debug.select(1); // Start debugging at once
		debug.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
		org.eclipse.swt.widgets.Button stop = Widgets.button(dialog.getShell(),
				"Stop a debugged job at the first line of its main method (as z/OS Debugger does)");
		assertTrue(stop != null && stop.getSelection(), "stop at entry is offered, ticked by default");
		org.eclipse.swt.widgets.Button apply = Widgets.button(dialog.getShell(), "Apply and Close");
		assertTrue(apply != null, "the dialog has Apply and Close");
		apply.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
		assertEquals("launch", InstanceScope.INSTANCE.getNode(CorePreferences.PLUGIN_ID)
				.get(CorePreferences.DEBUG_SESSIONS, "ask"));
		assertEquals(60, org.eclipse.core.runtime.Platform.getPreferencesService().getInt(CorePreferences.PLUGIN_ID,
				CorePreferences.TLS_MEMORY_MINUTES, -1, null), "the initializer's default");
	}

	private static Combo combo(Control c, String shownItem) {
		if (c instanceof Combo combo && combo.getText().equals(shownItem)) {
			return combo;
		}
		if (c instanceof org.eclipse.swt.widgets.Composite comp) {
			for (Control child : comp.getChildren()) {
				Combo found = combo(child, shownItem);
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}
}
