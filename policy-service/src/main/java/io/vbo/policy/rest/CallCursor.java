package io.vbo.policy.rest;

import io.vbo.web.ProblemException;
import io.vbo.events.CallQuality;
import io.vbo.events.Validate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/** A keyset position in an endpoint's calls: the last call's end and unique id, opaque to clients. */
record CallCursor(Instant endedAt, String uniqueId) {
    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((endedAt + "|" + uniqueId).getBytes(StandardCharsets.UTF_8));
    }

    static CallCursor decode(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            String uniqueId = text.substring(bar + 1);
            if (CallQuality.UNIQUE_ID.matcher(uniqueId).matches()) {
                return new CallCursor(Instant.parse(text.substring(0, bar)), uniqueId);
            }
        } catch (IllegalArgumentException | DateTimeParseException | IndexOutOfBoundsException e) {
            // answered below
        }
        throw ProblemException.badRequest("cursor: not a cursor this API returned, got '" + Validate.printable(value)
                + "'");
    }
}
