package dev.sysplex.config.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository that tests read. */
public final class TestPaths {

	private TestPaths() {
	}

	/** The repository's examples/ directory, found from the bundle's working directory. */
	public static Path examples() {
		Path p = Path.of("").toAbsolutePath();
		for (int i = 0; i < 4 && p != null; i++, p = p.getParent()) {
			if (Files.isDirectory(p.resolve("examples/two-systems"))) {
				return p.resolve("examples");
			}
		}
		throw new IllegalStateException("examples/ not found above " + Path.of("").toAbsolutePath());
	}
}
