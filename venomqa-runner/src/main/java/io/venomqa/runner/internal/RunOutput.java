package io.venomqa.runner.internal;

import io.venomqa.http.Client;
import io.venomqa.http.HttpRequestException;
import io.venomqa.http.Response;
import io.venomqa.http.internal.Redactor;
import io.venomqa.runner.JourneyListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * What one journey run tells the outside while it runs: listener events (a failing listener never
 * changes a result), warnings, and the text of failures, values and stack traces, always masked
 * through the client's secrets and cut to size.
 */
final class RunOutput {

    private static final Logger LOG = LoggerFactory.getLogger(JourneyExecution.class);

    /** Characters of a stack trace kept in a result. */
    static final int MAX_STACK_CHARS = 8_000;
    /** Characters of a returned value's text kept in a result. */
    static final int MAX_VALUE_CHARS = 300;

    private final Client client;
    private final List<JourneyListener> listeners;
    private final AtomicBoolean noStateWarningGiven;
    private final List<String> warnings = new ArrayList<>();

    RunOutput(Client client, List<JourneyListener> listeners, AtomicBoolean noStateWarningGiven) {
        this.client = client;
        this.listeners = List.copyOf(listeners);
        this.noStateWarningGiven = noStateWarningGiven;
    }

    /** The warnings given so far, in order. */
    List<String> warnings() {
        return warnings;
    }

    void notify(Consumer<JourneyListener> event) {
        for (JourneyListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} failed; ignoring it for this event", l.getClass().getName(), e);
            }
        }
    }

    void warn(String message) {
        LOG.warn(message);
        warnings.add(message);
        notify(l -> l.warning(message));
    }

    /** Warns, once per runner, that the database is not rolled back. */
    void warnNoStateManager() {
        if (noStateWarningGiven.compareAndSet(false, true)) {
            LOG.warn(JourneyExecution.NO_STATE_MANAGER_WARNING);
            warnings.add(JourneyExecution.NO_STATE_MANAGER_WARNING);
            notify(l -> l.warning(JourneyExecution.NO_STATE_MANAGER_WARNING));
        }
    }

    String describe(Throwable e) {
        if (e instanceof HttpRequestException || e instanceof StepTimeoutException) {
            return mask(e.getMessage());
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + mask(m));
    }

    String stackTrace(Throwable e) {
        StringWriter sw = new StringWriter();
        e.printStackTrace(new PrintWriter(sw));
        return Redactor.truncate(mask(sw.toString()), MAX_STACK_CHARS);
    }

    String summarize(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Response r) {
            return "HTTP " + r.statusCode() + " from " + r.method() + " " + urlOf(r);
        }
        // A map a step returns ({api_token=…}) shows its secret-looking keys masked, at any depth
        return Redactor.truncate(mask(String.valueOf(io.venomqa.core.CredentialMasker.maskValues(value))), MAX_VALUE_CHARS);
    }

    /** The masked URL of a response's request. */
    String urlOf(Response r) {
        return r.exchange() != null ? r.exchange().url() : client.mask(r.uri().toString());
    }

    String mask(String text) {
        return text == null ? null : client.mask(text);
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
