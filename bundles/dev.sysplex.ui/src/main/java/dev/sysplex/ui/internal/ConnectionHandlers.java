package dev.sysplex.ui.internal;

import java.util.Optional;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.ui.handlers.HandlerUtil;

import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.SysplexConnections;

/** Connect and Disconnect on the connection selected in the Sysplex Explorer. */
public final class ConnectionHandlers {

	private ConnectionHandlers() {
	}

	static Optional<ConnectionDescriptor> selected(ExecutionEvent event) {
		if (HandlerUtil.getCurrentSelection(event) instanceof IStructuredSelection s
				&& s.getFirstElement() instanceof ConnectionDescriptor c) {
			return Optional.of(c);
		}
		return Optional.empty();
	}

	/** Connects in a job (Progress view; a failure is shown with the step and what to do). */
	public static final class Connect extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			SysplexConnections connections = SysplexConnections.instance();
			selected(event).ifPresent(c -> {
				connections.setTrustDecision(CertificateTrustDialog.decision(HandlerUtil.getActiveShell(event)
						.getDisplay()));
				connections.connect(c.name());
			});
			return null;
		}
	}

	/** Logs off in a job. */
	public static final class Disconnect extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			selected(event).ifPresent(c -> SysplexConnections.instance().disconnect(c.name()));
			return null;
		}
	}
}
