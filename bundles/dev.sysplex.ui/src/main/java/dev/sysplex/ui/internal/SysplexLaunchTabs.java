package dev.sysplex.ui.internal;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.ui.AbstractLaunchConfigurationTab;
import org.eclipse.debug.ui.AbstractLaunchConfigurationTabGroup;
import org.eclipse.debug.ui.CommonTab;
import org.eclipse.debug.ui.ILaunchConfigurationDialog;
import org.eclipse.debug.ui.ILaunchConfigurationTab;
import org.eclipse.debug.ui.sourcelookup.SourceLookupTab;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import dev.sysplex.core.CorePreferences;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.debug.SysplexDebug;
import dev.sysplex.ui.WidgetIds;

/**
 * The tabs of a "Sysplex Debug Session" launch configuration (Run > Debug Configurations): Main
 * (the connection, the job or the next job of a program, stop at entry, how long to wait), then
 * JDT's Source lookup tab and the Common tab, as a Java launch has them.
 */
public final class SysplexLaunchTabs extends AbstractLaunchConfigurationTabGroup {

	@Override
	public void createTabs(ILaunchConfigurationDialog dialog, String mode) {
		setTabs(new ILaunchConfigurationTab[] { new MainTab(), new SourceLookupTab(), new CommonTab() });
	}

	/** Which job to debug, on which connection, and how. */
	public static final class MainTab extends AbstractLaunchConfigurationTab {
		private Combo connection;
		private Button byJob;
		private Button byProgram;
		private Text job;
		private Text program;
		private Button stopAtEntry;
		private Text waitSeconds;
		private boolean fromNotification;

		@Override
		public String getName() {
			return Messages.LaunchTab_main;
		}

		@Override
		public Image getImage() {
			return Icons.image(Icons.LAUNCH);
		}

		@Override
		public String getId() {
			return "dev.sysplex.ui.launch.mainTab";
		}

		@Override
		public void createControl(Composite parent) {
			Composite c = new Composite(parent, SWT.NONE);
			GridLayoutFactory.swtDefaults().numColumns(2).applyTo(c);
			new Label(c, SWT.NONE).setText(Messages.LaunchTab_connection);
			connection = new Combo(c, SWT.READ_ONLY);
			connection.setData(WidgetIds.KEY, WidgetIds.LAUNCH_CONNECTION);
			GridDataFactory.fillDefaults().grab(true, false).applyTo(connection);
			SysplexConnections.instance().registry().all().forEach(d -> connection.add(d.name()));
			connection.addListener(SWT.Selection, e -> changed());

			byJob = new Button(c, SWT.RADIO);
			byJob.setText(Messages.LaunchTab_job);
			job = new Text(c, SWT.BORDER);
			job.setData(WidgetIds.KEY, WidgetIds.LAUNCH_JOB);
			job.setMessage("JOB00042");
			GridDataFactory.fillDefaults().grab(true, false).applyTo(job);
			byProgram = new Button(c, SWT.RADIO);
			byProgram.setText(Messages.LaunchTab_program);
			program = new Text(c, SWT.BORDER);
			program.setData(WidgetIds.KEY, WidgetIds.LAUNCH_PROGRAM);
			program.setMessage("Payroll.java");
			GridDataFactory.fillDefaults().grab(true, false).applyTo(program);
			byJob.addListener(SWT.Selection, e -> changed());
			byProgram.addListener(SWT.Selection, e -> changed());
			job.addListener(SWT.Modify, e -> changed());
			program.addListener(SWT.Modify, e -> changed());

			new Label(c, SWT.NONE).setText(Messages.LaunchTab_wait);
			waitSeconds = new Text(c, SWT.BORDER);
			GridDataFactory.fillDefaults().grab(true, false).applyTo(waitSeconds);
			waitSeconds.addListener(SWT.Modify, e -> changed());

			stopAtEntry = new Button(c, SWT.CHECK);
			stopAtEntry.setText(Messages.LaunchTab_stopAtEntry);
			stopAtEntry.setData(WidgetIds.KEY, WidgetIds.LAUNCH_STOP_AT_ENTRY);
			GridDataFactory.fillDefaults().span(2, 1).applyTo(stopAtEntry);
			stopAtEntry.addListener(SWT.Selection, e -> changed());
			Label hint = new Label(c, SWT.WRAP);
			hint.setText(Messages.LaunchTab_hint);
			GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(400, SWT.DEFAULT).applyTo(hint);
			setControl(c);
			org.eclipse.ui.PlatformUI.getWorkbench().getHelpSystem().setHelp(c, "dev.sysplex.ui.launch");
		}

