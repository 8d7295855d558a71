package io.venomqa.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.venomqa.report.internal.ResultJson;
import io.venomqa.runner.JourneyResult;

import java.io.UncheckedIOException;

/**
 * The whole {@link JourneyResult} as JSON ({@code <journey>.json}), for tools and dashboards.
 *
 * <p>Layout ({@code "format": "venomqa-journey-result/1"}): journey fields ({@code journey},
 * {@code description}, {@code tags}, {@code status}, {@code passed}, {@code startedAt},
 * {@code durationMs}, {@code databaseIsolated}, {@code backend} (null without a state manager), {@code message}, {@code allBodiesKept}, {@code warnings},
 * and {@code bodiesNote} when bodies were dropped), a
 * {@code summary} with step and path counts by status, and {@code nodes}: each with a {@code type}
 * of {@code step} (status, attempts, message, errorType, stackTrace, value, {@code bodiesKept}, and
 * {@code exchanges}: method, url, {@code bodiesKept}, headers, bodies, status, error), {@code checkpoint},
 * or {@code branch} ({@code checkpoint}, and {@code paths}, each with its own {@code nodes}). Credentials
 * are masked and bodies cut, as in the result. Under {@code keep_responses: failures} a passing step has
 * {@code "bodiesKept": false} and its calls' bodies are {@code null} (not kept), never {@code ""} (empty).
 */
public final class JsonReporter implements ReportWriter {

    @Override
    public String fileName(JourneyResult result) {
        return ReportWriter.slug(result.name()) + ".json";
    }

    @Override
    public String render(JourneyResult result) {
        try {
            return ResultJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(ResultJson.of(result));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
