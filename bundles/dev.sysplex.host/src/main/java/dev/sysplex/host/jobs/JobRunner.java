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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sysplex.host.dbm.NameTokens;
import dev.sysplex.host.net.TcpipStack;
import dev.sysplex.protocol.Dbm;
import dev.sysplex.protocol.Frames;
import dev.sysplex.protocol.Message;

/**
 * Runs users' jobs: Java programs from the sysplex's jobs/ directory, each in its own JVM on one
 * system (the one asked for, else the next active system in turn). With the runtime option
 * TEST(,,,DBMDT%userid) the JVM starts with the JDWP agent listening on the system's own address,
 * suspended: the debug engine. The runner registers the engine with the Debug Manager of the
 * job's system and waits; if the DBM reports a dormant timeout (or none runs there), it attaches
 * locally and lets the job go on without a debugger.
 */
public final class JobRunner implements Closeable {

	public enum State {
		WAITING_FOR_DEBUGGER, DEBUGGING, RUNNING, ENDED, FAILED
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

		public Optional<Integer> rc() {
			return Optional.ofNullable(rc);
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

		/** When the job's JVM was started (after compiling). */
		public Optional<Instant> started() {
			return Optional.ofNullable(started);
		}

		/** From starting the JVM until its debug engine listened (or the JVM ran, without TEST). */
		public Optional<Duration> jvmStart() {
			return Optional.ofNullable(jvmStart);
		}

		public Instant submitted() {
			return submitted;
		}

		@Override
		public String toString() {
			return id + " " + program + " on " + system + " " + state + (rc == null ? "" : " rc=" + rc);
		}
	}

	private static final Pattern LISTENING = Pattern.compile("Listening for transport dt_socket at address: (\\d+)");
	private static final Pattern PROGRAM = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\.java");
	private static final AtomicInteger IDS = new AtomicInteger();

	private final Path jobsDir;
	private final Supplier<List<TcpipStack>> stacks;
	private final Function<String, Optional<Path>> workArea;
	private final Function<String, NameTokens> nameTokens;
	private final Consumer<String> trace;
	private final Map<String, Job> jobs = new ConcurrentHashMap<>();
	private final List<Consumer<Job>> endListeners = new CopyOnWriteArrayList<>();
	private final AtomicInteger next = new AtomicInteger();
	private volatile boolean closed;

	/**
	 * @param jobsDir    where programs are (the sysplex's jobs/ directory)
	 * @param stacks     the systems' stacks, in sysplex order
	 * @param workArea   a system's work area
	 * @param nameTokens a system's name/token pairs
	 */
	public JobRunner(Path jobsDir, Supplier<List<TcpipStack>> stacks, Function<String, Optional<Path>> workArea,
			Function<String, NameTokens> nameTokens, Consumer<String> trace) {
		this.jobsDir = jobsDir;
		this.stacks = stacks;
		this.workArea = workArea;
		this.nameTokens = nameTokens;
		this.trace = trace;
	}

