package io.vbo.policy.rest;

import io.vbo.web.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vbo.events.Codecs;
import io.vbo.events.SiteLimit;
import io.vbo.events.Validate;
import io.vbo.policy.model.EndpointStatus;
import io.vbo.policy.repository.CeilingEntity;
import io.vbo.policy.repository.CeilingHistoryEntity;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.policy.repository.EndpointEntity;
import io.vbo.policy.repository.EndpointQueries;
import io.vbo.policy.repository.EndpointStateRepository;
import io.vbo.policy.repository.MeasurementRow;
import io.vbo.policy.rest.Views.CeilingChangeView;
import io.vbo.policy.rest.Views.CeilingHistoryView;
import io.vbo.policy.rest.Views.CeilingRequest;
import io.vbo.policy.rest.Views.CeilingView;
import io.vbo.policy.rest.Views.DecisionView;
import io.vbo.policy.rest.Views.EndpointPage;
import io.vbo.policy.rest.Views.EndpointSiteView;
import io.vbo.policy.rest.Views.EndpointView;
import io.vbo.policy.rest.Views.MeasurementPage;
import io.vbo.policy.rest.Views.PinRequest;
import io.vbo.policy.service.CallService;
import io.vbo.policy.service.CeilingService;
import io.vbo.policy.service.Decisions;
import io.vbo.policy.service.MeasurementExport;
import io.vbo.policy.service.PinService;
import io.vbo.policy.service.SiteService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Endpoints, their measurements and decisions, and administrators' pins. */
@Path("/api/v1/endpoints")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "endpoints")
public class EndpointResource {
    @Inject
    PinService pins;
    @Inject
    CeilingService ceilings;
    @Inject
    SecurityIdentity identity;
    @Inject
    EndpointQueries queries;
    @Inject
    MeasurementExport export;
    @Inject
    CallService calls;
    @Inject
    SiteService sites;

