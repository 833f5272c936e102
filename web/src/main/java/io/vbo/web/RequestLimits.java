package io.vbo.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers over-long URIs and over-large declared bodies with a problem body before anything reads them. Vert.x
 * refuses such requests itself, but with an empty body, so its request-line limit
 * ({@code quarkus.http.limits.max-initial-line-length}, raised in each service's configuration) sits above
 * {@code vbo.http.max-uri-length}: between the two the refusal is ours. Beyond the Vert.x limits (request line,
 * headers, a chunked body without Content-Length) Vert.x still answers with a bare status and closes.
 */
@ApplicationScoped
public class RequestLimits {
    private final int maxUriLength;
    private final long maxBodyBytes;

    RequestLimits(@ConfigProperty(name = "vbo.http.max-uri-length", defaultValue = "4096") int maxUriLength,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        this.maxUriLength = maxUriLength;
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    void check(RoutingContext rc) {
        String uri = rc.request().uri();
        if (uri.length() > maxUriLength) {
            refuse(rc, 414, "request-uri-too-long", "the request URI has " + uri.length()
                    + " characters; at most " + maxUriLength + " are accepted");
            return;
        }
        String length = rc.request().getHeader("Content-Length");
        if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                && Long.parseLong(length) > maxBodyBytes) {
            refuse(rc, 413, "request-entity-too-large", "the request body has " + length
                    + " bytes; at most " + maxBodyBytes + " are accepted");
            return;
        }
        rc.next();
    }

    private static void refuse(RoutingContext rc, int status, String kind, String detail) {
        rc.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close").end(Json.encode(Problem.of(status, kind, detail)));
    }
}
