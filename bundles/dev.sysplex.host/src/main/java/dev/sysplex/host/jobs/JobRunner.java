package dev.sysplex.host.jobs;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import dev.sysplex.host.dbm.DebugManager;
import dev.sysplex.host.dbm.NameTokens;
import dev.sysplex.host.net.TcpipStack;
import dev.sysplex.host.security.PassTickets;
import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;

/**
 * Runs users' jobs: Java programs from the sysplex's jobs/ directory, each in its own JVM on one
 * system (the one asked for, else the next active system in turn). With the runtime option
 * TEST(,,,DBMDT%userid) the job gets a debug engine: the runner announces it to the Debug Manager
 * of the job's system with a one-time credential (a PassTicket for the job), the DBM names a
 * one-time address, and the JVM starts suspended with its JDWP agent connecting out to that
 * address (server=n): the agent never listens, so no other program can attach to the job. The
 * runner then tells the DBM the JVM's process id, the only process whose connection it accepts.
 * When no DBM runs there (or it refuses), the job runs without an agent; on a dormant timeout the
 * DBM lets the JVM go on.
 *
 * <p>A program is compiled once per version: its classes are kept under the sysplex's
 * var/classes/, by the SHA-256 of its source and the JDK, shared by every system as a load library
 * is; a job of the same source uses them read-only. Two jobs of a new version at once compile it
 * once (the second waits for the first); a failed compile is not kept.
 */
public final class JobRunner implements Closeable {

	public enum State {
		WAITING_FOR_DEBUGGER, DEBUGGING, RUNNING, ENDED,
		/** Ended by its user's debugger (Terminate), not by the program: no return code. */
		CANCELED, FAILED
	}

	/** A submitted job. */
	public static final class Job {
		private final String id;
		private final String user;
		private final String program;
		private final String system;
		private final Optional<String> debugUser;
		private final Path output;
		private final Instant submitted = Instant.now();
		volatile State state;
		volatile Integer rc;
		volatile Instant started;
		volatile Duration jvmStart;
		volatile Process process;
		/** Who canceled the job (the user whose debugger ended it), once the Debug Manager said so. */
		volatile String canceledBy;
		/** Why the job is canceled, once it is: "by the debugger of ALICE", "its system SYSB stopped". */
		volatile String cancelReason;
		/** Completes when the Debug Manager has nothing more to say of the job: CANCELED, or its control connection ended. */
		final java.util.concurrent.CompletableFuture<Void> engineDone = new java.util.concurrent.CompletableFuture<>();
		private final java.util.concurrent.CompletableFuture<Job> end = new java.util.concurrent.CompletableFuture<>();

		Job(String id, String user, String program, String system, Optional<String> debugUser, Path output) {
			this.id = id;
			this.user = user;
			this.program = program;
			this.system = system;
			this.debugUser = debugUser;
			this.output = output;
		}

		public String id() {
			return id;
		}

		public String user() {
			return user;
		}

		public String program() {
			return program;
		}

		public String system() {
			return system;
		}

		public State state() {
			return state;
		}

		/** The program's return code once it ended by itself; empty while it runs and when it was canceled. */
		public Optional<Integer> rc() {
			return state == State.CANCELED ? Optional.empty() : Optional.ofNullable(rc);
		}

		/** The user whose debugger canceled the job. */
		public Optional<String> canceledBy() {
			return Optional.ofNullable(canceledBy);
		}

		/** Why the job was canceled ("by the debugger of ALICE", "its system SYSB stopped"). */
		public Optional<String> cancelReason() {
			return Optional.ofNullable(cancelReason);
		}

		public Optional<String> debugUser() {
			return debugUser;
		}

		public Path output() {
			return output;
		}

		/** Completes with the job when it has ended (its rc is set) or failed to start. */
		public java.util.concurrent.CompletionStage<Job> ended() {
			return end;
		}

