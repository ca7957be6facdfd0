package dev.sysplex.host.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.sysplex.host.json.Json;

/**
 * `sysplex check` against the corpus in tests/check-corpus: every directory must produce exactly
 * the findings its expected-findings file lists (severity, id, file:line:column), and the exit code
 * that follows from them; the simulation's logon counts for 2, 3 and 4 systems under ROUNDROBIN
 * with encryption off, without and with TLS memory, and the debug reach of every system pair.
 */
class SysplexCheckTest {

	static final Path CORPUS = Path.of(System.getProperty("sysplex.corpus", "../../tests/check-corpus"));

	@TestFactory
	Stream<DynamicTest> everyCorpusDirectoryGivesExactlyItsExpectedFindings() throws IOException {
		List<Path> dirs;
		try (Stream<Path> list = Files.list(CORPUS)) {
			dirs = list.filter(Files::isDirectory).sorted().toList();
		}
		assertTrue(dirs.size() >= 20, "the corpus is at " + CORPUS.toAbsolutePath() + ": " + dirs.size() + " entries");
		return dirs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
			List<String> expected = Files.readAllLines(dir.resolve("expected-findings")).stream()
					.filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
			List<Finding> findings = SysplexCheck.check(dir);
			List<String> actual = findings.stream().map(f -> f.severity().label() + " " + f.id() + " "
					+ f.file().toString().replace('\\', '/') + ":" + f.line() + ":" + f.column()).toList();
			assertEquals(expected, actual, dir.getFileName() + ": " + findings);
			int code = expected.isEmpty() ? 0 : expected.stream().anyMatch(l -> l.startsWith("error ")) ? 2 : 1;
			assertEquals(code, SysplexCheck.exitCode(findings));
			for (Finding f : findings) {
				assertTrue(!f.message().isBlank() && !f.fix().isBlank(), "every finding says why and what to do: " + f);
			}
			if (dir.getFileName().toString().startsWith("good-")) {
				assertTrue(expected.isEmpty(), "a good directory has no findings");
			} else {
				assertTrue(!expected.isEmpty(), "a bad directory has findings");
			}
		}));
	}

	/**
	 * Start and check agree on every corpus directory and example: each error that makes `sysplex
	 * start` refuse (its own validation, nothing started) is an error of `sysplex check` at the same
	 * file:line; a directory start accepts has no error that start's validation lacks a reason for.
	 */
	@TestFactory
	Stream<DynamicTest> whatStartRefusesCheckReportsAsAnErrorAtTheSamePlace() throws IOException {
		List<Path> dirs = new java.util.ArrayList<>();
		for (Path root : List.of(CORPUS, CORPUS.resolve("../../examples"))) {
			try (Stream<Path> list = Files.list(root)) {
				list.filter(d -> Files.isRegularFile(d.resolve("sysplex.conf"))).sorted().forEach(dirs::add);
			}
		}
		assertTrue(dirs.size() >= 24, dirs.toString());
		return dirs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
			List<dev.sysplex.config.Diagnostic> refusals;
			try {
				refusals = dev.sysplex.host.Sysplex.validate(dev.sysplex.config.SysplexConfig.load(dir)).stream()
						.filter(dev.sysplex.config.Diagnostic::isError).toList();
			} catch (dev.sysplex.config.ConfigException e) {
				refusals = e.diagnostics().stream().filter(dev.sysplex.config.Diagnostic::isError).toList();
			}
			java.util.Set<String> errorsAt = new java.util.HashSet<>();
			for (Finding f : SysplexCheck.check(dir)) {
				if (f.severity() == Finding.Severity.ERROR) {
					errorsAt.add(f.file().toString().replace('\\', '/') + ":" + f.line());
				}
			}
			for (dev.sysplex.config.Diagnostic d : refusals) {
				Path file = d.file().isAbsolute() && d.file().startsWith(dir.toAbsolutePath().normalize())
						? dir.toAbsolutePath().normalize().relativize(d.file()) : d.file();
				String at = file.toString().replace('\\', '/') + ":" + d.line();
				assertTrue(errorsAt.contains(at), dir.getFileName() + ": start refuses " + d + ", check has no error at "
						+ at + " (its errors: " + errorsAt + ")");
			}
		}));
	}

	/** Every id the corpus shows has its one line for SARIF and its anchor in configuration.md. */
	@Test
	void everyFindingIdOfTheCorpusHasItsShortDescriptionAndItsAnchor() throws IOException {
		String docs = Files.readString(CORPUS.resolve("../../docs/configuration.md"));
		java.util.Set<String> ids = new java.util.TreeSet<>();
		try (Stream<Path> list = Files.list(CORPUS)) {
			for (Path d : list.filter(Files::isDirectory).toList()) {
				for (String l : Files.readAllLines(d.resolve("expected-findings"))) {
					if (!l.isBlank() && !l.startsWith("#")) {
						ids.add(l.split(" ")[1]);
					}
				}
			}
		}
		assertTrue(ids.size() >= 25, ids.toString());
		for (CheckRule rule : CheckRules.ALL) {
			// one class per id, and each shown at work by a corpus case with its own severity
			assertTrue(ids.contains(rule.id()), rule.getClass().getSimpleName() + " (" + rule.id() + ") has no corpus case");
			assertEquals(rule, CheckRules.BY_ID.get(rule.id()), "one rule per id: " + rule.id());
		}
		for (String id : ids) {
			assertTrue(Rules.known(id), id + " has no short description");
			assertTrue(docs.contains("<a id=\"" + id + "\"></a>"), id + " has no anchor in configuration.md");
		}
	}

	@org.junit.jupiter.api.io.TempDir
	Path temp;

	/** A site keeps a finding it has looked at: inline on its line (or the line above), or in a baseline. */
	@Test
	void findingsIgnoredInlineOrListedInTheBaselineAreLeftOutAndCounted() throws IOException {
		Path dir = temp.resolve("plex");
		dev.sysplex.host.SysplexDirectories.copy(CORPUS.resolve("no-vipabackup"), dir);
		List<Finding> all = SysplexCheck.check(dir);
		assertEquals(List.of("no-vipabackup"), all.stream().map(Finding::id).toList());
		assertEquals(0, Suppressions.apply(dir, all, null).suppressed(), "nothing ignored yet");

		Path profile = dir.resolve("systems/SYSA/PROFILE.TCPIP");
		List<String> lines = new java.util.ArrayList<>(Files.readAllLines(profile));
		lines.add(8, "   ; sysplex-check: ignore serverwlm-rsed, no-vipabackup   (SYSA is our only stack)");
		Files.write(profile, lines); // the line above the finding's VIPADEFINE, which moved down by one
		List<Finding> now = SysplexCheck.check(dir);
		Suppressions.Result inline = Suppressions.apply(dir, now, null);
		assertEquals(List.of(), inline.findings());
		assertEquals(1, inline.suppressed());
		assertEquals(0, SysplexCheck.exitCode(inline.findings()));

		lines.set(8, "   ; sysplex-check: ignore serverwlm-rsed");
		Files.write(profile, lines);
		assertEquals(0, Suppressions.apply(dir, SysplexCheck.check(dir), null).suppressed(), "another id: not ignored");
		Suppressions.Result baseline = Suppressions.apply(dir, SysplexCheck.check(dir),
				List.of("# known", Suppressions.baselineLine(SysplexCheck.check(dir).get(0))));
		assertEquals(List.of(), baseline.findings());
		assertEquals(1, baseline.suppressed());
	}

	@Test
	void findingsThatNeedTheWholeSysplexNameTheSystemsThatDisagree() {
		Finding f = SysplexCheck.check(CORPUS.resolve("dbm-client-port-not-unique")).get(0);
		assertEquals(List.of("SYSA", "SYSB"), f.systems());
		Finding ssl = SysplexCheck.check(CORPUS.resolve("ssl-differs")).stream()
				.filter(x -> x.id().equals("ssl-differs")).findFirst().orElseThrow();
		assertEquals(List.of("SYSB"), ssl.systems());
		assertTrue(ssl.message().contains("enable_ssl=false") && ssl.message().contains("enable_ssl=true"), ssl.message());
	}

	@Test
	void theCommandPrintsTextJsonAndSarifWithTheExitCode() {
		Path dir = CORPUS.resolve("roundrobin-even-plain");
		Run text = run("check", dir.toString());
		assertEquals(1, text.code(), "warnings only: exit 1");
		assertTrue(text.out().contains("systems/SYSA/PROFILE.TCPIP:12:4: warning [roundrobin-even-plain]"), text.out());
		assertTrue(text.out().contains("    fix: turn encryption on"), text.out());

		Run json = run("check", CORPUS.resolve("undefined-symbol").toString(), "--format", "json");
		assertEquals(2, json.code(), "an error: exit 2");
		Map<String, Object> doc = obj(Json.parse(json.out()));
		Map<String, Object> finding = obj(list(doc.get("findings")).get(0));
		assertEquals(List.of("undefined-symbol", "error", "proclib/DBGMGR", 2L, 15L, List.of("SYSB")),
				List.of(finding.get("id"), finding.get("severity"), finding.get("file"), finding.get("line"),
						finding.get("column"), finding.get("systems")), json.out());
		assertEquals(1L, doc.get("errors"));

		Run sarif = run("check", CORPUS.resolve("undefined-symbol").toString(), "--format", "sarif");
		assertEquals(2, sarif.code());
		Map<String, Object> log = obj(Json.parse(sarif.out()));
		assertEquals("2.1.0", log.get("version"));
		Map<String, Object> run = obj(list(log.get("runs")).get(0));
		Map<String, Object> rule = obj(list(obj(obj(run.get("tool")).get("driver")).get("rules")).get(0));
		assertEquals("a system symbol the system does not define", obj(rule.get("shortDescription")).get("text"));
		assertEquals(CheckReport.HELP_BASE + "#undefined-symbol", rule.get("helpUri"));
		Map<String, Object> result = obj(list(run.get("results")).get(0));
		assertEquals("undefined-symbol", result.get("ruleId"));
		assertEquals("error", result.get("level"));
		Map<String, Object> physical = obj(obj(list(result.get("locations")).get(0)).get("physicalLocation"));
		assertEquals(Map.of("startLine", 2L, "startColumn", 15L), physical.get("region"));
		assertEquals(Map.of("uri", "proclib/DBGMGR", "uriBaseId", "SYSPLEXDIR"), physical.get("artifactLocation"));

		Run rooted = run("check", CORPUS.resolve("undefined-symbol").toString(), "--format", "sarif", "--srcroot",
				CORPUS.toString(), "--help-base", "https://example.org/check.html");
		Map<String, Object> rootedRun = obj(list(obj(Json.parse(rooted.out())).get("runs")).get(0));
		assertEquals(Map.of("uri", "undefined-symbol/proclib/DBGMGR", "uriBaseId", "%SRCROOT%"),
				obj(obj(obj(list(obj(list(rootedRun.get("results")).get(0)).get("locations")).get(0))
						.get("physicalLocation")).get("artifactLocation")), rooted.out());
		assertEquals("https://example.org/check.html#undefined-symbol",
				obj(list(obj(obj(rootedRun.get("tool")).get("driver")).get("rules")).get(0)).get("helpUri"));

		Run good = run("check", CORPUS.resolve("good-two-systems").toString());
		assertEquals(0, good.code(), good.out());
		Run bad = run("check", CORPUS.resolve("no-such-directory").toString());
		assertEquals(2, bad.code());
		assertTrue(bad.err().contains("is not a directory"), bad.err());
		assertEquals(2, run("check", "--format", "xml", dir.toString()).code(), "a usage error");
	}

	@Test
	void simulationCountsForTwoThreeAndFourSystemsWithAndWithoutTlsMemory() throws Exception {
		Simulation.Result two = Simulation.run(CORPUS.resolve("roundrobin-even-plain"), 8, line -> {
		});
		assertEquals(Map.of("SYSA", 0, "SYSB", 8), two.withoutMemory(), "every logon on the even system");
		assertEquals(Map.of("SYSA", 4, "SYSB", 4), two.withMemory(), "TLS memory spreads them");
		assertTrue(two.ok(), two.text());

		Simulation.Result three = Simulation.run(CORPUS.resolve("good-three-systems-plain"), 9, line -> {
		});
		assertEquals(Map.of("SYSA", 3, "SYSB", 3, "SYSC", 3), three.withoutMemory(), "an odd count spreads evenly");
		assertEquals(Map.of("SYSA", 3, "SYSB", 3, "SYSC", 3), three.withMemory());

		Simulation.Result four = Simulation.run(CORPUS.resolve("roundrobin-four-plain"), 8, line -> {
		});
		assertEquals(Map.of("SYSA", 0, "SYSB", 4, "SYSC", 0, "SYSD", 4), four.withoutMemory(), "odd systems skipped");
		assertEquals(Map.of("SYSA", 2, "SYSB", 2, "SYSC", 2, "SYSD", 2), four.withMemory());
		assertEquals(4, four.reach().size());
		four.reach().forEach((job, row) -> {
			assertEquals(4, row.size());
			row.forEach((client, outcome) -> assertEquals("reached", outcome, "job on " + job + ", client on " + client));
		});
		assertTrue(four.text().contains("16 of 16 pairs reached") && four.text().contains("SYSD"), four.text());
	}

	@Test
	void aDebugManagerMissingOnASystemShowsInTheSimulation() throws Exception {
		Path dir = Files.createTempDirectory("check-sim");
		try {
			dev.sysplex.host.SysplexDirectories.copy(CORPUS.resolve("good-two-systems"), dir);
			// SYSB runs no DBGMGR: a linter error, and the simulation shows what it costs
			Path conf = dir.resolve("sysplex.conf");
			Files.writeString(conf, Files.readString(conf).replace("ADDRESS(127.0.10.2)", "ADDRESS(127.0.10.2) START(RSED)"));
			Simulation.Result r = Simulation.run(dir, 2, java.time.Duration.ofSeconds(3), line -> {
			});
			assertEquals("reached", r.reach().get("SYSA").get("SYSA"));
			assertTrue(!r.reach().get("SYSB").get("SYSA").equals("reached"), "a job on SYSB has no Debug Manager: "
					+ r.text());
			assertTrue(!r.ok());
			assertTrue(r.text().contains("job on SYSB, clients on SYSA SYSB: no Debug Manager runs on SYSB"), r.text());
		} finally {
			dev.sysplex.host.SysplexDirectories.deleteTree(dir);
		}
	}

	@Test
	void aHubNamedInTheDebugManagersEnvironmentLinksTheSystems() throws Exception {
		// HUBIP/HUBPORT in etc/debug/dbgmgr.env (_CEE_ENVFILE_S), TRUSTEDTCP in ENVAR: the running
		// Debug Managers use them, so a job on either system reaches a client on the other
		Simulation.Result r = Simulation.run(CORPUS.resolve("good-dbm-environment"), 2, line -> {
		});
		assertTrue(r.ok(), r.text());
		assertEquals("reached", r.reach().get("SYSB").get("SYSA"), r.text());
	}

	@Test
	void withoutAHubEveryCrossSystemPairIsDecidedAtOnceAndSaysWhy() throws Exception {
		// a 15 s reach timeout: the pairs are decided well before it because the Debug Managers can
		// only keep the sessions dormant, and each decision says so (no "linked to ... instead of")
		Simulation.Result r = Simulation.run(CORPUS.resolve("dbm-no-hub"), 2, java.time.Duration.ofSeconds(15), line -> {
		});
		assertEquals("reached", r.reach().get("SYSA").get("SYSA"), r.text());
		assertEquals("reached", r.reach().get("SYSB").get("SYSB"), r.text());
		for (String[] pair : new String[][] { { "SYSA", "SYSB" }, { "SYSB", "SYSA" } }) {
			String outcome = r.reach().get(pair[0]).get(pair[1]);
			assertTrue(outcome.startsWith("the Debug Manager of " + pair[0] + " has no hub (HUBIP/HUBPORT are not set)"),
					outcome);
		}
		assertTrue(r.text().contains("2 of 4 pairs reached"), r.text());
	}

	/**
	 * Every corpus directory's JSON and SARIF parse strictly, and the SARIF is what code scanning
	 * takes: each result's rule among the rules, each rule with its description and an absolute
	 * helpUri to its anchor, locations relative to a declared base, regions from line 1.
	 */
	@Test
	void theJsonAndSarifOfEveryCorpusDirectoryAreValid() throws IOException {
		try (Stream<Path> dirs = Files.list(CORPUS)) {
			for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
				List<Finding> findings = SysplexCheck.check(d);
				Map<String, Object> doc = obj(Json.parse(CheckReport.json(d.toString(), findings, Optional.empty())));
				assertEquals(findings.size(), list(doc.get("findings")).size(), d.toString());
				Map<String, Object> run = obj(list(obj(Json.parse(CheckReport.sarif(d.toString(), findings))).get("runs")).get(0));
				java.util.Set<Object> ruleIds = new java.util.HashSet<>();
				for (Object r : list(obj(obj(run.get("tool")).get("driver")).get("rules"))) {
					Map<String, Object> rule = obj(r);
					ruleIds.add(rule.get("id"));
					assertTrue(!((String) obj(rule.get("shortDescription")).get("text")).isBlank(), rule.toString());
					assertTrue(java.net.URI.create((String) rule.get("helpUri")).isAbsolute(), rule.toString());
					assertTrue(((String) rule.get("helpUri")).endsWith("#" + rule.get("id")), rule.toString());
				}
				java.util.Set<String> bases = obj(run.get("originalUriBaseIds")).keySet();
				for (Object x : list(run.get("results"))) {
					Map<String, Object> result = obj(x);
					assertTrue(ruleIds.contains(result.get("ruleId")), d + ": " + result);
					Map<String, Object> physical = obj(obj(list(result.get("locations")).get(0)).get("physicalLocation"));
					Map<String, Object> artifact = obj(physical.get("artifactLocation"));
					assertTrue(bases.contains(artifact.get("uriBaseId")), d + ": " + artifact);
					assertTrue(!((String) artifact.get("uri")).startsWith("/"), d + ": " + artifact);
					if (physical.containsKey("region")) {
						assertTrue((Long) obj(physical.get("region")).get("startLine") >= 1, d + ": " + physical);
					}
				}
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> obj(Object o) {
		return (Map<String, Object>) o;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object o) {
		return (List<Object>) o;
	}

	private record Run(int code, String out, String err) {
	}

	private static Run run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = dev.sysplex.host.cli.MainAccess.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}
}
