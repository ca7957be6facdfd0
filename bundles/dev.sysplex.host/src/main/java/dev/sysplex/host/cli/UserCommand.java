package dev.sysplex.host.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.sysplex.host.Sysplex;
import dev.sysplex.config.SysplexConfig;
import dev.sysplex.host.rse.UserRegistry;

/** `sysplex user`: the administrator's commands on a sysplex's user registry. */
final class UserCommand implements Command {

	@Override
	public String name() {
		return "user";
	}

	@Override
	public String summary() {
		return "add users, reset passwords, resume revoked users, list them (the sysplex's registry)";
	}

	@Override
	public String help() {
		return """
				Usage: ./sysplex user add    <sysplex-dir> USERID [--expired] [password option]
				       ./sysplex user reset  <sysplex-dir> USERID [--expired] [password option]
				       ./sysplex user resume <sysplex-dir> USERID
				       ./sysplex user list   <sysplex-dir> [--json]
				       ./sysplex user policy <sysplex-dir> --interval DAYS --revoke ATTEMPTS

				The registry is <sysplex-dir>/security/users, shared by every system as RACF's database
				is: salted PBKDF2-HMAC-SHA256 hashes, never plain passwords. A password expires after the
				interval (0: never); a user is revoked after that many failed logons in a row (0: never)
				until resumed. Takes effect for logons at once, also in a running sysplex.

				Password options (else it is asked on the terminal, twice):
				  --password-env VAR     read it from the environment variable VAR
				  --password-file FILE   read it from the first line of FILE
				  --expired              set it expired: the next logon is refused with "password expired"
				""";
	}

	@Override
	public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
		Args args = Args.parse(argv, Set.of("--password-env", "--password-file", "--interval", "--revoke"),
				Set.of("--expired", "--json"));
		List<String> p = args.positional();
		if (p.size() < 2) {
			throw new UsageException("expected an action (add, reset, resume, list, policy) and a sysplex directory");
		}
		// add/reset/resume take a userid; list and policy none
		args.positional(2, List.of("list", "policy").contains(p.get(0)) ? 2 : 3, "an action, a directory and a userid");
		Path dir = Path.of(p.get(1));
		if (!Files.isRegularFile(dir.resolve(SysplexConfig.SYSPLEX_CONF))) {
			throw new UsageException(dir + " is not a sysplex directory (no " + SysplexConfig.SYSPLEX_CONF + ")");
		}
		UserRegistry users = UserRegistry.open(dir.resolve(Sysplex.USERS));
		switch (p.get(0)) {
		case "add", "reset" -> {
			String id = userid(p);
			char[] pw = Passwords.read(args, "Password for " + UserRegistry.normalize(id) + ": ", true);
			try {
				users.setPassword(id, pw, args.has("--expired"), UserRegistry.DEFAULT_ITERATIONS);
			} finally {
				Arrays.fill(pw, '\0');
			}
			out.println((p.get(0).equals("add") ? "User " : "Password of ") + UserRegistry.normalize(id) + " set"
					+ (args.has("--expired") ? " (expired)" : "") + " in " + dir.resolve(Sysplex.USERS));
		}
		case "resume" -> {
			users.resume(userid(p));
			out.println("User " + UserRegistry.normalize(userid(p)) + " resumed");
		}
		case "list" -> {
			if (args.has("--json")) {
				out.print(dev.sysplex.host.json.Json.write(users.describeJson()));
			} else {
				users.describe().forEach(out::println);
			}
		}
		case "policy" -> {
			users.setPolicy(args.intValue("--interval", 90, 0, 3650), args.intValue("--revoke", 3, 0, 100));
			out.println(users.describe().get(0));
		}
		default -> throw new UsageException("unknown action '" + p.get(0) + "'; expected add, reset, resume, list or policy");
		}
		return 0;
	}

	private static String userid(List<String> p) throws UsageException {
		if (p.size() != 3) {
			throw new UsageException("expected a user id after the sysplex directory");
		}
		if (!UserRegistry.isValidUserid(p.get(2))) {
			throw new UsageException("user id '" + p.get(2) + "' must be 1-8 characters, a letter or @#$ first");
		}
		return p.get(2);
	}
}
