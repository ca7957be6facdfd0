package dev.sysplex.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated bash completion, run by bash itself: commands, each command's options, file names. */
class CompletionTest {

	@TempDir
	Path dir;

	/** What bash's completion function offers for the words typed (the last one being completed). */
	private String complete(String... words) throws Exception {
		Path script = dir.resolve("sysplex.bash");
		Files.writeString(script, CompletionCommand.bash());
		StringBuilder typed = new StringBuilder();
		for (String w : words) {
			typed.append(" '").append(w).append('\'');
		}
		Process p = new ProcessBuilder("bash", "-c", "source '" + script + "'; COMP_WORDS=(./sysplex" + typed
				+ "); COMP_CWORD=" + words.length + "; _sysplex; echo \"${COMPREPLY[*]}\"").directory(dir.toFile())
				.redirectErrorStream(true).start();
		assertTrue(p.waitFor(20, TimeUnit.SECONDS));
		return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
	}

	@Test
	void bashCompletesCommandsOptionsAndFiles() throws Exception {
		assertEquals("submit", complete("su"));
		assertEquals("cancel check completion", complete("c"));
		assertEquals("--wait", complete("submit", "--w"));
		assertEquals("--next --no-stop-at-entry --no-tls-memory", complete("debug", "--n"));
		assertEquals("--simulate --srcroot", complete("check", "--s"));
		assertEquals("--iterations", complete("bench", "--it"), "an option on a continued usage line");
		assertEquals("", complete("probe", "--wh"), "an option the help only mentions for another command is not offered");
		Files.createDirectories(dir.resolve("my-sysplex"));
		assertEquals("my-sysplex", complete("check", "my-"));
		assertEquals("jobs", complete("help", "jo"));
		for (Command c : Main.COMMANDS) {
			assertTrue(CompletionCommand.options(c).contains("--help"), c.name());
		}
		assertTrue(CompletionCommand.options(new JobsCommand()).containsAll(LogonOptions.VALUED), "logon options");
	}
}
