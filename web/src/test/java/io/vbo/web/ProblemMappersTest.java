package io.vbo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vbo.events.InvalidEventException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {
    record Body(List<String> codecs, int port) {
        Body {
            if (port < 0) {
                throw new InvalidEventException("port", "must be >= 0, was " + port);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String describe(String body) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> JSON.readValue(body, Body.class));
        return ProblemMappers.describe(e);
    }

    @Test
    void wrongTypesNameTheField() {
        assertEquals("request body: field 'codecs' has a value of the wrong type or shape", describe("{\"codecs\":\"ulaw\"}"));
        assertEquals("request body: field 'codecs.[1]' has a value of the wrong type or shape",
                describe("{\"codecs\":[\"ulaw\",{}]}"));
    }

    @Test
    void syntaxErrorsAndDeepNestingSayWhatIsWrong() {
        assertEquals("request body is not valid JSON", describe("{\"codecs\":"));
        String deep = "[".repeat(1_500) + "]".repeat(1_500);
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> JSON.readValue(deep, com.fasterxml.jackson.databind.JsonNode.class));
        assertEquals("request body is JSON with nested or sized beyond the limits of the API", ProblemMappers.describe(e));
    }

    @Test
    void aContractRefusalKeepsItsMessage() {
        assertEquals("port: must be >= 0, was -1", describe("{\"codecs\":[],\"port\":-1}"));
    }

    @Test
    void kindsFollowTheStatus() {
        assertEquals("urn:vbo:problem:request-entity-too-large", Problem.TYPE_PREFIX + Problem.kindOf(413));
        assertEquals("server-error", Problem.kindOf(502));
        assertEquals("Not Found", Problem.of(404, "not-found", "x").title());
    }
}
