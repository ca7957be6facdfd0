package dev.sysplex.ui.internal;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.eclipse.ui.console.IConsoleConstants;

/**
 * The Sysplex perspective: the Sysplex Explorer on the left, the Debug view above the editors,
 * Variables and Breakpoints on the right, Console, Progress and Error Log below.
 */
public final class SysplexPerspective implements IPerspectiveFactory {

	public static final String ID = "dev.sysplex.ui.perspective";

	static final String DEBUG_VIEW = "org.eclipse.debug.ui.DebugView";
	static final String VARIABLES_VIEW = "org.eclipse.debug.ui.VariableView";
	static final String BREAKPOINTS_VIEW = "org.eclipse.debug.ui.BreakpointView";
	static final String ERROR_LOG_VIEW = "org.eclipse.pde.runtime.LogView";

	@Override
	public void createInitialLayout(IPageLayout layout) {
		String editors = layout.getEditorArea();
		layout.addView(SysplexExplorerView.ID, IPageLayout.LEFT, 0.32f, editors);
		layout.addView(DEBUG_VIEW, IPageLayout.TOP, 0.35f, editors);
		IFolderLayout right = layout.createFolder("dev.sysplex.ui.perspective.right", IPageLayout.RIGHT, 0.65f, editors);
		right.addView(VARIABLES_VIEW);
		right.addView(BREAKPOINTS_VIEW);
		IFolderLayout bottom = layout.createFolder("dev.sysplex.ui.perspective.bottom", IPageLayout.BOTTOM, 0.65f,
				editors);
		bottom.addView(IConsoleConstants.ID_CONSOLE_VIEW);
		bottom.addView(IPageLayout.ID_PROGRESS_VIEW);
		bottom.addView(IPageLayout.ID_PROP_SHEET); // the selected node's details, as RSE's perspective has them
		bottom.addPlaceholder(ERROR_LOG_VIEW);
		layout.addShowViewShortcut(SysplexExplorerView.ID);
		layout.addShowViewShortcut(DEBUG_VIEW);
		layout.addShowViewShortcut(IConsoleConstants.ID_CONSOLE_VIEW);
		layout.addNewWizardShortcut("dev.sysplex.ui.wizards.newConnection");
		// Run > Debug Configurations, the Debug toolbar button and Run > Toggle Breakpoint, as the Debug perspective has them
		layout.addActionSet(org.eclipse.debug.ui.IDebugUIConstants.LAUNCH_ACTION_SET);
		layout.addActionSet(org.eclipse.debug.ui.IDebugUIConstants.DEBUG_ACTION_SET);
		layout.addActionSet("org.eclipse.debug.ui.breakpointActionSet");
		layout.addShowViewShortcut(BREAKPOINTS_VIEW);
		layout.addShowViewShortcut(VARIABLES_VIEW);
		layout.addShowViewShortcut(ERROR_LOG_VIEW);
		layout.addShowViewShortcut(IPageLayout.ID_PROP_SHEET);
		layout.addPerspectiveShortcut("org.eclipse.debug.ui.DebugPerspective");
	}
}
