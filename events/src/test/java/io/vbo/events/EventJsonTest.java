package io.vbo.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.events.kafka.EventSerializer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void everyContractRoundTrips() {
        assertEquals(Samples.observed(), EventJson.fromJson(EventJson.toJson(Samples.observed()), EndpointEvent.class));
        assertEquals(Samples.gone(), EventJson.fromJson(EventJson.toJson(Samples.gone()), EndpointEvent.class));
        assertEquals(Samples.probe(), EventJson.fromJson(EventJson.toJson(Samples.probe()), ProbeResult.class));
        assertEquals(Samples.decision(), EventJson.fromJson(EventJson.toJson(Samples.decision()), CodecDecision.class));
        assertEquals(Samples.applied(), EventJson.fromJson(EventJson.toJson(Samples.applied()), ConfigApplied.class));
        assertEquals(Samples.capabilities(),
                EventJson.fromJson(EventJson.toJson(Samples.capabilities()), PbxCapabilities.class));
        assertEquals(Samples.ceiling(), EventJson.fromJson(EventJson.toJson(Samples.ceiling()), EndpointCeiling.class));
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
