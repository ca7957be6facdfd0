package dev.sysplex.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** rse.env in z/OS UNIX shell syntax, as IBM documents it and as sites write it. */
class EnvFileTest {

	private final List<Diagnostic> diagnostics = new ArrayList<>();

	private EnvFile parse(String text) {
		return EnvFile.parse(Path.of("etc/zexpl/rse.env"), text, diagnostics);
	}

	@Test
	void javaPropertiesAppendedToRseJavaoptsAreSeenAndAreNotSetAgain() {
		EnvFile env = parse("""
				# IBM's way of giving RSE its Java properties
				_RSE_JAVAOPTS=""
				_RSE_JAVAOPTS="$_RSE_JAVAOPTS -Xms128m -Xmx512m"
				_RSE_JAVAOPTS="$_RSE_JAVAOPTS -Denable.dDVIPA=true"
				_RSE_JAVAOPTS="$_RSE_JAVAOPTS -Ddeny.nonzero.port=true"   # the host picks the port
				_RSE_JAVAOPTS="${_RSE_JAVAOPTS} -Dmaximum.clients=10"
				""");
		assertEquals(List.of(), diagnostics, "appending through $_RSE_JAVAOPTS is no 'set again'");
		assertEquals(Optional.of("true"), env.get("enable.dDVIPA"));
		assertEquals(4, env.entry("enable.dDVIPA").orElseThrow().line(), "at the line that set it");
		assertEquals(Optional.of("true"), env.get("deny.nonzero.port"));
		assertEquals(Optional.of("10"), env.get("maximum.clients"));
		assertEquals(" -Xms128m -Xmx512m -Denable.dDVIPA=true -Ddeny.nonzero.port=true -Dmaximum.clients=10",
				env.get(EnvFile.JAVAOPTS).orElseThrow());
		assertTrue(env.flag("enable.dDVIPA"));
	}

	@Test
	void exportQuotesExpansionCommentsAndContinuationsReadAsTheShellReadsThem() {
		EnvFile env = parse("""
				export JAVA_HOME=/usr/lpp/java/J17.0_64
				export PATH
				_RSE_PORTRANGE=8108-8118
				LOGS='/var/zexpl/logs'        # literal
				HOME_JAVA="$JAVA_HOME/bin"
				WHERE=${JAVA_HOME}/lib:$UNSET_VARIABLE:end
				_CEE_RUNOPTS="ALL31(ON) HEAP(32M,32K,ANYWHERE,KEEP,,) \\
				TRAP(ON)"
				QUOTED="a \\"quoted\\" \\$word"
				""");
		assertEquals(List.of(), diagnostics);
		assertEquals(Optional.of("/usr/lpp/java/J17.0_64"), env.get("JAVA_HOME"));
		assertEquals(Optional.of("8108-8118"), env.get("_RSE_PORTRANGE"));
		assertEquals(Optional.of("/var/zexpl/logs"), env.get("LOGS"));
		assertEquals(Optional.of("/usr/lpp/java/J17.0_64/bin"), env.get("HOME_JAVA"));
		assertEquals(Optional.of("/usr/lpp/java/J17.0_64/lib::end"), env.get("WHERE"), "unset: empty, as the shell");
		assertEquals(Optional.of("ALL31(ON) HEAP(32M,32K,ANYWHERE,KEEP,,) TRAP(ON)"), env.get("_CEE_RUNOPTS"));
		assertEquals(Optional.of("a \"quoted\" $word"), env.get("QUOTED"));
		assertTrue(env.get("PATH").isEmpty(), "export NAME alone sets nothing");
	}

	@Test
	void whatTheShellWouldNotTakeIsAnErrorThatSaysWhy() {
		parse("""
				enable.dDVIPA = true
				_RSE_JAVAOPTS="$_RSE_JAVAOPTS -Dx=1
				LOGS=/var/zexpl logs
				deny.nonzero.port=true
				deny.nonzero.port=false
				""");
		assertEquals(List.of("1 env-syntax no space before '='", "2 env-syntax the \" quote is not closed",
				"3 env-syntax the value ends at the blank", "5 env-set-again is set again; line 4"),
				diagnostics.stream().map(d -> d.line() + " " + d.id() + " " + (d.message().contains("no space before")
						? "no space before '='" : d.message().contains("quote is not closed") ? "the \" quote is not closed"
								: d.message().contains("ends at the blank") ? "the value ends at the blank"
										: d.message().contains("is set again; line 4") ? "is set again; line 4"
												: d.message()))
						.toList());
	}
}