    @GET
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "List endpoints with their current tier and latest estimate",
            description = "Filters: pbx, tier (an effective tier; 'pinned' for pinned endpoints), status "
                    + "(PENDING, MEASURED, UNMEASURED, AWAITING_CEILING, NO_CODEC_FITS, PASSIVE). Ordered by PBX and endpoint; "
                    + "pass 'next' as 'after'.")
    @APIResponse(responseCode = "200", description = "a page of endpoints")
    @APIResponse(responseCode = "400", description = "bad pbx, status, limit or after (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    public EndpointPage list(@QueryParam("pbx") String pbx, @QueryParam("tier") String tier,
            @QueryParam("status") String status, @QueryParam("limit") String limitParam,
            @QueryParam("after") String after) {
        int limit = Params.limit(limitParam, 100);
        boolean pinned = PinService.PINNED_TIER.equals(tier);
        EndpointQueries.Filter filter = new EndpointQueries.Filter(blank(pbx) ? null : Validate.pbxId("pbx", pbx),
                pinned, blank(tier) || pinned ? null : tier, blank(status) ? null : status(status));
        String afterPbx = null;
        String afterEndpoint = null;
        if (!blank(after)) {
            int slash = after.indexOf('/');
            if (slash < 0) {
                throw ProblemException.badRequest("after: must be the 'next' value of the previous page (pbxId/endpoint)");
            }
            afterPbx = after.substring(0, slash);
            afterEndpoint = after.substring(slash + 1);
        }
        List<EndpointEntity> rows = queries.endpoints(filter, afterPbx, afterEndpoint, limit);
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            EndpointEntity last = rows.get(limit - 1);
            next = last.id.pbxId() + "/" + last.id.endpoint();
        }
        return new EndpointPage(rows.stream().map(EndpointResource::view).toList(), next);
    }

    @GET
    @Path("/{pbxId}/{endpoint}")
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "One endpoint, with the MOS percentiles of its calls of the last 24 h and its site")
    @APIResponse(responseCode = "200", description = "the endpoint")
    @APIResponse(responseCode = "400", description = "bad PBX id or endpoint name (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "404", description = "the endpoint was never measured (problem JSON)")
    public EndpointView one(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint)
            throws SQLException {
        Instant since = Instant.now().minus(java.time.Duration.ofDays(1));
        EndpointView view = view(find(pbxId, endpoint));
        String site = sites.siteOf(pbxId, endpoint);
        EndpointSiteView siteView = site == null ? null : sites.snapshot(pbxId, site).map(EndpointResource::site)
                .orElse(null);
        return view.with(CallResource.view(since, calls.mosSince(pbxId, endpoint, since)), siteView);
    }

    /** What the endpoint view says of its site. */
    static EndpointSiteView site(SiteService.Snapshot s) {
        return new EndpointSiteView(s.site(), s.endpoints().size(), s.calls().used(), s.calls().source().name(),
                s.capacity().usedBps(), s.limit().map(SiteLimit::maxCalls).orElse(null));
    }

    @GET
    @Path("/{pbxId}/{endpoint}/measurements")
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "Measurements of one endpoint in [from, to), oldest first, keyset-paginated",
            description = "limit 1..1000 (default 100); pass nextCursor as cursor for the next page.")
    @APIResponse(responseCode = "200", description = "a page of measurements")
    @APIResponse(responseCode = "400", description = "bad name, from, to (outside 1970..9999 or not before to), limit or cursor (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "404", description = "the endpoint was never measured (problem JSON)")
    public MeasurementPage measurements(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        return page(pbxId, endpoint, from, to, limit, cursor);
    }

    @GET
    @Path("/{pbxId}/{endpoint}/measurements")
    @Produces("text/csv")
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "The same page as CSV; the next page's cursor is in the X-Next-Cursor header")
    @APIResponse(responseCode = "200", description = "the page as CSV, text cells that start like a formula prefixed with '")
    @APIResponse(responseCode = "400", description = "bad name, from, to, limit or cursor (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "404", description = "the endpoint was never measured (problem JSON)")
    public Response measurementsCsv(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        MeasurementPage page = page(pbxId, endpoint, from, to, limit, cursor);
        Response.ResponseBuilder response = Response.ok(export.csv(page.items()), "text/csv; charset=UTF-8");
        if (page.nextCursor() != null) {
            response.header("X-Next-Cursor", page.nextCursor());
        }
        return response.build();
    }

    @GET
    @Path("/{pbxId}/{endpoint}/decisions")
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "Decisions of one endpoint, newest first, with reason and applied status")
    @APIResponse(responseCode = "200", description = "the decisions")
    @APIResponse(responseCode = "400", description = "bad PBX id, endpoint name or limit (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "404", description = "the endpoint was never measured (problem JSON)")
    public List<DecisionView> decisions(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint,
            @QueryParam("limit") String limit) {
        find(pbxId, endpoint);
        return queries.decisions(pbxId, endpoint, Params.limit(limit, 50)).stream().map(EndpointResource::view).toList();
    }

    @PUT
    @Path("/{pbxId}/{endpoint}/pin")
    @RolesAllowed("admin")
    @Operation(summary = "Pin the endpoint's codecs (overrides the policy); publishes a decision")
    @APIResponse(responseCode = "200", description = "pinned; the decision it published")
    @APIResponse(responseCode = "400", description = "bad path or body: missing, unknown or repeated codec, wrong JSON types (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "403", description = "not an admin")
    @APIResponse(responseCode = "404", description = "the endpoint was never measured (problem JSON)")
    public DecisionView pin(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint,
            PinRequest request) {
        validate(pbxId, endpoint);
        if (request == null || request.codecs() == null) {
            throw ProblemException.badRequest("codecs: is required, e.g. {\"codecs\": [\"g729\", \"ulaw\"]}");
        }
        List<String> codecs = Codecs.parseList("codecs", String.join(",", request.codecs()));
        return view(pins.pin(pbxId, endpoint, codecs, identity.getPrincipal().getName()));
    }

    @DELETE
    @Path("/{pbxId}/{endpoint}/pin")
    @RolesAllowed("admin")
    @Operation(summary = "Remove the pin; publishes the policy's decision when it has one (200), else 204")
    @APIResponse(responseCode = "200", description = "unpinned; the policy's decision it published")
    @APIResponse(responseCode = "204", description = "unpinned; the policy has no decision for the endpoint yet")
    @APIResponse(responseCode = "400", description = "bad PBX id or endpoint name (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "403", description = "not an admin")
    @APIResponse(responseCode = "404", description = "the endpoint was never measured (problem JSON)")
    public Response unpin(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint) {
        validate(pbxId, endpoint);
        return pins.unpin(pbxId, endpoint, identity.getPrincipal().getName())
                .map(d -> Response.ok(view(d)).build())
                .orElse(Response.noContent().build());
    }

    @POST
    @Path("/{pbxId}/{endpoint}/decisions")
    @RolesAllowed("admin")
    @Operation(summary = "Publish the endpoint's current decision again (e.g. after restoring a PBX)")
    @APIResponse(responseCode = "200", description = "the decision published again")
    @APIResponse(responseCode = "400", description = "bad PBX id or endpoint name (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "403", description = "not an admin")
    @APIResponse(responseCode = "404", description = "the endpoint was never measured (problem JSON)")
    @APIResponse(responseCode = "409", description = "no decision yet: no successful measurement and no pin (problem JSON)")
    public DecisionView republish(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint) {
        validate(pbxId, endpoint);
        return pins.republish(pbxId, endpoint, identity.getPrincipal().getName()).map(EndpointResource::view)
                .orElseThrow(() -> ProblemException.conflict(pbxId + "/" + endpoint
                        + " has no decision yet: it needs a successful measurement or a pin"));
    }

    @GET
    @Path("/{pbxId}/{endpoint}/ceiling")
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "The endpoint's ceiling: the most its decisions may allow, with who set it")
    @APIResponse(responseCode = "200", description = "the ceiling")
    @APIResponse(responseCode = "400", description = "bad PBX id or endpoint name (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "404", description = "no ceiling is known for the endpoint yet (problem JSON)")
    public CeilingView ceiling(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint) {
        validate(pbxId, endpoint);
        return view(queries.ceiling(pbxId, endpoint).orElseThrow(() -> ProblemException.notFound("no ceiling is known for "
                + pbxId + "/" + endpoint + ": the config writer reports it when it first manages the endpoint, or PUT one")));
    }

    @PUT
    @Path("/{pbxId}/{endpoint}/ceiling")
    @RolesAllowed("admin")
    @Operation(summary = "Set the endpoint's ceiling (source ADMIN): recorded in the history, decided at once, "
            + "published on vbo.endpoint-ceilings", description = "Body {\"codecs\": [\"ulaw\", \"gsm\"]}, "
                    + "audio codec names as allow= spells them, no duplicates.")
    @APIResponse(responseCode = "200", description = "stored; the decision it caused, if the codecs changed")
    @APIResponse(responseCode = "400", description = "bad path or body: missing, unknown or repeated codec (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "403", description = "not an admin")
    @APIResponse(responseCode = "404", description = "the endpoint was never measured and has no ceiling (problem JSON)")
    public CeilingChangeView setCeiling(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint,
            CeilingRequest request) {
        validate(pbxId, endpoint);
        if (request == null || request.codecs() == null) {
            throw ProblemException.badRequest("codecs: is required, e.g. {\"codecs\": [\"ulaw\", \"gsm\"]}");
        }
        CeilingService.AdminChange change = ceilings.set(pbxId, endpoint, Validate.codecs("codecs", request.codecs()),
                identity.getPrincipal().getName());
        return new CeilingChangeView(view(change.ceiling()), change.decision().map(EndpointResource::view).orElse(null),
                change.published());
    }

    @GET
    @Path("/{pbxId}/{endpoint}/ceiling/history")
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "Every change of the endpoint's ceiling, newest first, with source and time")
    @APIResponse(responseCode = "200", description = "the changes (empty when none was recorded)")
    @APIResponse(responseCode = "400", description = "bad PBX id, endpoint name or limit (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "404", description = "the endpoint was never measured and has no ceiling (problem JSON)")
    public List<CeilingHistoryView> ceilingHistory(@PathParam("pbxId") String pbxId,
            @PathParam("endpoint") String endpoint, @QueryParam("limit") String limit) {
        validate(pbxId, endpoint);
        int max = Params.limit(limit, 50);
        List<CeilingHistoryEntity> rows = queries.ceilingHistory(pbxId, endpoint, max);
        if (rows.isEmpty()) {
            find(pbxId, endpoint);
        }
        return rows.stream().map(h -> new CeilingHistoryView(EndpointStateRepository.split(h.codecs),
                EndpointStateRepository.split(h.previousCodecs), h.source, h.recordedAt, h.recordedBy, h.receivedAt))
                .toList();
    }

    private MeasurementPage page(String pbxId, String endpoint, String fromParam, String toParam, String limitParam,
            String cursorParam) {
        find(pbxId, endpoint);
        Instant from = Params.instant("from", fromParam, Validate.EARLIEST);
        Instant to = Params.instant("to", toParam, Validate.LATEST);
        Params.range(from, to);
        int limit = Params.limit(limitParam, 100);
        Params.Cursor cursor = Params.Cursor.decode(cursorParam);
        List<MeasurementRow> rows = queries.measurements(pbxId, endpoint, from, to,
                cursor == null ? null : cursor.startedAt(), cursor == null ? null : cursor.probeId(), limit);
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            MeasurementRow last = rows.get(limit - 1);
            next = new Params.Cursor(last.startedAt(), last.probeId()).encode();
        }
        return new MeasurementPage(List.copyOf(rows), next);
    }

    private static void validate(String pbxId, String endpoint) {
        Validate.pbxId("pbxId", pbxId);
        Validate.endpoint("endpoint", endpoint);
    }

    private EndpointEntity find(String pbxId, String endpoint) {
        validate(pbxId, endpoint);
        return queries.endpoint(pbxId, endpoint).orElseThrow(() -> ProblemException.notFound("no endpoint " + pbxId
                + "/" + endpoint + " has been measured"));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String status(String value) {
        try {
            return EndpointStatus.valueOf(value.toUpperCase(Locale.ROOT)).name();
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("status: must be one of "
                    + java.util.Arrays.toString(EndpointStatus.values()) + ", got '" + Validate.printable(value) + "'");
        }
    }

    static EndpointView view(EndpointEntity e) {
        boolean pinned = e.pinCodecs != null;
        List<String> policyCodecs = EndpointStateRepository.split(e.codecs);
        return new EndpointView(e.id.pbxId(), e.id.endpoint(), e.status, pinned ? PinService.PINNED_TIER : e.tier,
                pinned ? EndpointStateRepository.split(e.pinCodecs) : policyCodecs, e.tier, policyCodecs, pinned,
                e.estimateBps, e.downlinkBps, e.uplinkBps, e.lossPercent, e.jitterMs,
                e.rttMicros == null ? null : e.rttMicros / 1000.0, e.mos, e.consecutiveFailures, e.lastResultAt,
                e.lastOutcome, e.lastSuccessAt, e.pinnedBy, e.pinnedAt, EndpointStateRepository.split(e.ceiling),
                e.ceilingSource, e.ceilingRecordedAt, EndpointStateRepository.split(e.transcodable),
                EndpointStateRepository.exclusions(e.excluded), e.noCodecFits, e.note, null, null);
    }

    static DecisionView view(DecisionEntity d) {
        return new DecisionView(d.decisionId, d.tier, EndpointStateRepository.split(d.codecs), d.previousTier, d.cause,
                d.preset, d.estimateBps, Decisions.thresholds(d), d.mos, d.reason, d.decidedAt, d.publishedAt,
                d.appliedStatus, d.appliedAt, d.appliedCodecs == null ? null : EndpointStateRepository.split(d.appliedCodecs),
                d.appliedError, EndpointStateRepository.split(d.ceiling), EndpointStateRepository.split(d.transcodable),
                EndpointStateRepository.exclusions(d.excluded), d.noCodecFits, d.site);
    }

    static CeilingView view(CeilingEntity c) {
        return new CeilingView(c.id.pbxId(), c.id.endpoint(), EndpointStateRepository.split(c.codecs), c.source,
                c.recordedAt, c.recordedBy);
    }
}
