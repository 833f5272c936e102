package io.vbo.probe.rest;

import io.vbo.events.Validate;
import io.vbo.probe.config.ProbeConfig;
import io.vbo.probe.service.ProbeDispatcher;
import io.vbo.probe.service.ProbeDispatcher.EndpointSchedule;
import io.vbo.web.Problem;
import io.vbo.web.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the probe-service knows and when it probes next (role viewer: it lists phones' addresses); an operator with
 * role admin can ask for a probe now. Every error with a body is a {@link Problem} ({@code io.vbo.web}); 401 and 403
 * are the security layer's bare answers (401 with its {@code WWW-Authenticate} challenge).
 */
@Path("/probes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "probes")
public class ProbeResource {
    @Inject
    ProbeDispatcher dispatcher;

    @GET
    @Path("/endpoints")
    @RolesAllowed("viewer")
    @Operation(summary = "Every endpoint this instance schedules (only PBXs it serves), with its address, "
            + "active calls, whether a probe runs, when it is due next and the last outcome")
    @APIResponse(responseCode = "200", description = "the schedule")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "403", description = "the user lacks role viewer")
    @APIResponse(responseCode = "414", description = "request URI too long (problem JSON)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "500", description = "failure on the server, detail in its log (problem JSON)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<EndpointSchedule> endpoints() {
        return dispatcher.snapshot();
    }

    @POST
    @RolesAllowed("admin")
    @Path("/endpoints/{pbxId}/{endpoint}")
    @Operation(summary = "Probes the endpoint as soon as its PBX has a free slot (still never during a call)",
            description = "With profiles (comma-separated: ladder, tcp, voice) that probe runs those instead of the "
                    + "configured ones, e.g. tcp for a capacity figure on a fleet probed with the ladder; later "
                    + "probes run the configured profiles again.")
    @APIResponse(responseCode = "202", description = "the endpoint is due now")
    @APIResponse(responseCode = "400", description = "pbxId or endpoint is not a valid name, or a profile is unknown "
            + "(problem JSON)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "403", description = "not an admin")
    @APIResponse(responseCode = "404", description = "no such endpoint is scheduled here (problem JSON)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "request body too large (problem JSON)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "414", description = "request URI too long (problem JSON)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "500", description = "failure on the server, detail in its log (problem JSON)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response probeNow(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint,
            @Parameter(description = "profiles for this probe only, e.g. tcp") @QueryParam("profiles") String profiles) {
        if (!Validate.PBX_ID.matcher(pbxId).matches() || !Validate.ENDPOINT.matcher(endpoint).matches()) {
            throw ProblemException.badRequest("pbxId or endpoint is not a valid name");
        }
        List<ProbeConfig.Profile> asked = profiles(profiles);
        if (!dispatcher.requestProbe(pbxId, endpoint, asked)) {
            throw ProblemException.notFound("no endpoint " + pbxId + "/" + endpoint + " is scheduled here");
        }
        return Response.accepted(Map.of("pbxId", pbxId, "endpoint", endpoint, "status", "due", "profiles",
                asked.stream().map(p -> p.name().toLowerCase(Locale.ROOT)).toList())).build();
    }

    /** {@code ladder,tcp} → the profiles, in order, without repeats; absent or blank → none (the configured ones). */
    private static List<ProbeConfig.Profile> profiles(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        Set<ProbeConfig.Profile> asked = new LinkedHashSet<>();
        for (String name : list.split(",", -1)) {
            String n = name.strip();
            if (n.length() > 16 || !n.matches("[A-Za-z]+")) {
                throw ProblemException.badRequest("profiles must be a comma-separated list of ladder, tcp, voice");
            }
            try {
                asked.add(ProbeConfig.Profile.valueOf(n.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("unknown profile '" + n + "': ladder, tcp or voice");
            }
        }
        return List.copyOf(asked);
    }
}
