package dev.sysplex.host.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PassTickets, as RACF makes them for applications that act for a user who already authenticated
 * (RSE's Debug Miner logging the user on to Debug Manager, a job's debug engine announcing itself
 * to its Debug Manager): short-lived, single-use proofs made with the sysplex's secret key (RACF
 * keeps it in the PTKTDATA profile of the application; we keep one key per sysplex next to the
 * user registry, security/ptktdata). Only a holder of the key can make one, so a program that can
 * reach a port but has neither the user's password nor the key cannot act for the user.
 * <p>
 * A ticket is {@code PT1.<epoch seconds>.<nonce>.<HMAC-SHA256>} over the user, the application
 * (for example {@code DBGMGR.SYSA}, so a ticket for one system's Debug Manager is worthless at
 * another's), the time and the nonce. An evaluator accepts it within {@value #WINDOW_SECONDS} s of
 * its time either way (the clock-skew window) and only once: a replay is refused for as long as
 * the ticket could still be valid. The same key signs the challenges Debug Managers exchange on
 * the hub port (TRUSTEDTCP), through {@link #mac} and {@link #verifyMac}.
 */
public final class PassTickets {

	/** A ticket is valid this many seconds either side of its time. */
	public static final int WINDOW_SECONDS = 60;

	/** Used tickets remembered at most; beyond that new tickets are refused (fail closed) until old ones age out. */
	static final int MAX_REMEMBERED = 200_000;

	private static final String VERSION = "PT1";
	private static final SecureRandom RANDOM = new SecureRandom();

	private final byte[] key;
	private final Clock clock;
	/** mac of a used ticket -> the epoch second after which it would be refused anyway. */
	private final Map<String, Long> used = new ConcurrentHashMap<>();

	private PassTickets(byte[] key, Clock clock) {
		if (key.length < 32) {
			throw new IllegalArgumentException("a PassTicket key has at least 32 bytes, this one " + key.length);
		}
		this.key = key.clone();
		this.clock = clock;
	}

	/** Tickets made and checked with {@code key} (tests, and processes that received the key). */
	public static PassTickets of(byte[] key, Clock clock) {
		return new PassTickets(key, clock);
	}

	/**
	 * The sysplex's tickets with the key in {@code file}, made (32 random bytes, owner-only
	 * permissions) when it does not exist yet. Two processes that start at once agree on one key:
	 * the file is created with CREATE_NEW, and the loser reads the winner's.
	 */
	public static PassTickets open(Path file, Clock clock) throws IOException {
		if (!Files.isRegularFile(file)) {
			Files.createDirectories(file.toAbsolutePath().getParent());
			byte[] raw = new byte[32];
			RANDOM.nextBytes(raw);
			Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "ptktdata", ".tmp");
			try {
				try {
					Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
				} catch (UnsupportedOperationException e) {
					// not a POSIX file system: the directory's own protection applies
				}
				Files.writeString(tmp, "# Sysplex Explorer PassTicket key (as RACF's PTKTDATA). Keep it secret.\n"
						+ Base64.getEncoder().encodeToString(raw) + "\n", StandardCharsets.US_ASCII,
						StandardOpenOption.TRUNCATE_EXISTING);
				try {
					Files.createLink(file, tmp); // atomic, and fails when another process made the key first
				} catch (FileAlreadyExistsException raced) {
					// the other one's key holds
				} catch (UnsupportedOperationException | IOException noLinks) {
					if (!Files.exists(file)) {
						Files.move(tmp, file);
					}
				}
			} finally {
				Files.deleteIfExists(tmp);
			}
		}
		return new PassTickets(read(file), clock);
	}

	private static byte[] read(Path file) throws IOException {
		for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
			String l = line.strip();
			if (!l.isEmpty() && !l.startsWith("#")) {
				try {
					return Base64.getDecoder().decode(l);
				} catch (IllegalArgumentException e) {
					throw new IOException(file + ": the PassTicket key is not Base64: " + e.getMessage());
				}
			}
		}
		throw new IOException(file + " holds no PassTicket key; delete it to have a new one made");
	}

	/** A new ticket for {@code user} at {@code application}. */
	public String generate(String user, String application) {
		byte[] n = new byte[12];
		RANDOM.nextBytes(n);
		String nonce = b64(n);
		long time = clock.instant().getEpochSecond();
		return VERSION + "." + time + "." + nonce + "." + mac(VERSION, user, application, Long.toString(time), nonce);
	}

	/** Why a ticket was refused; {@link #OK} when it was accepted (and is now used). */
	public enum Verdict {
		OK("accepted"),
		MALFORMED("is not a PassTicket"),
		WRONG("was not made for this user and application with the sysplex's key"),
		EXPIRED("has expired (older than " + WINDOW_SECONDS + " s)"),
		NOT_YET_VALID("is dated more than " + WINDOW_SECONDS + " s ahead (are the clocks in step?)"),
		REPLAYED("was used already"),
		TOO_MANY("cannot be checked now: too many tickets in use; try again in a minute");

		private final String reason;

		Verdict(String reason) {
			this.reason = reason;
		}

		/** Says what is wrong with "the PassTicket ...". */
		public String reason() {
			return reason;
		}
	}

	/** Checks a ticket for {@code user} at {@code application} and, when it is good, uses it up. */
	public Verdict evaluate(String ticket, String user, String application) {
		if (ticket == null) {
			return Verdict.MALFORMED;
		}
		String[] p = ticket.split("\\.", -1);
		if (p.length != 4 || !p[0].equals(VERSION)) {
			return Verdict.MALFORMED;
		}
		long time;
		try {
			time = Long.parseLong(p[1]);
		} catch (NumberFormatException e) {
			return Verdict.MALFORMED;
		}
		if (!verifyMac(p[3], VERSION, user, application, p[1], p[2])) {
			return Verdict.WRONG;
		}
		long now = clock.instant().getEpochSecond();
		if (now - time > WINDOW_SECONDS) {
			return Verdict.EXPIRED;
		}
		if (time - now > WINDOW_SECONDS) {
			return Verdict.NOT_YET_VALID;
		}
		if (used.size() >= MAX_REMEMBERED) {
			forgetExpired(now);
			if (used.size() >= MAX_REMEMBERED) {
				return Verdict.TOO_MANY;
			}
		}
		if (used.putIfAbsent(p[3], time + WINDOW_SECONDS) != null) {
			return Verdict.REPLAYED;
		}
		if (used.size() % 1024 == 0) {
			forgetExpired(now);
		}
		return Verdict.OK;
	}

	private void forgetExpired(long now) {
		for (Iterator<Long> it = used.values().iterator(); it.hasNext();) {
			if (it.next() < now) {
				it.remove();
			}
		}
	}

	/** HMAC-SHA256 with the sysplex's key over the parts (each length-prefixed, so parts cannot shift). */
	public String mac(String... parts) {
		try {
			Mac m = Mac.getInstance("HmacSHA256");
			m.init(new SecretKeySpec(key, "HmacSHA256"));
			for (String part : parts) {
				byte[] b = part.getBytes(StandardCharsets.UTF_8);
				m.update(new byte[] { (byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8),
						(byte) b.length });
				m.update(b);
			}
			return b64(m.doFinal());
		} catch (NoSuchAlgorithmException | InvalidKeyException e) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK: " + e, e);
		}
	}

	/** Compares in constant time. */
	public boolean verifyMac(String presented, String... parts) {
		return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.US_ASCII),
				mac(parts).getBytes(StandardCharsets.US_ASCII));
	}

	/** A random challenge for a peer to sign. */
	public static String nonce() {
		byte[] n = new byte[24];
		RANDOM.nextBytes(n);
		return b64(n);
	}

	private static String b64(byte[] b) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
	}
}
