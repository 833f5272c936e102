package io.vbo.policy.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The web console's pages (HTML, rendered on the server); the API stays under /api/v1. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({ "viewer", "admin" })
@Tag(name = "console")
public class ConsolePages {
    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance fleet(Fleet.Page page, List<String> pbxs, List<String> statuses, Session session);

        static native TemplateInstance fleetRows(Fleet.Page page, Session session);

        static native TemplateInstance phone(ConsoleService.Phone phone, Session session);

        static native TemplateInstance pbx(ConsoleService.Pbx pbx, Session session);
    }

    /**
     * Who is looking, for the templates.
     *
     * @param csrf   the token the page's script sends with actions
     * @param admin  whether to show actions
     * @param probeNow whether a probe-service is configured for "probe now"
     */
    public record Session(String user, boolean admin, String csrf, long refreshMillis, boolean probeNow) {
    }

    @Inject
    ConsoleService console;
    @Inject
    SecurityIdentity identity;
    @Inject
    Csrf csrf;
    @Inject
    ConsoleConfig config;
    @Inject
    ProbeNow probeNow;

    @GET
    @Operation(summary = "Fleet page: one row per phone, problems first; filter, sort, search and pages in the URL")
    @APIResponse(responseCode = "200", description = "The page")
    @APIResponse(responseCode = "400", description = "A bad query parameter (problem JSON)")
    @APIResponse(responseCode = "401", description = "Not logged in")
    public TemplateInstance fleet(@QueryParam("pbx") String pbx, @QueryParam("status") String status,
            @QueryParam("q") String q, @QueryParam("sort") String sort, @QueryParam("dir") String dir,
            @QueryParam("page") String page, @QueryParam("size") String size) throws SQLException {
        Fleet.Filter filter = Fleet.Filter.parse(pbx, status, q, sort, dir, page, size, config.pageSize());
        return Templates.fleet(console.fleet(filter), console.pbxs(), Fleet.statuses(), session());
    }

    @GET
    @Path("console/fleet/rows")
    @Operation(summary = "The fleet table's body for the same query: what an open fleet page polls for")
    @APIResponse(responseCode = "200", description = "The rows (HTML fragment)")
    @APIResponse(responseCode = "400", description = "A bad query parameter (problem JSON)")
    @APIResponse(responseCode = "401", description = "Not logged in")
    public TemplateInstance rows(@QueryParam("pbx") String pbx, @QueryParam("status") String status,
            @QueryParam("q") String q, @QueryParam("sort") String sort, @QueryParam("dir") String dir,
            @QueryParam("page") String page, @QueryParam("size") String size) throws SQLException {
        Fleet.Filter filter = Fleet.Filter.parse(pbx, status, q, sort, dir, page, size, config.pageSize());
        return Templates.fleetRows(console.fleet(filter), session());
    }

    @GET
    @Path("phones/{pbxId}/{endpoint}")
    @Operation(summary = "Phone page: link chart, decisions with reasons, applied status, actions for admins")
    @APIResponse(responseCode = "200", description = "The page")
    @APIResponse(responseCode = "400", description = "A bad name or range (problem JSON)")
    @APIResponse(responseCode = "401", description = "Not logged in")
    @APIResponse(responseCode = "404", description = "The endpoint was never measured (problem JSON)")
    public TemplateInstance phone(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint,
            @QueryParam("range") String range) throws SQLException {
        return Templates.phone(console.phone(pbxId, endpoint, range), session());
    }

    @GET
    @Path("pbxs/{pbxId}")
    @Operation(summary = "PBX page: phones per tier and status, results per hour of the last day")
    @APIResponse(responseCode = "200", description = "The page")
    @APIResponse(responseCode = "400", description = "A bad name (problem JSON)")
    @APIResponse(responseCode = "401", description = "Not logged in")
    @APIResponse(responseCode = "404", description = "No endpoint of this PBX was measured (problem JSON)")
    public TemplateInstance pbx(@PathParam("pbxId") String pbxId) throws SQLException {
        return Templates.pbx(console.pbx(pbxId), session());
    }

    private Session session() {
        String user = identity.getPrincipal().getName();
        return new Session(user, identity.hasRole("admin"), csrf.token(user), config.refreshEvery().toMillis(),
                probeNow.configured());
    }
}
