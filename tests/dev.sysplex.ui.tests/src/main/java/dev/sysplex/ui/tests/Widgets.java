package dev.sysplex.ui.tests;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Widget;

import dev.sysplex.ui.WidgetIds;

/** Finds widgets by the id they carry under {@link WidgetIds#KEY}, as SWTBot's withId does. */
public final class Widgets {

	private Widgets() {
	}

	/** All widgets in all shells carrying {@code id}; call on the UI thread. */
	public static List<Widget> withId(Display display, String id) {
		List<Widget> found = new ArrayList<>();
		for (Shell shell : display.getShells()) {
			collect(shell, id, found);
		}
		return found;
	}

	/** The one widget carrying {@code id}, of the given type; fails with what was found instead. */
	public static <T extends Widget> T single(Display display, String id, Class<T> type) {
		List<Widget> found = withId(display, id);
		if (found.size() != 1 || !type.isInstance(found.get(0))) {
			throw new AssertionError("expected exactly one " + type.getSimpleName() + " with id '" + id
					+ "', found " + found);
		}
		return type.cast(found.get(0));
	}

	/** The button labelled {@code label} (mnemonics ignored) under {@code c}, or null. */
	public static org.eclipse.swt.widgets.Button button(Control c, String label) {
		if (c instanceof org.eclipse.swt.widgets.Button b && b.getText().replace("&", "").equals(label)) {
			return b;
		}
		if (c instanceof Composite comp) {
			for (Control child : comp.getChildren()) {
				org.eclipse.swt.widgets.Button found = button(child, label);
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	private static void collect(Control control, String id, List<Widget> found) {
		if (id.equals(control.getData(WidgetIds.KEY))) {
			found.add(control);
		}
		if (control instanceof Composite composite) {
			for (Control child : composite.getChildren()) {
				collect(child, id, found);
			}
		}
	}
}
