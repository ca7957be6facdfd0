package dev.sysplex.debug.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.jdt.internal.debug.core.model.JDIDebugTarget;

import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.VMDisconnectEvent;

import dev.sysplex.core.ConnectionListener;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.protocol.Rse;

/**
 * JDT's debug target for a job of the sysplex, which knows how the job ended. JDT marks a target
 * whose JDWP stream closed without a VM death event as {@code <disconnected>}; a job's end closes
 * the relayed link as the job's JVM goes, and whether the death event was handled first is a race.
 * The RSE session says for certain (job.ended: ENDED with its rc, or CANCELED by a user), so a
 * target whose job ended is terminated, and its label says how: "(ended, rc 0)", "(canceled by
 * IBMUSER)". A link lost while the job runs stays disconnected, as JDT has it. JDT also ends a
 * target as disconnected where a request meets the closed link (a Resume as the job ends): such a
 * target becomes terminated when the word of the job's end comes (at once if it came already); one
 * the user disconnected stays so.
 * <p>
 * Subclasses JDT's internal target, as other debuggers built on JDT do (the package is friends-only:
 * a discouraged access, checked by the debug tests on every build).
 */
final class SysplexDebugTarget extends JDIDebugTarget {

	/** How long a closed link waits for the session's word that the job ended. */
	private static final long END_WAIT_MS = 5_000;
	/** How long after its end a target still listens for its job's end (a cancel's word may come later). */
	private static final long LISTEN_AFTER_END_S = 60;

	private final String connection;
	private final String job;
	private final String baseName;
	private final CompletableFuture<String> end = new CompletableFuture<>();
	private final ConnectionListener listener = new ConnectionListener() {
		@Override
		public void notification(String c, String kind, Map<String, String> fields) {
			if (connection.equals(c) && Rse.NOTIFY_JOB_ENDED.equals(kind) && job.equals(fields.get("job"))) {
				end.complete(describe(fields));
			}
		}
	};

	SysplexDebugTarget(ILaunch launch, VirtualMachine vm, String name, String connection, String job) {
		super(launch, vm, name, true, true, null, true);
		this.connection = connection;
		this.job = job;
		this.baseName = name;
		SysplexConnections.instance().addListener(listener);
		// a job that ended before the listener was added is in the job list already
		SysplexConnections.instance().jobs(connection).stream().filter(j -> j.id().equals(job) && j.ended())
				.findFirst().ifPresent(j -> end.complete(describe(Map.of("state", j.state(),
						"rc", j.rc().map(String::valueOf).orElse("")))));
		end.whenComplete((how, failure) -> {
			SysplexConnections.instance().removeListener(listener);
			if (how != null && isTerminated()) {
				ended(how); // the word came after JDT ended the target (a Terminate: CANCELED follows)
			} else if (how != null && isDisconnected() && !userDisconnected) {
				ended(how); // JDT saw the closed link first: it was the job's end
				terminated();
			}
		});
	}

	static String describe(Map<String, String> fields) {
		String state = fields.getOrDefault("state", "");
		if ("CANCELED".equals(state)) {
			String by = fields.getOrDefault("user", "");
			return by.isEmpty() ? "canceled" : "canceled by " + by;
		}
		String rc = fields.getOrDefault("rc", "");
		return rc.isEmpty() ? "ended" : "ended, rc " + rc;
	}

	@Override
	public void handleVMDisconnect(VMDisconnectEvent event) {
		String how = null;
		if (!isTerminating() && !isDisconnecting() && !connection.isEmpty()) { // not a Terminate or Disconnect
			try {
				how = end.get(END_WAIT_MS, TimeUnit.MILLISECONDS);
			} catch (TimeoutException | ExecutionException e) {
				how = null; // the link was lost, not the job: disconnected, as JDT says
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		if (how != null) {
			ended(how);
			terminated(); // it stops listening later
		} else {
			super.handleVMDisconnect(event);
			if (!isTerminated()) {
				stopListeningLater(); // disconnected: terminated() did not run
			}
		}
	}

	/** True once the user's Disconnect ended the link (the job may go on): never turned into terminated. */
	private volatile boolean userDisconnected;

	@Override
	protected void disconnected() {
		if (isDisconnecting()) {
			userDisconnected = true;
		} else if (end.isDone() && !end.isCompletedExceptionally()) {
			terminated(); // the job has ended: it is terminated, and says how
			return;
		}
		super.disconnected();
	}

	@Override
	protected void terminated() {
		// a VM death after the job.ended notification
		String how = end.isDone() && !end.isCompletedExceptionally() ? end.join() : null;
		if (how != null) {
			ended(how);
		}
		super.terminated();
		stopListeningLater();
	}

	private void stopListeningLater() {
		CompletableFuture.delayedExecutor(LISTEN_AFTER_END_S, TimeUnit.SECONDS)
				.execute(() -> end.completeExceptionally(new TimeoutException("no word of the job's end")));
	}

	private void ended(String how) {
		String name = baseName + " (" + how + ")";
		if (!name.equals(safeName())) {
			setName(name);
			fireChangeEvent(DebugEvent.STATE);
		}
	}

	private String safeName() {
		try {
			return getName();
		} catch (org.eclipse.debug.core.DebugException e) {
			return "";
		}
	}
}
