package dev.sysplex.debug.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.core.model.IVariable;
import org.eclipse.jdt.debug.core.IJavaLineBreakpoint;
import org.eclipse.jdt.debug.core.JDIDebugModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.Session;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.core.ConnectionDescriptor;
import dev.sysplex.core.ConnectionRegistry;
import dev.sysplex.core.CorePreferences;
import dev.sysplex.core.PasswordStore;
import dev.sysplex.core.SysplexConnections;
import dev.sysplex.debug.DebugSessions;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.SysplexDirectories;
import dev.sysplex.host.jobs.JobRunner;

/**
 * The debug handoff into the JDT debug model: a job with TEST on the other system, its
 * notification launched automatically, a JDT debug target suspended at a line breakpoint in
 * Payroll.java, a variable read, resumed to the job's end. Real host side, real JVM job.
 */
class DebugHandoffTest {

	private static final char[] PASSWORD = "debug-test".toCharArray();

	@TempDir
	Path dir;

	private Sysplex sysplex;
	private IJavaLineBreakpoint breakpoint;
	private IDebugEventSetListener listener;

	@AfterEach
	void cleanUp() throws Exception {
		if (listener != null) {
			DebugPlugin.getDefault().removeDebugEventListener(listener);
		}
		if (breakpoint != null) {
			breakpoint.delete();
		}
		if (sysplex != null) {
			sysplex.close();
		}
		SysplexConnections.setInstance(null);
		InstanceScope.INSTANCE.getNode(CorePreferences.PLUGIN_ID).remove(CorePreferences.DEBUG_SESSIONS);
		InstanceScope.INSTANCE.getNode(CorePreferences.PLUGIN_ID).remove(CorePreferences.STOP_AT_ENTRY);
	}

	/** The shipped example on addresses of its own; returns the copy's directory. */
	private Path startSysplex() throws Exception {
		Path examples = Path.of(System.getProperty("sysplex.examples"));
		Path copy = dir.resolve("plex");
		SysplexDirectories.copy(examples.resolve("two-systems"), copy);
		String subnet = "127.69." + (ProcessHandle.current().pid() % 200 + 1) + ".";
		String dvipa = subnet + "100";
		try (Stream<Path> files = Files.walk(copy)) {
			for (Path p : files.filter(Files::isRegularFile).toList()) {
				Files.writeString(p, Files.readString(p).replace("127.0.10.", subnet));
			}
		}
		sysplex = Sysplex.start(copy);
		sysplex.users().setPassword("IBMUSER", PASSWORD, false, 1_000);
		this.dvipa = dvipa;
		return copy;
	}

	private String dvipa;

	private SysplexConnections connections(boolean autoReconnect) throws Exception {
		ConnectionRegistry registry = new ConnectionRegistry((org.eclipse.core.runtime.preferences.IEclipsePreferences)
				InstanceScope.INSTANCE.getNode("dev.sysplex.debug.tests").node("t" + System.nanoTime()));
		registry.add(new ConnectionDescriptor("plex", dvipa, 4035, "IBMUSER", EncryptionPolicy.REQUIRED, true,
				autoReconnect));
		PasswordStore passwords = PasswordStore.inMemory();
		passwords.put("plex", PASSWORD);
		SysplexConnections connections = new SysplexConnections(registry, passwords, TrustStore.inMemory());
		connections.setTrustDecision(TrustDecision.TRUST_ON_FIRST_USE);
		// the workspace's connections, as the workbench's are: the launch's target hears of its job's end there
		SysplexConnections.setInstance(connections);
		return connections;
	}

	/** The fields of every "debug session waiting" notification on {@code connections} from now on. */
	private static BlockingQueue<Map<String, String>> announcements(SysplexConnections connections) {
		BlockingQueue<Map<String, String>> announced = new LinkedBlockingQueue<>();
		connections.addListener(new dev.sysplex.core.ConnectionListener() {
			@Override
			public void notification(String connection, String kind, Map<String, String> fields) {
				if (kind.equals("debug.waiting")) {
					announced.add(fields);
				}
			}
		});
		return announced;
	}

