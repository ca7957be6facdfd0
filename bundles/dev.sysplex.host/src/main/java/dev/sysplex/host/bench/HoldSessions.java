package dev.sysplex.host.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.sysplex.client.EncryptionPolicy;
import dev.sysplex.client.RseConnector;
import dev.sysplex.client.Session;
import dev.sysplex.client.TlsMemory;

/**
 * Child process of the login benchmark: logs on N times (plain) as USER with the password from
 * the environment variable SYSPLEX_BENCH_PASSWORD, keeps the sessions open and idle, prints
 * "OPEN n", and logs them all off when its standard input closes.
 */
public final class HoldSessions {

	private HoldSessions() {
	}

	public static void main(String[] args) throws Exception {
		String host = args[0];
		int n = Integer.parseInt(args[1]);
		String user = args[2];
		char[] pw = System.getenv("SYSPLEX_BENCH_PASSWORD").toCharArray();
		RseConnector c = new RseConnector(new RseConnector.Options().tlsMemory(TlsMemory.disabled())
				.reconnect(false, 0, Duration.ZERO, Duration.ZERO));
		List<Session> open = Collections.synchronizedList(new ArrayList<>());
		try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				done.add(pool.submit(() -> {
					open.add(c.connect(host, 4035, user, pw, EncryptionPolicy.DISABLED));
					return null;
				}));
			}
			for (Future<?> f : done) {
				f.get();
			}
		}
		System.out.println("OPEN " + open.size());
		System.out.flush();
		while (System.in.read() >= 0) {
			// wait until the benchmark closes our stdin
		}
		for (Session s : open) {
			try {
				s.close();
			} catch (RuntimeException e) {
				// closing at exit: nothing to report
			}
		}
	}

}
