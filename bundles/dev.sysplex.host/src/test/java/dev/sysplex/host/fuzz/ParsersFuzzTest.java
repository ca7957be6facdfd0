package dev.sysplex.host.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.sysplex.config.ConfigException;
import dev.sysplex.config.Diagnostic;
import dev.sysplex.config.EnvFile;
import dev.sysplex.config.JclProc;
import dev.sysplex.config.Symbols;
import dev.sysplex.config.SysplexConfig;
import dev.sysplex.config.TcpipProfileParser;
import dev.sysplex.host.dbm.DbmSettings;
import dev.sysplex.host.rse.RseSettings;

/**
 * Every parser of a member a system programmer writes, fed arbitrary text: it answers with
 * diagnostics or a ConfigException, never another exception, and ends. `./build test` replays
 * the seeds in src/test/resources/dev/sysplex/host/fuzz/ParsersFuzzTestInputs/&lt;method&gt;/ (the
 * shipped members and every input a fuzzer found); `./build fuzz` mutates them.
 */
class ParsersFuzzTest {

	private static final Symbols SYMBOLS = new Symbols(Map.of("SYSNAME", "SYSA", "SYSCLONE", "0A", "EQADBM", "5301"));

	private static String text(byte[] data) {
		return new String(data, StandardCharsets.UTF_8);
	}

	@FuzzTest(maxDuration = "30s")
	void tcpipProfile(byte[] data) {
		TcpipProfileParser.parse(Path.of("PROFILE.TCPIP"), text(data), SYMBOLS);
	}

	@FuzzTest(maxDuration = "30s")
	void jclProc(byte[] data) {
		List<Diagnostic> d = new ArrayList<>();
		Optional<JclProc> proc = JclProc.parse(Path.of("proclib/DBGMGR"), text(data), SYMBOLS, d);
		if (proc.isPresent()) {
			try {
				DbmSettings.from(proc.get(), Path.of("proclib/DBGMGR"));
			} catch (ConfigException e) {
				// a finding, as designed
			}
		}
	}

	@FuzzTest(maxDuration = "30s")
	void rseEnv(byte[] data) {
		EnvFile env = EnvFile.parse(Path.of("etc/zexpl/rse.env"), text(data), new ArrayList<>());
		try {
			RseSettings.from(env);
		} catch (ConfigException e) {
			// a finding, as designed
		}
	}

	@FuzzTest(maxDuration = "30s")
	void sslProperties(byte[] data) {
		EnvFile.parse(Path.of("etc/zexpl/ssl.properties"), text(data), new ArrayList<>());
	}

	/** sysplex.conf and cfrm.policy are read by the loader from a directory: the input is split between them. */
	@FuzzTest(maxDuration = "30s")
	void sysplexConfAndCfrmPolicy(byte[] data) throws IOException {
		String all = text(data);
		int cut = all.indexOf('\u0000');
		Path dir = Files.createTempDirectory("fuzz-sysplex");
		try {
			Files.writeString(dir.resolve(SysplexConfig.SYSPLEX_CONF), cut < 0 ? all : all.substring(0, cut));
			if (cut >= 0) {
				Files.writeString(dir.resolve(SysplexConfig.CFRM_POLICY), all.substring(cut + 1));
			}
			try {
				SysplexConfig.load(dir);
			} catch (ConfigException e) {
				// a finding, as designed
			}
		} finally {
			try (var files = Files.walk(dir)) {
				for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(p);
				}
			}
		}
	}
}