	/** A reconnect's logon announces a waiting session again: it replaces the one announced before, asked once. */
	@Test
	void aSessionAnnouncedAgainAfterAReconnectIsWaitingOnce() throws Exception {
		startSysplex();
		SysplexConnections connections = connections(true);
		InstanceScope.INSTANCE.getNode(CorePreferences.PLUGIN_ID).put(CorePreferences.DEBUG_SESSIONS, "ask");
		DebugSessions sessions = new DebugSessions(connections);
		BlockingQueue<DebugSessions.WaitingSession> asked = new LinkedBlockingQueue<>();
		sessions.setPrompt(asked::add);
		try {
			assertTrue(connections.connect("plex").join(30_000, null));
			Session session = connections.session("plex").orElseThrow();
			Session.SubmittedJob job = session.submit("Payroll.java", "", "TEST(,,,DBMDT%IBMUSER)", "SYSB");
			DebugSessions.WaitingSession first = asked.poll(30, java.util.concurrent.TimeUnit.SECONDS);
			assertEquals(job.id(), first.session().job());

			// the RSE server ends the link: the connection reconnects through the DVIPA and logs on anew,
			// and the session is announced at that logon again
			BlockingQueue<Map<String, String>> announced = announcements(connections);
			sysplex.rsed(session.system()).orElseThrow().session("IBMUSER").orElseThrow().close();
			Map<String, String> again = announced.poll(30, java.util.concurrent.TimeUnit.SECONDS);
			assertTrue(again != null, "announced again after the reconnect");
			assertEquals(job.id(), again.get("job"));
			assertTrue(connections.session("plex").orElseThrow() != session, "on a new session");
			List<DebugSessions.WaitingSession> now = sessions.waiting("plex");
			assertEquals(1, now.size(), "waiting once, not once per announcement: " + now);
			assertEquals(again, now.get(0).fields(), "as the latest announcement says");
			assertTrue(asked.isEmpty(), "the user is not asked a second time about the same job");
			connections.disconnect("plex").join(10_000, null);
		} finally {
			sessions.dispose();
		}
	}

