package io.vbo.probe.rest;

import io.vbo.events.Validate;
import io.vbo.probe.service.ProbeDispatcher;
import io.vbo.probe.service.ProbeDispatcher.EndpointSchedule;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * What the probe-service knows and when it probes next (role viewer: it lists phones' addresses); an operator with
 * role admin can ask for a probe now.
 */
@Path("/probes")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {
    @Inject
    ProbeDispatcher dispatcher;

    /** Every endpoint this instance schedules (only PBXs it serves). */
    @GET
    @Path("/endpoints")
    @RolesAllowed("viewer")
    public List<EndpointSchedule> endpoints() {
        return dispatcher.snapshot();
    }

    /** Probes the endpoint as soon as its PBX has a free slot (still never during a call). */
    @POST
    @RolesAllowed("admin")
    @Path("/endpoints/{pbxId}/{endpoint}")
    public Response probeNow(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint) {
        if (!Validate.PBX_ID.matcher(pbxId).matches() || !Validate.ENDPOINT.matcher(endpoint).matches()) {
            return problem(400, "Bad Request", "pbxId or endpoint is not a valid name");
        }
        if (!dispatcher.requestProbe(pbxId, endpoint)) {
            return problem(404, "Not Found", "no endpoint " + pbxId + "/" + endpoint + " is scheduled here");
        }
        return Response.accepted(Map.of("pbxId", pbxId, "endpoint", endpoint, "status", "due")).build();
    }

    private static Response problem(int status, String title, String detail) {
        return Response.status(status).type("application/problem+json")
                .entity(Map.of("type", "about:blank", "title", title, "status", status, "detail", detail)).build();
    }
}
