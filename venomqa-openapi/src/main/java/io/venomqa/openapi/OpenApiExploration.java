package io.venomqa.openapi;

import io.venomqa.config.ConfigException;
import io.venomqa.config.VenomQAConfig;
import io.venomqa.core.DidYouMean;
import io.venomqa.explore.Exploration;
import io.venomqa.explore.Invariant;
import io.venomqa.explore.Move;
import io.venomqa.explore.RecordedCalls;
import io.venomqa.explore.Severity;
import io.venomqa.explore.StateProjection;
import io.venomqa.http.Client;
import io.venomqa.openapi.internal.ApiPlan;
import io.venomqa.openapi.internal.Checks;
import io.venomqa.openapi.internal.InvalidBodies;
import io.venomqa.openapi.internal.Keys;
import io.venomqa.openapi.internal.OperationAction;
import io.venomqa.openapi.internal.OperationModel;
import io.venomqa.openapi.internal.Requests;
import io.venomqa.openapi.internal.Selector;
import io.venomqa.state.StateManager;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An exploration from an OpenAPI document: one {@link Move} per operation and the {@link Check}s
 * that need no code, ready to add to an {@link Exploration.Builder}. Configure it, then call
 * {@link #applyTo(Exploration.Builder)} or {@link #explorationBuilder(Client, StateManager)}. Not
 * thread-safe while being configured; the moves and invariants it makes are immutable.
 *
 * <pre>{@code
 * ExplorationResult result = OpenApiExploration.from(OpenApiDocument.read("openapi.yaml"))
 *         .auth(Auth.bearer(System.getenv("API_TOKEN")))
 *         .exclude("tag:admin")
 *         .neverRun("chargeCard")
 *         .check(Check.RESPONSE_SCHEMA, CheckLevel.WARNING)
 *         .invariant(Invariant.sql("no negative stock", "select count(*) = 0 from items where stock < 0"))
 *         .explorationBuilder(new Client("http://localhost:8080"), manager)
 *         .maxSteps(300)
 *         .build()
 *         .run();
 * }</pre>
 *
 * <p>What each move does and when it may run:
 * <ul>
 *   <li>Its name is the operationId (or {@code METHOD /path}); its tags are the operation's.</li>
 *   <li>Path and query parameters take values seen in earlier responses, matched by name and schema
 *       ({@code customerId} and {@code /customers/{id}} read the {@code id} of a {@code Customer} a
 *       {@code POST /customers} returned), from the {@code Location} header and from OpenAPI
 *       {@code links}; otherwise the document's example, default or first enum value, or a generated
 *       value of the schema.</li>
 *   <li>A parameter that some response can fill makes a precondition: {@code DELETE /customers/{id}}
 *       does not run before a customer id is known. A parameter nothing can fill uses the example.</li>
 *   <li>Request bodies are built from the schema (required properties, formats, enums, bounds,
 *       examples where given) and valid by construction; ids in them come from earlier responses.</li>
 *   <li>Every status is accepted by the move itself: what is wrong with a status is judged by the
 *       checks, whose levels can be chosen.</li>
 * </ul>
 *
 * <p>Operations are chosen with selectors: an operationId (a glob with {@code *} allowed),
 * {@code tag:NAME}, a path glob ({@code /customers/**}) or {@code METHOD /path}. {@link #include}
 * keeps only the operations it names, {@link #exclude} drops some, and {@link #neverRun} marks
 * operations that must never be called (a real payment): no move, no check ever calls them, and no
 * include, customization or replacement brings them back.
 */
public final class OpenApiExploration {

    /** What the name of a move that sends a body breaking its schema holds, after its operation's name ({@code createNote:invalid-type-text}). */
    public static final String INVALID_BODY_MOVE = ":invalid-";

    /** Keys of the {@code openapi} section of {@code venomqa.yaml}. */
    public static final List<String> CONFIG_KEYS = List.of("document", "auth", "login", "include", "exclude", "never_run",
            "invalid_bodies", "checks", "invariants");

    /**
     * The result attribute ({@link Exploration.Builder#attribute}) naming the document an exploration
     * was made from: {@code venomqa replay} reads it to re-run the checks.
     */
    public static final String DOCUMENT_ATTRIBUTE = "openapi.document";

    private static final int[] ALL_STATUSES = java.util.stream.IntStream.rangeClosed(100, 599).toArray();

    private final OpenApiDocument document;
    private Auth auth = Auth.none();
    private String loginSelector;
    private Map<String, Object> loginBody = Map.of();
    private String loginTokenField;
    private final List<Selector> includes = new ArrayList<>();
    private final List<Selector> excludes = new ArrayList<>();
    private final List<Selector> neverRun = new ArrayList<>();
    private final List<Map.Entry<Selector, BiConsumer<ApiOperation, Move.Builder>>> customizers = new ArrayList<>();
    private final Map<String, Move> replacements = new LinkedHashMap<>();
    private final List<Move> extraMoves = new ArrayList<>();
    private final Map<Check, CheckLevel> levels = new EnumMap<>(Check.class);
    private final Map<Check, Severity> severities = new EnumMap<>(Check.class);
    private final List<Invariant> invariants = new ArrayList<>();
    private final Map<String, OpenApiFinding> warnings = new LinkedHashMap<>();
    private final Map<Check, OpenApiFinding> notRun = new EnumMap<>(Check.class);
    private boolean invalidBodies;

    private OpenApiExploration(OpenApiDocument document) {
        this.document = Objects.requireNonNull(document, "document");
    }

    /** An exploration of {@code document}'s operations with every check at {@link CheckLevel#ERROR}. */
    public static OpenApiExploration from(OpenApiDocument document) {
        return new OpenApiExploration(document);
    }

    /** Reads the document at {@code location} (file or URL), see {@link OpenApiDocument#read(String)}. */
    public static OpenApiExploration from(String location) {
        return new OpenApiExploration(OpenApiDocument.read(location));
    }

    public OpenApiDocument document() {
        return document;
    }

    /** How every request authenticates, as configured. */
    public Auth auth() {
        return auth;
    }

    /** How every request authenticates (default {@link Auth#none()}). */
    public OpenApiExploration auth(Auth auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
        return this;
    }

    /**
     * Names the operation that logs in: its move sends its body built from the schema with
     * {@code body}'s fields over it, and stores the token of a 2xx answer (field {@code token},
     * {@code access_token}, {@code accessToken}, {@code jwt} or {@code id_token}, unless
     * {@link #loginTokenField} says otherwise). Every other move then waits for the token and sends
     * it as {@code Authorization: Bearer}, except operations declaring {@code security: []}.
     */
    public OpenApiExploration login(String operation, Map<String, ?> body) {
        this.loginSelector = Objects.requireNonNull(operation, "operation");
        this.loginBody = new LinkedHashMap<>(Objects.requireNonNull(body, "body"));
        return this;
    }

    /** Where the login answer holds the token: a field name or a JSON pointer ({@code /data/token}). */
    public OpenApiExploration loginTokenField(String field) {
        this.loginTokenField = Objects.requireNonNull(field, "field");
        return this;
    }

    /** Keeps only the operations some of these selectors name (called again, adds to them). */
    public OpenApiExploration include(String... selectors) {
        return addSelectors(includes, selectors);
    }

    /** Leaves out the operations these selectors name. */
    public OpenApiExploration exclude(String... selectors) {
        return addSelectors(excludes, selectors);
    }

    /** Operations that must never be called, whatever else is configured. */
    public OpenApiExploration neverRun(String... selectors) {
        return addSelectors(neverRun, selectors);
    }

    private OpenApiExploration addSelectors(List<Selector> list, String... selectors) {
        for (String s : selectors) {
            Selector sel = Selector.of(s);
            if (document.operations().stream().noneMatch(sel::matches)) {
                throw new IllegalArgumentException("The selector '" + s + "' names no operation of " + document.location()
                        + ". Operations: " + names(document.operations()) + ". Selectors: operationId, tag:NAME, /path/glob/**, 'METHOD /path'.");
            }
            list.add(sel);
        }
        return this;
    }

    private static String names(List<ApiOperation> ops) {
        List<String> n = ops.stream().limit(20).map(ApiOperation::operationId).toList();
        return String.join(", ", n) + (ops.size() > 20 ? ", … (" + ops.size() + " in all)" : "");
    }

    /** Lets {@code customizer} change the move of each operation {@code selector} names before it is built (conditions, tags, caps). */
    public OpenApiExploration customize(String selector, BiConsumer<ApiOperation, Move.Builder> customizer) {
        customizers.add(Map.entry(Selector.of(selector), Objects.requireNonNull(customizer, "customizer")));
        return this;
    }

    /** Uses {@code move} instead of the generated move of operation {@code operationId}. */
    public OpenApiExploration replace(String operationId, Move move) {
        if (document.operations().stream().noneMatch(o -> o.operationId().equals(operationId))) {
            throw new IllegalArgumentException("No operation '" + operationId + "' in " + document.location() + ". Operations: "
                    + names(document.operations()));
        }
        replacements.put(operationId, Objects.requireNonNull(move, "move"));
        return this;
    }

    /** Adds a move of your own to the generated ones. */
    public OpenApiExploration move(Move move) {
        extraMoves.add(Objects.requireNonNull(move, "move"));
        return this;
    }

    /**
     * With {@code true}, each operation with a JSON request body also gets moves that send a body
     * breaking its schema in one way each, named {@code operationId:invalid-RULE}
     * ({@code createCustomer:invalid-missing-name}, {@code :invalid-type-P}, {@code :invalid-range-P},
     * {@code :invalid-extra-property}): the same valid body with one required property left out, one
     * property of a wrong type, one just outside its enum, bound or length, or an undeclared property
     * where {@code additionalProperties} is false. {@link Check#INVALID_BODY_REFUSED} fails when one
     * is answered 2xx. Default {@code false}: only valid bodies. Not for the login operation.
     */
    public OpenApiExploration invalidBodies(boolean on) {
        this.invalidBodies = on;
        return this;
    }

    /** Sets what {@code check} does when it fails (default {@link CheckLevel#ERROR}). */
    public OpenApiExploration check(Check check, CheckLevel level) {
        levels.put(Objects.requireNonNull(check, "check"), Objects.requireNonNull(level, "level"));
        return this;
    }

    /** Sets the severity of {@code check}'s violations (default {@link Check#defaultSeverity()}). */
    public OpenApiExploration severity(Check check, Severity severity) {
        severities.put(Objects.requireNonNull(check, "check"), Objects.requireNonNull(severity, "severity"));
        return this;
    }

    /** Adds an invariant of your own (for example {@link Invariant#sql}). */
    public OpenApiExploration invariant(Invariant invariant) {
        invariants.add(Objects.requireNonNull(invariant, "invariant"));
        return this;
    }

    /** The level of {@code check}. */
    public CheckLevel level(Check check) {
        return levels.getOrDefault(check, CheckLevel.ERROR);
    }

    // ---- configuration file ----------------------------------------------------------------

    /** Applies the {@code openapi} section of {@code config}, if it has one (see {@link #configure(Map, String)}). */
    public OpenApiExploration configure(VenomQAConfig config) {
        String where = config.source().map(Object::toString).orElse(VenomQAConfig.FILE_NAME);
        config.openapi().ifPresent(section -> configure(section, where));
        return this;
    }

    /**
     * Applies an {@code openapi} section of {@code venomqa.yaml}:
     * <pre>
     * openapi:
     *   document: openapi.yaml          # read by the command line; ignored here
     *   auth: {bearer: "${API_TOKEN}"}  # or {api_key: {header: X-API-Key, value: ...}} / {api_key: {query: key, value: ...}}
     *                                   # or {basic: {username: ..., password: ...}}
     *   login: {operation: login, body: {email: qa@example.com, password: ${PW}}, token_field: token}
     *   include: [tag:customers, "/orders/**"]
     *   exclude: [deleteEverything]
     *   never_run: [chargeCard]
     *   invalid_bodies: true            # also send bodies that break the schema (default false)
     *   checks: {response_schema: warning, not_found_consistency: off}
     *   invariants:
     *     - {name: no negative stock, sql: "select count(*) = 0 from items where stock &lt; 0", severity: critical}
     * </pre>
     *
     * @throws ConfigException naming {@code where}, the key and the nearest known name, for anything it does not know
     */
    public OpenApiExploration configure(Map<String, ?> section, String where) {
        for (Map.Entry<String, ?> e : section.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            String at = where + ": openapi." + key;
            switch (key) {
                case "document" -> {
                    // The command line reads it; the Java API was given its document already.
                }
                case "auth" -> auth(parseAuth(map(v, at), at));
                case "login" -> {
                    Map<String, ?> m = map(v, at);
                    unknownKeys(m, List.of("operation", "body", "token_field"), at);
                    login(text(m.get("operation"), at + ".operation"), m.get("body") == null ? Map.of() : map(m.get("body"), at + ".body"));
                    if (m.get("token_field") != null) {
                        loginTokenField(text(m.get("token_field"), at + ".token_field"));
                    }
                }
                case "include" -> include(list(v, at).toArray(String[]::new));
                case "exclude" -> exclude(list(v, at).toArray(String[]::new));
                case "never_run" -> neverRun(list(v, at).toArray(String[]::new));
                case "invalid_bodies" -> {
                    if (!(v instanceof Boolean on)) {
                        throw new ConfigException(at + " must be true or false, not '" + v + "'.");
                    }
                    invalidBodies(on);
                }
                case "checks" -> map(v, at).forEach((name, level) -> {
                    Check c = Check.byKey(name).orElseThrow(() -> new ConfigException(at + ": unknown check '" + name + "'"
                            + suggestion(name, java.util.Arrays.stream(Check.values()).map(Check::key).toList())));
                    CheckLevel l = CheckLevel.parse(String.valueOf(level)).orElseThrow(() -> new ConfigException(at + "." + name
                            + ": '" + level + "' is not a level; write error, warning or off."));
                    check(c, l);
                });
                case "invariants" -> {
                    if (!(v instanceof List<?> items)) {
                        throw new ConfigException(at + " must be a list of {name, sql, severity}.");
                    }
                    for (Object item : items) {
                        Map<String, ?> m = map(item, at);
                        unknownKeys(m, List.of("name", "sql", "severity"), at);
                        Severity s = m.get("severity") == null ? Severity.HIGH : severity(String.valueOf(m.get("severity")), at);
                        invariant(Invariant.sql(text(m.get("name"), at + ".name"), s, text(m.get("sql"), at + ".sql")));
                    }
                }
                default -> throw new ConfigException(where + ": unknown key 'openapi." + key + "'" + suggestion(key, CONFIG_KEYS)
                        + " Known keys: " + String.join(", ", CONFIG_KEYS) + ".");
            }
        }
        return this;
    }

    private static Auth parseAuth(Map<String, ?> m, String at) {
        if (m.size() != 1) {
            throw new ConfigException(at + " must have exactly one of bearer, api_key, basic.");
        }
        Map.Entry<String, ?> e = m.entrySet().iterator().next();
        try {
            return switch (e.getKey()) {
                case "bearer" -> Auth.bearer(text(e.getValue(), at + ".bearer"));
                case "api_key" -> {
                    Map<String, ?> k = map(e.getValue(), at + ".api_key");
                    unknownKeys(k, List.of("header", "query", "cookie", "value"), at + ".api_key");
                    String value = text(k.get("value"), at + ".api_key.value");
                    List<String> places = java.util.stream.Stream.of("header", "query", "cookie").filter(k::containsKey).toList();
                    if (places.size() > 1) {
                        throw new ConfigException(at + ".api_key names " + String.join(" and ", places)
                                + ": give one of header, query, cookie (where the API reads the key).");
                    }
                    yield k.get("query") != null ? Auth.apiKeyInQuery(text(k.get("query"), at + ".api_key.query"), value)
                            : k.get("cookie") != null ? Auth.apiKeyInCookie(text(k.get("cookie"), at + ".api_key.cookie"), value)
                            : Auth.apiKey(text(k.get("header"), at + ".api_key.header"), value);
                }
                case "basic" -> {
                    Map<String, ?> b = map(e.getValue(), at + ".basic");
                    unknownKeys(b, List.of("username", "password"), at + ".basic");
                    yield Auth.basic(text(b.get("username"), at + ".basic.username"), text(b.get("password"), at + ".basic.password"));
                }
                default -> throw new ConfigException(at + ": unknown authentication '" + e.getKey() + "'"
                        + suggestion(e.getKey(), List.of("bearer", "api_key", "basic")));
            };
        } catch (IllegalArgumentException x) {
            throw new ConfigException(at + ": " + x.getMessage(), x);
        }
    }

    private static Severity severity(String s, String at) {
        try {
            return Severity.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at + ".severity: '" + s + "' is not a severity; write critical, high, medium or low.");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> map(Object v, String at) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, ?>) m;
        }
        throw new ConfigException(at + " must be a mapping, not '" + v + "'.");
    }

    private static List<String> list(Object v, String at) {
        if (v instanceof String s) {
            return java.util.Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        throw new ConfigException(at + " must be a list of selectors (operationId, tag:NAME, /path/glob, 'METHOD /path').");
    }

    private static String text(Object v, String at) {
        if (v == null || String.valueOf(v).isBlank()) {
            throw new ConfigException(at + " is missing or empty.");
        }
        return String.valueOf(v);
    }

    private static void unknownKeys(Map<String, ?> m, List<String> known, String at) {
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                throw new ConfigException(at + ": unknown key '" + k + "'" + suggestion(k, known) + " Known: " + String.join(", ", known) + ".");
            }
        }
    }

    private static String suggestion(String typed, List<String> candidates) {
        return DidYouMean.nearest(typed, candidates).map(n -> ", did you mean '" + n + "'?").orElse(".");
    }

    // ---- what it makes ---------------------------------------------------------------------

    /** Why each operation of the document has no move: {@code excluded}, {@code not included}, {@code never run}, or a limitation. */
    public Map<ApiOperation, String> skipped() {
        Map<ApiOperation, String> out = new LinkedHashMap<>();
        for (OperationModel op : document.spec().operations()) {
            String why = skipReason(op);
            if (why != null) {
                out.put(op.operation(), why);
            }
        }
        return out;
    }

    private String skipReason(OperationModel op) {
        ApiOperation a = op.operation();
        if (neverRun.stream().anyMatch(s -> s.matches(a))) {
            return "never run";
        }
        if (isLogin(a)) {
            return null;
        }
        if (!includes.isEmpty() && includes.stream().noneMatch(s -> s.matches(a)) && !replacements.containsKey(a.operationId())) {
            return "not included";
        }
        if (excludes.stream().anyMatch(s -> s.matches(a))) {
            return "excluded";
        }
        String type = ungeneratedBodyType(op);
        return type == null ? null : "request body of type " + type + " (only JSON, form and multipart bodies are generated: replace its move to send it)";
    }

    /**
     * The media type of {@code op}'s required request body when VenomQA cannot generate it (neither JSON, a form nor
     * multipart: a {@code text/csv} import) and no replacement move sends it, else null.
     */
    private String ungeneratedBodyType(OperationModel op) {
        boolean replaced = replacements.containsKey(op.operation().operationId());
        return op.bodyRequired() && op.bodySchema() == null && op.bodyMediaType() != null && !replaced ? op.bodyMediaType() : null;
    }

    /**
     * One warning naming the operations that got no move because VenomQA cannot call them ({@link #ungeneratedBodyType}):
     * without it they would be absent from the run and its reports with nothing saying so. Those a selector
     * left out ({@code excluded}, {@code not included}, {@code never run}) were chosen, and are not named.
     */
    private java.util.Optional<io.venomqa.explore.Warning> uncallableOperationsWarning() {
        List<String> left = new ArrayList<>();
        for (OperationModel op : document.spec().operations()) {
            String type = ungeneratedBodyType(op);
            String why = skipReason(op);
            if (type != null && why != null && why.startsWith("request body of type ")) {
                ApiOperation a = op.operation();
                left.add(a.operationId() + " (" + a.method() + " " + a.path() + "): its required request body is " + type
                        + ", and only JSON, form and multipart bodies are generated");
            }
        }
        if (left.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new io.venomqa.explore.Warning(left.size() + (left.size() == 1 ? " operation" : " operations")
                + " of the document not explored: " + String.join("; ", left),
                "give it a move of your own that sends such a body (replace(operationId, move)), or exclude(...) it to "
                        + "leave it out on purpose"));
    }

    private boolean isLogin(ApiOperation a) {
        return loginSelector != null && Selector.of(loginSelector).matches(a);
    }

    private ApiPlan plan() {
        List<OperationModel> runnable = document.spec().operations().stream().filter(op -> skipReason(op) == null).toList();
        if (loginSelector != null && runnable.stream().noneMatch(op -> isLogin(op.operation()))) {
            throw new IllegalArgumentException("The login operation '" + loginSelector + "' names no runnable operation of "
                    + document.location() + ". Operations: " + names(document.operations()));
        }
        return new ApiPlan(document.spec(), runnable);
    }

    /** One move per selected operation (replacements and your own moves included), in document order. */
    public List<Move> moves() {
        ApiPlan plan = plan();
        Requests requests = new Requests(auth, loginSelector != null);
        List<Move> out = new ArrayList<>();
        for (OperationModel op : plan.runnable()) {
            ApiOperation a = op.operation();
            Move replacement = replacements.get(a.operationId());
            if (replacement != null) {
                out.add(replacement);
                continue;
            }
            for (OperationAction action : actions(plan, op, requests)) {
                out.add(move(plan, op, action));
            }
        }
        out.addAll(extraMoves);
        return out;
    }

    /**
     * The actions of {@code op}: one, or one per named example of its request body (moves
     * {@code operationId:example}), so that documented alternatives (a declined card, a good one) are
     * all tried; then, with {@link #invalidBodies(boolean)}, one per way of breaking the body's schema.
     */
    private List<OperationAction> actions(ApiPlan plan, OperationModel op, Requests requests) {
        OperationAction.LoginSpec login = isLogin(op.operation()) ? new OperationAction.LoginSpec(loginBody, loginTokenField) : null;
        List<OperationAction> out = new ArrayList<>();
        if (op.bodyExamples().size() < 2) {
            out.add(new OperationAction(plan, op, requests, login));
        } else {
            op.bodyExamples().forEach((name, value) -> out.add(new OperationAction(plan, op, requests, login,
                    op.operation().operationId() + ":" + name, value, null)));
        }
        // A form's or a multipart body's values are all text: a wrong type cannot be sent, so only JSON bodies get broken ones.
        if (invalidBodies && login == null && op.bodySchema() != null && !op.bodyForm() && !op.bodyMultipart()) {
            for (InvalidBodies.InvalidBody invalid : InvalidBodies.of(document.spec(), op.bodySchema())) {
                out.add(new OperationAction(plan, op, requests, null, op.name() + INVALID_BODY_MOVE + invalid.name(), op.bodyExample(), invalid));
            }
        }
        return out;
    }

    private Move move(ApiPlan plan, OperationModel op, OperationAction action) {
        ApiOperation a = op.operation();
        boolean login = isLogin(a);
        Move.Builder b = Move.builder(action.moveName())
                .action(action)
                .description(a.endpoint() + (a.summary().isEmpty() ? "" : ": " + a.summary()))
                .tags(a.tags().toArray(String[]::new))
                // Statuses are judged by the checks (whose level the user chooses), not by the move.
                .expectStatus(ALL_STATUSES);
        List<String> keys = plan.requiredKeys(op);
        if (!keys.isEmpty()) {
            b.requires(keys.toArray(String[]::new));
        }
        if (loginSelector != null && !login && !op.explicitlyOpen()) {
            b.requires(Keys.TOKEN);
        }
        for (Map.Entry<Selector, BiConsumer<ApiOperation, Move.Builder>> c : customizers) {
            if (c.getKey().matches(a)) {
                c.getValue().accept(a, b);
            }
        }
        return b.build();
    }

    /**
     * What {@code venomqa replay} needs to repeat the recorded calls of this document's moves
     * ({@link RecordedCalls}): the configured authentication, the login token the path's own login
     * step gets this time (the recorded one is masked), the login body fields put back over the masked
     * ones, the operation's cookie parameters (the recorded {@code Cookie} header is masked), and after each call
     * what the generated move would have learnt, so that the checks judge the
     * replayed calls as they judged the exploration's. Moves that are not operations of the document
     * pass through unchanged.
     */
    public RecordedCalls.Adapter replayAdapter() {
        ApiPlan plan = plan();
        Requests requests = new Requests(auth, loginSelector != null);
        Map<String, OperationAction> actions = new LinkedHashMap<>();
        for (OperationModel op : plan.runnable()) {
            actions(plan, op, requests).forEach(a -> actions.put(a.moveName(), a));
        }
        return new RecordedCalls.Adapter() {
            @Override
            public com.fasterxml.jackson.databind.JsonNode body(String move, com.fasterxml.jackson.databind.JsonNode body,
                                                                io.venomqa.context.ExecutionContext context) {
                OperationAction a = actions.get(move);
                return a == null ? body : a.loginBody(body);
            }

            @Override
            public String textBody(String move, String body, io.venomqa.context.ExecutionContext context) {
                OperationAction a = actions.get(move);
                return a == null ? body : a.loginForm(body);
            }

            @Override
            public void authorize(String move, Client.RequestBuilder request, io.venomqa.context.ExecutionContext context) {
                OperationAction a = actions.get(move);
                if (a != null) {
                    a.cookies(request, context);
                }
                requests.authorize(request, context, a == null ? null : a.operation());
            }

            @Override
            public void observe(String move, io.venomqa.http.Response response, Client client, io.venomqa.context.ExecutionContext context) {
                OperationAction a = actions.get(move);
                if (a != null) {
                    a.observe(response, context, client);
                }
            }
        };
    }

    /** The checks that are not off, then your own invariants. */
    public List<Invariant> invariants() {
        Checks checks = new Checks(plan(), new Requests(auth, loginSelector != null), invalidBodies);
        List<Invariant> out = new ArrayList<>();
        for (Check c : Check.values()) {
            checks.invariant(c, level(c), severities.getOrDefault(c, c.defaultSeverity()), new Checks.Sink() {
                @Override
                public void warning(String operation, String message) {
                    warn(c, operation, message);
                }

                @Override
                public void couldNotRun(String operation, String reason) {
                    notRun(c, operation, reason);
                }
            }).ifPresent(out::add);
        }
        out.addAll(invariants);
        return out;
    }

    private synchronized void warn(Check check, String operation, String message) {
        // Shrinking and replays see the same failure again: keep the first message of a
        // (check, operation) pair, with a count.
        warnings.compute(check.key() + "\u0000" + operation, (k, old) -> old == null
                ? new OpenApiFinding(check, operation, message, 1)
                : new OpenApiFinding(check, operation, old.message(), old.count() + 1));
    }

    private synchronized void notRun(Check check, String operation, String reason) {
        // Said once per check: the first operation and reason, and how many moves went unchecked.
        notRun.compute(check, (k, old) -> old == null
                ? new OpenApiFinding(check, operation, "could not run: " + reason, 1)
                : new OpenApiFinding(check, old.operation(), old.message(), old.count() + 1));
    }

    /**
     * The checks that could not judge some moves, one finding per check: the first operation, why
     * (for {@link Check#SAFE_METHOD_WRITES}, database changes not tracked) and in {@link OpenApiFinding#count()}
     * how many moves went unchecked. A check listed here did not pass for those moves: it did not run, and the
     * exploration's reports say so too ({@link io.venomqa.explore.InvariantSummary#notRun()}, which also counts
     * {@link Check#INVALID_BODY_REFUSED} with invalid bodies off).
     */
    public synchronized List<OpenApiFinding> notRun() {
        return List.copyOf(notRun.values());
    }

    /** The failures of checks at {@link CheckLevel#WARNING}, grouped by (check, operation) with the first message and a count, in order. */
    public synchronized List<OpenApiFinding> warnings() {
        return List.copyOf(warnings.values());
    }

    /**
     * Adds the moves and invariants to {@code builder} and returns it, with a warning naming the operations
     * that got no move because VenomQA cannot call them (see {@link #skipped()}). With a {@link #login}, also set
     * {@link #projectionFor(StateManager)} as its projection (see there).
     */
    public Exploration.Builder applyTo(Exploration.Builder builder) {
        uncallableOperationsWarning().ifPresent(builder::warning);
        return builder.moves(moves()).invariants(invariants());
    }

    /**
     * The projection to explore with: the manager's default, plus which of the values the moves'
     * preconditions need the client has learnt (ids a response gave, by key, not by value), plus,
     * with a {@link #login}, whether the context holds a token.
     *
     * <p>A read that learns an id ({@code GET /products} gives the {@code sku} that
     * {@code GET /products/{sku}} needs) or a login changes no row: without these parts the state
     * after it would be the state before, and what it learnt would either be lost or make the moves
     * after it run from a context that the path to their state does not give, so that a violation's
     * path would not reproduce. Values are not projected: a new id or token per call must not make a
     * new state.
     */
    public StateProjection projectionFor(StateManager stateManager) {
        return projectionFor(StateProjection.defaultFor(stateManager));
    }

    /**
     * {@code base}, plus the parts described at {@link #projectionFor(StateManager)}: for a projection
     * of your own, e.g. one that leaves out a sessions table a login writes to.
     */
    public StateProjection projectionFor(StateProjection base) {
        ApiPlan plan = plan();
        List<String> needed = plan.runnable().stream().flatMap(op -> plan.requiredKeys(op).stream())
                .filter(k -> !k.equals(Keys.TOKEN)).distinct().sorted().toList();
        List<StateProjection> parts = new ArrayList<>();
        parts.add(base);
        if (!needed.isEmpty()) {
            parts.add(StateProjection.custom("learnt values the moves need (" + String.join(", ", needed) + ")",
                    o -> needed.stream().filter(o.context()::contains).toList()));
        }
        if (loginSelector != null) {
            parts.add(StateProjection.custom("logged in", o -> o.context().contains(Keys.TOKEN)));
        }
        return parts.size() == 1 ? base : StateProjection.of(parts.toArray(StateProjection[]::new));
    }

    /**
     * A builder with {@code client}, {@code stateManager}, {@link #projectionFor its projection}, the
     * moves and the invariants; set limits and strategy, then build.
     */
    public Exploration.Builder explorationBuilder(Client client, StateManager stateManager) {
        auth.secrets().forEach(client::addSecret);
        Exploration.Builder b = Exploration.builder().name(document.title().isBlank() ? "openapi" : document.title())
                .client(client).stateManager(stateManager).projection(projectionFor(stateManager))
                .attribute(DOCUMENT_ATTRIBUTE, document.location());
        serverPathWarning(client.baseUrl()).ifPresent(b::warning);
        return applyTo(b);
    }

    /**
     * A warning when the document's first server puts the API under a path ({@code https://api.example.com/v2},
     * {@code /api/v1}) that {@code baseUrl} does not end with: the moves call the document's paths on the base URL
     * as it is ({@code /rooms}, not {@code /v2/rooms}), which is right only when something in front of the API
     * strips that path. Variables of the server URL take their defaults.
     */
    java.util.Optional<io.venomqa.explore.Warning> serverPathWarning(String baseUrl) {
        com.fasterxml.jackson.databind.JsonNode server = document.spec().root().path("servers").path(0);
        String url = server.path("url").asText("");
        if (url.isBlank() || baseUrl == null) {
            return java.util.Optional.empty();
        }
        for (var it = server.path("variables").fields(); it.hasNext(); ) {
            Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> v = it.next();
            url = url.replace("{" + v.getKey() + "}", v.getValue().path("default").asText(""));
        }
        String serverPath;
        try {
            java.net.URI u = java.net.URI.create(url.replace(" ", "%20"));
            serverPath = u.getRawPath() == null ? "" : u.getRawPath();
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty(); // not a URL a path can be read from: nothing to compare
        }
        serverPath = trimSlashes(serverPath);
        String basePath;
        try {
            java.net.URI b = java.net.URI.create(baseUrl);
            basePath = trimSlashes(b.getRawPath() == null ? "" : b.getRawPath());
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
        if (serverPath.isEmpty() || basePath.equals(serverPath) || basePath.endsWith("/" + serverPath)) {
            return java.util.Optional.empty();
        }
        String base = io.venomqa.core.CredentialMasker.maskUrl(baseUrl);
        String first = document.operations().isEmpty() ? "/…" : document.operations().get(0).path();
        return java.util.Optional.of(new io.venomqa.explore.Warning("the document's server " + url + " puts the API under /"
                + serverPath + ", but the base URL " + base + " does not end with it: the moves call " + first + ", not /"
                + serverPath + first,
                "if the API is served under /" + serverPath + ", give the base URL with it (" + trimSlashes(base) + "/"
                        + serverPath + ", --base-url or base_url); if something in front of it strips that path, ignore this"));
    }

    private static String trimSlashes(String s) {
        String t = s;
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
