package dev.sysplex.host.rse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import dev.sysplex.protocol.Rse.Status;

/**
 * The sysplex's user registry (security/users in the sysplex directory), shared by every system
 * as RACF's database is. Passwords are stored as salted PBKDF2-HMAC-SHA256 hashes, never in
 * plain. As RACF does, a password expires after the interval (SETROPTS PASSWORD(INTERVAL(days)))
 * and a user is revoked after REVOKE(n) failed attempts in a row; an administrator resumes it.
 * <p>
 * File format (one record per line, '#' comments):
 * <pre>
 * SETROPTS PASSWORD(INTERVAL(90) REVOKE(3))
 * USER IBMUSER pbkdf2-sha256:210000:SALT:HASH changed=2026-11-22T10:00:00Z failures=0 revoked=NO expired=NO
 * </pre>
 * Every system of a running sysplex and every `./sysplex user` command share the one file, so
 * every operation, a logon check included, takes an exclusive lock on {@code users.lock} beside it
 * (a file lock: it holds across processes, the isolated mode's one process per system and the
 * command line alike, and needs no running sysplex), reads the file afresh, applies its change and
 * writes it atomically (temporary file, then rename) before it lets go. A user added, reset,
 * revoked or resumed by anyone takes effect at the next logon, and no writer loses another's
 * change. (Routing changes through the running sysplex instead would leave the command line
 * without a way when no sysplex runs, and the systems of the isolated mode would still share the
 * file.) The PBKDF2 check itself runs outside the lock, so logons of different users do not wait
 * for each other's hashing.
 */
public final class UserRegistry {

	/** PBKDF2 iterations for new passwords: the chosen cost (about 0.1-0.2 s per check on 2 cores). */
	public static final int DEFAULT_ITERATIONS = 210_000;

	private static final Pattern SETROPTS = Pattern.compile(
			"SETROPTS\\s+PASSWORD\\(\\s*INTERVAL\\((\\d+)\\)\\s*REVOKE\\((\\d+)\\)\\s*\\)", Pattern.CASE_INSENSITIVE);
	private static final Pattern USERID = Pattern.compile("[A-Z@#$][A-Z0-9@#$]{0,7}");
	private static final SecureRandom RANDOM = new SecureRandom();

	private final Path file;
	private final Path lockFile;
	private final Clock clock;
	private int intervalDays = 90;
	private int revokeAfter = 3;
	private final Map<String, Record> users = new LinkedHashMap<>();

	/** In-process turns per registry file: a JVM may not hold two overlapping locks on one file. */
	private static final Map<Path, java.util.concurrent.locks.ReentrantLock> IN_PROCESS =
			new java.util.concurrent.ConcurrentHashMap<>();
	/** How long an operation waits for another process's lock before it gives up and says so. */
	static final long LOCK_WAIT_MS = 10_000;
	/** The lock file, open for the registry's life (guarded by this). */
	private java.nio.channels.FileChannel lockChannel;
	/** Identity of the file as last read (guarded by this); null: not read, or there was none. */
	private Object readAs;

	private static final class Record {
		String hash;
		Instant changed;
		int failures;
		boolean revoked;
		boolean expired;
	}

	/** The outcome of a logon attempt. */
	public record Verdict(Status status, String message) {
		public boolean ok() {
			return status == null;
		}
	}

	private UserRegistry(Path file, Clock clock) {
		this.file = file;
		this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
		this.clock = clock;
	}

	/**
	 * Opens the registry file (read once now, so a malformed file is reported at once); a missing
	 * file is an empty registry with the default SETROPTS. Every operation reads it again.
	 */
	public static UserRegistry open(Path file, Clock clock) throws IOException {
		UserRegistry r = new UserRegistry(file, clock);
		r.locked(() -> null);
		return r;
	}

	private interface Operation<T> {
		T run() throws IOException;
	}

	/**
	 * Runs {@code op} holding the registry's lock (this process's turn, then the file lock), with
	 * the file read afresh into this object first. Writes inside {@code op} happen under the lock.
	 */
	private synchronized <T> T locked(Operation<T> op) throws IOException {
		java.util.concurrent.locks.ReentrantLock turn = IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(),
				k -> new java.util.concurrent.locks.ReentrantLock());
		try {
			if (!turn.tryLock(LOCK_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
				throw new IOException("the user registry " + file + " is busy in this process for more than "
						+ LOCK_WAIT_MS / 1000 + " s");
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while waiting for the user registry " + file, e);
		}
		try {
			if (lockChannel == null || !lockChannel.isOpen()) {
				Files.createDirectories(file.toAbsolutePath().getParent());
				lockChannel = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.CREATE,
						java.nio.file.StandardOpenOption.WRITE);
			}
			try (java.nio.channels.FileLock lock = lockWithin(lockChannel)) {
				refresh();
				return op.run();
			}
		} finally {
			turn.unlock();
		}
	}

