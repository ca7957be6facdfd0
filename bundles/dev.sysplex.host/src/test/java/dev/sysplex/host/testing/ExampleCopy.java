package dev.sysplex.host.testing;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A shipped example sysplex copied for one test onto an address range of its own (its 127.0.10.x
 * addresses become 127.B.S.x, S new for every copy, so tests and concurrent runs never share an
 * address), with edits per file. The example's var/ and security/ are not copied: every copy makes
 * its own certificate, users and PassTicket key.
 */
public final class ExampleCopy {

	private static final AtomicInteger SUBNET = new AtomicInteger((int) (ProcessHandle.current().pid() % 50) + 1);

	/** The copied directory and the prefix of its addresses (for example "127.67.12."). */
	public record Copy(Path dir, String subnet) {
		public String dvipa() {
			return subnet + "100";
		}

		public String address(int system) {
			return subnet + system;
		}
	}

	private ExampleCopy() {
	}

	/** Copies examples/{@code example} into {@code dir} on 127.{@code second}.S.0/24. */
	public static Copy of(String example, Path dir, int second, Map<String, UnaryOperator<String>> edits)
			throws IOException {
		String subnet = "127." + second + "." + (SUBNET.getAndIncrement() % 250 + 1) + ".";
		Path src = TestPaths.examples().resolve(example);
		try (Stream<Path> files = Files.walk(src, FileVisitOption.FOLLOW_LINKS)) {
			for (Path p : files.toList()) {
				String rel = src.relativize(p).toString();
				if (rel.startsWith("var") || rel.startsWith("security")) {
					continue;
				}
				Path t = dir.resolve(rel);
				if (Files.isDirectory(p)) {
					Files.createDirectories(t);
				} else {
					String text = Files.readString(p).replace("127.0.10.", subnet);
					Files.writeString(t, edits.getOrDefault(rel, UnaryOperator.identity()).apply(text));
				}
			}
		}
		return new Copy(dir, subnet);
	}
}
