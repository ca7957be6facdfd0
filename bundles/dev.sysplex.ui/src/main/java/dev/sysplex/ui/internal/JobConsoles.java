package dev.sysplex.ui.internal;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.ui.console.ConsolePlugin;
import org.eclipse.ui.console.IConsole;
import org.eclipse.ui.console.IConsoleManager;
import org.eclipse.ui.console.MessageConsole;
import org.eclipse.ui.console.MessageConsoleStream;

import dev.sysplex.client.Session;
import dev.sysplex.core.JobInfo;
import dev.sysplex.core.SysplexConnections;

/**
 * A Console per job that follows its output while it runs and is debugged ("Sysplex job JOB00003
 * Payroll (SYSB)"): the job's standard output and error, read piece by piece from the character
 * where the last piece ended, every half second while there is nothing new, until the job has
 * ended and everything is read. It stops when the connection goes or the console is closed.
 */
final class JobConsoles {

	private static final Set<String> FOLLOWED = ConcurrentHashMap.newKeySet();
	private static final long IDLE_MS = 500;

	private JobConsoles() {
	}

	static String consoleName(String job, String program, String system) {
		return org.eclipse.osgi.util.NLS.bind(Messages.Console_name, new Object[] { job, program, system });
	}

	/** Follows {@code job}'s output into its console, once per job however often asked. */
	static void follow(SysplexConnections connections, String connection, String job, String program, String system) {
		if (!FOLLOWED.add(connection + "/" + job)) {
			return;
		}
		MessageConsole console = console(consoleName(job, program, system), true);
		Job follow = new Job(org.eclipse.osgi.util.NLS.bind(Messages.Console_following, job)) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				try (MessageConsoleStream out = console.newMessageStream()) {
					int from = 0;
					while (!monitor.isCanceled() && open(console)) {
						Session s = connections.session(connection).orElse(null);
						if (s == null) {
							out.println("[" + connection + " is no longer connected: the output of " + job
									+ " stops here; Show Job Output reads it once you connect again]");
							return Status.OK_STATUS;
						}
						boolean ended = ended(connections, connection, job); // before the read: nothing is missed
						Session.OutputPiece piece = s.output(job, from);
						if (!piece.text().isEmpty()) {
							out.print(piece.text());
						}
						from = piece.to();
						if (piece.last()) {
							if (ended) {
								return Status.OK_STATUS;
							}
							Thread.sleep(IDLE_MS);
						}
					}
					return Status.OK_STATUS;
				} catch (IOException e) {
					ILog.of(JobConsoles.class).warn("The output of " + job + " on " + system + " could not be read on: "
							+ e.getMessage(), e);
					return Status.OK_STATUS;
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					return Status.CANCEL_STATUS;
				} finally {
					FOLLOWED.remove(connection + "/" + job);
				}
			}

			@Override
			public boolean belongsTo(Object family) {
				return family == SysplexConnections.JOB_FAMILY;
			}
		};
		follow.setSystem(true);
		follow.schedule();
	}

	private static boolean ended(SysplexConnections connections, String connection, String job) {
		return connections.jobs(connection).stream().filter(j -> j.id().equals(job)).anyMatch(JobInfo::ended);
	}

	private static boolean open(MessageConsole console) {
		for (IConsole c : ConsolePlugin.getDefault().getConsoleManager().getConsoles()) {
			if (c == console) {
				return true;
			}
		}
		return false;
	}

	/** The console named {@code name}, made and shown when there is none; cleared when asked. */
	static MessageConsole console(String name, boolean clear) {
		IConsoleManager manager = ConsolePlugin.getDefault().getConsoleManager();
		for (IConsole c : manager.getConsoles()) {
			if (c instanceof MessageConsole m && c.getName().equals(name)) {
				if (clear) {
					m.clearConsole();
				}
				return m;
			}
		}
		MessageConsole console = new MessageConsole(name, Icons.descriptor(Icons.JOB));
		manager.addConsoles(new IConsole[] { console });
		manager.showConsoleView(console);
		return console;
	}
}
