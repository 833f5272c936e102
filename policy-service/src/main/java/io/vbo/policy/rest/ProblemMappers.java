package io.vbo.policy.rest;

import io.vbo.policy.service.PinService;
import io.vbo.web.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** policy-service's own refusals as problem JSON; the shared ones are in {@link io.vbo.web.ProblemMappers}. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response unknown(PinService.UnknownEndpointException e) {
        return Problem.response(Response.Status.NOT_FOUND, e.getMessage());
    }
}
