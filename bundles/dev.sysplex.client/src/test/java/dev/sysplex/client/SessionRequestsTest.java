package dev.sysplex.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sysplex.protocol.Message;
import dev.sysplex.protocol.Rse;

/** Requests matched to answers by id (protocol version 2), against a scripted host over real sockets. */
class SessionRequestsTest {

	private static final char[] PASSWORD = "pw".toCharArray();
	private final ScriptedHost host;

	SessionRequestsTest() throws IOException {
		host = new ScriptedHost();
	}

	@AfterEach
	void stop() throws IOException {
		host.close();
	}

	private Session logon(Duration readTimeout, List<Session.Listener> listeners) throws ConnectException {
		return new RseConnector(new RseConnector.Options().readTimeout(readTimeout).tlsMemory(TlsMemory.disabled())
				.reconnect(false, 0, Duration.ZERO, Duration.ZERO)).connect(host.host, host.daemonPort(), "ALICE",
						PASSWORD, EncryptionPolicy.DISABLED, new Cancellation(), listeners);
	}

	/** A logon whose listener completes {@code ended} with how the session ended. */
	private Session logonHearingTheEnd(CompletableFuture<Session.Ending> ended) throws ConnectException {
		return logon(Duration.ofSeconds(10), List.of(new Session.Listener() {
			@Override
			public void ended(Session.Ending ending) {
				ended.complete(ending);
			}
		}));
	}

