package dev.sysplex.host.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.Session;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.testing.DebugClient;
import dev.sysplex.host.testing.ExampleCopy;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;
import dev.sysplex.protocol.Rse;

/**
 * Output that does not fit one frame: characters that take several bytes once encoded, and lines
 * that double when escaped. The session survives, the tail fits, and the whole output can be read
 * piece by piece; a sender refuses an oversized message before writing a byte.
 */
class JobOutputTest {

	@TempDir
	Path dir;

	/**
	 * Prints 44,000 characters, in UTF-8 whatever the locale: 2-, 3- and 4-byte ones, a backslash and
	 * a line feed in every 11 (each escaped as two bytes in a message): about 80 KB once encoded.
	 */
	private static final String LOUD = """
			public class Loud {
				public static void main(String[] args) {
					StringBuilder sb = new StringBuilder();
					for (int i = 0; i < 4000; i++) {
						sb.append("\u20ac\u00e4\u4e2d\\ud83d\\ude00x\\\\ n").append(i % 10).append('\\n');
					}
					java.io.PrintStream out = new java.io.PrintStream(new java.io.FileOutputStream(
							java.io.FileDescriptor.out), true, java.nio.charset.StandardCharsets.UTF_8);
					out.print(sb);
					out.flush();
				}
			}
			""";

	@Test
	void aJobThatDoesNotCompileIsRefusedWithJavacsMessageAndTheSessionLives() throws Exception {
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir, 69, Map.of());
		Files.writeString(copy.dir().resolve("jobs/Broken.java"), "public class Broken { void f() { int x = ; } }\n");
		try (Sysplex s = Sysplex.start(copy.dir())) {
			s.users().setPassword("ALICE", "pw".toCharArray(), false, 1_000);
			Session session = DebugClient.logon(copy.dvipa(), "ALICE", "pw".toCharArray(), EncryptionPolicy.REQUIRED)
					.session();
			java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
					() -> session.submit("Broken.java", "", "", null));
			assertTrue(e.getMessage().contains("compiling Broken.java failed") && e.getMessage().contains("Broken.java:1"),
					"javac's own message reaches the user: " + e.getMessage());
			assertTrue(session.whoami().containsKey(Rse.F_SYSTEM), "the session goes on");
			session.logoff();
		}
	}

	@Test
	void outputLargerThanAFrameArrivesInPiecesAndTheSessionLives() throws Exception {
		ExampleCopy.Copy copy = ExampleCopy.of("two-systems", dir, 69, Map.of());
		Files.writeString(copy.dir().resolve("jobs/Loud.java"), LOUD);
		try (Sysplex s = Sysplex.start(copy.dir())) {
			s.users().setPassword("ALICE", "pw".toCharArray(), false, 1_000);
			Session session = DebugClient.logon(copy.dvipa(), "ALICE", "pw".toCharArray(), EncryptionPolicy.REQUIRED)
					.session();
			String job = session.submit("Loud.java", "", "", null).id();
			s.jobs().job(job).orElseThrow().awaitEnd(Duration.ofSeconds(60));
			String whole = Files.readString(s.jobs().job(job).orElseThrow().output());
			assertTrue(whole.length() > 40_000 && Message.of(Rse.JOBOUTPUT).with(Rse.F_TEXT, whole).build()
					.encode().length > 4 * Rse.MAX_FRAME, "the output is many frames long");

			String tail = session.output(job);
			assertTrue(whole.endsWith(tail) && tail.length() > 1_000, "the tail: " + tail.length() + " characters");
			StringBuilder read = new StringBuilder();
			int pieces = 0;
			for (int from = 0;; pieces++) {
				Session.OutputPiece p = session.output(job, from);
				assertEquals(from, p.from());
				read.append(p.text());
				from = p.to();
				if (p.last()) {
					break;
				}
				assertTrue(pieces < 1_000, "bounded");
			}
			assertEquals(whole, read.toString(), "the pieces make the whole output, no character lost or split");
			assertTrue(pieces >= 4, "pieces: " + pieces);
			session.ping(); // still the same session
			assertTrue(session.jobs().get(0).contains(job));
		}
	}

	@Test
	void aSenderRefusesAMessageOverTheFrameLimitAndWritesNothing() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Message big = Message.of(Rse.JOBOUTPUT).with(Rse.F_TEXT, "\u20ac".repeat(Rse.MAX_FRAME / 3 + 1)).build();
		Frames.FrameTooLarge e = assertThrows(Frames.FrameTooLarge.class, () -> Frames.write(out, big, Rse.MAX_FRAME));
		assertTrue(e.getMessage().contains("over the frame limit of " + Rse.MAX_FRAME) && e.getMessage().contains(
				"nothing was sent"), e.getMessage());
		assertEquals(0, out.size());
	}
}
