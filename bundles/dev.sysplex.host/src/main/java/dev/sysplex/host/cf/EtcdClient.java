package dev.sysplex.host.cf;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sysplex.host.json.Json;

/**
 * The few calls of etcd's v3 API the coupling facility needs, through etcd's JSON gateway
 * ({@code POST /v3/...}) with the JDK's HTTP client: no library. Keys and values are UTF-8 text
 * (base64 on the wire, as the gateway wants), 64-bit numbers travel as strings. Every call has a
 * connect and a request timeout and reads at most {@link #MAX_RESPONSE} bytes; a failure is an
 * IOException that names the endpoint and the call.
 */
public final class EtcdClient {

	/** The largest answer read (a range over every EZBEPORT block of a sysplex fits many times). */
	public static final int MAX_RESPONSE = 8 * 1024 * 1024;

	private final List<URI> endpoints;
	private final Duration timeout;
	private final HttpClient http;
	/** The member that answered last: asked first. */
	private volatile int current;

	public EtcdClient(URI endpoint, Duration timeout) {
		this(List.of(endpoint), timeout);
	}

	/**
	 * A client of a cluster: a call goes to the member that answered last, and to the next one when
	 * that member does not answer (a member lost goes unnoticed while the others keep a quorum).
	 */
	public EtcdClient(List<URI> endpoints, Duration timeout) {
		if (endpoints.isEmpty()) {
			throw new IllegalArgumentException("no etcd endpoint");
		}
		this.endpoints = List.copyOf(endpoints);
		this.timeout = timeout;
		this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
	}

	/** The member asked first now. */
	public URI endpoint() {
		return endpoints.get(current);
	}

	public List<URI> endpoints() {
		return endpoints;
	}

	/** A key and its value as the range call returned them. */
	public record KeyValue(String key, String value, long lease) {
	}

	/** Grants a lease of {@code ttlSeconds} and returns its id. */
	public long grant(long ttlSeconds) throws IOException {
		Map<String, Object> r = call("/v3/lease/grant", Map.of("TTL", ttlSeconds));
		return number(r.get("ID"), "lease/grant ID");
	}

	/** Renews the lease once; false when etcd no longer knows it (it expired). */
	public boolean keepAlive(long lease) throws IOException {
		Map<String, Object> r = call("/v3/lease/keepalive", Map.of("ID", Long.toString(lease)));
		Object result = r.get("result") instanceof Map<?, ?> m ? m.get("TTL") : r.get("TTL");
		return result != null && number(result, "lease/keepalive TTL") > 0;
	}

	/** Ends the lease: every key put with it goes. */
	public void revoke(long lease) throws IOException {
		call("/v3/lease/revoke", Map.of("ID", Long.toString(lease)));
	}

	/**
	 * Puts {@code key} = {@code value} (with {@code lease}, 0: none) only if the key does not exist:
	 * a claim. True when this call created it.
	 */
	public boolean createIfAbsent(String key, String value, long lease) throws IOException {
		Map<String, Object> put = new LinkedHashMap<>();
		put.put("key", b64(key));
		put.put("value", b64(value));
		if (lease != 0) {
			put.put("lease", Long.toString(lease));
		}
		Map<String, Object> txn = new LinkedHashMap<>();
		txn.put("compare", List.of(Map.of("key", b64(key), "result", "EQUAL", "target", "CREATE", "create_revision", "0")));
		txn.put("success", List.of(Map.of("request_put", put)));
		txn.put("failure", List.of());
		return Boolean.TRUE.equals(call("/v3/kv/txn", txn).get("succeeded"));
	}

	/** Deletes {@code key} only while its value is {@code value}; true when it did. */
	public boolean deleteIfValue(String key, String value) throws IOException {
		Map<String, Object> txn = new LinkedHashMap<>();
		txn.put("compare", List.of(Map.of("key", b64(key), "result", "EQUAL", "target", "VALUE", "value", b64(value))));
		txn.put("success", List.of(Map.of("request_delete_range", Map.of("key", b64(key)))));
		txn.put("failure", List.of());
		return Boolean.TRUE.equals(call("/v3/kv/txn", txn).get("succeeded"));
	}

	/** Puts {@code key} = {@code value} with no lease. */
	public void put(String key, String value) throws IOException {
		call("/v3/kv/put", Map.of("key", b64(key), "value", b64(value)));
	}

	/** Puts {@code key} = {@code value} with {@code lease}: the key goes when the lease ends. */
	public void put(String key, String value, long lease) throws IOException {
		call("/v3/kv/put", Map.of("key", b64(key), "value", b64(value), "lease", Long.toString(lease)));
	}

