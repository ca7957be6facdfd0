package dev.sysplex.host.rse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sysplex.client.ConnectException;
import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;
import dev.sysplex.client.TrustDecision;
import dev.sysplex.client.TrustStore;
import dev.sysplex.host.Sysplex;
import dev.sysplex.host.net.SysplexFixture;
import dev.sysplex.protocol.Rse;

/**
 * One user registry shared by a running sysplex and `./sysplex user` in other processes, as the
 * README has users do it: a user added or resumed while the sysplex runs logs on at once, and
 * failed logons of others, counted by the running sysplex while the other processes write, lose
 * none of their changes.
 */
class UserRegistrySharingTest {

	private static final String DISTRIBUTE = "VIPADISTRIBUTE DEFINE SYSPLEXPORTS DISTMETHOD ROUNDROBIN DVIPA PORT 4035 "
			+ "DESTIP ALL";

	@TempDir
	Path dir;

	/** `./sysplex user ARGS` in a process of its own, the password in the environment variable PW. */
	private static Process userCommand(String password, String... args) throws IOException {
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), "dev.sysplex.host.cli.Main", "user"));
		cmd.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
		pb.environment().put("PW", password);
		return pb.start();
	}

	private static void succeeds(Process p) throws Exception {
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command ended");
		assertEquals(0, p.exitValue(), out);
	}

	private static Session logon(String dvipa, String user, String password) throws ConnectException {
		return new RseConnector(new RseConnector.Options().tlsMemory(TlsMemory.disabled())
				.trust(TrustStore.inMemory(), TrustDecision.TRUST_ON_FIRST_USE)
				.reconnect(false, 0, Duration.ZERO, Duration.ZERO))
				.connect(dvipa, 4035, user, password.toCharArray(), EncryptionPolicy.REQUIRED);
	}

	@Test
	void changesByOtherProcessesTakeEffectAtOnceAndNoneIsLost() throws Exception {
		SysplexFixture f = new SysplexFixture(dir, 2).write(DISTRIBUTE, true, null).rse(
				"enable.dDVIPA=true\ndeny.nonzero.port=true\n", true);
		try (Sysplex s = f.startSysplex()) {
			s.users().setPassword("ALICE", "alice-pw".toCharArray(), false, 1_000);

			// another process adds BOB while the sysplex runs: BOB logs on at once
			succeeds(userCommand("bob-pw", "add", dir.toString(), "BOB", "--password-env", "PW"));
			logon(f.dvipa(), "BOB", "bob-pw").logoff();

			// four processes add users while the running sysplex counts ALICE's failed logons
			List<Process> adders = new ArrayList<>();
			for (int i = 1; i <= 4; i++) {
				adders.add(userCommand("carol-pw-" + i, "add", dir.toString(), "CAROL" + i, "--password-env", "PW"));
			}
			for (int i = 0; i < 3; i++) {
				ConnectException e = assertThrows(ConnectException.class, () -> logon(f.dvipa(), "ALICE", "wrong"));
				assertTrue(e.status().isPresent(), e.getMessage());
			}
			for (Process p : adders) {
				succeeds(p);
			}
			List<String> registry = s.users().describe();
			for (String user : List.of("ALICE", "BOB", "CAROL1", "CAROL2", "CAROL3", "CAROL4")) {
				assertTrue(registry.stream().anyMatch(l -> l.startsWith(user + " ")), user + " is kept: " + registry);
			}
			assertTrue(registry.stream().anyMatch(l -> l.startsWith("ALICE ") && l.contains("REVOKED")),
					"three failures in a row revoke ALICE: " + registry);
			for (int i = 1; i <= 4; i++) {
				logon(f.dvipa(), "CAROL" + i, "carol-pw-" + i).logoff();
			}

			// revoked in the running sysplex, resumed by another process: ALICE logs on at once
			ConnectException revoked = assertThrows(ConnectException.class, () -> logon(f.dvipa(), "ALICE", "alice-pw"));
			assertEquals(Rse.Status.REVOKED, revoked.status().orElseThrow(), revoked.getMessage());
			succeeds(userCommand("", "resume", dir.toString(), "ALICE"));
			logon(f.dvipa(), "ALICE", "alice-pw").logoff();

			// and a password reset by another process replaces the old one for the next logon
			succeeds(userCommand("bob-new", "reset", dir.toString(), "BOB", "--password-env", "PW"));
			assertThrows(ConnectException.class, () -> logon(f.dvipa(), "BOB", "bob-pw"));
			logon(f.dvipa(), "BOB", "bob-new").logoff();
			assertTrue(Files.readString(dir.resolve(Sysplex.USERS)).contains("USER CAROL4 pbkdf2-sha256:"));
		}
	}
}