	/**
	 * Reads the file again unless it is the one read last: every writer renames a new file into
	 * place, so its identity (inode), size and modification time tell whether anyone changed it.
	 */
	private void refresh() throws IOException {
		Object seen = null;
		if (Files.isRegularFile(file)) {
			java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file,
					java.nio.file.attribute.BasicFileAttributes.class);
			// the inode, the size and the modification time to the nanosecond (Linux keeps it)
			seen = java.util.List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime().toInstant());
		}
		if (seen != null && seen.equals(readAs)) {
			return;
		}
		users.clear();
		intervalDays = 90;
		revokeAfter = 3;
		if (seen != null) {
			read();
		}
		readAs = seen;
	}

	/** The file lock, waited for (bounded) while another process holds it. */
	private java.nio.channels.FileLock lockWithin(java.nio.channels.FileChannel ch) throws IOException {
		long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(LOCK_WAIT_MS);
		for (long pause = 1;; pause = Math.min(pause * 2, 50)) {
			java.nio.channels.FileLock lock = ch.tryLock();
			if (lock != null) {
				return lock;
			}
			if (System.nanoTime() > deadline) {
				throw new IOException("another process holds the lock of the user registry (" + lockFile + ") for more "
						+ "than " + LOCK_WAIT_MS / 1000 + " s; if none runs, delete " + lockFile.getFileName());
			}
			try {
				Thread.sleep(pause); // a lock held by another process: no event tells us it was released
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted while waiting for the user registry " + file, e);
			}
		}
	}

	public static UserRegistry open(Path file) throws IOException {
		return open(file, Clock.systemUTC());
	}

	private void read() throws IOException {
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			Matcher m = SETROPTS.matcher(line);
			if (m.matches()) {
				intervalDays = Integer.parseInt(m.group(1));
				revokeAfter = Integer.parseInt(m.group(2));
				continue;
			}
			String[] f = line.split("\\s+");
			if (f.length != 7 || !f[0].equals("USER") || !f[2].startsWith("pbkdf2-sha256:")) {
				throw new IOException(file + ":" + (i + 1) + ": expected SETROPTS PASSWORD(INTERVAL(n) REVOKE(n)) or "
						+ "USER userid pbkdf2-sha256:... changed=... failures=n revoked=YES|NO expired=YES|NO");
			}
			Record r = new Record();
			r.hash = f[2];
			try {
				r.changed = Instant.parse(value(f[3], "changed"));
				r.failures = Integer.parseInt(value(f[4], "failures"));
			} catch (RuntimeException e) {
				throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage());
			}
			r.revoked = value(f[5], "revoked").equals("YES");
			r.expired = value(f[6], "expired").equals("YES");
			users.put(f[1], r);
		}
	}

	private static String value(String field, String key) {
		if (!field.startsWith(key + "=")) {
			throw new IllegalArgumentException("expected " + key + "=..., found " + field);
		}
		return field.substring(key.length() + 1);
	}

	private void write() throws IOException {
		StringBuilder sb = new StringBuilder("# Sysplex Explorer user registry. Change it with ./sysplex user ...;\n"
				+ "# passwords are salted PBKDF2-HMAC-SHA256 hashes.\n");
		sb.append("SETROPTS PASSWORD(INTERVAL(").append(intervalDays).append(") REVOKE(").append(revokeAfter)
				.append("))\n");
		users.forEach((id, r) -> sb.append("USER ").append(id).append(' ').append(r.hash).append(" changed=")
				.append(r.changed).append(" failures=").append(r.failures).append(" revoked=")
				.append(r.revoked ? "YES" : "NO").append(" expired=").append(r.expired ? "YES" : "NO").append('\n'));
		Files.createDirectories(file.toAbsolutePath().getParent());
		Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
		Files.writeString(tmp, sb, StandardCharsets.UTF_8);
		try {
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		} catch (AtomicMoveNotSupportedException e) {
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
		}
		readAs = null; // read it again next time: cheaper than being wrong about what we wrote
	}

	public static String normalize(String userid) {
		return userid.strip().toUpperCase(Locale.ROOT);
	}

	public static boolean isValidUserid(String userid) {
		return USERID.matcher(normalize(userid)).matches();
	}

	/** Adds a user, or replaces the password of an existing one (and resumes it). */
	public void setPassword(String userid, char[] password, boolean expired, int iterations) throws IOException {
		String id = normalize(userid);
		if (!USERID.matcher(id).matches()) {
			throw new IllegalArgumentException("user id '" + userid + "' must be 1-8 characters, a letter or @#$ first");
		}
		if (password.length < 1 || password.length > 100) {
			throw new IllegalArgumentException("a password has 1-100 characters");
		}
		String hash = hash(password, iterations); // outside the lock: it takes a while
		locked(() -> {
			Record r = users.computeIfAbsent(id, k -> new Record());
			r.hash = hash;
			r.changed = clock.instant();
			r.failures = 0;
			r.revoked = false;
			r.expired = expired;
			write();
			return null;
		});
	}

	/** RACF's ALTUSER RESUME: lifts a revocation and clears the failure count. */
	public void resume(String userid) throws IOException {
		locked(() -> {
			Record r = users.get(normalize(userid));
			if (r == null) {
				throw new IllegalArgumentException("no user " + normalize(userid));
			}
			r.revoked = false;
			r.failures = 0;
			write();
			return null;
		});
	}

	public void setPolicy(int intervalDays, int revokeAfter) throws IOException {
		locked(() -> {
			this.intervalDays = intervalDays;
			this.revokeAfter = revokeAfter;
			write();
			return null;
		});
	}

	/** The registry as the file says now: the policy, then a line per user. */
	public List<String> describe() throws IOException {
		return locked(() -> {
			List<String> out = new ArrayList<>();
			out.add("SETROPTS PASSWORD(INTERVAL(" + intervalDays + ") REVOKE(" + revokeAfter + "))");
			users.forEach((id, r) -> out.add(String.format("%-8s changed %s  failures %d%s%s", id, r.changed,
					r.failures, r.revoked ? "  REVOKED" : "", isExpired(r) ? "  EXPIRED" : "")));
			return out;
		});
	}

	/** The policy and every user (no password material) as JSON-ready values, for `user list --json`. */
	public Map<String, Object> describeJson() throws IOException {
		return locked(() -> {
			Map<String, Object> o = new java.util.LinkedHashMap<>();
			o.put("intervalDays", intervalDays);
			o.put("revokeAfter", revokeAfter);
			List<Object> list = new ArrayList<>();
			users.forEach((id, r) -> {
				Map<String, Object> u = new java.util.LinkedHashMap<>();
				u.put("user", id);
				u.put("changed", r.changed.toString());
				u.put("failures", r.failures);
				u.put("revoked", r.revoked);
				u.put("expired", isExpired(r));
				list.add(u);
			});
			o.put("users", list);
			return o;
		});
	}

	public Optional<Boolean> isRevoked(String userid) throws IOException {
		return locked(() -> Optional.ofNullable(users.get(normalize(userid))).map(r -> r.revoked));
	}

	private boolean isExpired(Record r) {
		return r.expired || (intervalDays > 0 && clock.instant().isAfter(r.changed.plus(Duration.ofDays(intervalDays))));
	}

	/**
	 * Checks a logon. The hash is computed outside the lock so logons of different users do not
	 * wait for each other; the outcome (failure count, revocation) is recorded under it.
	 */
	/**
	 * Password checks run here, on half the cores (at least one), first come first served: a burst
	 * of logons then completes at the hash's own rate, oldest first, instead of every check sharing
	 * the CPU and all of them finishing late together; CPU-bound hashing never holds the carriers of
	 * the virtual threads that accept connections, do TLS handshakes and serve sessions, and the
	 * other half of the machine stays with them (docs/performance.md: a burst of 1,000 logons).
	 */
	private final java.util.concurrent.ThreadPoolExecutor checks;
	private final java.util.concurrent.atomic.AtomicLong checksSubmitted = new java.util.concurrent.atomic.AtomicLong();
	private final java.util.concurrent.atomic.AtomicLong checksDone = new java.util.concurrent.atomic.AtomicLong();
	/** Logons that may wait for their check at once; beyond, RSED answers BUSY. */
	public static final int MAX_WAITING_CHECKS = 20_000;

	{
		int n = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
		checks = new java.util.concurrent.ThreadPoolExecutor(n, n, 30, java.util.concurrent.TimeUnit.SECONDS,
				new java.util.concurrent.LinkedBlockingQueue<>(MAX_WAITING_CHECKS),
				Thread.ofPlatform().daemon().name("password check ", 1).factory());
		checks.allowCoreThreadTimeOut(true);
	}

	/** A queued password check: its verdict, and its place in the order of checks. */
	public record Check(java.util.concurrent.Future<Verdict> verdict, long number,
			java.util.concurrent.atomic.AtomicBoolean abandoned) {
		/** Nobody waits for the verdict any more: a check not begun is skipped (one that runs completes). */
		public void abandon() {
			abandoned.set(true);
		}
	}

	/**
	 * Queues the check of {@code password} (on a copy, wiped after the check; the caller may wipe its
	 * own at once). Throws {@link java.util.concurrent.RejectedExecutionException} when
	 * {@value #MAX_WAITING_CHECKS} checks wait already.
	 */
	public Check submitCheck(String userid, char[] password) {
		long number = checksSubmitted.incrementAndGet();
		char[] copy = password.clone();
		java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();
		try {
			return new Check(checks.submit(() -> {
				try {
					return abandoned.get() ? new Verdict(Status.AUTH_FAILED, "abandoned by the client before its check")
							: authenticate(userid, copy);
				} finally {
					java.util.Arrays.fill(copy, '\0');
					checksDone.incrementAndGet();
				}
			}), number, abandoned);
		} catch (java.util.concurrent.RejectedExecutionException e) {
			java.util.Arrays.fill(copy, '\0');
			checksDone.incrementAndGet();
			throw e;
		}
	}

	/** How many checks are before check {@code number} (an estimate: they run in parallel). */
	public long checksAhead(long number) {
		return Math.max(0, number - checksDone.get() - checks.getMaximumPoolSize());
	}

	public Verdict authenticate(String userid, char[] password) throws IOException {
		String id = normalize(userid);
		String stored = locked(() -> {
			Record r = users.get(id);
			return r == null ? null : r.hash;
		});
		boolean match = stored != null && verify(password, stored);
		return locked(() -> {
			Record r = users.get(id);
			if (r == null) {
				return new Verdict(Status.AUTH_FAILED, "user or password not valid");
			}
			if (r.revoked) {
				return new Verdict(Status.REVOKED, "user " + id + " is revoked after " + revokeAfter
						+ " failed logon attempts; an administrator must resume it (./sysplex user resume)");
			}
			if (!r.hash.equals(stored)) {
				// the password was changed while we hashed: check the new one (rare; under the lock)
				if (!verify(password, r.hash)) {
					return failure(id, r);
				}
			} else if (!match) {
				return failure(id, r);
			}
			if (r.failures != 0) {
				r.failures = 0;
				write();
			}
			if (isExpired(r)) {
				return new Verdict(Status.PASSWORD_EXPIRED, "the password of " + id
						+ " has expired; set a new one on the host (./sysplex user reset)");
			}
			return new Verdict(null, "ok");
		});
	}

	/** Counts a failed attempt (under the lock) and revokes at the policy's limit. */
	private Verdict failure(String id, Record r) throws IOException {
		r.failures++;
		if (revokeAfter > 0 && r.failures >= revokeAfter) {
			r.revoked = true;
			write();
			return new Verdict(Status.REVOKED, "user " + id + " is now revoked after " + r.failures
					+ " failed logon attempts; an administrator must resume it (./sysplex user resume)");
		}
		write();
		return new Verdict(Status.AUTH_FAILED, "user or password not valid");
	}

	/** Computes one hash as a logon check does, for the benchmark's figure of the chosen cost. */
	public static String hashForBenchmark(char[] password, int iterations) {
		return hash(password, iterations);
	}

	static String hash(char[] password, int iterations) {
		byte[] salt = new byte[16];
		RANDOM.nextBytes(salt);
		Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
		return "pbkdf2-sha256:" + iterations + ":" + b64.encodeToString(salt) + ":"
				+ b64.encodeToString(pbkdf2(password, salt, iterations));
	}

	static boolean verify(char[] password, String stored) {
		String[] p = stored.split(":");
		int iterations = Integer.parseInt(p[1]);
		byte[] salt = Base64.getDecoder().decode(p[2]);
		byte[] expected = Base64.getDecoder().decode(p[3]);
		return MessageDigest.isEqual(expected, pbkdf2(password, salt, iterations));
	}

	private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
		try {
			PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
			try {
				return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
			} finally {
				spec.clearPassword();
			}
		} catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
			throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK: " + e, e);
		}
	}
}
