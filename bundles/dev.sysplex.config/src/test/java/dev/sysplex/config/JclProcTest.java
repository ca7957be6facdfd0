package dev.sysplex.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sysplex.config.testing.TestPaths;

class JclProcTest {

	private static final Symbols SYSB = new Symbols(Map.of("SYSNAME", "SYSB", "SYSCLONE", "0B", "EQADBM", "5302"));

	@Test
	void shippedProcsGiveEachSystemItsOwnValues() throws IOException {
		Path dbgmgr = TestPaths.examples().resolve("two-systems/proclib/DBGMGR");
		List<Diagnostic> d = new ArrayList<>();
		JclProc proc = JclProc.parse(Path.of("DBGMGR"), Files.readString(dbgmgr), SYSB, d).orElseThrow();
		assertEquals(List.of(), d);
		assertEquals("DBGMGR", proc.name());
		assertEquals("5302", proc.get("CLIENT").orElseThrow(), "CLIENT=&EQADBM");
		assertEquals("5336", proc.get("HOST").orElseThrow());
		assertEquals("RPTOPTS(ON)", proc.get("LEPRM").orElseThrow(), "quotes removed");
		assertEquals("", proc.get("PRM").orElseThrow());
		assertEquals(2, proc.parameters().get("CLIENT").line(), "continued on the second line");

		JclProc rsed = JclProc.parse(Path.of("RSED"), Files.readString(TestPaths.examples()
				.resolve("two-systems/proclib/RSED")), SYSB, d).orElseThrow();
		assertEquals("4035", rsed.get("PORT").orElseThrow(), "comments after each continued operand");
		assertEquals("/etc/zexpl", rsed.get("CNFG").orElseThrow());
	}

	@Test
	void theExecParmGivesTheProgramsEnvironmentAsLanguageEnvironmentReadsIt() {
		List<Diagnostic> d = new ArrayList<>();
		// a PARM continued inside its quotes, a '/' inside an ENVAR string (not the options' end),
		// the PROC's parameters and the system's symbols substituted, a later ENVAR winning
		JclProc p = JclProc.parse(Path.of("P"), """
				//DBGMGR PROC LEPRM='RPTOPTS(ON)',TZ='EST5EDT',F='/etc/debug/&SYSNAME..env'
				//* a comment between the statements
				//DBGMGR EXEC PGM=EQAZPCM,REGION=0M,
				//          PARM=('&LEPRM ENVAR("TZ=&TZ","HUBIP=127.0.0.1",
				//          "_CEE_ENVFILE=&F") ENVAR("HUBIP=127.0.0.9")/5336 &SYSCLONE')
				""", SYSB, d).orElseThrow();
		assertEquals(List.of(), d);
		assertEquals("RPTOPTS(ON) ENVAR(\"TZ=EST5EDT\",\"HUBIP=127.0.0.1\",\"_CEE_ENVFILE=/etc/debug/SYSB.env\") "
				+ "ENVAR(\"HUBIP=127.0.0.9\")/5336 0B", p.parm().orElseThrow().value());
		Map<String, JclProc.Parameter> env = p.environment();
		assertEquals("EST5EDT", env.get("TZ").value());
		assertEquals("127.0.0.9", env.get("HUBIP").value(), "the later ENVAR wins");
		assertEquals("/etc/debug/SYSB.env", env.get("_CEE_ENVFILE").value(), "its '/' does not end the options");
		assertEquals(3, env.get("TZ").line(), "where the EXEC statement is");
		assertEquals(3, env.size(), "nothing from the program's own arguments: " + env);

		JclProc none = JclProc.parse(Path.of("P"), "//X PROC A=1\n//X EXEC PGM=X\n", SYSB, d).orElseThrow();
		assertTrue(none.parm().isEmpty() && none.environment().isEmpty());
	}

	@Test
	void symbolsWithTheTrailingPeriodAndUndefinedOnes() {
		List<Diagnostic> d = new ArrayList<>();
		JclProc p = JclProc.parse(Path.of("P"), "//X PROC CLIENT=53&SYSCLONE.,NOTE='IT''S',HUB=&HUBIP\n", SYSB, d)
				.orElseThrow();
		assertEquals("530B", p.get("CLIENT").orElseThrow());
		assertEquals("IT'S", p.get("NOTE").orElseThrow());
		assertEquals("&HUBIP", p.get("HUB").orElseThrow(), "left as written");
		assertEquals(1, d.size());
		assertTrue(d.get(0).message().contains("&HUBIP") && !d.get(0).isError(), d.toString());
	}

	@Test
	void malformedProcsAreErrorsWithPositions() {
		List<Diagnostic> d = new ArrayList<>();
		assertTrue(JclProc.parse(Path.of("P"), "//X PROC A=1,BOGUS\n", SYSB, d).isEmpty());
		assertEquals("P:1:14: error: found 'BOGUS', expected a symbolic parameter KEY=value in the PROC statement",
				d.get(0).toString());
		d.clear();
		assertTrue(JclProc.parse(Path.of("P"), "//* only a comment\n", SYSB, d).isEmpty());
		assertTrue(d.get(0).message().contains("no PROC statement"));
	}
}