	@Test
	void aWaitingSessionBecomesAJdtDebugTargetStoppedAtTheBreakpoint() throws Exception {
		Path copy = startSysplex();
		int line = dev.sysplex.host.demo.BreakpointScript.markedLine(copy.resolve("jobs/Payroll.java"));
		SysplexConnections connections = connections(false);
		InstanceScope.INSTANCE.getNode(CorePreferences.PLUGIN_ID).put(CorePreferences.DEBUG_SESSIONS, "launch");
		// only the user's breakpoint: the job runs to it (stop at entry has a test of its own)
		InstanceScope.INSTANCE.getNode(CorePreferences.PLUGIN_ID).putBoolean(CorePreferences.STOP_AT_ENTRY, false);
		DebugSessions sessions = new DebugSessions(connections);

		BlockingQueue<DebugEvent> events = new LinkedBlockingQueue<>();
		listener = set -> events.addAll(List.of(set));
		DebugPlugin.getDefault().addDebugEventListener(listener);
		breakpoint = JDIDebugModel.createLineBreakpoint(ResourcesPlugin.getWorkspace().getRoot(), "Payroll", line, -1,
				-1, 0, true, null);

		// the job's source in a workspace project, for source lookup
		org.eclipse.core.resources.IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject("jobs-src");
		project.create(null);
		project.open(null);
		org.eclipse.core.resources.IFolder folder = project.getFolder("src");
		folder.create(true, true, null);
		org.eclipse.core.resources.IFile source = folder.getFile("Payroll.java");
		source.create(Files.newInputStream(copy.resolve("jobs/Payroll.java")), true, null);

		assertTrue(connections.connect("plex").join(30_000, null));
		Session session = connections.session("plex").orElseThrow();
		String other = session.system().equals("SYSA") ? "SYSB" : "SYSA";
		Session.SubmittedJob job = session.submit("Payroll.java", "", "TEST(,,,DBMDT%IBMUSER)", other);

		DebugEvent suspended = next(events, e -> e.getKind() == DebugEvent.SUSPEND
				&& e.getDetail() == DebugEvent.BREAKPOINT);
		IThread thread = (IThread) suspended.getSource();
		IStackFrame frame = thread.getTopStackFrame();
		assertEquals(line, frame.getLineNumber(), "stopped at the breakpoint's line");
		IVariable total = List.of(frame.getVariables()).stream().filter(v -> {
			try {
				return v.getName().equals("total");
			} catch (org.eclipse.debug.core.DebugException e) {
				return false;
			}
		}).findFirst().orElseThrow();
		assertEquals("17900", total.getValue().getValueString());
		assertEquals(source, thread.getLaunch().getSourceLocator().getSourceElement(frame),
				"source lookup found the job's source in the workspace");
		IDebugTarget target = thread.getDebugTarget();
		assertTrue(target.getName().contains(job.id()) && target.getName().contains(other), target.getName());

		thread.resume();
		// the job's JVM exits and the relay closes: the target ends terminated (never "disconnected",
		// whichever of the VM death, the stream's end and the Resume meeting the closed link JDT saw
		// first; in the last case the session's word of the job's end follows) and says how it ended
		next(events, e -> e.getKind() == DebugEvent.TERMINATE && e.getSource() == target && target.isTerminated());
		assertTrue(target.isTerminated(), "the job's end terminated the target");
		JobRunner.Job ended = sysplex.jobs().job(job.id()).orElseThrow().awaitEnd(Duration.ofSeconds(30));
		assertEquals(0, ended.rc().orElseThrow());
		awaitName(events, target, "(ended, rc 0)");

		// terminating the launch ends the debug session and the job
		BlockingQueue<String> trace = new LinkedBlockingQueue<>();
		sysplex.addTracer(trace::add);
		Session.SubmittedJob second = session.submit("Payroll.java", "", "TEST(,,,DBMDT%IBMUSER)", other);
		DebugEvent stopped = next(events, e -> e.getKind() == DebugEvent.SUSPEND && e.getDetail() == DebugEvent.BREAKPOINT);
		org.eclipse.debug.core.ILaunch launch = ((IThread) stopped.getSource()).getLaunch();
		IDebugTarget secondTarget = ((IThread) stopped.getSource()).getDebugTarget();
		launch.terminate();
		JobRunner.Job killed = sysplex.jobs().job(second.id()).orElseThrow().awaitEnd(Duration.ofSeconds(30));
		// Eclipse's Terminate sends JDWP VirtualMachine.Exit: the job ends CANCELED by its user, with no rc
		assertEquals(JobRunner.State.CANCELED, killed.state(), "terminating the launch canceled the job");
		assertEquals("IBMUSER", killed.canceledBy().orElseThrow());
		assertTrue(killed.rc().isEmpty(), "a canceled job has no return code: " + killed);
		// JDT marks the target terminated when the VM's death (or the stream's end) reaches it, which
		// may come after the job's end: wait for that event, then the launch is terminated
		next(events, e -> e.getKind() == DebugEvent.TERMINATE && e.getSource() == secondTarget);
		assertTrue(launch.isTerminated());
		awaitName(events, secondTarget, "(canceled by IBMUSER)");
		// the DBM drops the relay once both of its ends have closed, a moment after the job's end,
		// and traces it
		String relayEnded = "of job " + second.id() + " ended";
		long deadline = System.nanoTime() + 10_000_000_000L;
		String traced;
		do {
			traced = trace.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		} while (traced != null && !traced.endsWith(relayEnded));
		assertNotNull(traced, "the DBM of " + other + " never traced '" + relayEnded + "'");
		assertTrue(sysplex.dbm(other).orElseThrow().sessions().isEmpty(), "the relay is gone");
		sessions.dispose();
		assertTrue(connections.disconnect("plex").join(10_000, null));
		project.delete(true, null);
	}

