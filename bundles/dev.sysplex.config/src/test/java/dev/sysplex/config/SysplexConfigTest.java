package dev.sysplex.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.config.testing.TestPaths;

class SysplexConfigTest {

	@TempDir
	Path dir;

	@Test
	void shippedExamplesLoadWithoutErrorsOrWarnings() throws ConfigException {
		for (String name : List.of("two-systems", "four-systems")) {
			SysplexConfig c = SysplexConfig.load(TestPaths.examples().resolve(name));
			assertEquals(List.of(), c.warnings(), name);
			assertTrue(c.hasEzbeportStructure(), name);
			assertEquals(name.startsWith("two") ? 2 : 4, c.systems().size());
			assertTrue(c.rseEnv("SYSA").flag("enable.dDVIPA"), name);
		}
		SysplexConfig two = SysplexConfig.load(TestPaths.examples().resolve("two-systems"));
		assertEquals("5302", two.system("SYSB").orElseThrow().symbols().values().get("EQADBM"));
		assertEquals("PLEX1", two.system("SYSB").orElseThrow().symbols().values().get("SYSPLEX"));
	}

	private void write(String name, String text) throws IOException {
		Path p = dir.resolve(name);
		Files.createDirectories(p.getParent());
		Files.writeString(p, text);
	}

	private void twoSystems(String extraForB) throws IOException {
		write("sysplex.conf", """
				SYSPLEX NAME(P1)
				SYSTEM NAME(SYSA) SYSCLONE(0A) ADDRESS(127.0.99.1)
				SYSTEM NAME(SYSB) SYSCLONE(0B) ADDRESS(127.0.99.2) %s
				""".formatted(extraForB));
		write("systems/SYSA/PROFILE.TCPIP", "IPCONFIG DYNAMICXCF 127.0.99.1 255.255.255.0 1\n");
		write("systems/SYSB/PROFILE.TCPIP", "IPCONFIG DYNAMICXCF 127.0.99.2 255.255.255.0 1\n");
	}

	@Test
	void everyErrorIsReportedAtOnceWithPositions() throws IOException {
		write("sysplex.conf", """
				SYSPLEX NAME(P1)
				SYSTEM NAME(SYSA) SYSCLONE(0A) ADDRESS(127.0.99.1)
				SYSTEM NAME(SYSB) SYSCLONE(0A) ADDRESS(127.0.99.300)
				SYSTEM NAME(SYSC) SYSCLONE(0C) ADDRESS(127.0.99.3)
				""");
		write("systems/SYSA/PROFILE.TCPIP", "VIPADYNAMIC\n");
		ConfigException e = assertThrows(ConfigException.class, () -> SysplexConfig.load(dir));
		String all = e.getMessage();
		assertTrue(all.contains("sysplex.conf:3:32: error: found ADDRESS(127.0.99.300)"), all);
		assertTrue(all.contains("systems/SYSC/PROFILE.TCPIP: error: is missing"), all);
		assertTrue(all.contains("PROFILE.TCPIP:1:1: error: VIPADYNAMIC block is not closed"), all);
	}

	@Test
	void duplicateSysclonesAndSharedWorkAreasAreErrors() throws IOException {
		twoSystems("WORKAREA(var/SYSA/workarea)");
		ConfigException e = assertThrows(ConfigException.class, () -> SysplexConfig.load(dir));
		assertTrue(e.getMessage().contains("share the directory"), e.getMessage());
		twoSystems("WORKAREA(var/&SYSNAME./workarea)");
		assertEquals(dir.resolve("var/SYSB/workarea"), assertDoesNotThrow().system("SYSB").orElseThrow().workArea());
		write("sysplex.conf", "SYSTEM NAME(SYSA) SYSCLONE(0A) ADDRESS(127.0.99.1)\nSYSTEM NAME(SYSB) SYSCLONE(0A) ADDRESS(127.0.99.2)\n");
		e = assertThrows(ConfigException.class, () -> SysplexConfig.load(dir));
		assertTrue(e.getMessage().contains("SYSCLONE(0A) of system SYSB is already used by system SYSA"), e.getMessage());
	}

	private SysplexConfig assertDoesNotThrow() {
		try {
			return SysplexConfig.load(dir);
		} catch (ConfigException e) {
			throw new AssertionError(e.getMessage(), e);
		}
	}

	@Test
	void perSystemRseEnvOverridesOnlyWhatZosAllows() throws IOException, ConfigException {
		twoSystems("");
		write("etc/zexpl/rse.env", "enable.dDVIPA=true\n_RSE_PORTRANGE=8108-8118\n");
		write("systems/SYSB/rse.env", "_RSE_PORTRANGE=8118-8128\nenable.dDVIPA=false\n");
		SysplexConfig c = SysplexConfig.load(dir);
		assertEquals("8108-8118", c.rseEnv("SYSA").get("_RSE_PORTRANGE").orElseThrow());
		assertEquals("8118-8128", c.rseEnv("SYSB").get("_RSE_PORTRANGE").orElseThrow());
		assertTrue(c.warnings().stream().anyMatch(w -> w.message().contains("enable.dDVIPA is set for SYSB only")),
				c.warnings().toString());
	}

