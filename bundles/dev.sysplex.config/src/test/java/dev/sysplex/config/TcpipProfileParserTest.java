package dev.sysplex.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.sysplex.config.TcpipProfile.DistMethod;
import dev.sysplex.config.TcpipProfile.VipaDistribute;

class TcpipProfileParserTest {

	private static final Symbols SYSA = new Symbols(Map.of("SYSNAME", "SYSA", "SYSCLONE", "0A", "EQADBM", "5301"));

	private static TcpipProfileParser.Result parse(String text) {
		return TcpipProfileParser.parse(Path.of("PROFILE.TCPIP"), text, SYSA);
	}

	@Test
	void ibmsOwnExampleParsesWithAbbreviations() throws Exception {
		TcpipProfileParser.Result r = parse("""
				IPCONFIG SYSPLEXROUTING DYNAMICXCF 193.9.200.1 255.255.255.240 1
				VIPADYNAMIC
				 VIPADEFINE 255.255.255.240 201.2.10.11 201.2.10.12
				 VIPADISTRIBUTE SYSPLEXPORTS DISTM SERVERWLM 201.2.10.11 PORT 20 21 DESTIP ALL
				 VIPADISTRIBUTE DISTMETHOD ROUNDROBIN 201.2.10.12 DESTIP 193.9.200.2
				 VIPADISTRIBUTE DISTM WEIGHTEDActive 201.2.10.12 PORT 5000 DESTIP 193.9.200.2 WEIGHT 10 193.9.200.3 WEIGHT 20
				 VIPABACKUP 100 201.2.10.13
				ENDVIPADYNAMIC
				""");
		assertFalse(r.hasErrors(), r.diagnostics().toString());
		TcpipProfile p = r.profile();
		assertTrue(p.ipConfig().sysplexRouting());
		assertEquals(InetAddress.getByName("193.9.200.1"), p.ipConfig().dynamicXcf().orElseThrow());
		assertEquals(2, p.vipaDefines().get(0).addresses().size());
		List<VipaDistribute> d = p.vipaDistributes();
		assertEquals(3, d.size());
		assertTrue(d.get(0).sysplexPorts());
		assertEquals(DistMethod.SERVERWLM, d.get(0).method());
		assertEquals(List.of(20, 21), d.get(0).ports());
		assertTrue(d.get(0).destIpAll());
		assertEquals(DistMethod.ROUNDROBIN, d.get(1).method());
		assertTrue(d.get(1).ports().isEmpty(), "no PORT: every port is distributed");
		assertTrue(d.get(1).distributes(12345));
		assertEquals(DistMethod.WEIGHTEDACTIVE, d.get(2).method());
		assertEquals(List.of(10, 20), d.get(2).destinations().stream().map(TcpipProfile.DestIp::weight).toList());
		assertEquals(100, p.vipaBackups().get(0).rank());
	}

	@Test
	void statementsContinueOverLinesAndCommentsAreIgnored() {
		TcpipProfileParser.Result r = parse("""
				IPCONFIG SYSPLEXROUTING ; routing
				   DYNAMICXCF 10.0.0.1/24 1
				VIPADYNAMIC
				  VIPADEFINE MOVEable IMMEDiate 255.255.255.0 10.0.0.100
				  VIPADISTribute DEFINE
				     SYSPLEXPorts   ; unique ephemeral ports
				     DISTMethod HOTSTANDBY NOAUTOSWITCHBACK
				     10.0.0.100
				     PORT 4035
				     DESTIP 10.0.0.1 PREFerred
				            10.0.0.2 BACKup 50
				ENDVIPADYNAMIC
				""");
		assertFalse(r.hasErrors(), r.diagnostics().toString());
		VipaDistribute d = r.profile().vipaDistributes().get(0);
		assertEquals(DistMethod.HOTSTANDBY, d.method());
		assertFalse(d.autoSwitchBack());
		assertTrue(d.destinations().get(0).preferred());
		assertEquals(50, d.destinations().get(1).backupRank());
	}

	@Test
	void systemSymbolsAreSubstitutedWithTheTrailingPeriodRule() {
		TcpipProfileParser.Result r = parse("""
				PORT
				   &EQADBM TCP DBGMGR
				   53&SYSCLONE. TCP X   ; 530A is not a number
				""");
		assertEquals(5301, r.profile().reservations().get(0).low());
		assertTrue(r.hasErrors(), "53&SYSCLONE. becomes 530A, which is not a port");
		assertEquals("DBGMGR", r.profile().reservations().get(0).jobName());
		assertEquals("0A.X", SYSA.substitute("&SYSCLONE..X", n -> {
		}));
		assertEquals("SYSA-0A", SYSA.substitute("&SYSNAME-&SYSCLONE", n -> {
		}));
		List<String> undefined = new ArrayList<>();
		assertEquals("&NOPE.", SYSA.substitute("&NOPE.", undefined::add));
		assertEquals(List.of("NOPE"), undefined);
	}

