package io.vbo.policy.rest;

import io.vbo.events.Validate;
import io.vbo.policy.config.PolicyConfig;
import io.vbo.policy.rest.Views.CapacityView;
import io.vbo.policy.rest.Views.ConcurrentCallsView;
import io.vbo.policy.rest.Views.SiteMemberView;
import io.vbo.policy.rest.Views.SiteView;
import io.vbo.policy.service.SiteService;
import io.vbo.web.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sites: phones sharing one uplink, their concurrent calls K, capacity and call limit (docs/sites.md). */
@Path("/api/v1/sites")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sites")
public class SiteResource {
    @Inject
    SiteService sites;
    @Inject
    PolicyConfig config;

    @GET
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "Every site with members, by PBX and name: K learned, configured and used, capacity, limit")
    @APIResponse(responseCode = "200", description = "the sites (members omitted)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    public List<SiteView> list() throws SQLException {
        List<SiteView> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<String>>> pbx : sites.sites().entrySet()) {
            for (String site : pbx.getValue().keySet()) {
                sites.snapshot(pbx.getKey(), site).ifPresent(s -> out.add(view(s, false)));
            }
        }
        return out;
    }

    @GET
    @Path("/{pbxId}/{site}")
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "One site with its members as last decided")
    @APIResponse(responseCode = "200", description = "the site")
    @APIResponse(responseCode = "400", description = "bad PBX id or site name (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "404", description = "no endpoint of this PBX is in this site (problem JSON)")
    public SiteView one(@PathParam("pbxId") String pbxId, @PathParam("site") String site) throws SQLException {
        Validate.pbxId("pbxId", pbxId);
        Validate.site("site", site);
        return sites.snapshot(pbxId, site).map(s -> view(s, true)).orElseThrow(() -> ProblemException.notFound(
                "no endpoint of PBX " + pbxId + " is in site " + site));
    }

    private SiteView view(SiteService.Snapshot s, boolean withMembers) {
        SiteService.ConcurrentCalls k = s.calls();
        ConcurrentCallsView calls = new ConcurrentCallsView(
                s.learnedNow() == null ? null : s.learnedNow().concurrentCalls(),
                s.learnedNow() == null ? null : s.learnedNow().busiestHour(),
                s.learnedNow() == null ? null : s.learnedNow().peak(),
                s.learnedNow() == null ? null : s.learnedNow().calls(), config.siteCalls().percentile(),
                config.siteCalls().window().toString(), k.configured(), k.used(), k.source().name());
        SiteService.Declared d = s.declared();
        CapacityView capacity = new CapacityView(s.capacity().declaredBps(), d == null ? null : d.downBps(),
                d == null ? null : d.upBps(), s.capacity().measuredBps(), s.capacity().measuredBy(),
                s.capacity().usedBps(), config.utilisation());
        List<SiteMemberView> members = withMembers ? s.members().stream().map(m -> new SiteMemberView(m.endpoint(),
                m.status(), m.tier(), m.codecs(), m.ceiling())).toList() : null;
        return new SiteView(s.pbxId(), s.site(), d != null, s.endpoints(), calls, capacity,
                d == null ? null : d.maxCalls(), s.limit().orElse(null), members);
    }
}
