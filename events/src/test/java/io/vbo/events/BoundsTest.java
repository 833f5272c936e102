package io.vbo.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every instant and every text of the contracts is bounded, so what a contract accepts a database stores. */
class BoundsTest {
    private static final String AT = "\"2026-11-26T10:00:00Z\"";

    /** Each contract as JSON, its class, and the name of its instant field. */
    static Stream<Arguments> instants() {
        return Stream.of(
                Arguments.of(EventJson.toJson(Samples.observed()), EndpointEvent.class, "observedAt"),
                Arguments.of(EventJson.toJson(Samples.gone()), EndpointEvent.class, "observedAt"),
                Arguments.of(EventJson.toJson(Samples.probe()), ProbeResult.class, "startedAt"),
                Arguments.of(EventJson.toJson(Samples.decision()), CodecDecision.class, "decidedAt"),
                Arguments.of(EventJson.toJson(Samples.capabilities()), PbxCapabilities.class, "observedAt"),
                Arguments.of(EventJson.toJson(Samples.ceiling()), EndpointCeiling.class, "recordedAt"),
                Arguments.of(EventJson.toJson(Samples.applied()), ConfigApplied.class, "appliedAt"));
    }

    @ParameterizedTest
    @MethodSource("instants")
    void instantsOutsideYears1970To9999AreRefused(String json, Class<?> type, String field) {
        assertTrue(json.contains("\"" + field + "\":" + AT), json);
        for (String bad : new String[] { "\"+999999-01-01T00:00:00Z\"", "\"-1000000-01-01T00:00:00Z\"",
                "\"1969-12-31T23:59:59Z\"", "\"+10000-01-01T00:00:00Z\"" }) {
            InvalidEventException e = assertThrows(InvalidEventException.class,
                    () -> EventJson.fromJson(json.replace("\"" + field + "\":" + AT, "\"" + field + "\":" + bad), type),
                    bad);
            assertEquals(field, e.field(), e.getMessage());
            assertTrue(e.getMessage().contains("must be between 1970-01-01T00:00:00Z and "
                    + "9999-12-31T23:59:59.999999999Z"), e.getMessage());
        }
        for (String edge : new String[] { "\"1970-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59.999999999Z\"" }) {
            EventJson.fromJson(json.replace("\"" + field + "\":" + AT, "\"" + field + "\":" + edge), type);
        }
    }

    /** A JSON field, the value it gets (a string of the given length), and the field the refusal names. */
    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of(EventJson.toJson(Samples.observed()), EndpointEvent.class, "\"userAgent\":\"PJSUA v2.17\"",
                        "userAgent", 4096, "userAgent"),
                Arguments.of(EventJson.toJson(Samples.observed()), EndpointEvent.class, "\"transport\":\"udp\"",
                        "transport", 64, "transport"),
                Arguments.of(EventJson.toJson(Samples.observed()), EndpointEvent.class,
                        "\"contactUri\":\"sip:1001-0x5644aa7f0270@10.231.1.2:5060\"", "contactUri", 4096, "contactUri"),
                Arguments.of(EventJson.toJson(Samples.gone()), EndpointEvent.class, "\"reason\":\"removed\"",
                        "reason", 4096, "reason"),
                Arguments.of(EventJson.toJson(Samples.probe()), ProbeResult.class, "\"error\":null", "error", 4096,
                        "error"),
                Arguments.of(EventJson.toJson(Samples.decision()), CodecDecision.class, "\"tier\":\"low\"", "tier", 64,
                        "tier"),
                Arguments.of(EventJson.toJson(Samples.decision()), CodecDecision.class, "\"previousTier\":\"high\"",
                        "previousTier", 64, "previousTier"),
                Arguments.of(EventJson.toJson(Samples.decision()), CodecDecision.class,
                        "\"preset\":\"overhead-aware\"", "preset", 64, "reason.preset"),
                Arguments.of(EventJson.toJson(Samples.decision()), CodecDecision.class,
                        "\"text\":\"estimate 120 kbit/s fits low\"", "text", 4096, "reason.text"),
                Arguments.of(EventJson.toJson(Samples.decision()), CodecDecision.class,
                        "\"detail\":\"needs 87.2 kbit/s per call x 1, budget 96.0 kbit/s\"", "detail", 4096,
                        "excluded.detail"),
                Arguments.of(EventJson.toJson(Samples.capabilities()), PbxCapabilities.class,
                        "\"reportedBy\":\"discovery-service\"", "reportedBy", 64, "reportedBy"),
                Arguments.of(EventJson.toJson(Samples.applied()), ConfigApplied.class, "\"error\":null", "error", 4096,
                        "error"),
                Arguments.of(EventJson.toJson(Samples.applied()), ConfigApplied.class,
                        "\"codecsReported\":[\"g729\",\"gsm\"]", "codecsReported", 64, "codecsReported"));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void textsHaveAMaximumLength(String json, Class<?> type, String good, String name, int max, String field) {
        assertTrue(json.contains(good), good + " in " + json);
        String tooLong = "\"" + name + "\":" + value(name, max + 1);
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json.replace(good, tooLong), type));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().endsWith("must be at most " + max + " characters, got " + (max + 1)),
                e.getMessage());
        EventJson.fromJson(json.replace(good, "\"" + name + "\":" + value(name, max)), type);
    }

    @Test
    void aMegabyteUserAgentIsRefused() {
        String json = EventJson.toJson(Samples.observed())
                .replace("\"PJSUA v2.17\"", "\"" + "u".repeat(1 << 20) + "\"");
        assertEquals("userAgent: must be at most 4096 characters, got 1048576", assertThrows(
                InvalidEventException.class, () -> EventJson.fromJson(json, EndpointEvent.class)).getMessage());
    }

    @Test
    void unboundedCollectionsHaveAMaximumSize() {
        String applied = EventJson.toJson(Samples.applied());
        String many = "[" + String.join(",", java.util.Collections.nCopies(65, "\"ulaw\"")) + "]";
        assertEquals("codecsReported: must have at most 64 entries, got 65", assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(applied.replace("[\"g729\",\"gsm\"]", many), ConfigApplied.class))
                .getMessage());
        String decision = EventJson.toJson(Samples.decision());
        String exclusion = "{\"codec\":\"ulaw\",\"cause\":\"BANDWIDTH\",\"detail\":\"\"}";
        String exclusions = "\"excluded\":[" + String.join(",", java.util.Collections.nCopies(65, exclusion)) + "]";
        assertEquals("excluded: must have at most 64 entries, got 65", assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(decision.replaceAll("\"excluded\":\\[[^\\]]*\\]", exclusions),
                        CodecDecision.class)).getMessage());
    }

    @Test
    void theBoundsAreTheDocumentedOnes() {
        assertEquals(Instant.parse("1970-01-01T00:00:00Z"), Validate.EARLIEST);
        assertEquals(Instant.parse("9999-12-31T23:59:59.999999999Z"), Validate.LATEST);
    }

    /** A JSON value of {@code length} characters (a list with one such name for codecsReported). */
    private static String value(String name, int length) {
        String text = "\"" + "x".repeat(length) + "\"";
        return "codecsReported".equals(name) ? "[" + text + "]" : text;
    }
}