		/** Waits for the job's end; throws TimeoutException when it did not end in time. */
		public Job awaitEnd(Duration timeout) throws InterruptedException, java.util.concurrent.TimeoutException {
			try {
				return end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			} catch (java.util.concurrent.ExecutionException e) {
				throw new IllegalStateException("a job's end does not fail", e);
			}
		}

		/** The process id of the job's JVM, once it was started. */
		public Optional<Long> pid() {
			Process p = process;
			return p == null ? Optional.empty() : Optional.of(p.pid());
		}

		/** When the job's JVM was started (after compiling). */
		public Optional<Instant> started() {
			return Optional.ofNullable(started);
		}

		/** From starting the JVM until its agent connected to the Debug Manager (or the JVM ran, without TEST). */
		public Optional<Duration> jvmStart() {
			return Optional.ofNullable(jvmStart);
		}

		public Instant submitted() {
			return submitted;
		}

		@Override
		public String toString() {
			return id + " " + program + " on " + system + " " + state + rc().map(r -> " rc=" + r).orElse("");
		}
	}

	private static final Pattern PROGRAM = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\.java");
	private static final AtomicInteger IDS = new AtomicInteger();

	/**
	 * Numbers this process's jobs from {@code first}: in the isolated mode every system is a process
	 * of its own, and each gets a range of its own so that job ids stay unique in the sysplex.
	 */
	public static void numberFrom(int first) {
		IDS.updateAndGet(n -> Math.max(n, first - 1));
	}

	private volatile String onlySystem;

	/** This runner's process runs only {@code system} (the isolated mode); said when a job asks for another. */
	public void runOnly(String system) {
		this.onlySystem = system;
	}

	/** How many compiled versions var/classes keeps; the least recently used beyond it are deleted. */
	static final int CLASS_CACHE_ENTRIES = 64;

	private final Path jobsDir;
	private final Path classCache;
	/** One lock per version being compiled (a lock, not synchronized: a virtual thread waits without pinning). */
	private final Map<String, java.util.concurrent.locks.ReentrantLock> compiling = new ConcurrentHashMap<>();
	private final Supplier<List<TcpipStack>> stacks;
	private final Function<String, Optional<Path>> workArea;
	private final Function<String, NameTokens> nameTokens;
	private final PassTickets tickets;
	private final Consumer<String> trace;
	private final Map<String, Job> jobs = new ConcurrentHashMap<>();
	private final List<Consumer<Job>> endListeners = new CopyOnWriteArrayList<>();
	private final AtomicInteger next = new AtomicInteger();
	private volatile boolean closed;

	/**
	 * @param jobsDir    where programs are (the sysplex's jobs/ directory)
	 * @param classCache where compiled programs are kept (the sysplex's var/classes/)
	 * @param stacks     the systems' stacks, in sysplex order
	 * @param workArea   a system's work area
	 * @param nameTokens a system's name/token pairs
	 * @param tickets    the sysplex's PassTickets, for the engine credentials
	 */
	public JobRunner(Path jobsDir, Path classCache, Supplier<List<TcpipStack>> stacks, Function<String, Optional<Path>> workArea,
			Function<String, NameTokens> nameTokens, PassTickets tickets, Consumer<String> trace) {
		this.jobsDir = jobsDir;
		this.classCache = classCache;
		this.stacks = stacks;
		this.workArea = workArea;
		this.nameTokens = nameTokens;
		this.tickets = tickets;
		this.trace = trace;
	}

	public void onJobEnded(Consumer<Job> listener) {
		endListeners.add(listener);
	}

	private volatile Spool spool;

	/**
	 * Publishes this runner's jobs to {@code spool} as they start and end (the isolated mode), and
	 * lists the other systems' from it.
	 */
	public void useSpool(Spool spool) {
		this.spool = spool;
		onJobEnded(this::publish);
	}

	public java.util.Optional<Spool> spool() {
		return java.util.Optional.ofNullable(spool);
	}

