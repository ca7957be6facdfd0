package dev.sysplex.config;

import java.net.Inet4Address;
import java.nio.file.Path;

/**
 * One system (LPAR) of the sysplex as sysplex.conf defines it.
 *
 * @param address   the system's own address: its stack's home address, where servers that do
 *                  not bind the DVIPA listen
 * @param wlmWeight the system's WLM weight (1-64) for BASEWLM and SERVERWLM
 * @param workArea  the system's own RSE work area (never shared)
 * @param logs      the system's own log directory (never shared)
 * @param startedTasks the started tasks the system runs (START operand; default RSED and DBGMGR)
 */
public record SystemDefinition(String name, String sysclone, Inet4Address address, Symbols symbols, int wlmWeight,
		Path workArea, Path logs, java.util.Set<String> startedTasks, Path definedIn, int line) {

	public boolean starts(String task) {
		return startedTasks.contains(task);
	}
}
