package io.vbo.policy.rest;

import io.vbo.web.ProblemException;
import io.vbo.events.Validate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

/** Query parameter parsing with a 400 that names the parameter; instants within {@link Validate#EARLIEST}..LATEST. */
final class Params {
    static final int MAX_LIMIT = 1000;

    private Params() {
    }

    static Instant instant(String name, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Instant parsed;
        try {
            parsed = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + ": must be an ISO-8601 instant such as 2026-11-26T10:00:00Z, got '"
                    + Validate.printable(value) + "'");
        }
        return Validate.instant(name, parsed);
    }

    static int limit(String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("limit: must be an integer between 1 and " + MAX_LIMIT + ", got '"
                + Validate.printable(value) + "'");
    }

    static Duration duration(String name, String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(value);
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw ProblemException.badRequest(name + ": must be a positive ISO-8601 duration such as PT1H, got '"
                + Validate.printable(value) + "'");
    }

    static void range(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw ProblemException.badRequest("from: must be before to (" + from + " is not before " + to + ")");
        }
    }

    /** A keyset position: the last row's start time and probe id. */
    record Cursor(Instant startedAt, UUID probeId) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((startedAt + "|" + probeId).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                String text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
                int bar = text.indexOf('|');
                return new Cursor(Validate.instant("cursor", Instant.parse(text.substring(0, bar))),
                        UUID.fromString(text.substring(bar + 1)));
            } catch (IllegalArgumentException | DateTimeParseException | IndexOutOfBoundsException e) {
                throw ProblemException.badRequest("cursor: not a cursor this API returned, got '"
                        + Validate.printable(value) + "'");
            }
        }
    }
}