	public void onJobEnded(Consumer<Job> listener) {
		endListeners.add(listener);
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
							+ " is not an active system of the sysplex"));
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
			compile(job, dir);
			launch(job, stack, dir, args);
		} catch (IOException | RuntimeException e) {
			job.state = State.FAILED;
			Files.writeString(job.output, "job " + id + " failed to start: " + e.getMessage() + "\n");
			job.end.complete(job);
			throw e;
		}
		return job;
	}

	private void compile(Job job, Path dir) throws IOException {
		Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
		Process p = new ProcessBuilder(javac.toString(), "-g", "-encoding", "UTF-8", "-d", dir.resolve("classes")
				.toString(), jobsDir.resolve(job.program).toString()).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
				throw new IOException("compiling " + job.program + " failed:\n" + out);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while compiling " + job.program, e);
		}
	}

	private void launch(Job job, TcpipStack stack, Path dir, List<String> args) throws IOException {
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-Xshare:auto"));
		String home = stack.homeAddress().getHostAddress();
		if (job.debugUser.isPresent()) {
			cmd.add("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=" + home + ":0");
		}
		cmd.addAll(List.of("-cp", dir.resolve("classes").toString(), job.program.replace(".java", "")));
		cmd.addAll(args);
		long t0 = System.nanoTime();
		job.started = Instant.now();
		Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
		job.process = p;
		BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
		Writer file = Files.newBufferedWriter(job.output, StandardCharsets.UTF_8);
		if (job.debugUser.isPresent()) {
			String first = out.readLine();
			Matcher m = first == null ? null : LISTENING.matcher(first);
			if (m == null || !m.find()) {
				p.destroyForcibly();
				file.close();
				throw new IOException("the debug engine of " + job.id + " did not start: " + first);
			}
			job.jvmStart = Duration.ofNanos(System.nanoTime() - t0);
			job.state = State.WAITING_FOR_DEBUGGER;
			InetSocketAddress engine = new InetSocketAddress(stack.homeAddress(), Integer.parseInt(m.group(1)));
			trace(job.id + " (" + job.program + ") runs on " + job.system + " with TEST for " + job.debugUser.get()
					+ "; its debug engine waits at " + home + ":" + engine.getPort());
			Thread.ofVirtual().name("engine " + job.id).start(() -> engine(job, engine));
		} else {
			job.jvmStart = Duration.ofNanos(System.nanoTime() - t0);
			job.state = State.RUNNING;
			trace(job.id + " (" + job.program + ") runs on " + job.system);
		}
		Thread.ofVirtual().name("output " + job.id).start(() -> {
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
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			job.state = State.ENDED;
			trace(job.id + " ended on " + job.system + " with rc=" + job.rc);
			job.end.complete(job);
			endListeners.forEach(l -> l.accept(job));
		});
	}

	/** The engine side: register with the DBM of the job's own system and wait for a workstation. */
	private void engine(Job job, InetSocketAddress engine) {
		NameTokens nt = nameTokens.apply(job.system);
		Optional<String> port = nt.retrieve(Dbm.NAME_TOKEN);
		if (port.isEmpty()) {
			trace(job.id + ": no Debug Manager runs on " + job.system + "; the job goes on without the debugger");
			release(job, engine);
			return;
		}
		try (Socket s = new Socket()) {
			s.connect(new InetSocketAddress(engine.getAddress(), Integer.parseInt(port.get())), 5_000);
			OutputStream out = s.getOutputStream();
			Frames.write(out, Message.of(Dbm.ENGINE).with(Dbm.F_USER, job.debugUser.get()).with(Dbm.F_JOB, job.id)
					.with(Dbm.F_ENGINE, engine.getAddress().getHostAddress() + ":" + engine.getPort()).build());
			s.setSoTimeout(Dbm.HANDSHAKE_TIMEOUT_MS);
			Message queued = Frames.read(s.getInputStream(), Dbm.MAX_FRAME);
			if (queued == null || !queued.is(Dbm.QUEUED)) {
				throw new IOException("the Debug Manager answered " + queued);
			}
			s.setSoTimeout(0); // the DBM ends the wait: ATTACHED, or DORMANT_TIMEOUT after its DORMANT seconds
			Message outcome = Frames.read(s.getInputStream(), Dbm.MAX_FRAME);
			if (outcome != null && outcome.is(Dbm.ATTACHED)) {
				job.state = State.DEBUGGING;
				trace(job.id + ": a debugger is attached through the Debug Manager of " + job.system);
				return;
			}
			trace(job.id + ": " + (outcome == null ? "the Debug Manager went away" : "dormant timeout")
					+ "; the job goes on without the debugger");
		} catch (IOException | RuntimeException e) {
			trace(job.id + ": the Debug Manager of " + job.system + " cannot be reached (" + e.getMessage()
					+ "); the job goes on without the debugger");
		}
		release(job, engine);
	}

	/** Attaches to the suspended JVM and lets it go: the job runs without a debugger. */
	private void release(Job job, InetSocketAddress engine) {
		if (job.state == State.DEBUGGING || job.state == State.ENDED) {
			return;
		}
		try {
			LocalRelease.resume(engine);
			job.state = State.RUNNING;
		} catch (IOException e) {
			trace(job.id + ": could not release the job's JVM (" + e.getMessage() + "); ending it");
			Process p = job.process;
			if (p != null) {
				p.destroy();
			}
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

	@Override
	public void close() {
		closed = true;
		for (Job j : jobs.values()) {
			Process p = j.process;
			if (p != null && p.isAlive()) {
				p.destroy();
			}
		}
	}
}