	@Test
	void symdefsBecomeSystemSymbolsOfThatSystem() throws IOException, ConfigException {
		twoSystems("SYMDEF(&EQADBM='5302') SYMDEF(&NOTE='it''s')");
		SysplexConfig c = SysplexConfig.load(dir);
		Symbols b = c.system("SYSB").orElseThrow().symbols();
		assertEquals("53020B", b.substitute("&EQADBM.&SYSCLONE", n -> {
		}));
		assertEquals("it's", b.values().get("NOTE"));
		assertTrue(c.system("SYSA").orElseThrow().symbols().values().get("EQADBM") == null);
	}

	private void ieasymSystems(String systems, String ieasym) throws IOException {
		write("sysplex.conf", "SYSPLEX NAME(P1) IEASYM(00,01)\n" + systems);
		write("parmlib/IEASYM00", ieasym);
		write("parmlib/IEASYM01", "SYSDEF LPARNAME(LP2) SYMDEF(&EQADBM='5399') /* a later member wins */\n");
		write("systems/SYSA/PROFILE.TCPIP", "IPCONFIG DYNAMICXCF 127.0.99.1 255.255.255.0 1\n");
		write("systems/SYSB/PROFILE.TCPIP", "IPCONFIG DYNAMICXCF 127.0.99.2 255.255.255.0 1\n");
	}

	private static final String IEASYM00 = """
			/* IEASYM00 */
			SYSDEF   SYMDEF(&SYSR2='RES02')  /* every system */
			SYSDEF   HWNAME(CPC1) LPARNAME(LP1)
			         SYSNAME(SYSA) SYSCLONE(0A) SYMDEF(&EQADBM='5301')
			SYSDEF   HWNAME(CPC1) LPARNAME(LP2)
			         SYSNAME(SYSB) SYSCLONE(0B) SYMDEF(&EQADBM='5302')
			""";

	@Test
	void ieasymMembersNameTheSystemsAndGiveTheirClonesAndSymbols() throws IOException, ConfigException {
		ieasymSystems("""
				SYSTEM LPARNAME(LP1) HWNAME(CPC1) ADDRESS(127.0.99.1)
				SYSTEM LPARNAME(LP2) ADDRESS(127.0.99.2)
				""", IEASYM00);
		SysplexConfig c = SysplexConfig.load(dir);
		assertEquals(List.of("SYSA", "SYSB"), c.systems().stream().map(SystemDefinition::name).toList());
		SystemDefinition a = c.system("SYSA").orElseThrow();
		SystemDefinition b = c.system("SYSB").orElseThrow();
		assertEquals("0A", a.sysclone());
		assertEquals("0B", b.sysclone());
		assertEquals("5301", a.symbols().values().get("EQADBM"));
		assertEquals("5399", b.symbols().values().get("EQADBM"), "IEASYM01 after IEASYM00");
		assertEquals("RES02", a.symbols().values().get("SYSR2"), "a SYSDEF without filters: every system");
	}

	@Test
	void ieasymAndSysplexConfThatDisagreeOrAMissingMemberAreErrors() throws IOException {
		ieasymSystems("""
				SYSTEM NAME(SYSA) SYSCLONE(0Z) ADDRESS(127.0.99.1)
				SYSTEM LPARNAME(LP9) ADDRESS(127.0.99.2)
				""", IEASYM00);
		ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
				() -> SysplexConfig.load(dir));
		List<String> errors = e.diagnostics().stream().filter(Diagnostic::isError).map(d -> d.line() + " " + d.message())
				.toList();
		assertTrue(errors.stream().anyMatch(m -> m.startsWith("2 ") && m.contains("SYSCLONE(0Z) but ") && m.contains("IEASYM00:3 "
				+ "says SYSCLONE(0A)")), errors.toString());
		assertTrue(errors.stream().anyMatch(m -> m.startsWith("3 ") && m.contains("SYSTEM needs NAME(sysname)")
				&& m.contains("IEASYM")), "LP9 has no SYSDEF: " + errors);

		write("sysplex.conf", "SYSPLEX NAME(P1) IEASYM(07)\nSYSTEM NAME(SYSA) SYSCLONE(0A) ADDRESS(127.0.99.1)\n");
		ConfigException missing = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
				() -> SysplexConfig.load(dir));
		assertTrue(missing.diagnostics().stream().anyMatch(d -> d.isError() && d.message().contains(
				"parmlib/IEASYM07 is missing")), missing.diagnostics().toString());
	}

	@Test
	void aMissingDirectoryOrDefinitionSaysWhatIsExpected() {
		ConfigException e = assertThrows(ConfigException.class, () -> SysplexConfig.load(dir.resolve("nope")));
		assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
		e = assertThrows(ConfigException.class, () -> SysplexConfig.load(dir));
		assertTrue(e.getMessage().contains("sysplex.conf") && e.getMessage().contains("is missing"), e.getMessage());
	}
}