	/** A job as a job list says it: "ID PROGRAM SYSTEM STATE [rc=N]". */
	public static String line(Job j) {
		return j.id() + " " + j.program() + " " + j.system() + " " + j.state() + j.rc().map(rc -> " rc=" + rc).orElse("");
	}

	private void publish(Job job) {
		Spool s = spool;
		if (s != null) {
			try {
				s.publish(job.user(), job.id(), line(job));
			} catch (IOException e) {
				trace("could not publish " + job.id() + " to the other systems' job lists: " + e.getMessage());
			}
		}
	}

	private void trace(String s) {
		trace.accept("Job runner: " + s);
	}

	/**
	 * Submits a job. Returns when its JVM runs (for TEST: when its debug engine waits).
	 *
	 * @param program  a file name in jobs/, such as Payroll.java
	 * @param options  runtime options, such as TEST(,,,DBMDT%IBMUSER)
	 * @param affinity the system to run on, or empty for the runner's choice
	 * @throws IllegalArgumentException for a bad program name, options or system (the message says which)
	 */
	public Job submit(String user, String program, List<String> args, String options, Optional<String> affinity)
			throws IOException {
		if (closed) {
			throw new IOException("the job runner is stopped");
		}
		if (!PROGRAM.matcher(program).matches() || !Files.isRegularFile(jobsDir.resolve(program))) {
			throw new IllegalArgumentException("no program " + program + " in " + jobsDir
					+ " (a job is a Java source file there, such as Payroll.java)");
		}
		Optional<String> debugUser = TestOption.debugUser(options, user);
		List<TcpipStack> active = stacks.get().stream().filter(TcpipStack::isActive).toList();
		TcpipStack stack;
		if (affinity.isPresent()) {
			stack = active.stream().filter(s -> s.name().equalsIgnoreCase(affinity.get())).findFirst()
					.orElseThrow(() -> new IllegalArgumentException("system " + affinity.get()
							+ (onlySystem != null && stacks.get().stream().anyMatch(s -> s.name().equalsIgnoreCase(
									affinity.get()))
									? " runs in a process of its own (this one runs " + onlySystem + "): in the isolated "
											+ "mode a job runs on the system of the session that submits it; log on to "
											+ affinity.get() + " to run it there"
									: " is not an active system of the sysplex")));
		} else {
			if (active.isEmpty()) {
				throw new IOException("no system of the sysplex is active");
			}
			stack = active.get(Math.floorMod(next.getAndIncrement(), active.size()));
		}
		String id = String.format("JOB%05d", IDS.incrementAndGet());
		Path dir = workArea.apply(stack.name()).orElseThrow().resolve("jobs").resolve(id);
		Files.createDirectories(dir);
		Job job = new Job(id, user.toUpperCase(java.util.Locale.ROOT), program, stack.name(), debugUser,
				dir.resolve("output.txt"));
		jobs.put(id, job);
		try {
			Path classes = compile(job, dir);
			launch(job, stack, dir, classes, args);
		} catch (IOException | RuntimeException e) {
			job.state = State.FAILED;
			Files.writeString(job.output, "job " + id + " failed to start: " + e.getMessage() + "\n");
			job.end.complete(job);
			publish(job);
			throw e;
		}
		publish(job);
		return job;
	}

