package io.vbo.writer.rest;

import io.vbo.web.Problem;
import io.vbo.writer.service.UserService;
import io.vbo.writer.users.UserException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** config-writer-service's own refusals as problem JSON; the shared ones are in {@link io.vbo.web.ProblemMappers}. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

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
    public Response reloadFailed(UserService.ReloadFailedException e) {
        return Problem.response(Response.Status.BAD_GATEWAY, e.getMessage());
    }

    /** The config folder could not be read or written (missing, not readable by the writer's user, disk full). */
    @ServerExceptionMapper
    public Response files(IOException e) {
        LOG.error("config files could not be read or written", e);
        return Problem.response(Response.Status.INTERNAL_SERVER_ERROR, "config files could not be read or written: "
                + e.getMessage());
    }
}