	/** Every key that starts with {@code prefix}, in key order. */
	public List<KeyValue> prefix(String prefix) throws IOException {
		byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
		end[end.length - 1]++; // the first key after every key with this prefix (the prefix ends in '/')
		Map<String, Object> r = call("/v3/kv/range", Map.of("key", b64(prefix), "range_end",
				Base64.getEncoder().encodeToString(end)));
		List<KeyValue> list = new ArrayList<>();
		if (r.get("kvs") instanceof List<?> kvs) {
			for (Object o : kvs) {
				if (o instanceof Map<?, ?> kv) {
					list.add(new KeyValue(text(kv.get("key")), text(kv.get("value")),
							kv.get("lease") == null ? 0 : number(kv.get("lease"), "range lease")));
				}
			}
		}
		return list;
	}

	/** The value of {@code key}, or null. */
	public String get(String key) throws IOException {
		Map<String, Object> r = call("/v3/kv/range", Map.of("key", b64(key)));
		if (r.get("kvs") instanceof List<?> kvs && !kvs.isEmpty() && kvs.get(0) instanceof Map<?, ?> kv) {
			return text(kv.get("value"));
		}
		return null;
	}

	/** True when a member answers its health check. */
	public boolean healthy() {
		for (URI endpoint : endpoints) {
			try {
				HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/health"))
						.timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
				try (InputStream in = r.body()) {
					String body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
					if (r.statusCode() == 200 && body.contains("\"true\"")) {
						return true;
					}
				}
			} catch (IOException e) {
				// the next member
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return false;
	}

	private Map<String, Object> call(String path, Map<String, ?> request) throws IOException {
		HttpResponse<InputStream> r = null;
		URI endpoint = null;
		IOException failed = null;
		byte[] body = null;
		int first = current;
		for (int i = 0; i < endpoints.size() && r == null; i++) {
			int at = (first + i) % endpoints.size();
			endpoint = endpoints.get(at);
			HttpRequest req = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(timeout)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(Json.line(request))).build();
			try {
				r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
				try (InputStream in = r.body()) {
					body = in.readNBytes(MAX_RESPONSE + 1);
				}
				// a member that is stopping or has lost its cluster answers 408/5xx ("the client connection
				// is closing", "no leader"): that is the member's trouble, not the request's; the next one
				if ((r.statusCode() == 408 || r.statusCode() >= 500) && i < endpoints.size() - 1) {
					failed = new IOException("etcd at " + endpoint + " answered " + path + " with HTTP " + r.statusCode());
					r = null;
					continue;
				}
				current = at;
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IOException("etcd at " + endpoint + ": " + path + " interrupted", e);
			} catch (IOException e) {
				// not answered: the next member (a claim that reached etcd and lost its answer is then seen as
				// taken, and its port comes back with the system's lease)
				r = null;
				failed = new IOException(endpoints.size() == 1 ? "etcd at " + endpoint + " did not answer " + path + ": "
						+ describe(e) : "no member of etcd " + endpoints + " answered " + path + " (last " + endpoint + ": "
								+ describe(e) + ")", e);
			}
		}
		if (r == null) {
			throw failed;
		}
		if (body.length > MAX_RESPONSE) {
			throw new IOException("etcd at " + endpoint + ": the answer to " + path + " is larger than " + MAX_RESPONSE
					+ " bytes");
		}
		String text = new String(body, StandardCharsets.UTF_8);
		if (r.statusCode() != 200) {
			throw new IOException("etcd at " + endpoint + " refused " + path + " (HTTP " + r.statusCode() + "): "
					+ text.strip());
		}
		try {
			if (Json.parse(text) instanceof Map<?, ?> m) {
				@SuppressWarnings("unchecked")
				Map<String, Object> map = (Map<String, Object>) m;
				if (map.get("error") != null) {
					throw new IOException("etcd at " + endpoint + " refused " + path + ": " + map.get("error"));
				}
				return map;
			}
		} catch (Json.ParseException e) {
			throw new IOException("etcd at " + endpoint + " answered " + path + " with no JSON: " + e.getMessage(), e);
		}
		throw new IOException("etcd at " + endpoint + " answered " + path + " with no JSON object");
	}

	private static String describe(IOException e) {
		String m = e.getMessage();
		return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
	}

	private static String b64(String s) {
		return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
	}

	private static String text(Object b64) {
		return b64 == null ? "" : new String(Base64.getDecoder().decode(b64.toString()), StandardCharsets.UTF_8);
	}

	private static long number(Object o, String what) throws IOException {
		try {
			return o instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(o));
		} catch (NumberFormatException e) {
			throw new IOException("etcd: " + what + " is not a number: " + o);
		}
	}
}