	/**
	 * The classes of the job's program: those kept for its source when there are, else compiled now
	 * (javac's messages go to the job's javac.txt) and kept.
	 */
	private Path compile(Job job, Path dir) throws IOException {
		byte[] source = Files.readAllBytes(jobsDir.resolve(job.program));
		String key = job.program.replace(".java", "") + "-" + sha256(source, System.getProperty("java.home"));
		Path kept = classCache.resolve(key);
		java.util.concurrent.locks.ReentrantLock lock = compiling.computeIfAbsent(key,
				k -> new java.util.concurrent.locks.ReentrantLock());
		lock.lock();
		try {
			if (Files.isDirectory(kept)) {
				touch(kept);
				Files.writeString(dir.resolve("javac.txt"), "compiled before: " + kept + "\n");
				return kept;
			}
			Files.createDirectories(classCache);
			Path fresh = Files.createTempDirectory(classCache, key + ".");
			try {
				// compile the bytes that were hashed: a source changed meanwhile is a new version, not this one
				Path copy = fresh.resolve("src").resolve(job.program);
				Files.createDirectories(copy.getParent());
				Files.write(copy, source);
				javac(job, dir, copy, fresh.resolve("classes"));
				Files.move(fresh.resolve("classes"), kept, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
			} finally {
				deleteQuietly(fresh);
			}
			trimCache();
			return kept;
		} finally {
			lock.unlock();
		}
	}

	private void javac(Job job, Path dir, Path sourceFile, Path classes) throws IOException {
		Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
		// javac writes to a file, not a pipe: reading a pipe blocks the carrier of the session's virtual
		// thread, and the scheduler adds a carrier per concurrent SUBMIT (waitFor does not block one)
		Path log = dir.resolve("javac.txt");
		// run in jobs/'s copy's directory with a relative name, so javac's messages say Payroll.java:12
		Process p = new ProcessBuilder(javac.toString(), "-g", "-encoding", "UTF-8", "-d", classes.toAbsolutePath()
				.toString(), job.program).directory(sourceFile.getParent().toFile()).redirectErrorStream(true)
				.redirectOutput(log.toAbsolutePath().toFile()).start();
		try {
			boolean done = p.waitFor(60, TimeUnit.SECONDS);
			if (!done) {
				p.destroyForcibly();
			}
			if (!done || p.exitValue() != 0) {
				throw new IOException("compiling " + job.program + (done ? " failed" : " took over 60 s") + ":\n"
						+ Files.readString(log, StandardCharsets.UTF_8));
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			p.destroyForcibly();
			throw new IOException("interrupted while compiling " + job.program, e);
		}
	}

	private static String sha256(byte[] source, String jdk) {
		try {
			java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
			md.update(source);
			md.update((byte) 0);
			md.update(jdk.getBytes(StandardCharsets.UTF_8));
			return java.util.HexFormat.of().formatHex(md.digest(), 0, 12);
		} catch (java.security.NoSuchAlgorithmException e) {
			throw new IllegalStateException("every JDK has SHA-256", e);
		}
	}

	private static void touch(Path p) {
		try {
			Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(Instant.now()));
		} catch (IOException e) {
			// the order of trimming is all it changes
		}
	}

	/** Deletes the least recently used versions beyond {@link #CLASS_CACHE_ENTRIES} (not one in use by a compile). */
	private void trimCache() {
		try (var entries = Files.list(classCache)) {
			List<Path> kept = entries.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().contains("."))
					.sorted(java.util.Comparator.comparing(JobRunner::modified).reversed()).toList();
			for (Path old : kept.subList(Math.min(kept.size(), CLASS_CACHE_ENTRIES), kept.size())) {
				deleteQuietly(old);
			}
		} catch (IOException e) {
			trace("the compiled programs in " + classCache + " could not be trimmed: " + e.getMessage());
		}
	}

	private static java.nio.file.attribute.FileTime modified(Path p) {
		try {
			return Files.getLastModifiedTime(p);
		} catch (IOException e) {
			return java.nio.file.attribute.FileTime.fromMillis(0);
		}
	}

	private static void deleteQuietly(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (var walk = Files.walk(dir)) {
			for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		} catch (IOException e) {
			// a running job's JVM may still read a trimmed version on some systems; the next trim retries
		}
	}

