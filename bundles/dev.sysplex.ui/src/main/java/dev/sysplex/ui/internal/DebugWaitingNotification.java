package dev.sysplex.ui.internal;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.notifications.AbstractNotificationPopup;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;

import dev.sysplex.debug.DebugSessions;
import dev.sysplex.ui.WidgetIds;

/**
 * The notification (a popup in the corner that does not take focus or block) that a job's debug
 * session waits for this client, with a Debug action. When it closes unanswered, the session stays
 * in the Sysplex Explorer under its connection, where Debug starts it too.
 */
final class DebugWaitingNotification extends AbstractNotificationPopup {

	/** How long the popup stays when nobody moves the mouse over it. */
	static final long SHOWN_MS = 30_000;

	private final DebugSessions sessions;
	private final DebugSessions.WaitingSession waiting;
	/** Closes the popup once its session no longer waits (debugged from the explorer, or gone). */
	private final Runnable closeWhenTaken;

	private DebugWaitingNotification(Display display, DebugSessions sessions, DebugSessions.WaitingSession waiting) {
		super(display);
		this.sessions = sessions;
		this.waiting = waiting;
		setDelayClose(SHOWN_MS);
		this.closeWhenTaken = () -> {
			boolean stillWaits = sessions.waiting(waiting.connection()).stream()
					.anyMatch(w -> w.session().job().equals(waiting.session().job()));
			if (!stillWaits && !display.isDisposed()) {
				display.asyncExec(() -> {
					Shell shell = getShell();
					if (shell != null && !shell.isDisposed()) {
						close();
					}
				});
			}
		};
	}

	@Override
	public int open() {
		sessions.addChangeListener(closeWhenTaken);
		int result = super.open();
		closeWhenTaken.run(); // taken while it opened
		return result;
	}

	@Override
	public boolean close() {
		sessions.removeChangeListener(closeWhenTaken);
		return super.close();
	}

	static void show(Display display, DebugSessions sessions, DebugSessions.WaitingSession waiting) {
		if (!display.isDisposed()) {
			new DebugWaitingNotification(display, sessions, waiting).open();
		}
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setData(WidgetIds.KEY, WidgetIds.DEBUG_NOTIFICATION);
	}

	@Override
	protected String getPopupShellTitle() {
		return Messages.Notification_title;
	}

	@Override
	protected void createContentArea(Composite parent) {
		GridLayoutFactory.fillDefaults().numColumns(1).spacing(4, 6).applyTo(parent);
		var s = waiting.session();
		Label text = new Label(parent, SWT.WRAP);
		text.setText(org.eclipse.osgi.util.NLS.bind(Messages.Notification_text,
				new Object[] { s.job(), s.system(), waiting.connection(), String.valueOf(s.port()) }));
		GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(text);
		Button debug = new Button(parent, SWT.PUSH);
		debug.setText(Messages.Notification_debug);
		debug.setData(WidgetIds.KEY, WidgetIds.DEBUG_NOTIFICATION_DEBUG);
		debug.addListener(SWT.Selection, e -> {
			JobErrors.schedule(sessions.launchJob(waiting), org.eclipse.osgi.util.NLS.bind(Messages.Notification_debugging, waiting.session().job()));
			close();
		});
	}
}
