package io.vbo.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.events.kafka.EventSerializer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void everyContractRoundTrips() {
        assertEquals(Samples.observed(), EventJson.fromJson(EventJson.toJson(Samples.observed()), EndpointEvent.class));
        assertEquals(Samples.gone(), EventJson.fromJson(EventJson.toJson(Samples.gone()), EndpointEvent.class));
        assertEquals(Samples.probe(), EventJson.fromJson(EventJson.toJson(Samples.probe()), ProbeResult.class));
        assertEquals(Samples.ladder(), EventJson.fromJson(EventJson.toJson(Samples.ladder()), ProbeResult.class));
        assertEquals(Samples.decision(), EventJson.fromJson(EventJson.toJson(Samples.decision()), CodecDecision.class));
        assertEquals(Samples.applied(), EventJson.fromJson(EventJson.toJson(Samples.applied()), ConfigApplied.class));
        assertEquals(Samples.capabilities(),
                EventJson.fromJson(EventJson.toJson(Samples.capabilities()), PbxCapabilities.class));
        assertEquals(Samples.ceiling(), EventJson.fromJson(EventJson.toJson(Samples.ceiling()), EndpointCeiling.class));
        assertEquals(Samples.callSample(), EventJson.fromJson(EventJson.toJson(Samples.callSample()), CallQuality.class));
        assertEquals(Samples.callSummary(), EventJson.fromJson(EventJson.toJson(Samples.callSummary()), CallQuality.class));
    }

    @Test
    void callQualityWireFormatAndKeys() {
        String json = EventJson.toJson(Samples.callSample());
        assertTrue(json.contains("\"kind\":\"SAMPLE\""), json);
        assertTrue(json.contains("\"direction\":\"RECEIVED\""), json);
        assertTrue(json.contains("\"summary\":null"), json);
        assertEquals("pbx-a/1002", Samples.callSample().key());
        assertEquals("1796154184.0#1", Samples.callSample().idempotencyKey());
        assertEquals("1796154184.0#7", Samples.callSummary().idempotencyKey());
        assertEquals(33.203125, new CallQuality.Sample(CallQuality.Direction.SENT, 85, 100, 300, null, 11, null, null,
                null).lossPercent(), 1e-9);
    }

    @Test
    void wireFormatCarriesSchemaTypeAndIsoInstants() {
        String json = EventJson.toJson(Samples.observed());
        assertTrue(json.contains("\"type\":\"EndpointObserved\""), json);
        assertTrue(json.contains("\"schema\":1"), json);
        assertTrue(json.contains("\"observedAt\":\"2026-11-26T10:00:00Z\""), json);
        assertTrue(json.contains("\"status\":\"REACHABLE\""), json);
    }

    @Test
    void aDriftRepairCarriesBothValuesAndAnOlderOutcomeWithoutDriftStillReads() {
        ConfigApplied repaired = new ConfigApplied(1, java.util.UUID.fromString("3f2a1c7e-0000-4000-8000-000000000009"),
                "pbx-a", "1002", ConfigApplied.Status.DRIFT_REPAIRED, java.util.List.of("g722", "ulaw"), null,
                java.time.Instant.parse("2026-11-26T10:00:00Z"), new ConfigApplied.Drift(java.util.List.of("gsm"),
                        java.util.List.of("gsm"), java.util.List.of("g722", "ulaw"), "fully_booted"));
        String json = EventJson.toJson(repaired);
        assertTrue(json.contains("\"status\":\"DRIFT_REPAIRED\""), json);
        assertTrue(json.contains("\"drift\":{\"files\":[\"gsm\"],\"asterisk\":[\"gsm\"],\"desired\":[\"g722\",\"ulaw\"],"
                + "\"trigger\":\"fully_booted\"}"), json);
        assertEquals(repaired, EventJson.fromJson(json, ConfigApplied.class));
        // As written before drift was reported: no drift field.
        ConfigApplied old = EventJson.fromJson("{\"schema\":1,\"decisionId\":\"3f2a1c7e-0000-4000-8000-000000000002\","
                + "\"pbxId\":\"pbx-a\",\"endpoint\":\"1001\",\"status\":\"ROLLED_BACK\",\"codecsReported\":[],"
                + "\"error\":\"reload failed\",\"appliedAt\":\"2026-11-26T10:00:00Z\"}", ConfigApplied.class);
        assertEquals(ConfigApplied.Status.ROLLED_BACK, old.status());
        assertEquals(null, old.drift());
    }

    @Test
    void aLadderResultCarriesItsStepsAndAnOlderResultWithoutOneStillReads() {
        String json = EventJson.toJson(Samples.ladder());
        assertTrue(json.contains("\"protocol\":\"LADDER\""), json);
        assertTrue(json.contains("\"ladder\":{\"calls\":2,\"steps\":[{\"codecs\":[\"ilbc\"],\"packetBytes\":62,"
                + "\"packetizationMs\":30,\"seconds\":2,\"bitsPerSecond\":48000,\"packets\":132,\"lossPercent\":0.0,"
                + "\"jitterMs\":0.1,\"delayGrowthMs\":4.0,\"passed\":true}"), json);
        assertTrue(json.contains("\"passedBps\":48000}"), json);
        assertEquals(List.of("ilbc", "g729", "g729"), Samples.ladder().ladder().passed().stream()
                .map(step -> step.codecs().get(0)).toList());
        // A confirmation that fails voids its stream's short step too.
        ProbeResult.Ladder voided = new ProbeResult.Ladder(1, List.of(
                new ProbeResult.Step(List.of("gsm"), 45, 20, 2, 29_200, 100, 0.0, 0.1, 1.0, true),
                new ProbeResult.Step(List.of("g726"), 92, 20, 2, 48_000, 100, 0.0, 6.8, 400.0, false),
                new ProbeResult.Step(List.of("gsm"), 45, 20, 8, 29_200, 400, 0.0, 1.9, 300.0, false)), 0);
        assertEquals(List.of(), voided.passed());
        // A failed step that passes when run again counts.
        ProbeResult.Step retried = new ProbeResult.Step(List.of("gsm"), 45, 20, 2, 29_200, 100, 0.0, 0.1, 2.0, true);
        assertEquals(List.of(retried), new ProbeResult.Ladder(1, List.of(
                new ProbeResult.Step(List.of("gsm"), 45, 20, 2, 29_200, 100, 8.0, 9.1, 221.0, false), retried), 29_200)
                .passed());
        // As written before the ladder existed: no ladder field.
        String old = "{\"schema\":1,\"probeId\":\"3f2a1c7e-0000-4000-8000-000000000001\",\"pbxId\":\"pbx-a\","
                + "\"endpoint\":\"1001\",\"address\":\"10.231.1.2\",\"direction\":\"UPLINK\",\"protocol\":\"TCP\","
                + "\"bitsPerSecond\":36000,\"retransmits\":0,\"durationMs\":5200,\"outcome\":\"OK\","
                + "\"startedAt\":\"2026-11-26T10:00:00Z\"}";
        ProbeResult read = EventJson.fromJson(old, ProbeResult.class);
        assertEquals(36_000L, read.bitsPerSecond());
        assertEquals(null, read.ladder());
    }

    @Test
    void unknownFieldsAreTolerated() {
        String json = EventJson.toJson(Samples.probe()).replaceFirst("\\{", "{\"addedInSchema2\":{\"x\":[1,2]},");
        assertEquals(Samples.probe(), EventJson.fromJson(json, ProbeResult.class));
    }

    @Test
    void kafkaSerializerUsesTheSameMapping() {
        byte[] bytes = new EventSerializer().serialize("t", Samples.gone());
        assertEquals(EventJson.toJson(Samples.gone()), new String(bytes, StandardCharsets.UTF_8));
        assertInstanceOf(EndpointGone.class, EventJson.fromBytes(bytes, EndpointEvent.class));
    }

    @Test
    void garbageIsRejectedAsADocumentError() {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson("{not json", ProbeResult.class));
        assertEquals("$", e.field());
        assertEquals("$", assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson("", ProbeResult.class)).field());
        assertEquals("$", assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson("null", ProbeResult.class)).field());
    }

    @Test
    void wrongTypeOfAFieldNamesTheField() {
        String json = EventJson.toJson(Samples.probe()).replace("\"durationMs\":3050", "\"durationMs\":\"soon\"");
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json, ProbeResult.class));
        assertEquals("durationMs", e.field());
    }

    @Test
    void unknownEnumValueNamesTheField() {
        String json = EventJson.toJson(Samples.probe()).replace("\"OK\"", "\"MAYBE\"");
        assertEquals("outcome", assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json, ProbeResult.class)).field());
    }

    @Test
    void missingEndpointEventTypeIsRejected() {
        String json = EventJson.toJson(Samples.gone()).replace("\"type\":\"EndpointGone\",", "");
        assertThrows(InvalidEventException.class, () -> EventJson.fromJson(json, EndpointEvent.class));
    }
}