	private void launch(Job job, TcpipStack stack, Path dir, Path classes, List<String> args) throws IOException {
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-Xshare:auto"));
		EngineLink engine = job.debugUser.isPresent() ? announceEngine(job) : null;
		if (engine != null) {
			cmd.add("-agentlib:jdwp=transport=dt_socket,server=n,suspend=y,address=" + engine.address);
		}
		cmd.addAll(List.of("-cp", classes.toString(), job.program.replace(".java", "")));
		cmd.addAll(args);
		long t0 = System.nanoTime();
		job.started = Instant.now();
		Process p;
		try {
			p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
		} catch (IOException e) {
			if (engine != null) {
				engine.close();
			}
			throw e;
		}
		job.process = p;
		BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
		Writer file = Files.newBufferedWriter(job.output, StandardCharsets.UTF_8);
		if (engine != null) {
			job.state = State.WAITING_FOR_DEBUGGER;
			java.util.concurrent.atomic.AtomicBoolean connected = new java.util.concurrent.atomic.AtomicBoolean();
			p.onExit().thenRun(() -> {
				// (not "state == WAITING": the output thread may already have set the job's final state)
				if (!connected.get()) {
					engine.close(); // a JVM whose agent could not connect ends: do not wait out the read timeout
				} else if (job.state != State.DEBUGGING) {
					// ended (canceled, its system stopped) while it waited, or a debugger's ATTACHED is still
					// on its way: say so by closing our half only, so that the Debug Manager ends a waiting
					// session at once instead of announcing a dead job, and its last words (ATTACHED, then
					// CANCELED when the debugger's Exit ended the JVM) are still read; it closes its half then
					engine.shutdownOutput();
					java.util.concurrent.CompletableFuture.delayedExecutor(10, TimeUnit.SECONDS).execute(() -> {
						if (!job.engineDone.isDone()) {
							engine.close(); // the Debug Manager said nothing more: do not hold the connection
						}
					});
				}
			});
			try {
				Frames.write(engine.out, Message.of(Dbm.STARTED).with(Dbm.F_PID, p.pid()).build());
				Message ready = Frames.read(engine.in, Dbm.MAX_FRAME); // bounded by the socket's read timeout
				if (ready == null || !ready.is(Dbm.READY)) {
					throw new IOException(p.isAlive() ? "the Debug Manager answered " + ready
							: "the job's JVM ended (exit " + p.exitValue() + ") before its agent connected");
				}
				connected.set(true);
				job.jvmStart = Duration.ofNanos(System.nanoTime() - t0);
				engine.socket.setSoTimeout(0); // the DBM ends the wait: ATTACHED, or DORMANT_TIMEOUT after DORMANT s
			} catch (IOException e) {
				engine.close();
				p.destroy();
				file.close();
				throw new IOException("the debug engine of " + job.id + " did not reach the Debug Manager of "
						+ job.system + ": " + e.getMessage(), e);
			}
			trace(job.id + " (" + job.program + ") runs on " + job.system + " with TEST for " + job.debugUser.get()
					+ "; its debug engine is connected to the Debug Manager and waits");
			Thread.ofVirtual().name("engine " + job.id).start(() -> awaitDebugger(job, engine));
		} else {
			job.jvmStart = Duration.ofNanos(System.nanoTime() - t0);
			job.state = State.RUNNING;
			trace(job.id + " (" + job.program + ") runs on " + job.system);
		}
		// a platform thread: reading the JVM's pipe and waiting for the process block a carrier, and the
		// virtual-thread scheduler added a carrier per running job that stayed after the jobs ended
		Thread.ofPlatform().daemon().name("output " + job.id).start(() -> {
			try (file) {
				char[] buf = new char[8192];
				for (int n; (n = out.read(buf)) >= 0;) {
					file.write(buf, 0, n);
					file.flush();
				}
			} catch (IOException e) {
				trace(job.id + ": output could not be kept: " + e.getMessage());
			}
			try {
				job.rc = p.waitFor();
				if (engine != null && job.cancelReason == null) {
					// the DBM says CANCELED before it passes the debugger's Exit on: wait for its last word
					// (bounded: the control connection ends with the relay, or 10 s after the JVM's end)
					job.engineDone.get(10, TimeUnit.SECONDS);
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			} catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
				// no word from the DBM in time: the job ended by itself
			}
			if (job.cancelReason != null) {
				job.state = State.CANCELED;
				trace(job.id + " on " + job.system + " was canceled " + job.cancelReason + " (the JVM's exit code "
						+ job.rc + " is not the program's)");
				try {
					Files.writeString(job.output, "\n" + job.id + " CANCELED " + job.cancelReason + "\n",
							StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
				} catch (IOException e) {
					trace(job.id + ": the cancel could not be written to its output: " + e.getMessage());
				}
			} else {
				job.state = State.ENDED;
				trace(job.id + " ended on " + job.system + " with rc=" + job.rc);
			}
			job.end.complete(job);
			endListeners.forEach(l -> l.accept(job));
		});
	}

	/** The engine's control connection to its Debug Manager, and the one-time address its agent connects to. */
	private record EngineLink(Socket socket, java.io.InputStream in, OutputStream out, String address) {
		void close() {
			try {
				socket.close();
			} catch (IOException e) {
				// closing after a failure: nothing more to say
			}
		}

		void shutdownOutput() {
			try {
				socket.shutdownOutput();
			} catch (IOException e) {
				close();
			}
		}
	}

	/**
	 * Announces the job's debug engine to the Debug Manager of its own system with a one-time
	 * credential; null when none runs there or it refuses (the job then runs without an agent).
	 */
	private EngineLink announceEngine(Job job) {
		NameTokens nt = nameTokens.apply(job.system);
		Optional<String> port = nt.retrieve(Dbm.NAME_TOKEN);
		InetSocketAddress home = stacks.get().stream().filter(st -> st.name().equals(job.system)).findFirst()
				.map(st -> new InetSocketAddress(st.homeAddress(), port.map(Integer::parseInt).orElse(0))).orElse(null);
		if (port.isEmpty() || home == null) {
			trace(job.id + ": no Debug Manager runs on " + job.system + "; the job goes on without the debugger");
			return null;
		}
		Socket s = new Socket();
		try {
			s.connect(home, 5_000);
			s.setSoTimeout(Dbm.HANDSHAKE_TIMEOUT_MS);
			OutputStream out = s.getOutputStream();
			java.io.InputStream in = s.getInputStream();
			String credential = tickets.generate(job.debugUser.get(), DebugManager.engineApplication(job.system, job.id));
			Frames.write(out, Message.of(Dbm.ENGINE).with(Dbm.F_USER, job.debugUser.get()).with(Dbm.F_JOB, job.id)
					.with(Dbm.F_CREDENTIAL, credential).build());
			Message queued = Frames.read(in, Dbm.MAX_FRAME);
			if (queued == null || !queued.is(Dbm.QUEUED)) {
				throw new IOException("the Debug Manager answered " + (queued != null && queued.is(Dbm.FAILED)
						? queued.get(Dbm.F_STATUS).orElse("") + ": " + queued.get(Dbm.F_MESSAGE).orElse("") : queued));
			}
			s.setSoTimeout(60_000); // until READY: the JVM's start
			return new EngineLink(s, in, out, queued.require(Dbm.F_ENGINE));
		} catch (IOException | RuntimeException e) {
			try {
				s.close();
			} catch (IOException closing) {
				e.addSuppressed(closing);
			}
			trace(job.id + ": the Debug Manager of " + job.system + " cannot take the debug engine (" + e.getMessage()
					+ "); the job goes on without the debugger");
			return null;
		}
	}

	/** Waits for the Debug Manager's word: a debugger attached, or the job goes on without one. */
	private void awaitDebugger(Job job, EngineLink engine) {
		try {
			Message outcome = Frames.read(engine.in, Dbm.MAX_FRAME);
			if (outcome != null && (outcome.is(Dbm.ATTACHED) || outcome.is(Dbm.CANCELED))) {
				job.state = State.DEBUGGING;
				trace(job.id + ": a debugger is attached through the Debug Manager of " + job.system);
				followDebugging(job, engine, outcome);
				return;
			}
			trace(job.id + ": " + (outcome == null ? "the Debug Manager went away"
					: outcome.is(Dbm.DORMANT_TIMEOUT) ? "dormant timeout" : outcome.type() + " "
							+ outcome.get(Dbm.F_MESSAGE).orElse("")) + "; the job goes on without the debugger");
		} catch (IOException | RuntimeException e) {
			trace(job.id + ": the connection to the Debug Manager of " + job.system + " failed (" + e.getMessage()
					+ "); the job goes on without the debugger");
		} finally {
			engine.close();
			job.engineDone.complete(null);
		}
		if (job.state == State.WAITING_FOR_DEBUGGER) {
			job.state = State.RUNNING;
		}
	}

	/**
	 * While a debugger is linked, the control connection stays open (no read timeout: the DBM closes
	 * it when the relay ends) for one more word: CANCELED, when the debugger ends the JVM.
	 */
	private void followDebugging(Job job, EngineLink engine, Message first) {
		try {
			for (Message m = first; m != null; m = Frames.read(engine.in, Dbm.MAX_FRAME)) {
				if (m.is(Dbm.CANCELED)) {
					job.canceledBy = m.get(Dbm.F_USER).orElse(job.debugUser.orElse(job.user));
					job.cancelReason = "by the debugger of " + job.canceledBy;
					job.engineDone.complete(null); // the last word that matters: the job's end need not wait for more
				}
			}
		} catch (IOException | RuntimeException e) {
			// the relay ended (the DBM closes this connection then): the debugging is over
		}
	}

	public Optional<Job> job(String id) {
		return Optional.ofNullable(jobs.get(id));
	}

	/** Every job, oldest first. */
	public List<Job> all() {
		return jobs.values().stream().sorted(java.util.Comparator.comparing(Job::submitted)).toList();
	}

	/** A user's jobs, oldest first. */
	public List<Job> jobs(String user) {
		return jobs.values().stream().filter(j -> j.user.equalsIgnoreCase(user))
				.sorted(java.util.Comparator.comparing(Job::submitted)).toList();
	}

	/** The job's output so far, at most {@code max} characters (the end of it when longer). */
	public String output(Job job, int max) throws IOException {
		if (!Files.isRegularFile(job.output)) {
			return "";
		}
		String text = Files.readString(job.output, StandardCharsets.UTF_8);
		return text.length() <= max ? text : "...\n" + text.substring(text.length() - max);
	}

	/**
	 * Cancels a job that is still running (its JVM is ended at once): it ends CANCELED with
	 * {@code reason} ("by ALICE"). Returns false when it had already ended.
	 */
	public boolean cancel(Job job, String reason) {
		Process p = job.process;
		if (p == null || !p.isAlive() || job.end.isDone()) {
			return false;
		}
		job.cancelReason = reason;
		p.destroyForcibly();
		trace(job.id + " on " + job.system + " is canceled " + reason);
		return true;
	}

	/**
	 * A system stopped (its failure, or its stack ended): the jobs that ran there end with it, as
	 * canceled with that reason; their JVMs are ended at once. Returns those jobs.
	 */
	public List<Job> systemStopped(String system) {
		List<Job> ended = new ArrayList<>();
		for (Job j : jobs.values()) {
			Process p = j.process;
			if (j.system.equals(system) && p != null && p.isAlive()) {
				j.cancelReason = "because its system " + system + " stopped";
				p.destroyForcibly();
				ended.add(j);
			}
		}
		if (!ended.isEmpty()) {
			trace(ended.size() + " job(s) of " + system + " end with their system: "
					+ ended.stream().map(Job::id).toList());
		}
		return ended;
	}

	@Override
	public void close() {
		closed = true;
		List<Process> alive = new ArrayList<>();
		for (Job j : jobs.values()) {
			Process p = j.process;
			if (p != null && p.isAlive()) {
				p.destroy();
				alive.add(p);
			}
		}
		// a JVM whose threads its JDWP agent holds suspended may never act on SIGTERM: kill what is left
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
		for (Process p : alive) {
			try {
				if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
					p.destroyForcibly();
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				p.destroyForcibly();
			}
		}
	}
}
