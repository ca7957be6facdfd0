package dev.sysplex.host.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
		StringBuilder sb = new StringBuilder("{\n  \"directory\": ").append(q(directory)).append(",\n  \"findings\": [");
		for (int i = 0; i < findings.size(); i++) {
			Finding f = findings.get(i);
			sb.append(i == 0 ? "\n" : ",\n").append("    {\"id\": ").append(q(f.id())).append(", \"severity\": ")
					.append(q(f.severity().label())).append(", \"file\": ").append(q(path(f))).append(", \"line\": ")
					.append(f.line()).append(", \"column\": ").append(f.column()).append(", \"message\": ")
					.append(q(f.message())).append(", \"fix\": ").append(q(f.fix())).append(", \"systems\": [");
			for (int j = 0; j < f.systems().size(); j++) {
				sb.append(j == 0 ? "" : ", ").append(q(f.systems().get(j)));
			}
			sb.append("]}");
		}
		long errors = findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
		sb.append(findings.isEmpty() ? "],\n" : "\n  ],\n").append("  \"errors\": ").append(errors)
				.append(",\n  \"warnings\": ").append(findings.size() - errors);
		simulation.ifPresent(s -> sb.append(",\n  \"simulation\": ").append(s.json()));
		return sb.append("\n}\n").toString();
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
		Map<String, Finding> rules = new LinkedHashMap<>();
		findings.forEach(f -> rules.putIfAbsent(f.id(), f));
		java.nio.file.Path dir = java.nio.file.Path.of(directory).toAbsolutePath().normalize();
		java.nio.file.Path root = srcroot == null ? null : srcroot.toAbsolutePath().normalize();
		String baseId = root == null ? "SYSPLEXDIR" : "%SRCROOT%";
		StringBuilder sb = new StringBuilder();
		sb.append("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n")
				.append("  \"runs\": [{\n    \"tool\": {\"driver\": {\"name\": \"sysplex check\", ")
				.append("\"informationUri\": ").append(q(helpBase)).append(", ")
				.append("\"rules\": [");
		int i = 0;
		for (Finding f : rules.values()) {
			String helpUri = helpBase + "#" + f.id();
			String shortText = Rules.shortDescription(f.id(), f);
			sb.append(i++ == 0 ? "\n" : ",\n").append("      {\"id\": ").append(q(f.id()))
					.append(", \"shortDescription\": {\"text\": ").append(q(shortText)).append("}")
					.append(", \"fullDescription\": {\"text\": ").append(q(shortText + ". " + f.message())).append("}")
					.append(", \"help\": {\"text\": ").append(q(shortText + ". Fix: " + f.fix() + ". More: " + helpUri))
					.append("}")
					.append(", \"helpUri\": ").append(q(helpUri))
					.append(", \"defaultConfiguration\": {\"level\": ").append(q(level(f))).append("}}");
		}
		sb.append(rules.isEmpty() ? "]}},\n" : "\n    ]}},\n");
		sb.append("    \"originalUriBaseIds\": {").append(q(baseId)).append(": {\"uri\": ")
				.append(q(root == null ? directoryUri(directory) : directoryUri(root.toString())))
				.append("}},\n    \"results\": [");
		for (int k = 0; k < findings.size(); k++) {
			Finding f = findings.get(k);
			String uri = root == null ? path(f)
					: root.relativize(dir.resolve(f.file()).normalize()).toString().replace('\\', '/');
			sb.append(k == 0 ? "\n" : ",\n").append("      {\"ruleId\": ").append(q(f.id())).append(", \"level\": ")
					.append(q(level(f))).append(", \"message\": {\"text\": ").append(q(f.message() + ". Fix: " + f.fix()))
					.append("}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ")
					.append(q(uri)).append(", \"uriBaseId\": ").append(q(baseId)).append("}");
			if (f.line() > 0) {
				sb.append(", \"region\": {\"startLine\": ").append(f.line()).append(", \"startColumn\": ")
						.append(Math.max(1, f.column())).append('}');
			}
			sb.append("}}]");
			if (!f.systems().isEmpty()) {
				sb.append(", \"properties\": {\"systems\": [");
				for (int j = 0; j < f.systems().size(); j++) {
					sb.append(j == 0 ? "" : ", ").append(q(f.systems().get(j)));
				}
				sb.append("]}");
			}
			sb.append('}');
		}
		sb.append(findings.isEmpty() ? "]\n  }]\n}\n" : "\n    ]\n  }]\n}\n");
		return sb.toString();
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

	/** A JSON string literal. */
	static String q(String s) {
		StringBuilder sb = new StringBuilder("\"");
		for (char c : s.toCharArray()) {
			switch (c) {
			case '"' -> sb.append("\\\"");
			case '\\' -> sb.append("\\\\");
			case '\n' -> sb.append("\\n");
			case '\r' -> sb.append("\\r");
			case '\t' -> sb.append("\\t");
			default -> {
				if (c < 0x20) {
					sb.append(String.format("\\u%04x", (int) c));
				} else {
					sb.append(c);
				}
			}
			}
		}
		return sb.append('"').toString();
	}
}
