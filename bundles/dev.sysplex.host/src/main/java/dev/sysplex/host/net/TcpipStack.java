package dev.sysplex.host.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sysplex.config.SystemDefinition;
import dev.sysplex.config.TcpipProfile;
import dev.sysplex.config.TcpipProfile.PortReservation;

/**
 * One system's TCP/IP stack. Servers bind its home address or a DVIPA through {@link #listen};
 * a bind to port 0 gets a port from this stack's own ephemeral range (so two stacks can hand out
 * the same number), unless the DVIPA's first VIPADISTRIBUTE has SYSPLEXPORTS: then the port
 * comes from the coupling facility's EZBEPORT structure and is unique in the sysplex. PORT and
 * PORTRANGE reservations are enforced on explicit binds and skipped by the ephemeral allocator
 * (but, as on z/OS, they do not constrain SYSPLEXPORTS assignment).
 */
public final class TcpipStack {

	private final SystemDefinition system;
	private final TcpipProfile profile;
	private final SysplexNetwork network;
	private final List<ServerEndpoint> endpoints = new CopyOnWriteArrayList<>();
	private final Set<String> inUse = new HashSet<>();
	private int nextEphemeral;
	private volatile boolean active;

	TcpipStack(SystemDefinition system, TcpipProfile profile, SysplexNetwork network) {
		this.system = system;
		this.profile = profile;
		this.network = network;
		this.nextEphemeral = profile.ephemeralPorts().low();
	}

	public String name() {
		return system.name();
	}

	public SystemDefinition system() {
		return system;
	}

	public TcpipProfile profile() {
		return profile;
	}

	/** The system's own address. */
	public InetAddress homeAddress() {
		return system.address();
	}

	/** The address that names this stack in DESTIP (IPCONFIG DYNAMICXCF). */
	public Optional<InetAddress> xcfAddress() {
		return profile.ipConfig().dynamicXcf().map(a -> a);
	}

	public boolean isActive() {
		return active;
	}

	public List<ServerEndpoint> endpoints() {
		return List.copyOf(endpoints);
	}

	/**
	 * Opens a listening socket for {@code jobName} on {@code address} (this system's own address
	 * or a DVIPA) at {@code port}, 0 meaning "assign one".
	 *
	 * @throws BindException when the address is not this stack's nor an active DVIPA, the port
	 *         is in use on this stack, reserved for another job, or no port is left
	 */
	public ServerEndpoint listen(String jobName, InetAddress address, int port) throws IOException {
		if (!active) {
			throw new BindException("the TCP/IP stack of " + name() + " is not active");
		}
		if (port < 0 || port > 65535) {
			throw new BindException("port " + port + " is outside 0-65535");
		}
		if (address.equals(homeAddress())) {
			return listenHome(jobName, port);
		}
		DistributedVipa dvipa = network.dvipa(address).orElseThrow(() -> new BindException("cannot bind "
				+ address.getHostAddress() + " on " + name() + ": it is neither the system's own address ("
				+ homeAddress().getHostAddress() + ") nor a DVIPA of the sysplex (EADDRNOTAVAIL)"));
		if (!dvipa.isActive()) {
			throw new BindException("cannot bind DVIPA " + address.getHostAddress() + " on " + name()
					+ ": the DVIPA is not active (its owner and every VIPABACKUP stack are down)");
		}
		return listenDvipa(jobName, dvipa, port);
	}

	private ServerEndpoint listenHome(String jobName, int port) throws IOException {
		synchronized (this) {
			if (port != 0) {
				checkReservation(jobName, port);
				if (inUse.contains(key(homeAddress(), port))) {
					throw inUse(homeAddress(), port);
				}
				return register(new ServerEndpoint(this, jobName, bind(homeAddress(), port)));
			}
			int size = span();
			for (int i = 0; i < size; i++) {
				int candidate = nextEphemeralCandidate();
				if (inUse.contains(key(homeAddress(), candidate)) || reservedForOther(jobName, candidate)) {
					continue;
				}
				try {
					return register(new ServerEndpoint(this, jobName, bind(homeAddress(), candidate)));
				} catch (BindException busy) {
					// in use by something outside the sysplex on this address: take the next one
				}
			}
			throw new BindException("no ephemeral port left on " + name() + " (" + profile.ephemeralPorts() + ")");
		}
	}

	/** How many assigned ports a bind to port 0 tries when the machine holds them for other programs. */
	private static final int ASSIGN_ATTEMPTS = 64;

