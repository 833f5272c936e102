package io.vbo.writer.rest;

import io.vbo.events.InvalidEventException;
import io.vbo.writer.service.UserService;
import io.vbo.writer.users.UserException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns refusals and failures into problem JSON with a clear one-line detail. */
public class ProblemMappers {
    @ServerExceptionMapper
    public Response refused(UserException e) {
        Response.Status status = switch (e.kind()) {
            case INVALID -> Response.Status.BAD_REQUEST;
            case NOT_FOUND -> Response.Status.NOT_FOUND;
            case CONFLICT, NOT_INITIALISED -> Response.Status.CONFLICT;
        };
        return Problem.response(status, e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(InvalidEventException e) {
        return Problem.response(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response reloadFailed(UserService.ReloadFailedException e) {
        return Problem.response(Response.Status.BAD_GATEWAY, e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        if (status == null) {
            return e.getResponse();
        }
        return Problem.response(status, e.getMessage());
    }
}
