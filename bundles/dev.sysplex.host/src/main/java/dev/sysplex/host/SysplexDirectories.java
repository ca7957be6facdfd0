package dev.sysplex.host;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.sysplex.config.SysplexConfig;

/** Copying a sysplex directory for a throw-away run (demo, benchmarks), and removing it again. */
public final class SysplexDirectories {

	private SysplexDirectories() {
	}

	/** Copies a sysplex directory without its run-time state (var/, security/); a linked jobs/ is followed. */
	public static void copy(Path source, Path target) throws IOException {
		if (!Files.isRegularFile(source.resolve(SysplexConfig.SYSPLEX_CONF))) {
			throw new IOException(source + " is not a sysplex directory (no " + SysplexConfig.SYSPLEX_CONF + ")");
		}
		try (Stream<Path> files = Files.walk(source, FileVisitOption.FOLLOW_LINKS)) {
			for (Path p : files.toList()) {
				Path rel = source.relativize(p);
				if (rel.startsWith("var") || rel.startsWith("security")) {
					continue;
				}
				Path t = target.resolve(rel.toString());
				if (Files.isDirectory(p)) {
					Files.createDirectories(t);
				} else {
					Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
	}

	/** Deletes a directory and everything in it. */
	public static void deleteTree(Path dir) throws IOException {
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}
}
