package dev.sysplex.host.jobs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.IllegalConnectorArgumentsException;

/** Lets a JVM that waits for its debugger (suspend=y) go on: attach with the JDK's JDI, resume, detach. */
final class LocalRelease {

	private LocalRelease() {
	}

	static void resume(InetSocketAddress engine) throws IOException {
		AttachingConnector socketAttach = Bootstrap.virtualMachineManager().attachingConnectors().stream()
				.filter(c -> c.name().equals("com.sun.jdi.SocketAttach")).findFirst()
				.orElseThrow(() -> new IOException("the JDK has no com.sun.jdi.SocketAttach connector"));
		Map<String, Connector.Argument> args = socketAttach.defaultArguments();
		args.get("hostname").setValue(engine.getAddress().getHostAddress());
		args.get("port").setValue(String.valueOf(engine.getPort()));
		args.get("timeout").setValue("10000");
		try {
			VirtualMachine vm = socketAttach.attach(args);
			vm.resume();
			vm.dispose();
		} catch (IllegalConnectorArgumentsException e) {
			throw new IOException("JDI refused the attach arguments: " + e.getMessage(), e);
		}
	}
}
