package dev.sysplex.host.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sysplex.host.json.Json;

/** Writes findings (and a simulation, when one ran) as readable text, JSON or SARIF 2.1.0. */
public final class CheckReport {

	private CheckReport() {
	}

	public static String text(String directory, List<Finding> findings, Optional<Simulation.Result> simulation) {
		return text(directory, findings, 0, simulation);
	}

	/** As {@link #text(String, List, Optional)}; the summary says how many findings were suppressed. */
	public static String text(String directory, List<Finding> findings, int suppressed,
			Optional<Simulation.Result> simulation) {
		StringBuilder sb = new StringBuilder();
		for (Finding f : findings) {
			sb.append(f.position()).append(": ").append(f.severity().label()).append(" [").append(f.id()).append("] ")
					.append(f.message()).append('\n');
			sb.append("    fix: ").append(f.fix()).append('\n');
		}
		long errors = findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
		long warnings = findings.size() - errors;
		sb.append(directory).append(": ").append(errors).append(errors == 1 ? " error, " : " errors, ").append(warnings)
				.append(warnings == 1 ? " warning" : " warnings")
				.append(suppressed == 0 ? "" : " (" + suppressed + " suppressed: sysplex-check: ignore, or the baseline)")
				.append('\n');
		simulation.ifPresent(s -> sb.append(s.text()));
		return sb.toString();
	}

	public static String json(String directory, List<Finding> findings, Optional<Simulation.Result> simulation) {
		Map<String, Object> doc = Json.object();
		doc.put("directory", directory);
		List<Object> list = new ArrayList<>();
		for (Finding f : findings) {
			Map<String, Object> o = Json.object();
			o.put("id", f.id());
			o.put("severity", f.severity().label());
			o.put("file", path(f));
			o.put("line", f.line());
			o.put("column", f.column());
			o.put("message", f.message());
			o.put("fix", f.fix());
			o.put("systems", f.systems());
			list.add(o);
		}
		doc.put("findings", list);
		long errors = findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
		doc.put("errors", errors);
		doc.put("warnings", findings.size() - errors);
		simulation.ifPresent(sim -> doc.put("simulation", sim.json()));
		return Json.write(doc);
	}

	/** Where the rules' help lives unless the caller says otherwise (`--help-base`). */
	public static final String HELP_BASE = "https://github.com/sysplex-explorer/sysplex-explorer/blob/main/docs/configuration.md";

	/** SARIF 2.1.0, one rule per finding id, file URIs relative to the sysplex directory. */
	public static String sarif(String directory, List<Finding> findings) {
		return sarif(directory, findings, HELP_BASE, null);
	}

	/**
	 * SARIF 2.1.0 as code-scanning tools take it: every rule with its shortDescription, full help and
	 * an absolute helpUri ({@code helpBase}#id); artifact locations relative to {@code srcroot} (the
	 * repository the caller scans, base id %SRCROOT%) when given, else to the sysplex directory.
	 */
	public static String sarif(String directory, List<Finding> findings, String helpBase, java.nio.file.Path srcroot) {
		Map<String, Finding> byRule = new LinkedHashMap<>();
		findings.forEach(f -> byRule.putIfAbsent(f.id(), f));
		java.nio.file.Path dir = java.nio.file.Path.of(directory).toAbsolutePath().normalize();
		java.nio.file.Path root = srcroot == null ? null : srcroot.toAbsolutePath().normalize();
		String baseId = root == null ? "SYSPLEXDIR" : "%SRCROOT%";
		List<Object> rules = new ArrayList<>();
		for (Finding f : byRule.values()) {
			String helpUri = helpBase + "#" + f.id();
			String shortText = Rules.shortDescription(f.id(), f);
			Map<String, Object> r = Json.object();
			r.put("id", f.id());
			r.put("shortDescription", Map.of("text", shortText));
			r.put("fullDescription", Map.of("text", shortText + ". " + f.message()));
			r.put("help", Map.of("text", shortText + ". Fix: " + f.fix() + ". More: " + helpUri));
			r.put("helpUri", helpUri);
			r.put("defaultConfiguration", Map.of("level", level(f)));
			rules.add(r);
		}
		List<Object> results = new ArrayList<>();
		for (Finding f : findings) {
			String uri = root == null ? path(f)
					: root.relativize(dir.resolve(f.file()).normalize()).toString().replace('\\', '/');
			Map<String, Object> artifact = Json.object();
			artifact.put("uri", uri);
			artifact.put("uriBaseId", baseId);
			Map<String, Object> physical = Json.object();
			physical.put("artifactLocation", artifact);
			if (f.line() > 0) {
				Map<String, Object> region = Json.object();
				region.put("startLine", f.line());
				region.put("startColumn", Math.max(1, f.column()));
				physical.put("region", region);
			}
			Map<String, Object> r = Json.object();
			r.put("ruleId", f.id());
			r.put("level", level(f));
			r.put("message", Map.of("text", f.message() + ". Fix: " + f.fix()));
			r.put("locations", List.of(Map.of("physicalLocation", physical)));
			if (!f.systems().isEmpty()) {
				r.put("properties", Map.of("systems", f.systems()));
			}
			results.add(r);
		}
		Map<String, Object> driver = Json.object();
		driver.put("name", "sysplex check");
		driver.put("informationUri", helpBase);
		driver.put("rules", rules);
		Map<String, Object> run = Json.object();
		run.put("tool", Map.of("driver", driver));
		run.put("originalUriBaseIds", Map.of(baseId, Map.of("uri", root == null ? directoryUri(directory)
				: directoryUri(root.toString()))));
		run.put("results", results);
		Map<String, Object> doc = Json.object();
		doc.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
		doc.put("version", "2.1.0");
		doc.put("runs", List.of(run));
		return Json.write(doc);
	}

	private static String directoryUri(String directory) {
		String uri = java.nio.file.Path.of(directory).toAbsolutePath().normalize().toUri().toString();
		return uri.endsWith("/") ? uri : uri + "/";
	}

	private static String level(Finding f) {
		return f.severity() == Finding.Severity.ERROR ? "error" : "warning";
	}

	private static String path(Finding f) {
		return f.file().toString().replace('\\', '/');
	}
}
