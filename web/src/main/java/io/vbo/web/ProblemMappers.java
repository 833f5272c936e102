package io.vbo.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.vbo.events.InvalidEventException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The errors every VBO API shares, as problem JSON; a service adds mappers for its own exceptions with
 * {@link Problem#response}. Declared for the Jackson subclasses too, because Quarkus ships mappers for those that
 * answer without a body.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return Problem.response(e.status().getStatusCode(), e.kind(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(InvalidEventException e) {
        return Problem.response(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper({ JsonProcessingException.class, JsonMappingException.class, MismatchedInputException.class,
            ValueInstantiationException.class, StreamConstraintsException.class })
    public Response unreadable(JsonProcessingException e) {
        return Problem.response(Response.Status.BAD_REQUEST, describe(e));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 401 || status == 403) {
            // The security layer's own answer carries the WWW-Authenticate challenge.
            return e.getResponse();
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadable(json);
        }
        if (e.getCause() instanceof InvalidEventException invalid) {
            return invalid(invalid);
        }
        return Problem.response(status, Problem.kindOf(status), e.getMessage());
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        String service = ConfigProvider.getConfig().getOptionalValue("quarkus.application.name", String.class)
                .orElse("service");
        return Problem.response(Response.Status.INTERNAL_SERVER_ERROR,
                "the request failed on the server; see the " + service + " log");
    }

    /** One line naming where the body is wrong, without Jackson's class names and source excerpts. */
    static String describe(JsonProcessingException e) {
        if (e.getCause() instanceof InvalidEventException invalid) {
            return invalid.getMessage();
        }
        String reason = e instanceof StreamConstraintsException ? "nested or sized beyond the limits of the API"
                : e instanceof MismatchedInputException ? "a value of the wrong type or shape"
                : e instanceof JsonMappingException ? "a value that cannot be read"
                : "not valid JSON";
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "request body: field '" + path + "' has " + reason;
        }
        return "request body is " + (reason.startsWith("not") ? reason : "JSON with " + reason);
    }
}
