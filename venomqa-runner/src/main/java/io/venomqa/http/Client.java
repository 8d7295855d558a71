package io.venomqa.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.venomqa.http.internal.Redactor;
import io.venomqa.core.CredentialMasker;
import io.venomqa.core.DatabaseUrl;
import io.venomqa.core.VenomQAException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.CookieStore;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The HTTP client a journey's steps call the API with: the JDK {@link HttpClient} with JSON bodies
 * through Jackson, a base URL, default headers, a bearer token and a history of calls for reports.
 *
 * <pre>{@code
 * Client client = Client.builder("http://localhost:8080")
 *         .timeout(Duration.ofSeconds(10))
 *         .header("Accept", "application/json")
 *         .build();
 * Response login = client.post("/login", Map.of("email", "a@b.c", "password", "pw"));
 * client.setAuthToken(login.json().get("token").asText());
 * Response orders = client.get("/orders", Map.of("status", "open"));
 * Response slow = client.request("POST", "/reports").json(Map.of("year", 2026)).timeout(Duration.ofMinutes(1)).send();
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 *   <li>A path that is not an absolute {@code http(s)://} URL is resolved against the base URL; a
 *       body that is a {@code Map}, a record, a bean or a Jackson tree is sent as JSON
 *       ({@code Content-Type: application/json}), a {@code String} as is, a {@code byte[]} as octets.</li>
 *   <li>An HTTP error status is a {@link Response}, not an exception. No response at all (connection
 *       refused, unknown host, timeout, interruption) is an {@link HttpRequestException} naming the
 *       method and URL.</li>
 *   <li>Every call is recorded in {@link #history()} (the newest {@link Builder#historyLimit(int)}
 *       calls), masked and with bodies cut as {@link HttpExchange} describes. The bearer token and
 *       every {@code Authorization} value are masked in the history, in {@link #toString()} and in
 *       exception messages.</li>
 *   <li>Cookies the API sets (also on a redirect) are kept and sent back, like a browser's, each client in a jar of
 *       its own ({@link #withBaseUrl} copies included); {@link #cookies()} and {@link #restoreCookies} save and put
 *       them back, as the runner does at checkpoints and rollbacks. Not with {@link Builder#cookies(boolean)
 *       cookies(false)}, nor with a JDK client of your own.</li>
 *   <li>Thread-safe: settings and history may be changed and read while calls run.</li>
 * </ul>
 */
public final class Client {

    /** Request timeout unless set. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Calls kept in the history unless set. */
    public static final int DEFAULT_HISTORY_LIMIT = 200;
    /** Characters of each body kept in the history unless set. */
    public static final int DEFAULT_MAX_RECORDED_BODY_CHARS = 4_000;

    private final String baseUrl;
    /** {@link #basePath()} once computed. */
    private volatile String basePath;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final Duration timeout;
    private final int historyLimit;
    private final int maxRecordedBodyChars;
    private final Map<String, String> defaultHeaders = new LinkedHashMap<>();
    private final Deque<HttpExchange> history = new ArrayDeque<>();
    private final Set<String> secrets = new LinkedHashSet<>();
    private String authToken;
    private long recordedCount;
    /**
     * The cookies the API set, sent back like a browser does (a session cookie after a form login), through the
     * JDK client's cookie handler so that those set on a redirect (a login's 302) are kept too; null with a JDK
     * client of the user's own or with {@link Builder#cookies(boolean) cookies(false)}.
     */
    private final CookieManager cookieJar;
    /** What {@link #withBaseUrl} needs to build a JDK client of its own with a jar of its own. */
    private final Duration connectTimeout;
    /** {@link Builder#csrfCookie}: the cookie whose value goes out as {@link #csrfHeader}; null for none. */
    private final String csrfCookie;
    private final String csrfHeader;

    /** A client for {@code baseUrl} with the default settings. */
    public Client(String baseUrl) {
        this(builder(baseUrl));
    }

    private Client(Builder b) {
        this.baseUrl = normalizeBase(b.baseUrl);
        this.mapper = b.mapper != null ? b.mapper : new ObjectMapper().findAndRegisterModules();
        this.timeout = b.timeout;
        this.historyLimit = b.historyLimit;
        this.maxRecordedBodyChars = b.maxRecordedBodyChars;
        this.connectTimeout = b.connectTimeout;
        this.csrfCookie = b.csrfCookie;
        this.csrfHeader = b.csrfHeader;
        this.cookieJar = b.httpClient == null && b.cookies ? new CookieManager(null, CookiePolicy.ACCEPT_ALL) : null;
        this.http = b.httpClient != null ? b.httpClient : newHttpClient(b.connectTimeout, cookieJar);
        b.headers.forEach(this::setHeader);
        if (b.authToken != null) {
            setAuthToken(b.authToken);
        }
    }

    // HTTP/1.1: the JDK's default (HTTP/2) tries an h2c upgrade on plain http://, which some
    // servers under test mishandle; a custom HttpClient can still choose HTTP/2.
    private static HttpClient newHttpClient(Duration connectTimeout, CookieManager cookies) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (cookies != null) {
            b.cookieHandler(cookies);
        }
        return b.build();
    }

    /** The copy {@link #withBaseUrl(String)} makes. */
    private Client(Client from, String baseUrl) {
        this.baseUrl = normalizeBase(baseUrl);
        this.mapper = from.mapper;
        this.timeout = from.timeout;
        this.historyLimit = from.historyLimit;
        this.maxRecordedBodyChars = from.maxRecordedBodyChars;
        this.connectTimeout = from.connectTimeout;
        this.csrfCookie = from.csrfCookie;
        this.csrfHeader = from.csrfHeader;
        // A jar of its own (a worker's session is not another worker's), so a JDK client of its own: the jar is
        // the client's cookie handler, fixed when it is built.
        this.cookieJar = from.cookieJar == null ? null : new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        this.http = cookieJar == null ? from.http : newHttpClient(connectTimeout, cookieJar);
        synchronized (from) {
            defaultHeaders.putAll(from.defaultHeaders);
            secrets.addAll(from.secrets);
            authToken = from.authToken;
        }
    }

    /**
     * A new client for {@code baseUrl} with this one's settings as they are now (timeout, Jackson
     * mapper, history limits, default headers, bearer token, the secrets it masks), an empty history
     * and no cookies (a JDK client of its own for its own jar when cookies are kept, else this one's
     * JDK client); later changes to either client do not reach the other. How parallel workers get one
     * client each, all configured like the runner's.
     */
    public Client withBaseUrl(String baseUrl) {
        return new Client(this, baseUrl);
    }

    /**
     * The cookies this client holds now, as a value to give back to {@link #restoreCookies}: the runner saves them
     * with each checkpoint and puts them back on rollback, so that a path starts with the session the checkpoint
     * had (a logout on one path does not log the next one out). Empty when cookies are not kept.
     */
    public CookieSnapshot cookies() {
        if (cookieJar == null) {
            return CookieSnapshot.EMPTY;
        }
        CookieStore store = cookieJar.getCookieStore();
        List<Map.Entry<URI, HttpCookie>> saved = new ArrayList<>();
        synchronized (store) {
            for (URI uri : store.getURIs()) {
                for (HttpCookie c : store.get(uri)) {
                    saved.add(Map.entry(uri, (HttpCookie) c.clone()));
                }
            }
        }
        return new CookieSnapshot(saved);
    }

    /**
     * The value of cookie {@code name} that the client holds for its base URL (for any URL without one), as the API
     * set it, for a step that must send it elsewhere: a CSRF token into a form field or header, say. Empty when it
     * holds none, or keeps no cookies. The value is remembered as a secret: masked wherever the client records it.
     */
    public java.util.Optional<String> cookie(String name) {
        Objects.requireNonNull(name, "name");
        if (cookieJar == null) {
            return java.util.Optional.empty();
        }
        CookieStore store = cookieJar.getCookieStore();
        java.util.Optional<String> value = (baseUrl == null ? store.getCookies() : store.get(buildUri("", List.of())))
                .stream().filter(c -> c.getName().equals(name)).map(HttpCookie::getValue).findFirst();
        value.ifPresent(this::rememberSecret);
        return value;
    }

    /** Replaces the cookies this client holds by {@code snapshot}'s (see {@link #cookies()}). */
    public void restoreCookies(CookieSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        if (cookieJar == null) {
            return;
        }
        CookieStore store = cookieJar.getCookieStore();
        synchronized (store) {
            store.removeAll();
            snapshot.entries().forEach(e -> store.add(e.getKey(), (HttpCookie) e.getValue().clone()));
        }
    }

    /** Forgets every cookie the API set (a new session on the next call). */
    public void clearCookies() {
        if (cookieJar != null) {
            cookieJar.getCookieStore().removeAll();
        }
    }

    /**
     * Cookies as {@link #cookies()} saved them: immutable, safe to keep with a checkpoint. Their values are
     * session secrets, so {@link #toString()} names them only.
     */
    public static final class CookieSnapshot {
        static final CookieSnapshot EMPTY = new CookieSnapshot(List.of());
        private final List<Map.Entry<URI, HttpCookie>> entries;

        private CookieSnapshot(List<Map.Entry<URI, HttpCookie>> entries) {
            this.entries = List.copyOf(entries);
        }

        List<Map.Entry<URI, HttpCookie>> entries() {
            return entries;
        }

        /** How many cookies were saved. */
        public int size() {
            return entries.size();
        }

        @Override
        public String toString() {
            return "cookies " + entries.stream().map(e -> e.getValue().getName()).toList();
        }
    }

    /** A builder for a client of {@code baseUrl} ({@code http://host:port/prefix}; may be {@code null} to use only absolute URLs). */
    public static Builder builder(String baseUrl) {
        return new Builder(baseUrl);
    }

    // ---- calls -----------------------------------------------------------------------------

    public Response get(String path) {
        return request("GET", path).send();
    }

    /** GET with query parameters; an {@code Iterable} value repeats the parameter. */
    public Response get(String path, Map<String, ?> query) {
        return request("GET", path).query(query).send();
    }

    public Response post(String path) {
        return request("POST", path).send();
    }

    /** POST with a body: JSON for maps and objects, as is for a {@code String} or {@code byte[]}. */
    public Response post(String path, Object body) {
        return request("POST", path).body(body).send();
    }

    public Response put(String path, Object body) {
        return request("PUT", path).body(body).send();
    }

    public Response patch(String path, Object body) {
        return request("PATCH", path).body(body).send();
    }

    public Response delete(String path) {
        return request("DELETE", path).send();
    }

    /** DELETE with query parameters. */
    public Response delete(String path, Map<String, ?> query) {
        return request("DELETE", path).query(query).send();
    }

    /** A request with every option: {@code client.request("PUT", "/x").query("a", 1).header("If-Match", etag).json(body).timeout(d).send()}. */
    public RequestBuilder request(String method, String path) {
        return new RequestBuilder(method, path);
    }

    // ---- settings --------------------------------------------------------------------------

    /** Sends {@code Authorization: Bearer <token>} with every later call; {@code null} removes it. */
    public synchronized Client setAuthToken(String token) {
        if (token == null || token.isEmpty()) {
            return clearAuthToken();
        }
        this.authToken = token;
        secrets.add(token);
        return this;
    }

    /** Stops sending the bearer token (it stays masked in the history). */
    public synchronized Client clearAuthToken() {
        this.authToken = null;
        return this;
    }

    /** Whether a bearer token is set. */
    public synchronized boolean hasAuthToken() {
        return authToken != null;
    }

    /** Sends header {@code name} with every later call ({@code null} value removes it). */
    public synchronized Client setHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        if (value == null) {
            defaultHeaders.remove(name);
        } else {
            defaultHeaders.put(name, value);
            if (Redactor.isSecretHeader(name)) {
                rememberSecret(value);
            }
        }
        return this;
    }

    /** Stops sending default header {@code name}. */
    public Client removeHeader(String name) {
        return setHeader(name, null);
    }

    /** The default headers, secret values masked. */
    public synchronized Map<String, String> headers() {
        Map<String, String> out = new LinkedHashMap<>();
        defaultHeaders.forEach((k, v) -> out.put(k, Redactor.headerValue(k, v)));
        return out;
    }

    /**
     * Masks {@code secret} wherever it appears in later history entries and in {@link #mask(String)}
     * (for a token the API returns that the client does not send itself).
     */
    public synchronized Client addSecret(String secret) {
        rememberSecret(secret);
        return this;
    }

    /**
     * Masks, as {@link #addSecret}, every text value {@code context} holds under a secret-looking key
     * ({@code api_token}, {@code password}, …: {@link CredentialMasker#isSecretKey}), so that a step's or an
     * invariant's message quoting one is masked although the client never sent it. The runner and the explorer
     * call it before they describe a failure.
     */
    public Client addSecretsFrom(io.venomqa.context.ExecutionContext context) {
        for (String key : context.keys()) {
            if (CredentialMasker.isSecretKey(key) && context.get(key) instanceof CharSequence value) {
                rememberSecret(value.toString());
            }
        }
        return this;
    }

    /** {@code text} with every secret this client knows (tokens, secret headers, secret JSON fields) masked. */
    public String mask(String text) {
        return Redactor.text(text, secretsCopy());
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * The path of the base URL as sent ({@link URI#getRawPath()}: percent-encoding kept), without a
     * trailing slash; {@code ""} when the base URL has none, {@code null} when the client has no base
     * URL. Parsed once per client: callers that map a request's path back to the API's own paths ask
     * after every call.
     *
     * @throws IllegalArgumentException if the base URL is not a valid URI
     */
    public String basePath() {
        String p = basePath;
        if (p == null && baseUrl != null) {
            String raw = URI.create(baseUrl).getRawPath();
            p = raw == null ? "" : raw;
            basePath = p; // a race only parses twice
        }
        return p;
    }

    /** The default request timeout. */
    public Duration timeout() {
        return timeout;
    }

    /** The Jackson mapper for bodies; register modules on it before the first call. */
    public ObjectMapper mapper() {
        return mapper;
    }

    // ---- history ---------------------------------------------------------------------------

    /** The newest recorded calls, oldest first (a copy). */
    public synchronized List<HttpExchange> history() {
        return List.copyOf(history);
    }

    /** The most recent call, or {@code null} before the first. */
    public synchronized HttpExchange lastExchange() {
        return history.peekLast();
    }

    /** How many calls were recorded since the client was made, including those dropped from the history. */
    public synchronized long recordedCount() {
        return recordedCount;
    }

    /**
     * The calls recorded after {@link #recordedCount()} was {@code count}, oldest first, as far as the
     * history still holds them: the runner uses it to attach a step's calls to its result.
     */
    public synchronized List<HttpExchange> historySince(long count) {
        int available = (int) Math.min(history.size(), Math.max(0, recordedCount - count));
        if (available == 0) {
            return List.of();
        }
        // Walk back from the newest: the runner asks after every step for one or two calls, and
        // copying the whole history (200 calls by default) for them was most of what it allocated.
        HttpExchange[] out = new HttpExchange[available];
        Iterator<HttpExchange> newestFirst = history.descendingIterator();
        for (int i = available - 1; i >= 0; i--) {
            out[i] = newestFirst.next();
        }
        return List.of(out);
    }

    /** Forgets the history (the count goes on). */
    public synchronized void clearHistory() {
        history.clear();
    }

    @Override
    public String toString() {
        return "Client[" + CredentialMasker.maskUrl(baseUrl) + ", headers=" + headers()
                + (hasAuthToken() ? ", auth=Bearer " + CredentialMasker.MASK : "") + "]";
    }

    // ---- internals -------------------------------------------------------------------------

    private synchronized void rememberSecret(String secret) {
        if (secret != null && secret.length() >= 4) {
            secrets.add(secret);
            int space = secret.indexOf(' ');
            if (space > 0 && space + 1 < secret.length() && secret.length() - space - 1 >= 4) {
                secrets.add(secret.substring(space + 1)); // the credential of "Bearer xyz"
            }
        }
    }

    private synchronized Collection<String> secretsCopy() {
        return List.copyOf(secrets);
    }

    private synchronized void record(HttpExchange exchange) {
        history.addLast(exchange);
        recordedCount++;
        while (history.size() > historyLimit) {
            history.removeFirst();
        }
    }

    private Response send(RequestBuilder r) {
        Outgoing out = prepare(r);
        Recorded rec = recordRequest(out);
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = http.send(out.request(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(r.method, rec, started, t0, "interrupted",
                    r.method + " " + rec.url() + " was interrupted (the step timed out or the run was stopped).", e);
        } catch (IOException e) {
            throw transportFailure(r.method, out, rec, started, t0, e);
        }
        return received(r.method, out.uri(), response, rec, started, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** A request ready to go: the URI, the body as sent, and the built request. */
    private record Outgoing(URI uri, Map<String, String> headers, byte[] body, String contentType, Duration timeout,
                            HttpRequest request, String bodyText) {
    }

    /** What is recorded of a request: masked URL, headers and body, and the secrets known when it left. */
    private record Recorded(String url, Map<String, String> headers, String body, Collection<String> secrets) {
    }

    /**
     * A body as bytes with the content type it implies ({@code null} for none), and as the history keeps it:
     * {@link #text(byte[])} of the bytes, or a multipart body's {@link Multipart#recordedText()}.
     */
    private record Body(byte[] bytes, String contentType, String text) {
        Body(byte[] bytes, String contentType) {
            this(bytes, contentType, bytes == null ? null : Client.text(bytes));
        }
    }

    /** {@code bytes} as UTF-8 text, or {@code (N bytes, not UTF-8 text)} for a binary body: no mojibake in reports. */
    static String text(byte[] bytes) {
        return isUtf8(bytes) ? new String(bytes, StandardCharsets.UTF_8) : "(" + bytes.length + " bytes, not UTF-8 text)";
    }

    /** Whether {@code bytes} are well-formed UTF-8. */
    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException binary) {
            return false;
        }
    }

    private Outgoing prepare(RequestBuilder r) {
        Map<String, String> headers;
        String token;
        synchronized (this) {
            headers = new LinkedHashMap<>(defaultHeaders);
            token = authToken;
        }
        URI uri = buildUri(r.path, r.query);
        Body body = r.hasBody ? encodeBody(r, uri) : new Body(null, null);
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (body.contentType() != null && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            headers.put("Content-Type", body.contentType());
        }
        headers.putAll(r.headers);
        addCookies(headers, r.cookies, uri);
        addCsrfHeader(headers, r.method, uri);
        if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Accept"))) {
            headers.put("Accept", "application/json, */*;q=0.5");
        }
        Duration requestTimeout = r.timeout != null ? r.timeout : timeout;
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .method(r.method, body.bytes() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        headers.forEach(rb::header);
        // The type the request goes out with: the caller's Content-Type header (a form) over the body's own guess
        String contentType = headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("Content-Type"))
                .map(Map.Entry::getValue).reduce((a, b) -> b).orElse(body.contentType());
        return new Outgoing(uri, headers, body.bytes(), contentType, requestTimeout, rb.build(), body.text());
    }

    /**
     * Adds the request's own cookies ({@link RequestBuilder#cookie}) to its {@code Cookie} header, but for those the
     * jar holds for {@code uri}: the JDK client sends the jar's cookies itself, and two values of one name reach
     * most servers as the first one only.
     */
    private void addCookies(Map<String, String> headers, Map<String, String> cookies, URI uri) {
        if (cookies.isEmpty()) {
            return;
        }
        Set<String> held = new HashSet<>();
        if (cookieJar != null) {
            cookieJar.getCookieStore().get(uri).forEach(c -> held.add(c.getName()));
        }
        String own = cookies.entrySet().stream().filter(c -> !held.contains(c.getKey()))
                .map(c -> c.getKey() + "=" + c.getValue()).collect(java.util.stream.Collectors.joining("; "));
        if (own.isEmpty()) {
            return;
        }
        String key = headers.keySet().stream().filter(h -> h.equalsIgnoreCase("Cookie")).findFirst().orElse("Cookie");
        headers.merge(key, own, (given, added) -> given + "; " + added);
    }

    /** {@link Builder#csrfCookie}: the cookie's value as the header, on a request that may change state and lacks it. */
    private void addCsrfHeader(Map<String, String> headers, String method, URI uri) {
        if (csrfCookie == null || cookieJar == null || !UNSAFE_METHODS.contains(method)
                || headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase(csrfHeader))) {
            return;
        }
        cookieJar.getCookieStore().get(uri).stream().filter(c -> c.getName().equals(csrfCookie)).findFirst()
                .ifPresent(c -> {
                    headers.put(csrfHeader, c.getValue());
                    rememberSecret(c.getValue());
                });
    }

    private static final Set<String> UNSAFE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    /**
     * A multipart body as its parts, a form as form text, bytes as they are, text as UTF-8 (JSON when it looks like
     * JSON), anything else as JSON by Jackson.
     */
    private Body encodeBody(RequestBuilder r, URI uri) {
        if (r.body instanceof Multipart parts) {
            byte[] bytes = parts.bytes();
            return new Body(bytes, parts.contentType(), parts.recordedText(bytes));
        }
        if (r.bodyType != null && r.body instanceof CharSequence text) {
            return new Body(text.toString().getBytes(StandardCharsets.UTF_8), r.bodyType, text.toString());
        }
        if (r.body instanceof byte[] bytes) {
            return new Body(bytes, "application/octet-stream");
        }
        if (r.body instanceof CharSequence text) {
            String t = text.toString().strip();
            return new Body(text.toString().getBytes(StandardCharsets.UTF_8),
                    t.startsWith("{") || t.startsWith("[") ? "application/json" : "text/plain; charset=utf-8", text.toString());
        }
        if (r.body == null) {
            return new Body(null, null);
        }
        try {
            byte[] json = mapper.writeValueAsBytes(r.body);
            return new Body(json, "application/json", new String(json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new VenomQAException("Cannot write the body of " + r.method + " " + mask(uri.toString())
                    + " as JSON (a " + r.body.getClass().getName() + "): " + e.getMessage(), e);
        }
    }

    private Recorded recordRequest(Outgoing out) {
        Redactor.Scanned scanned = out.bodyText() == null ? null : Redactor.scan(out.bodyText());
        String type = out.contentType() == null ? "" : out.contentType().toLowerCase(java.util.Locale.ROOT);
        String base = type.contains(";") ? type.substring(0, type.indexOf(';')).strip() : type;
        if (scanned != null && (base.equals("application/json") || base.endsWith("+json")
                || base.equals("application/x-www-form-urlencoded"))) {
            // A password sent in a body must stay masked when the API echoes it in a field that is not secret.
            scanned.secretValues().forEach(this::rememberSecret);
        }
        // So must a secret query parameter (?refresh_token=…): its value, as sent and decoded.
        String query = out.uri().getRawQuery();
        if (query != null && CredentialMasker.mayHoldSecretKey(query)) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && eq + 1 < pair.length() && CredentialMasker.isSecretKey(DatabaseUrl.decode(pair.substring(0, eq)))) {
                    rememberSecret(pair.substring(eq + 1));
                    rememberSecret(DatabaseUrl.decode(pair.substring(eq + 1)));
                }
            }
        }
        Collection<String> secretList = secretsCopy();
        Map<String, String> maskedHeaders = new LinkedHashMap<>();
        out.headers().forEach((k, v) -> maskedHeaders.put(k, Redactor.headerValue(k, v)));
        String body = scanned == null ? "" : recordBody(scanned, secretList);
        return new Recorded(Redactor.text(out.uri().toString(), secretList), maskedHeaders, body, secretList);
    }

    /** What to do about a request that timed out: which setting to raise, by its name. */
    static final String TIMEOUT_HINT = "Raise timeout: in venomqa.yaml (such as timeout: 60s, or -Dvenomqa.timeout=60s),"
            + " or Client.builder().timeout(…) / request(…).timeout(…) in code; or check why the API is slow.";

    /** A request that got no response, as an exception saying what to check. */
    private HttpRequestException transportFailure(String method, Outgoing out, Recorded rec, Instant started, long t0,
                                                  IOException e) {
        URI uri = out.uri();
        String maskedUrl = rec.url();
        if (e instanceof HttpConnectTimeoutException) {
            return failure(method, rec, started, t0, "connect timed out", "Could not connect to " + hostOf(uri) + " for "
                    + method + " " + maskedUrl + " in time. Is the API running and reachable at " + maskedBase() + "?", e);
        }
        if (e instanceof HttpTimeoutException) {
            return failure(method, rec, started, t0, "timed out after " + millis(out.timeout()), method + " " + maskedUrl
                    + " got no response within " + millis(out.timeout())
                    + ". " + TIMEOUT_HINT, e);
        }
        if (e instanceof ConnectException) {
            return failure(method, rec, started, t0, "connection refused", method + " " + maskedUrl
                    + " failed: connection refused by " + hostOf(uri) + ". Is the API running at " + maskedBase()
                    + "? Check base_url in venomqa.yaml (or VENOMQA_BASE_URL) and that the server has started.", e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root instanceof UnknownHostException ? "unknown host " + uri.getHost()
                : root instanceof ConnectException ? "connection refused"
                : e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + mask(e.getMessage()) : "");
        return failure(method, rec, started, t0, why,
                method + " " + maskedUrl + " failed: " + why + ". Is the API running at " + maskedBase() + "?", e);
    }

    private Response received(String method, URI uri, HttpResponse<byte[]> response, Recorded rec, Instant started,
                              Duration took) {
        byte[] responseBody = response.body() == null ? new byte[0] : response.body();
        Collection<String> secretList = rec.secrets();
        // One decoding and at most one JSON parse of the body serve both the secrets and the record.
        Redactor.Scanned scanned = Redactor.scan(new String(responseBody, StandardCharsets.UTF_8));
        // Tokens the API hands out (a login's "token", "refresh_token") are masked from now on, set or not.
        List<String> handedOut = scanned.secretValues();
        if (!handedOut.isEmpty()) {
            handedOut.forEach(this::rememberSecret);
            secretList = secretsCopy();
        }
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        response.headers().map().forEach((k, v) -> {
            if (!v.isEmpty() && !k.startsWith(":")) {
                responseHeaders.put(k, Redactor.headerValue(k, v.get(0)));
            }
        });
        HttpExchange exchange = new HttpExchange(method, rec.url(), rec.headers(), rec.body(),
                response.statusCode(), responseHeaders, recordBody(scanned, secretList),
                started, took, null);
        record(exchange);
        return Response.received(method, uri, response.statusCode(), response.headers().map(), responseBody, took, exchange, mapper);
    }

    private HttpRequestException failure(String method, Recorded rec, Instant started, long t0, String why,
                                         String message, Throwable cause) {
        return failure(method, rec.url(), rec.headers(), rec.body(), started, t0, why, message, cause);
    }

    private HttpRequestException failure(String method, String maskedUrl, Map<String, String> headers, String body,
                                         Instant started, long t0, String why, String message, Throwable cause) {
        HttpExchange exchange = new HttpExchange(method, maskedUrl, headers, body, null, Map.of(), "",
                started, Duration.ofNanos(System.nanoTime() - t0), why);
        record(exchange);
        return new HttpRequestException(message, exchange, cause);
    }

    private String recordBody(Redactor.Scanned body, Collection<String> secretList) {
        // Mask before cutting so a secret field is never half-visible, and cut after so the record stays bounded.
        return Redactor.truncate(body.masked(secretList), maxRecordedBodyChars);
    }

    private String maskedBase() {
        return baseUrl == null ? "(no base URL)" : CredentialMasker.maskUrl(baseUrl);
    }

    private static String hostOf(URI uri) {
        return uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
    }

    private static String millis(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private URI buildUri(String path, List<Map.Entry<String, Object>> query) {
        Objects.requireNonNull(path, "path");
        String url;
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            url = path;
        } else if (baseUrl == null) {
            throw new IllegalArgumentException("'" + path + "' is not an absolute URL and the client has no base URL. "
                    + "Give one with new Client(\"http://host:port\") or base_url in venomqa.yaml.");
        } else if (path.isEmpty()) {
            url = baseUrl;
        } else {
            url = baseUrl + (path.startsWith("/") ? path : "/" + path);
        }
        if (!query.isEmpty()) {
            StringBuilder sb = new StringBuilder(url).append(url.contains("?") ? '&' : '?');
            boolean first = true;
            for (Map.Entry<String, Object> e : query) {
                if (!first) {
                    sb.append('&');
                }
                first = false;
                sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8));
            }
            url = sb.toString();
        }
        URI known = uris.get(url);
        if (known != null) {
            return known;
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a valid URL: '" + CredentialMasker.maskUrl(url) + "': " + e.getMessage(), e);
        }
        if (uris.size() >= MAX_CACHED_URIS) {
            uris.clear(); // ids in paths make most URLs unique; the ones a journey repeats come back at once
        }
        uris.put(url, uri);
        return uri;
    }

    /**
     * URLs already parsed (a {@link URI} is immutable): a journey or an exploration calls the same
     * few URLs again and again, and parsing one was a tenth of what the client adds to a call
     * (benchmark row 7's profile).
     */
    private final Map<String, URI> uris = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED_URIS = 1024;

    private static String normalizeBase(String baseUrl) {
        if (baseUrl == null) {
            return null;
        }
        String b = baseUrl.strip();
        String lower = b.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new IllegalArgumentException("Base URL must start with http:// or https://: '"
                    + CredentialMasker.maskUrl(b) + "'");
        }
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return b;
    }

    /** One request being put together; {@link #send()} performs it. Not thread-safe; use it once. */
    public final class RequestBuilder {
        private final String method;
        private final String path;
        private final List<Map.Entry<String, Object>> query = new ArrayList<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> cookies = new LinkedHashMap<>();
        private Object body;
        private boolean hasBody;
        /** The content type {@link #form} gives its text body; null for every other body. */
        private String bodyType;
        private Duration timeout;

        private RequestBuilder(String method, String path) {
            this.method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
            this.path = Objects.requireNonNull(path, "path");
        }

        /** Adds query parameter {@code name}; an {@code Iterable} value repeats it, {@code null} skips it. */
        public RequestBuilder query(String name, Object value) {
            Objects.requireNonNull(name, "name");
            if (value instanceof Iterable<?> values) {
                for (Object v : values) {
                    if (v != null) {
                        query.add(Map.entry(name, v));
                    }
                }
            } else if (value != null) {
                query.add(Map.entry(name, value));
            }
            return this;
        }

        /** Adds every entry as a query parameter. */
        public RequestBuilder query(Map<String, ?> params) {
            if (params != null) {
                params.forEach(this::query);
            }
            return this;
        }

        /** Sets header {@code name} for this request, over the client's default. */
        public RequestBuilder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            if (Redactor.isSecretHeader(name)) {
                rememberSecret(value);
            }
            return this;
        }

        /**
         * Sends cookie {@code name} with this request alone, unless the client holds a cookie of that name for the
         * request's URL (one the API set), which is sent instead, as a browser would: a value of your own never
         * hides the session the API gave. The value is masked in every record, as the {@code Cookie} header is.
         *
         * @throws IllegalArgumentException when the name is not a cookie name (a token: no spaces, {@code =},
         *                                  {@code ;} or {@code ,}) or the value holds what a cookie value cannot
         *                                  (spaces, {@code ;}, {@code ,}, {@code "}, a backslash, control characters):
         *                                  percent-encode it first, as the API expects it
         */
        public RequestBuilder cookie(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty() || !name.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(ch) < 0)) {
                throw new IllegalArgumentException("'" + name + "' is not a cookie name: a cookie name is a token of "
                        + "visible ASCII characters without separators (no spaces, '=', ';', ',', quotes or brackets).");
            }
            if (!value.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f && ch != '"' && ch != ',' && ch != ';' && ch != '\\')) {
                throw new IllegalArgumentException("The value of cookie '" + name + "' holds a character a cookie value "
                        + "cannot (a space, ';', ',', '\"', '\\\\' or a character outside visible ASCII). Percent-encode it "
                        + "(URLEncoder) if the API decodes it so, or send another value.");
            }
            cookies.put(name, value);
            rememberSecret(value);
            return this;
        }

        /**
         * The body: JSON for maps and objects, as is for a {@code String} or {@code byte[]}, a {@link Multipart} as its
         * parts; {@code null} for none.
         */
        public RequestBuilder body(Object body) {
            this.body = body;
            this.hasBody = body != null;
            this.bodyType = null;
            return this;
        }

        /**
         * A form body ({@code application/x-www-form-urlencoded}, {@link Form#encode}): an HTML form's post, a Spring
         * Security form login ({@code form(Map.of("username", "qa", "password", pw))}). A field named as a secret
         * ({@code password}, {@code token}, …) is masked in every record.
         */
        public RequestBuilder form(Map<String, ?> fields) {
            body(Form.encode(fields));
            this.bodyType = Form.MEDIA_TYPE;
            return this;
        }

        /** A {@code multipart/form-data} body: a file upload ({@link Multipart}). */
        public RequestBuilder multipart(Multipart parts) {
            return body(Objects.requireNonNull(parts, "parts"));
        }

        /** Same as {@link #body(Object)}, read better for objects. */
        public RequestBuilder json(Object body) {
            return body(body);
        }

        /** The timeout of this request, over the client's. */
        public RequestBuilder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("Request timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Performs the request.
         *
         * @return the response, whatever its status
         * @throws HttpRequestException when no response came, naming the method and URL
         */
        public Response send() {
            return Client.this.send(this);
        }
    }

    /** Builds a {@link Client}. */
    public static final class Builder {
        private final String baseUrl;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private boolean cookies = true;
        private String csrfCookie;
        private String csrfHeader;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String authToken;
        private ObjectMapper mapper;
        private HttpClient httpClient;
        private int historyLimit = DEFAULT_HISTORY_LIMIT;
        private int maxRecordedBodyChars = DEFAULT_MAX_RECORDED_BODY_CHARS;

        private Builder(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        /** Default timeout of each request (until the whole response is read). */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("Client timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Whether the client keeps the cookies the API sets and sends them back, like a browser (default {@code true}):
         * a session cookie after a form login, one set on a redirect too. Ignored with {@link #httpClient(HttpClient)}:
         * a JDK client of your own handles cookies as you built it.
         */
        public Builder cookies(boolean keep) {
            this.cookies = keep;
            return this;
        }

        /**
         * Sends the value of cookie {@code cookie}, which the API set, as header {@code header} with every request that
         * may change state ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}): the double-submit CSRF
         * protection of Spring Security's {@code CookieCsrfTokenRepository} ({@code XSRF-TOKEN} →
         * {@code X-XSRF-TOKEN}), which Angular and axios answer the same way. A request that sets the header itself
         * sends its own; none is sent while the API has set no such cookie. The value is masked in every record.
         * Needs the client's own cookie jar: {@link #build()} refuses it with {@code cookies(false)} or
         * {@link #httpClient(HttpClient)}.
         */
        public Builder csrfCookie(String cookie, String header) {
            this.csrfCookie = Objects.requireNonNull(cookie, "cookie");
            this.csrfHeader = Objects.requireNonNull(header, "header");
            return this;
        }

        /** Timeout of opening a connection. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** A header sent with every request. */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** A bearer token sent with every request. */
        public Builder authToken(String token) {
            this.authToken = token;
            return this;
        }

        /** The Jackson mapper for bodies (default: a plain mapper with the modules found on the class path). */
        public Builder objectMapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** The JDK client to use (for TLS or proxy settings); the connect timeout then is its own. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** How many calls the history keeps (at least 1). */
        public Builder historyLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("History limit must be at least 1: " + limit);
            }
            this.historyLimit = limit;
            return this;
        }

        /** How many characters of each body the history keeps (at least 100). */
        public Builder maxRecordedBodyChars(int max) {
            if (max < 100) {
                throw new IllegalArgumentException("Recorded body limit must be at least 100 characters: " + max);
            }
            this.maxRecordedBodyChars = max;
            return this;
        }

        /**
         * The client.
         *
         * @throws IllegalStateException when {@link #csrfCookie} is set without the client's own cookie jar
         */
        public Client build() {
            if (csrfCookie != null && (!cookies || httpClient != null)) {
                throw new IllegalStateException("csrfCookie(\"" + csrfCookie + "\", \"" + csrfHeader + "\") reads the "
                        + "cookie from the client's own cookie jar, which " + (httpClient != null
                        ? "a JDK client of your own (httpClient(…)) replaces" : "cookies(false) turns off")
                        + ": remove that setting, or send the header yourself.");
            }
            return new Client(this);
        }
    }
}
