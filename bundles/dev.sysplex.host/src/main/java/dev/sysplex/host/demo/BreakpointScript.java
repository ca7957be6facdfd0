package dev.sysplex.host.demo;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.Location;
import com.sun.jdi.StackFrame;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;

/**
 * Drives a debug session with the JDK's JDI: waits for the class, sets a line breakpoint, stops
 * there, reads a local variable, resumes, and waits for the program to end. Every event set is
 * resumed exactly once, after it was handled.
 */
public final class BreakpointScript {

	/** What happened: the variable's value, when the breakpoint was hit, and whether the VM ended. */
	public record Result(String value, Instant stopped, String location, boolean ended) {
	}

	private BreakpointScript() {
	}

	/** The link of each VM attached here: {@link #run} closes it when its time is up. */
	private static final java.util.Map<VirtualMachine, com.sun.jdi.connect.spi.Connection> LINKS = java.util.Collections
			.synchronizedMap(new java.util.WeakHashMap<>());

	/** Links the JDK's JDI to the job's engine over the handed-off stream (JDWP handshake included). */
	public static VirtualMachine attach(dev.sysplex.client.DebugLink.Linked linked) throws IOException {
		com.sun.jdi.connect.spi.Connection c = dev.sysplex.client.JdwpConnection.handshake(linked);
		VirtualMachine vm = com.sun.jdi.Bootstrap.virtualMachineManager().createVirtualMachine(c);
		LINKS.put(vm, c);
		return vm;
	}

	/** The number of the first line of {@code program} marked with the comment "// BREAKPOINT". */
	public static int markedLine(java.nio.file.Path program) throws IOException {
		java.util.List<String> lines = java.nio.file.Files.readAllLines(program);
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).contains("// BREAKPOINT")) {
				return i + 1;
			}
		}
		throw new IOException(program + " has no line marked // BREAKPOINT");
	}

	/**
	 * The number of the line of {@code program}'s first statement in main, where stop at entry
	 * stops it: the line after "static void main(".
	 */
	public static int firstLineOfMain(java.nio.file.Path program) throws IOException {
		java.util.List<String> lines = java.nio.file.Files.readAllLines(program);
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).contains("static void main(")) {
				return i + 2;
			}
		}
		throw new IOException(program + " has no main method");
	}

	public static Result run(VirtualMachine vm, String className, int line, String variable, Duration timeout)
			throws IOException, InterruptedException {
		// JDI waits for a reply without a time limit, and a peer that vanished (its system killed, the
		// packets dropped on the way) never sends one, nor a reset: past the deadline, the link is closed
		// under it, which ends every wait with VMDisconnectedException
		com.sun.jdi.connect.spi.Connection link = LINKS.get(vm);
		java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
		Thread watchdog = Thread.ofVirtual().name("debug session deadline").start(() -> {
			try {
				if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && link != null) {
					cut.set(true);
					link.close();
				}
			} catch (InterruptedException | IOException e) {
				// ended or closed
			}
		});
		try {
			Result r = drive(vm, className, line, variable, timeout);
			if (cut.get()) { // the disconnect it saw was ours
				throw new IOException("the debug session did not end within " + timeout.toSeconds() + " s; its link was "
						+ "closed" + (r.value() == null ? "" : " after the breakpoint (" + variable + " = " + r.value() + ")"));
			}
			return r;
		} catch (com.sun.jdi.VMDisconnectedException e) {
			throw new IOException(cut.get() ? "the debug session did not answer within " + timeout.toSeconds()
					+ " s; its link was closed (the engine's system or the path to it may be gone)"
					: "the debug link ended before the session did" + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
		} finally {
			done.countDown();
			watchdog.interrupt();
		}
	}

	private static Result drive(VirtualMachine vm, String className, int line, String variable, Duration timeout)
			throws IOException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
		prepare.addClassFilter(className);
		prepare.enable();
		// the class may be loaded already if the engine was released before we came
		vm.classesByName(className).forEach(c -> breakpoint(vm, c, line));
		// No vm.resume() here: the engine waits suspended (suspend=y) and reports VMStartEvent with
		// SUSPEND_ALL; resuming that event's set below lets it go. Resuming here as well would undo,
		// on a busy machine, the suspension of the ClassPrepareEvent before the breakpoint is set.
		if (!vm.allThreads().isEmpty() && vm.allThreads().stream().allMatch(t -> t.suspendCount() == 0)) {
			vm.resume(); // not suspended at all (an engine started without suspend): nothing to undo
		}
		String value = null;
		Instant stopped = null;
		String location = null;
		while (true) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new IOException("the debug session did not " + (value == null ? "reach the breakpoint" : "end")
						+ " within " + timeout.toSeconds() + " s");
			}
			EventSet events = vm.eventQueue().remove(TimeUnit.NANOSECONDS.toMillis(left) + 1);
			if (events == null) {
				continue;
			}
			for (Event e : events) {
				if (e instanceof ClassPrepareEvent cp) {
					breakpoint(vm, cp.referenceType(), line);
				} else if (e instanceof BreakpointEvent bp) {
					stopped = Instant.now();
					location = bp.location().declaringType().name() + ".java:" + bp.location().lineNumber();
					value = read(bp, variable);
				} else if (e instanceof VMDeathEvent || e instanceof VMDisconnectEvent) {
					return new Result(value, stopped, location, true);
				}
			}
			events.resume();
		}
	}

	private static void breakpoint(VirtualMachine vm, com.sun.jdi.ReferenceType type, int line) {
		try {
			List<Location> at = type.locationsOfLine(line);
			if (at.isEmpty()) {
				throw new IllegalStateException(type.name() + " has no code at line " + line);
			}
			BreakpointRequest bp = vm.eventRequestManager().createBreakpointRequest(at.get(0));
			bp.enable();
		} catch (AbsentInformationException e) {
			throw new IllegalStateException(type.name() + " was compiled without line numbers", e);
		}
	}

	private static String read(BreakpointEvent bp, String variable) {
		try {
			StackFrame frame = bp.thread().frame(0);
			LocalVariable v = frame.visibleVariableByName(variable);
			if (v == null) {
				return "(no variable " + variable + " here)";
			}
			return String.valueOf(frame.getValue(v));
		} catch (IncompatibleThreadStateException | AbsentInformationException e) {
			return "(cannot read " + variable + ": " + e + ")";
		}
	}
}
