package dev.sysplex.host.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening server socket on one system's stack, bound either to the system's own address or
 * to a DVIPA. A DVIPA-bound endpoint is reached only through the Sysplex Distributor, which
 * relays to the endpoint's backing socket on the system's own address; {@link #address()} and
 * {@link #port()} are what clients use.
 */
public final class ServerEndpoint implements Closeable {

	private final TcpipStack stack;
	private final String jobName;
	private final InetAddress address;
	private final int port;
	private final ServerSocket backing;
	private final boolean dvipa;
	private final boolean sysplexPort;
	final AtomicInteger active = new AtomicInteger();
	final AtomicInteger total = new AtomicInteger();
	private volatile boolean closed;

	ServerEndpoint(TcpipStack stack, String jobName, InetAddress address, int port, ServerSocket backing,
			boolean dvipa, boolean sysplexPort) {
		this.stack = stack;
		this.jobName = jobName;
		this.address = address;
		this.port = port;
		this.backing = backing;
		this.dvipa = dvipa;
		this.sysplexPort = sysplexPort;
	}

	/** Accepts the next connection (from a client, or relayed by the distributor for a DVIPA endpoint). */
	public Socket accept() throws IOException {
		return backing.accept();
	}

	public TcpipStack stack() {
		return stack;
	}

	public String systemName() {
		return stack.name();
	}

	public String jobName() {
		return jobName;
	}

	/** The address clients connect to: the system's own address or the DVIPA. */
	public InetAddress address() {
		return address;
	}

	public int port() {
		return port;
	}

	public boolean isDvipa() {
		return dvipa;
	}

	/** True when the port came from the sysplex-wide EZBEPORT assignment (SYSPLEXPORTS). */
	public boolean isSysplexPort() {
		return sysplexPort;
	}

	/** Connections the distributor currently relays to this endpoint. */
	public int activeConnections() {
		return active.get();
	}

	InetSocketAddress backingAddress() {
		return (InetSocketAddress) backing.getLocalSocketAddress();
	}

	public boolean isClosed() {
		return closed;
	}

	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		stack.unregister(this);
		try {
			backing.close();
		} catch (IOException e) {
			System.getLogger(ServerEndpoint.class.getName()).log(System.Logger.Level.DEBUG,
					"closing " + this + ": " + e.getMessage());
		}
	}

	@Override
	public String toString() {
		return jobName + " on " + stack.name() + " at " + address.getHostAddress() + ":" + port
				+ (dvipa ? " (DVIPA" + (sysplexPort ? ", SYSPLEXPORTS" : "") + ")" : "");
	}
}
