package dev.sysplex.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The known_servers file: pins kept across runs, one forgotten without touching the others. */
class TrustStoreTest {

	@TempDir
	Path dir;

	@Test
	void forgettingAPinRemovesThatEndpointOnlyAndSurvivesARestart() throws Exception {
		Path file = dir.resolve("known_servers");
		TrustStore store = TrustStore.file(file);
		store.pin("plex1.example:4035", "AA");
		store.pin("plex2.example:4035", "BB");
		store.forget("plex1.example:4035");
		TrustStore again = TrustStore.file(file); // what the next command reads
		assertEquals(Optional.empty(), again.pinned("plex1.example:4035"));
		assertEquals(Optional.of("BB"), again.pinned("plex2.example:4035"));
		String before = Files.readString(file);
		again.forget("plex3.example:4035"); // none there: the file is left as it was
		assertEquals(before, Files.readString(file));
		assertTrue(before.startsWith("# Sysplex Explorer: pinned RSE server certificates"), before);
	}

	@Test
	void forgettingInMemory() throws Exception {
		TrustStore store = TrustStore.inMemory();
		store.pin("h:1", "AA");
		store.forget("h:1");
		assertEquals(Optional.empty(), store.pinned("h:1"));
	}
}