	@Test
	void severalRequestsInFlightGetTheirOwnAnswersWhateverTheirOrder() throws Exception {
		Session s = logon(Duration.ofSeconds(10), List.of());
		ScriptedHost.Peer peer = host.session();
		CompletableFuture<Map<String, String>> whoami = CompletableFuture.supplyAsync(() -> call(s::whoami));
		Message first = peer.read();
		CompletableFuture<List<String>> jobs = CompletableFuture.supplyAsync(() -> call(s::jobs));
		Message second = peer.read();
		CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> call(() -> s.output("JOB00001")));
		Message third = peer.read();
		List<Message> requests = List.of(first, second, third);
		assertEquals(3, requests.stream().map(m -> m.get(Rse.F_ID).orElseThrow()).distinct().count(),
				"every request has an id of its own: " + requests);
		assertEquals(3, s.inFlight());
		// answered last first
		peer.answer(third, Rse.JOBOUTPUT, Rse.F_TEXT, "hello", Rse.F_FROM, "0", Rse.F_TO, "5", Rse.F_SIZE, "5");
		peer.answer(second, Rse.JOBLIST, Rse.F_COUNT, "1", "job.0", "JOB00001 Hello.java SYS1 ENDED 0");
		peer.answer(first, Rse.SESSION, Rse.F_SYSTEM, "SYS1", Rse.F_USER, "ALICE");
		assertEquals("hello", output.get(10, TimeUnit.SECONDS));
		assertEquals(List.of("JOB00001 Hello.java SYS1 ENDED 0"), jobs.get(10, TimeUnit.SECONDS));
		assertEquals("ALICE", whoami.get(10, TimeUnit.SECONDS).get(Rse.F_USER));
		assertFalse(whoami.get().containsKey(Rse.F_ID), "the id is the protocol's, not the caller's");
		assertEquals(0, s.inFlight());
		s.close();
	}

	@Test
	void anAnswerAfterItsRequestTimedOutIsDroppedAndTheSessionGoesOn() throws Exception {
		Session s = logon(Duration.ofMillis(300), List.of());
		ScriptedHost.Peer peer = host.session();
		ConnectException timedOut = assertThrows(ConnectException.class, s::jobs);
		Message late = peer.read();
		assertTrue(timedOut.getMessage().contains("no answer to JOBS (request " + late.get(Rse.F_ID).orElseThrow()
				+ ") within 0.3 s; the request was sent and may still be carried out"), timedOut.getMessage());
		peer.answer(late, Rse.JOBLIST, Rse.F_COUNT, "0"); // the answer comes after all

		CompletableFuture<Map<String, String>> whoami = CompletableFuture.supplyAsync(() -> call(s::whoami));
		Message next = peer.read();
		peer.answer(next, Rse.SESSION, Rse.F_SYSTEM, "SYS1", Rse.F_USER, "ALICE");
		assertEquals("SYS1", whoami.get(10, TimeUnit.SECONDS).get(Rse.F_SYSTEM), "not the late JOBLIST");
		assertEquals(1, s.lateAnswers());
		assertTrue(s.isOpen());
		s.close();
	}

	@Test
	void anAnswerWithAnIdNoRequestHadEndsTheSessionAsAProtocolError() throws Exception {
		CompletableFuture<Session.Ending> ended = new CompletableFuture<>();
		Session s = logonHearingTheEnd(ended);
		ScriptedHost.Peer peer = host.session();
		CompletableFuture<List<String>> jobs = CompletableFuture.supplyAsync(() -> call(s::jobs));
		Message request = peer.read();
		long id = Long.parseLong(request.get(Rse.F_ID).orElseThrow());
		peer.send(Message.of(Rse.JOBLIST).with(Rse.F_ID, id + 1000).with(Rse.F_COUNT, "0").build());
		Session.Ending ending = ended.get(10, TimeUnit.SECONDS);
		assertEquals(Session.Ending.Kind.PROTOCOL, ending.kind());
		assertTrue(ending.reason().contains("JOBLIST with id=" + (id + 1000) + ", which no request of this session had"),
				ending.reason());
		ExecutionException failed = assertThrows(ExecutionException.class, () -> jobs.get(10, TimeUnit.SECONDS));
		assertTrue(failed.getCause().getMessage().contains("no request of this session had"), failed.toString());
		assertFalse(s.isOpen());
		assertNull(peer.read(), "the client closed the connection");
	}

	@Test
	void anAnswerWithoutIdIsAProtocolErrorToo() throws Exception {
		CompletableFuture<Session.Ending> ended = new CompletableFuture<>();
		Session s = logonHearingTheEnd(ended);
		ScriptedHost.Peer peer = host.session();
		peer.send(Message.of(Rse.PONG).build()); // what a version-1 host sent
		Session.Ending ending = ended.get(10, TimeUnit.SECONDS);
		assertEquals(Session.Ending.Kind.PROTOCOL, ending.kind());
		assertTrue(ending.reason().contains("PONG without id="), ending.reason());
		assertFalse(s.isOpen());
	}

	@Test
	void whatTheHostSendsRightAfterTheTicketReachesTheListenersGivenAtLogon() throws Exception {
		host.afterSession = List.of(Message.of(Rse.NOTIFY).with(Rse.F_KIND, "debug.waiting").with("job", "JOB00007")
				.build());
		List<String> heard = new ArrayList<>();
		CompletableFuture<Void> got = new CompletableFuture<>();
		Session s = logon(Duration.ofSeconds(10), List.of(new Session.Listener() {
			@Override
			public void notification(String kind, Map<String, String> fields) {
				heard.add(kind + " " + fields);
				got.complete(null);
			}
		}));
		got.get(10, TimeUnit.SECONDS);
		assertEquals(List.of("debug.waiting {job=JOB00007}"), heard);
		s.close();
	}

	@Test
	void logoffWaitsForTheByeOfItsOwnRequest() throws Exception {
		CompletableFuture<Session.Ending> ended = new CompletableFuture<>();
		Session s = logonHearingTheEnd(ended);
		ScriptedHost.Peer peer = host.session();
		CompletableFuture<Void> off = CompletableFuture.runAsync(() -> call(() -> {
			s.logoff();
			return null;
		}));
		Message logoff = peer.read();
		assertEquals(Rse.LOGOFF, logoff.type());
		peer.answer(logoff, Rse.BYE, Rse.F_MESSAGE, "logged off");
		off.get(10, TimeUnit.SECONDS);
		assertEquals(Session.Ending.Kind.LOGGED_OFF, ended.get(10, TimeUnit.SECONDS).kind());
	}

	interface Call<T> {
		T run() throws IOException;
	}

	private static <T> T call(Call<T> c) {
		try {
			return c.run();
		} catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}
}
