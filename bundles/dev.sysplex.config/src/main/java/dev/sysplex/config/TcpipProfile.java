package dev.sysplex.config;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The statements of one TCP/IP stack's profile that Sysplex Explorer models, after system
 * symbols were substituted. Built by {@link TcpipProfileParser}.
 */
public record TcpipProfile(Path file, IpConfig ipConfig, EphemeralPorts ephemeralPorts,
		List<PortReservation> reservations, List<VipaDefine> vipaDefines, List<VipaBackup> vipaBackups,
		List<VipaDistribute> vipaDistributes) {

	/** Where a statement or operand was written. */
	public record Position(Path file, int line, int column) {
		@Override
		public String toString() {
			return file + ":" + line + ":" + column;
		}
	}

	/** IPCONFIG: SYSPLEXROUTING and the DYNAMICXCF address that names this stack in DESTIP. */
	public record IpConfig(boolean sysplexRouting, Optional<Inet4Address> dynamicXcf, Position position) {
	}

	/** TCPCONFIG EPHEMERALPORTS low high (both inclusive); z/OS's default is 1024-65535. */
	public record EphemeralPorts(int low, int high) {
		public static final EphemeralPorts DEFAULT = new EphemeralPorts(1024, 65535);
	}

	/** A PORT or PORTRANGE entry: ports low..high (inclusive) kept for one job name ("*": any). */
	public record PortReservation(int low, int high, String protocol, String jobName, boolean range,
			Position position) {
		public boolean covers(int port) {
			return port >= low && port <= high;
		}

		public boolean allows(String job) {
			return jobName.equals("*") || jobName.equalsIgnoreCase(job)
					|| (jobName.endsWith("*") && job.toUpperCase(java.util.Locale.ROOT)
							.startsWith(jobName.substring(0, jobName.length() - 1).toUpperCase(java.util.Locale.ROOT)));
		}
	}

	public enum Moveable {
		IMMEDIATE, WHENIDLE, DISRUPTIVE
	}

	/** VIPADEFINE [MOVEABLE IMMEDIATE|WHENIDLE|DISRUPTIVE] mask address... */
	public record VipaDefine(Moveable moveable, Inet4Address mask, List<Inet4Address> addresses, Position position) {
	}

	/** VIPABACKUP [rank] [MOVEABLE ...] [mask] address...; the highest rank takes over first. */
	public record VipaBackup(int rank, List<Inet4Address> addresses, Position position) {
	}

	public enum DistMethod {
		BASEWLM, SERVERWLM, ROUNDROBIN, WEIGHTEDACTIVE, HOTSTANDBY
	}

	/** One DESTIP target. backupRank is 0 unless this target is a HOTSTANDBY backup. */
	public record DestIp(Inet4Address address, int weight, boolean preferred, int backupRank, Position position) {
	}

	/**
	 * VIPADISTRIBUTE. {@code ports} empty means no PORT operand: every nonzero port a server binds
	 * on the DVIPA is distributed. {@code destinations} empty means DESTIP ALL.
	 */
	public record VipaDistribute(boolean delete, boolean sysplexPorts, DistMethod method, boolean autoSwitchBack,
			Inet4Address address, List<Integer> ports, List<DestIp> destinations, Position position) {

		public boolean destIpAll() {
			return destinations.isEmpty();
		}

		public boolean distributes(int port) {
			return ports.isEmpty() ? port != 0 : ports.contains(port);
		}
	}
}