	/**
	 * Stop at entry, the default: a job debugged with no breakpoint set stops at the first line of
	 * its main method, suspended as at a breakpoint (so the Debug view selects it and opens the
	 * editor), with the user's breakpoints untouched; resumed, it runs to its end, not stopped again.
	 */
	@Test
	void aJobDebuggedWithNoBreakpointStopsAtTheFirstLineOfItsMainMethod() throws Exception {
		Path copy = startSysplex();
		int firstLine = dev.sysplex.host.demo.BreakpointScript.firstLineOfMain(copy.resolve("jobs/Payroll.java"));
		SysplexConnections connections = connections(false);
		InstanceScope.INSTANCE.getNode(CorePreferences.PLUGIN_ID).put(CorePreferences.DEBUG_SESSIONS, "launch");
		InstanceScope.INSTANCE.getNode(CorePreferences.PLUGIN_ID).remove(CorePreferences.STOP_AT_ENTRY); // the default
		DebugSessions sessions = new DebugSessions(connections);
		org.eclipse.debug.core.model.IBreakpoint[] before = DebugPlugin.getDefault().getBreakpointManager().getBreakpoints();

		BlockingQueue<DebugEvent> events = new LinkedBlockingQueue<>();
		listener = set -> events.addAll(List.of(set));
		DebugPlugin.getDefault().addDebugEventListener(listener);
		BlockingQueue<Map<String, String>> announced = announcements(connections);
		assertTrue(connections.connect("plex").join(30_000, null));
		Session session = connections.session("plex").orElseThrow();
		String other = session.system().equals("SYSA") ? "SYSB" : "SYSA";
		Session.SubmittedJob job = session.submit("Payroll.java", "", "TEST(,,,DBMDT%IBMUSER)", other);

		DebugEvent suspended = next(events, e -> e.getKind() == DebugEvent.SUSPEND
				&& e.getDetail() == DebugEvent.BREAKPOINT);
		// the host announces the session again (as it may at a logon while a route is delivered): it was
		// launched, its token is used, so no second launch starts (its link would be refused)
		Map<String, String> fields = announced.poll(10, TimeUnit.SECONDS);
		assertNotNull(fields, "the announcement the launch came from");
		long launched = System.nanoTime() + 10_000_000_000L; // the launch job ends once its target runs
		while (org.eclipse.core.runtime.jobs.Job.getJobManager().find(DebugSessions.JOB_FAMILY).length > 0) {
			assertTrue(System.nanoTime() < launched, "the launch job did not end");
			Thread.sleep(50);
		}
		sessions.notification("plex", "debug.waiting", fields);
		assertEquals(0, org.eclipse.core.runtime.jobs.Job.getJobManager().find(DebugSessions.JOB_FAMILY).length,
				"a repeated announcement of a launched session starts no launch");
		assertTrue(sessions.waiting("plex").isEmpty(), "nor is it waiting again: " + sessions.waiting("plex"));
		IThread thread = (IThread) suspended.getSource();
		org.eclipse.jdt.debug.core.IJavaStackFrame frame = (org.eclipse.jdt.debug.core.IJavaStackFrame) thread
				.getTopStackFrame();
		assertEquals("Payroll", frame.getDeclaringTypeName());
		assertEquals("main", frame.getMethodName());
		assertEquals(firstLine, frame.getLineNumber(), "stopped at main's first line");
		assertEquals(1, thread.getStackFrames().length, "nothing of the program ran before it stopped");
		org.eclipse.debug.core.ILaunch launch = thread.getLaunch();
		assertTrue(launch.getLaunchConfiguration().getAttribute(dev.sysplex.debug.SysplexDebug.ATTR_STOP_AT_ENTRY, false));
		assertEquals("Payroll", launch.getLaunchConfiguration().getAttribute(dev.sysplex.debug.SysplexDebug.ATTR_MAIN_TYPE, ""));
		assertEquals(List.of(before), List.of(DebugPlugin.getDefault().getBreakpointManager().getBreakpoints()),
				"the user's breakpoints are as they were: the entry stop is the session's own");

		IDebugTarget target = thread.getDebugTarget();
		thread.resume();
		next(events, e -> e.getKind() == DebugEvent.TERMINATE && e.getSource() == target);
		JobRunner.Job ended = sysplex.jobs().job(job.id()).orElseThrow().awaitEnd(Duration.ofSeconds(30));
		assertEquals(JobRunner.State.ENDED, ended.state());
		assertEquals(0, ended.rc().orElseThrow(), "resumed once, the job ran to its end");
		assertTrue(sysplex.jobs().output(ended, 10_000).contains("Payroll total: 17900"));
		sessions.dispose();
		assertTrue(connections.disconnect("plex").join(10_000, null));
	}

	/**
	 * Waits (bounded) until the target's label ends with {@code suffix}: the session's word of the
	 * job's end, which renames the target and fires a change event.
	 */
	private static void awaitName(BlockingQueue<DebugEvent> events, IDebugTarget target, String suffix)
			throws Exception {
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (!target.getName().endsWith(suffix)) {
			DebugEvent e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			assertTrue(e != null, "the target is named '" + target.getName() + "', not ... " + suffix);
		}
	}

	private static DebugEvent next(BlockingQueue<DebugEvent> events, java.util.function.Predicate<DebugEvent> wanted)
			throws InterruptedException {
		long deadline = System.nanoTime() + 60_000_000_000L;
		while (System.nanoTime() < deadline) {
			DebugEvent e = events.poll(1, TimeUnit.SECONDS);
			if (e != null && wanted.test(e)) {
				return e;
			}
		}
		assertNotNull(null, "the expected debug event did not come within 60 s");
		return null;
	}

}
