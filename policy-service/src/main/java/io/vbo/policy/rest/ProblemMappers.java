package io.vbo.policy.rest;

import io.vbo.events.InvalidEventException;
import io.vbo.policy.service.PinService;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the API as problem JSON. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String TYPE_BASE = "https://vbo.io/problems/";

    static Response problem(Response.Status status, String kind, String detail) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(TYPE_BASE + kind, status.getReasonPhrase(), status.getStatusCode(), detail))
                .build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return problem(e.status(), e.kind(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(InvalidEventException e) {
        return problem(Response.Status.BAD_REQUEST, "bad-request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknown(PinService.UnknownEndpointException e) {
        return problem(Response.Status.NOT_FOUND, "not-found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        if (status == null) {
            status = Response.Status.BAD_REQUEST;
        }
        if (status == Response.Status.UNAUTHORIZED || status == Response.Status.FORBIDDEN) {
            return e.getResponse();
        }
        String kind = status.getFamily() == Response.Status.Family.SERVER_ERROR ? "server-error"
                : status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        return problem(status, kind, e.getMessage());
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        return problem(Response.Status.INTERNAL_SERVER_ERROR, "server-error",
                "the request failed on the server; see the policy-service log");
    }
}