	private synchronized ServerEndpoint listenDvipa(String jobName, DistributedVipa dvipa, int port) throws IOException {
		InetAddress addr = dvipa.address();
		if (port != 0) {
			checkReservation(jobName, port);
			if (inUse.contains(key(addr, port))) {
				throw inUse(addr, port);
			}
			ServerEndpoint endpoint = endpoint(jobName, addr, port, false);
			try {
				dvipa.register(endpoint);
			} catch (IOException e) {
				endpoint.closeSocket();
				throw e;
			}
			return register(endpoint);
		}
		// Port 0: an assigned port may still be held on this machine by a program outside the
		// sysplex (a listener on 0.0.0.0, say), so the distributor cannot listen there: take another.
		BindException last = null;
		for (int attempt = 0; attempt < ASSIGN_ATTEMPTS; attempt++) {
			boolean sysplexPort = dvipa.sysplexPorts();
			int chosen = sysplexPort ? network.couplingFacility().assignPort(addr, name(), dvipa::canAssign)
					: nextFreeEphemeral(jobName, addr);
			try {
				ServerEndpoint endpoint = endpoint(jobName, addr, chosen, sysplexPort);
				try {
					dvipa.register(endpoint);
				} catch (IOException e) {
					endpoint.closeSocket();
					throw e;
				}
				return register(endpoint);
			} catch (BindException e) {
				last = e;
				if (sysplexPort) {
					network.couplingFacility().releasePort(addr, chosen, name());
					network.couplingFacility().exclude(addr, chosen);
				}
			} catch (IOException e) { // the distributor refused it: the port goes back, the bind fails
				if (sysplexPort) {
					network.couplingFacility().releasePort(addr, chosen, name());
				}
				throw e;
			}
		}
		throw new BindException("no usable port on DVIPA " + addr.getHostAddress() + " for " + name() + " after "
				+ ASSIGN_ATTEMPTS + " attempts; the last: " + (last == null ? "" : last.getMessage()));
	}

	/**
	 * A DVIPA endpoint: in the embedded mode the distributor hands it connections; in the isolated
	 * mode it binds the DVIPA for real (it is on this system's loopback device).
	 */
	private ServerEndpoint endpoint(String jobName, InetAddress addr, int port, boolean sysplexPort) throws IOException {
		if (network.isIsolated()) {
			return new ServerEndpoint(this, jobName, bind(addr, port), sysplexPort);
		}
		return new ServerEndpoint(this, jobName, addr, port, sysplexPort);
	}

	private int nextFreeEphemeral(String jobName, InetAddress addr) throws BindException {
		for (int i = 0; i < span(); i++) {
			int candidate = nextEphemeralCandidate();
			if (!inUse.contains(key(addr, candidate)) && !reservedForOther(jobName, candidate)) {
				return candidate;
			}
		}
		throw new BindException("no ephemeral port left on " + name() + " for DVIPA " + addr.getHostAddress());
	}

	private ServerEndpoint register(ServerEndpoint endpoint) {
		inUse.add(key(endpoint.address(), endpoint.port()));
		endpoints.add(endpoint);
		return endpoint;
	}

	void unregister(ServerEndpoint endpoint) {
		synchronized (this) {
			inUse.remove(key(endpoint.address(), endpoint.port()));
			endpoints.remove(endpoint);
		}
		if (endpoint.isDvipa()) {
			network.dvipa(endpoint.address()).ifPresent(d -> d.unregister(endpoint));
			if (endpoint.isSysplexPort()) {
				network.couplingFacility().releasePort(endpoint.address(), endpoint.port(), name());
			}
		}
	}

	private int span() {
		return profile.ephemeralPorts().high() - profile.ephemeralPorts().low() + 1;
	}

	private int nextEphemeralCandidate() {
		int p = nextEphemeral;
		nextEphemeral = p >= profile.ephemeralPorts().high() ? profile.ephemeralPorts().low() : p + 1;
		return p;
	}

	private void checkReservation(String jobName, int port) throws BindException {
		for (PortReservation r : profile.reservations()) {
			if (r.protocol().equals("TCP") && r.covers(port) && !r.allows(jobName)) {
				throw new BindException("port " + port + " on " + name() + " is reserved for job " + r.jobName()
						+ " by " + (r.range() ? "PORTRANGE" : "PORT") + " at " + r.position() + "; job " + jobName
						+ " may not bind it (EACCES)");
			}
		}
	}

	private boolean reservedForOther(String jobName, int port) {
		return profile.reservations().stream()
				.anyMatch(r -> r.protocol().equals("TCP") && r.covers(port) && !r.allows(jobName));
	}

	private BindException inUse(InetAddress addr, int port) {
		return new BindException("port " + port + " on " + addr.getHostAddress() + " is already in use on " + name()
				+ " (EADDRINUSE)");
	}

	private static ServerSocket bind(InetAddress addr, int port) throws IOException {
		ServerSocket ss = new ServerSocket();
		try {
			ss.setReuseAddress(true);
			ss.bind(new InetSocketAddress(addr, port), 1024);
			return ss;
		} catch (IOException e) {
			ss.close();
			if (e instanceof BindException) {
				throw new BindException("cannot bind " + addr.getHostAddress() + ":" + port + ": " + e.getMessage());
			}
			throw e;
		}
	}

	private static String key(InetAddress a, int port) {
		return a.getHostAddress() + ":" + port;
	}

	void start() {
		active = true;
	}

	/** Ends the stack: its listeners close, connections routed to it end, its sysplex ports are released. */
	void stop() {
		active = false;
		for (ServerEndpoint e : List.copyOf(endpoints)) {
			e.close();
		}
		network.couplingFacility().releaseAll(name());
	}

	@Override
	public String toString() {
		return "TCP/IP stack of " + name() + " (" + homeAddress().getHostAddress() + ")";
	}
}