	@Test
	void undefinedSymbolIsReportedWithItsPosition() {
		TcpipProfileParser.Result r = parse("PORT\n   &EQADBX TCP DBGMGR\n");
		Diagnostic w = r.diagnostics().stream().filter(d -> d.message().contains("&EQADBX")).findFirst().orElseThrow();
		assertEquals(2, w.line());
		assertEquals(4, w.column());
	}

	@Test
	void unmodelledStatementsAreWarningsNotSilence() {
		TcpipProfileParser.Result r = parse("""
				FROBNICATE 1 2 3
				TCPCONFIG RESTRICTLOWPORTS
				BEGINROUTES
				  ROUTE DEFAULT 10.1.1.1 OSAQDIO1 MTU 1492
				ENDROUTES
				HOME 10.0.0.1 LINK1
				PORT 4035 TCP RSED
				""");
		assertFalse(r.hasErrors(), r.diagnostics().toString());
		assertEquals(4, r.diagnostics().size(), r.diagnostics().toString());
		assertEquals(4035, r.profile().reservations().get(0).low(), "parsing goes on after them");
	}

	/**
	 * Every file under profiles/bad starts with "; expect LINE:COLUMN text" lines: the errors the
	 * parser must report, exactly, at those positions.
	 */
	@Test
	void badStatementCorpusGivesExactlyTheExpectedErrorsWithPositions() throws IOException {
		Pattern expect = Pattern.compile("; expect (\\d+):(\\d+) (.+)");
		List<String> names = List.of("unclosed-vipadynamic", "distribute-outside-block", "bad-method", "bad-address",
				"hotstandby-two-preferred", "hotstandby-destip-all", "port-missing-protocol", "weight-out-of-range",
				"distribute-unknown-dvipa", "mask-missing", "destip-missing", "targcontrolled");
		for (String name : names) {
			String text;
			try (InputStream in = getClass().getResourceAsStream("/profiles/bad/" + name + ".profile")) {
				text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			List<String> expected = new ArrayList<>();
			for (String line : text.lines().toList()) {
				Matcher m = expect.matcher(line);
				if (m.matches()) {
					expected.add(m.group(1) + ":" + m.group(2) + " " + m.group(3));
				}
			}
			assertFalse(expected.isEmpty(), name + " has no expectation");
			List<Diagnostic> errors = parse(text).diagnostics().stream().filter(Diagnostic::isError).toList();
			assertEquals(expected.size(), errors.size(), name + ": " + errors);
			for (int i = 0; i < expected.size(); i++) {
				Diagnostic e = errors.get(i);
				String want = expected.get(i);
				String pos = e.line() + ":" + e.column();
				assertEquals(want.substring(0, want.indexOf(' ')), pos, name + ": " + e);
				assertTrue(e.message().contains(want.substring(want.indexOf(' ') + 1)), name + ": " + e);
			}
		}
	}

	/** Each diagnostic says what kind it is by a stable id, so that nothing downstream reads its wording. */
	@Test
	void everyDiagnosticOfTheBadCorpusHasTheIdOfItsKind() throws IOException {
		Map<String, String> kinds = Map.of("hotstandby-two-preferred", Diagnostic.HOTSTANDBY_PREFERRED,
				"hotstandby-destip-all", Diagnostic.HOTSTANDBY_PREFERRED, "targcontrolled", Diagnostic.METHOD_UNSUPPORTED,
				"distribute-unknown-dvipa", Diagnostic.DISTRIBUTE_UNKNOWN_DVIPA, "bad-method", Diagnostic.PROFILE_SYNTAX,
				"unclosed-vipadynamic", Diagnostic.PROFILE_SYNTAX, "mask-missing", Diagnostic.PROFILE_SYNTAX);
		for (Map.Entry<String, String> k : kinds.entrySet()) {
			String text;
			try (InputStream in = getClass().getResourceAsStream("/profiles/bad/" + k.getKey() + ".profile")) {
				text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			List<Diagnostic> errors = parse(text).diagnostics().stream().filter(Diagnostic::isError).toList();
			assertEquals(List.of(k.getValue()), errors.stream().map(Diagnostic::id).distinct().toList(),
					k.getKey() + ": " + errors);
		}
		String warned = "VIPADYNAMIC\n VIPADEFINE 255.255.255.0 10.1.1.100\n VIPADISTRIBUTE DEFINE SYSPLEXPORTS "
				+ "10.1.1.100 PORT 4035 DESTIP ALL\n VIPADISTRIBUTE DEFINE SYSPLEXPORTS 10.1.1.100 PORT 4036 DESTIP ALL\n"
				+ "ENDVIPADYNAMIC\nIPCONFIG DYNAMICXCF 10.1.2.1 255.255.255.0 1\n";
		List<String> ids = parse(warned).diagnostics().stream().map(Diagnostic::id).toList();
		assertTrue(ids.contains(Diagnostic.SYSPLEXPORTS_NOT_FIRST), ids.toString());
		assertTrue(ids.contains(Diagnostic.SYSPLEXROUTING_MISSING), ids.toString());
	}

	@Test
	void anIncludedMembersStatementsAreReadWhereTheIncludeStandsAndItsDiagnosticsSayFromWhere() {
		Map<String, String> members = Map.of("VIPADYN", """
				VIPADYNAMIC
				   VIPADEFINE MOVEABLE IMMEDIATE 255.255.255.0 10.1.1.100
				   INCLUDE TCPIP.PARMS(DIST)
				ENDVIPADYNAMIC
				""", "DIST", """
				   VIPADISTRIBUTE DEFINE SYSPLEXPORTS DISTMETHOD NOSUCHMETHOD 10.1.1.100 PORT 4035 DESTIP ALL
				""", "LOOP", "INCLUDE TCPIP.PARMS(LOOP)\n");
		TcpipProfileParser.Includes includes = (dsname, from) -> {
			String member = dsname.substring(dsname.indexOf('(') + 1, dsname.length() - 1);
			String text = members.get(member);
			return text == null ? new TcpipProfileParser.Includes.Member(null, null, member + " in the test")
					: new TcpipProfileParser.Includes.Member(Path.of(member), text, null);
		};
		TcpipProfileParser.Result r = TcpipProfileParser.parse(Path.of("PROFILE.TCPIP"), """
				IPCONFIG SYSPLEXROUTING DYNAMICXCF 10.1.2.1 255.255.255.0 1
				INCLUDE 'TCPIP.PARMS(VIPADYN)'
				""", SYSA, includes);
		assertEquals(1, r.profile().vipaDefines().size(), "the member's VIPADEFINE is the profile's");
		List<Diagnostic> errors = r.diagnostics().stream().filter(Diagnostic::isError).toList();
		assertEquals(1, errors.size(), errors.toString());
		Diagnostic bad = errors.get(0);
		assertEquals(Path.of("DIST"), bad.file(), "at its own file and line");
		assertEquals(1, bad.line());
		assertTrue(bad.message().endsWith("(included from VIPADYN:3, from PROFILE.TCPIP:2)"), bad.message());

		TcpipProfileParser.Result missing = TcpipProfileParser.parse(Path.of("PROFILE.TCPIP"),
				"INCLUDE TCPIP.PARMS(NONE)\n", SYSA, includes);
		assertEquals(List.of(Diagnostic.FILE_MISSING), missing.diagnostics().stream().filter(Diagnostic::isError)
				.map(Diagnostic::id).toList());
		TcpipProfileParser.Result loop = TcpipProfileParser.parse(Path.of("PROFILE.TCPIP"),
				"INCLUDE TCPIP.PARMS(LOOP)\n", SYSA, includes);
		assertTrue(loop.diagnostics().stream().anyMatch(d -> d.isError() && d.message().contains("nested 9 deep")),
				loop.diagnostics().toString());
	}

	@Test
	void whatIbmsStatementSyntaxRejectsIsSaidInItsTerms() {
		String numbered = "PORT 4035 TCP RSED" + " ".repeat(54) + "00010000\n";
		TcpipProfileParser.Result r = parse(numbered + "IPCONFIG DYNAMICXCF 10.1.2.1 255.255.255.0 1;no blank\n");
		List<Diagnostic> d = r.diagnostics();
		assertEquals(Diagnostic.SEQUENCE_NUMBERS, d.get(0).id(), d.toString());
		assertEquals("1:73", d.get(0).line() + ":" + d.get(0).column());
		assertTrue(d.get(0).message().contains("sequence number (00010000)"), d.get(0).message());
		assertEquals(4035, r.profile().reservations().get(0).low(), "the statement itself is read without it");
		assertTrue(d.stream().anyMatch(x -> x.line() == 2 && x.message().contains("a comment needs a blank before its ';'")),
				d.toString());
	}
}