		private void changed() {
			job.setEnabled(byJob.getSelection());
			program.setEnabled(byProgram.getSelection());
			setDirty(true);
			updateLaunchConfigurationDialog();
		}

		@Override
		public void setDefaults(ILaunchConfigurationWorkingCopy wc) {
			SysplexConnections.instance().registry().all().stream().findFirst()
					.ifPresent(d -> wc.setAttribute(SysplexDebug.ATTR_CONNECTION, d.name()));
			wc.setAttribute(SysplexDebug.ATTR_PROGRAM, "Payroll.java");
			wc.setAttribute(SysplexDebug.ATTR_STOP_AT_ENTRY, org.eclipse.core.runtime.Platform.getPreferencesService()
					.getBoolean(CorePreferences.PLUGIN_ID, CorePreferences.STOP_AT_ENTRY, true, null));
			wc.setAttribute(SysplexDebug.ATTR_WAIT_SECONDS, SysplexDebug.DEFAULT_WAIT_SECONDS);
		}

		@Override
		public void initializeFrom(ILaunchConfiguration configuration) {
			try {
				String name = configuration.getAttribute(SysplexDebug.ATTR_CONNECTION, "");
				if (connection.indexOf(name) < 0 && !name.isEmpty()) {
					connection.add(name); // shown as it is saved, even if deleted since: the launch will say so
				}
				connection.select(connection.indexOf(name));
				String j = configuration.getAttribute(SysplexDebug.ATTR_JOB, "");
				job.setText(j);
				program.setText(configuration.getAttribute(SysplexDebug.ATTR_PROGRAM, ""));
				byJob.setSelection(!j.isEmpty());
				byProgram.setSelection(j.isEmpty());
				stopAtEntry.setSelection(configuration.getAttribute(SysplexDebug.ATTR_STOP_AT_ENTRY, true));
				waitSeconds.setText(Integer.toString(configuration.getAttribute(SysplexDebug.ATTR_WAIT_SECONDS,
						SysplexDebug.DEFAULT_WAIT_SECONDS)));
				fromNotification = !configuration.getAttribute(SysplexDebug.ATTR_TOKEN, "").isEmpty();
			} catch (CoreException e) {
				setErrorMessage(e.getStatus().getMessage());
			}
			job.setEnabled(byJob.getSelection());
			program.setEnabled(byProgram.getSelection());
			setDirty(false);
		}

		@Override
		public void performApply(ILaunchConfigurationWorkingCopy wc) {
			wc.setAttribute(SysplexDebug.ATTR_CONNECTION, connection.getText());
			wc.setAttribute(SysplexDebug.ATTR_JOB, byJob.getSelection() ? job.getText().strip().toUpperCase(java.util.Locale.ROOT) : "");
			wc.setAttribute(SysplexDebug.ATTR_PROGRAM, byProgram.getSelection() ? program.getText().strip() : "");
			wc.setAttribute(SysplexDebug.ATTR_STOP_AT_ENTRY, stopAtEntry.getSelection());
			try {
				wc.setAttribute(SysplexDebug.ATTR_WAIT_SECONDS, Integer.parseInt(waitSeconds.getText().strip()));
			} catch (NumberFormatException e) {
				// isValid says so; the saved value stays
			}
			if (!fromNotification) {
				wc.removeAttribute(SysplexDebug.ATTR_TOKEN); // a saved configuration always waits for its job anew
			}
		}

		@Override
		public boolean isValid(ILaunchConfiguration configuration) {
			setErrorMessage(problem());
			return getErrorMessage() == null;
		}

		private String problem() {
			if (connection.getText().isEmpty()) {
				return Messages.LaunchTab_noConnection;
			}
			if (byJob.getSelection() && !job.getText().strip().matches("(?i)[A-Z0-9]{1,8}")) {
				return Messages.LaunchTab_badJob;
			}
			if (byProgram.getSelection() && program.getText().isBlank()) {
				return Messages.LaunchTab_noProgram;
			}
			try {
				int s = Integer.parseInt(waitSeconds.getText().strip());
				if (s < 1 || s > 86_400) {
					return Messages.LaunchTab_badWait;
				}
			} catch (NumberFormatException e) {
				return Messages.LaunchTab_badWait;
			}
			return null;
		}
	}
}
