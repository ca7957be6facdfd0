package dev.sysplex.ui.internal;

import java.util.Map;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.dialogs.PropertyPage;

/**
 * Alt+Enter on a job or a debug session: its details, read-only (what the Properties view shows,
 * from {@link ExplorerAdapters}), selectable for copying.
 */
public final class DetailsPropertyPage extends PropertyPage {

	public DetailsPropertyPage() {
		noDefaultAndApplyButton();
	}

	@Override
	protected Control createContents(Composite parent) {
		Composite c = new Composite(parent, SWT.NONE);
		GridLayoutFactory.fillDefaults().numColumns(2).applyTo(c);
		Object element = getElement() instanceof ExplorerNodes.Adaptable a ? a.connection() : getElement();
		for (Map.Entry<String, Map<String, Object>> category : ExplorerAdapters.rows(element).entrySet()) {
			for (Map.Entry<String, Object> row : category.getValue().entrySet()) {
				new Label(c, SWT.NONE).setText(row.getKey() + ":");
				Text value = new Text(c, SWT.READ_ONLY);
				value.setText(String.valueOf(row.getValue()));
				GridDataFactory.fillDefaults().grab(true, false).applyTo(value);
			}
		}
		return c;
	}
}
