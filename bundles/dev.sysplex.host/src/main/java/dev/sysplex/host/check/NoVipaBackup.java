package dev.sysplex.host.check;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sysplex.config.TcpipProfile;

/**
 * A DVIPA that only one system can own dies with it. The stacks that can own it are those with its
 * VIPADEFINE (the first to start owns it, the others take over in turn) and those with its
 * VIPABACKUP, as the runtime orders them; one finding per DVIPA, at its first VIPADEFINE.
 */
final class NoVipaBackup implements CheckRule {

	@Override
	public String id() {
		return "no-vipabackup";
	}

	@Override
	public Finding.Severity severity() {
		return Finding.Severity.WARNING;
	}

	@Override
	public String summary() {
		return "only one system can own the DVIPA";
	}

	@Override
	public void check(CheckContext sysplex) {
		Map<Inet4Address, List<SystemView>> owners = new LinkedHashMap<>();
		Map<Inet4Address, TcpipProfile.VipaDefine> firstDefine = new LinkedHashMap<>();
		for (SystemView s : sysplex.systems) {
			for (TcpipProfile.VipaDefine v : s.profile().vipaDefines()) {
				for (Inet4Address a : v.addresses()) {
					firstDefine.putIfAbsent(a, v);
					List<SystemView> list = owners.computeIfAbsent(a, k -> new ArrayList<>());
					if (!list.contains(s)) {
						list.add(s);
					}
				}
			}
			for (TcpipProfile.VipaBackup b : s.profile().vipaBackups()) {
				for (Inet4Address a : b.addresses()) {
					List<SystemView> list = owners.computeIfAbsent(a, k -> new ArrayList<>());
					if (!list.contains(s)) {
						list.add(s);
					}
				}
			}
		}
		firstDefine.forEach((a, v) -> {
			List<SystemView> can = owners.get(a);
			if (can.size() >= 2) {
				return;
			}
			String owner = can.get(0).name();
			sysplex.report(this, v.position().file(), v.position().line(), v.position().column(), "only " + owner
					+ " can own " + a.getHostAddress() + " (no other system has VIPADEFINE or VIPABACKUP for it): when "
					+ owner + " ends, the DVIPA and every logon through it end too",
					"add VIPABACKUP 100 " + a.getHostAddress() + " (and the same VIPADISTRIBUTE) to the profile of "
							+ "another system",
					List.of(owner));
		});
	}
}
