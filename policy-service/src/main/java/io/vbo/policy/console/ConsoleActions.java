package io.vbo.policy.console;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vbo.events.Codecs;
import io.vbo.events.Validate;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.web.ProblemException;
import io.vbo.policy.service.CeilingService;
import io.vbo.policy.service.PinService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import io.quarkus.panache.common.Sort;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The console's actions: admins only, and only with the page's CSRF token in {@value Csrf#HEADER}. Each answers
 * with the decision it produced, as an HTML fragment the page shows.
 */
@Path("/console/actions/{pbxId}/{endpoint}")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed("admin")
@Tag(name = "console")
public class ConsoleActions {
    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance decision(DecisionEntity decision, String note);
    }

    @Inject
    PinService pins;
    @Inject
    CeilingService ceilings;
    @Inject
    SecurityIdentity identity;
    @Inject
    Csrf csrf;
    @Inject
    ProbeNow probeNow;

    @POST
    @Path("pin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Pin the phone's codecs (comma-separated, in order)")
    @APIResponse(responseCode = "200", description = "The decision made")
    @APIResponse(responseCode = "400", description = "Unknown codec or bad name (problem JSON)")
    @APIResponse(responseCode = "401", description = "Not logged in")
    @APIResponse(responseCode = "403", description = "Not an admin, or no valid CSRF token")
    @APIResponse(responseCode = "404", description = "The endpoint was never measured")
    public TemplateInstance pin(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint,
            @HeaderParam(Csrf.HEADER) String token, @FormParam("codecs") String codecs) {
        String user = check(pbxId, endpoint, token);
        if (codecs == null || codecs.isBlank()) {
            throw ProblemException.badRequest("codecs: is required, e.g. g729,ulaw");
        }
        DecisionEntity d = pins.pin(pbxId, endpoint, Codecs.parseList("codecs", codecs.replace(" ", "")), user);
        return Templates.decision(stored(d), "pinned");
    }

    @POST
    @Path("ceiling")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Set the phone's ceiling (source ADMIN, comma-separated codecs): decided at once and published")
    @APIResponse(responseCode = "200", description = "The ceiling stored and the decision made (or a note why none was)")
    @APIResponse(responseCode = "400", description = "Unknown codec or bad name (problem JSON)")
    @APIResponse(responseCode = "401", description = "Not logged in")
    @APIResponse(responseCode = "403", description = "Not an admin, or no valid CSRF token")
    @APIResponse(responseCode = "404", description = "The endpoint was never measured and has no ceiling")
    public TemplateInstance ceiling(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint,
            @HeaderParam(Csrf.HEADER) String token, @FormParam("codecs") String codecs) {
        String user = check(pbxId, endpoint, token);
        if (codecs == null || codecs.isBlank()) {
            throw ProblemException.badRequest("codecs: is required, e.g. ulaw,gsm");
        }
        List<String> list = Codecs.parseList("codecs", codecs.replace(" ", ""));
        CeilingService.AdminChange change = ceilings.set(pbxId, endpoint, list, user);
        String note = "ceiling set to " + String.join(",", list)
                + (change.published() ? "" : " (not published to Kafka yet: the writer learns it later)");
        return Templates.decision(change.decision().map(ConsoleActions::stored).orElse(null),
                change.decision().isPresent() ? note : note + "; no decision: the policy has no tier for it yet");
    }

    @POST
    @Path("unpin")
    @Operation(summary = "Remove the pin; the policy's tier applies again")
    @APIResponse(responseCode = "200", description = "The decision made, or a note that none was needed")
    @APIResponse(responseCode = "400", description = "A bad name (problem JSON)")
    @APIResponse(responseCode = "401", description = "Not logged in")
    @APIResponse(responseCode = "403", description = "Not an admin, or no valid CSRF token")
    @APIResponse(responseCode = "404", description = "The endpoint was never measured")
    public TemplateInstance unpin(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint,
            @HeaderParam(Csrf.HEADER) String token) {
        String user = check(pbxId, endpoint, token);
        Optional<DecisionEntity> d = pins.unpin(pbxId, endpoint, user);
        return Templates.decision(d.map(ConsoleActions::stored).orElse(null), d.isPresent() ? "unpinned"
                : "no decision: the phone was not pinned, or the policy has no tier for it yet");
    }

    @POST
    @Path("redecide")
    @Operation(summary = "Decide now: publish the policy's decision for the current estimate (or the pin) again")
    @APIResponse(responseCode = "200", description = "The decision made")
    @APIResponse(responseCode = "400", description = "A bad name (problem JSON)")
    @APIResponse(responseCode = "401", description = "Not logged in")
    @APIResponse(responseCode = "403", description = "Not an admin, or no valid CSRF token")
    @APIResponse(responseCode = "404", description = "The endpoint was never measured")
    @APIResponse(responseCode = "409", description = "Nothing to decide yet: no successful measurement and no pin")
    public TemplateInstance redecide(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint,
            @HeaderParam(Csrf.HEADER) String token) {
        String user = check(pbxId, endpoint, token);
        DecisionEntity d = pins.republish(pbxId, endpoint, user).orElseThrow(() -> ProblemException.conflict(
                pbxId + "/" + endpoint + " has no decision yet: it needs a successful measurement or a pin"));
        return Templates.decision(stored(d), "decided again");
    }

    @POST
    @Path("probe")
    @Operation(summary = "Probe now: probe-service makes the phone due at once (vbo.console.probe-service-url)")
    @APIResponse(responseCode = "200", description = "probe-service accepted; the current decision is shown")
    @APIResponse(responseCode = "400", description = "A bad name (problem JSON)")
    @APIResponse(responseCode = "401", description = "Not logged in")
    @APIResponse(responseCode = "403", description = "Not an admin, or no valid CSRF token")
    @APIResponse(responseCode = "409", description = "No probe-service is configured (problem JSON)")
    @APIResponse(responseCode = "502", description = "probe-service refused, with its answer (problem JSON)")
    @APIResponse(responseCode = "504", description = "probe-service could not be reached in time (problem JSON)")
    public TemplateInstance probe(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint,
            @HeaderParam(Csrf.HEADER) String token, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        check(pbxId, endpoint, token);
        probeNow.request(pbxId, endpoint, authorization);
        DecisionEntity current = QuarkusTransaction.requiringNew().call(() -> DecisionEntity.<DecisionEntity>find(
                "pbxId = ?1 and endpoint = ?2", Sort.descending("decidedAt"), pbxId, endpoint).firstResult());
        return Templates.decision(current, "probe requested: probe-service made " + pbxId + "/" + endpoint
                + " due now; its result arrives through vbo.probe-results and the policy decides on it (reload the"
                + " page to see it)" + (current == null ? "; no decision yet" : "; the decision in force until then"));
    }

    /** The decision as stored now: publishing records its acknowledgement in the table, not in the object. */
    private static DecisionEntity stored(DecisionEntity d) {
        return QuarkusTransaction.requiringNew().call(() -> DecisionEntity.<DecisionEntity>findById(d.decisionId));
    }

    private String check(String pbxId, String endpoint, String token) {
        String user = identity.getPrincipal().getName();
        if (!csrf.valid(user, token)) {
            throw new ProblemException(Response.Status.FORBIDDEN, "forbidden", "missing or wrong " + Csrf.HEADER
                    + " token: actions are accepted only from the console's own pages");
        }
        Validate.pbxId("pbxId", pbxId);
        Validate.endpoint("endpoint", endpoint);
        return user;
    }
}
