package io.vbo.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The one JSON mapping of the contracts: ISO-8601 instants, unknown fields tolerated (a newer producer may add
 * fields), and every failure turned into an {@link InvalidEventException} naming the field.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private EventJson() {
    }

    public static String toJson(Object event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event.getClass().getSimpleName(), e);
        }
    }

    public static byte[] toBytes(Object event) {
        return toJson(event).getBytes(StandardCharsets.UTF_8);
    }

    public static <T> T fromJson(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new InvalidEventException("$", "empty message");
        }
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new InvalidEventException("$", "JSON null is not a " + type.getSimpleName());
            }
            return value;
        } catch (JsonMappingException e) {
            InvalidEventException cause = findCause(e);
            if (cause != null) {
                throw cause;
            }
            throw new InvalidEventException(path(e), firstLine(e.getOriginalMessage()), e);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("$", "not valid JSON: " + firstLine(e.getOriginalMessage()), e);
        }
    }

    public static <T> T fromBytes(byte[] json, Class<T> type) {
        if (json == null) {
            throw new InvalidEventException("$", "empty message");
        }
        return fromJson(new String(json, StandardCharsets.UTF_8), type);
    }

    /** The shared mapper, for REST layers and tests that need the exact same mapping. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static InvalidEventException findCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidEventException invalid) {
                return invalid;
            }
        }
        return null;
    }

    private static String path(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "$" : path;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
