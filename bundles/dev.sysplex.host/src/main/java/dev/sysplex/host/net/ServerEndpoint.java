package dev.sysplex.host.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening server on one system's stack, bound either to the system's own address (a real
 * listening socket there) or to a DVIPA. A DVIPA endpoint has no socket of its own: the Sysplex
 * Distributor accepts on the DVIPA and hands the connections it routes here to {@link #accept()}.
 * {@link #address()} and {@link #port()} are what clients connect to.
 */
public final class ServerEndpoint implements Closeable {

	private final TcpipStack stack;
	private final String jobName;
	private final InetAddress address;
	private final int port;
	private final ServerSocket backing;
	private final BlockingQueue<Socket> handed;
	private final boolean dvipa;
	private final boolean sysplexPort;
	final AtomicInteger active = new AtomicInteger();
	final AtomicInteger total = new AtomicInteger();
	private volatile boolean closed;

	/** The accept queue's size, as a listen backlog. */
	static final int BACKLOG = 1024;

	private static final Socket CLOSED = new Socket();

	/** An endpoint on the system's own address, listening on {@code backing}. */
	ServerEndpoint(TcpipStack stack, String jobName, ServerSocket backing) {
		this.stack = stack;
		this.jobName = jobName;
		this.address = backing.getInetAddress();
		this.port = backing.getLocalPort();
		this.backing = backing;
		this.handed = null;
		this.dvipa = false;
		this.sysplexPort = false;
	}

	/**
	 * An endpoint on a DVIPA with a socket of its own (the isolated mode: the DVIPA is on this
	 * system's loopback device, and the owner's kernel routes connections to it).
	 */
	ServerEndpoint(TcpipStack stack, String jobName, ServerSocket backing, boolean sysplexPort) {
		this.stack = stack;
		this.jobName = jobName;
		this.address = backing.getInetAddress();
		this.port = backing.getLocalPort();
		this.backing = backing;
		this.handed = null;
		this.dvipa = true;
		this.sysplexPort = sysplexPort;
	}

	/** An endpoint on a DVIPA: the distributor hands it connections. */
	ServerEndpoint(TcpipStack stack, String jobName, InetAddress dvipa, int port, boolean sysplexPort) {
		this.stack = stack;
		this.jobName = jobName;
		this.address = dvipa;
		this.port = port;
		this.backing = null;
		this.handed = new LinkedBlockingQueue<>(BACKLOG);
		this.dvipa = true;
		this.sysplexPort = sysplexPort;
	}

	/** Accepts the next connection: a client's, or one the distributor routed here for a DVIPA endpoint. */
	public Socket accept() throws IOException {
		if (backing != null) {
			return backing.accept();
		}
		try {
			Socket s = handed.take();
			if (s == CLOSED) {
				handed.offer(CLOSED); // wake any other thread blocked in accept()
				throw new SocketException("the server endpoint " + this + " is closed");
			}
			return s;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new SocketException("interrupted while accepting on " + this);
		}
	}

	/**
	 * Accepts the next connection, waiting at most {@code timeout}.
	 *
	 * @throws SocketTimeoutException when none arrived in time
	 */
	public Socket accept(java.time.Duration timeout) throws IOException {
		long ms = Math.max(1, timeout.toMillis());
		if (backing != null) {
			backing.setSoTimeout((int) Math.min(Integer.MAX_VALUE, ms));
			return backing.accept();
		}
		try {
			Socket s = handed.poll(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
			if (s == null) {
				throw new java.net.SocketTimeoutException("no connection to " + this + " within " + ms + " ms");
			}
			if (s == CLOSED) {
				handed.offer(CLOSED);
				throw new SocketException("the server endpoint " + this + " is closed");
			}
			return s;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new SocketException("interrupted while accepting on " + this);
		}
	}

	/** The distributor hands a routed connection over; false when the accept queue is full or closed. */
	boolean hand(Socket s) {
		return !closed && handed.offer(s);
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

	/** Connections the distributor routed to this endpoint that are still open. */
	public int activeConnections() {
		return active.get();
	}

	public boolean isClosed() {
		return closed;
	}

	/** Closes the socket of an endpoint that was never registered (its distributor refused it). */
	void closeSocket() {
		closed = true;
		if (backing != null) {
			try {
				backing.close();
			} catch (IOException e) {
				// it was never used
			}
		}
	}

	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		stack.unregister(this);
		try {
			if (backing != null) {
				backing.close();
			} else {
				// connections routed here but never accepted are reset, as a closing listener's backlog is
				for (Socket s; (s = handed.poll()) != null;) {
					DistributedVipa.reset(s);
				}
				handed.offer(CLOSED);
			}
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
