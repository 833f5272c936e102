package io.vbo.policy.rest;

import io.vbo.events.Validate;
import io.vbo.policy.repository.CallRepository;
import io.vbo.policy.rest.CallViews.CallPage;
import io.vbo.policy.rest.CallViews.CallView;
import io.vbo.policy.service.CallExport;
import io.vbo.policy.service.CallService;
import io.vbo.web.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** An endpoint's real calls (vbo.call-quality summaries) with their loss, jitter, RTT, MOS and the policy's verdict. */
@Path("/api/v1/endpoints/{pbxId}/{endpoint}/calls")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "endpoints")
public class CallResource {
    @Inject
    CallService calls;

    @Inject
    CallExport export;

    @GET
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "Calls of one endpoint that ended in [from, to), oldest first, keyset-paginated",
            description = "from/to ISO-8601 instants (default: all); limit 1..1000 (default 100); pass nextCursor as "
                    + "cursor for the next page.")
    @APIResponse(responseCode = "200", description = "a page of calls")
    @APIResponse(responseCode = "400", description = "bad PBX id, endpoint, from/to, limit or cursor (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "404", description = "the endpoint was never measured and has no call (problem JSON)")
    public CallPage list(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        Rows rows = rows(pbxId, endpoint, from, to, limit, cursor);
        return new CallPage(rows.calls().stream().map(CallResource::view).toList(), rows.nextCursor());
    }

    @GET
    @Produces("text/csv")
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "The same page as CSV; the next page's cursor is in the X-Next-Cursor header",
            description = "Text cells starting with = + - @, TAB or CR get a leading apostrophe, so a spreadsheet "
                    + "never runs them as a formula.")
    @APIResponse(responseCode = "200", description = "a page of calls, header line first")
    @APIResponse(responseCode = "400", description = "bad PBX id, endpoint, from/to, limit or cursor (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "404", description = "the endpoint was never measured and has no call (problem JSON)")
    public Response listCsv(@PathParam("pbxId") String pbxId, @PathParam("endpoint") String endpoint,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        Rows rows = rows(pbxId, endpoint, from, to, limit, cursor);
        Response.ResponseBuilder response = Response.ok(export.csv(rows.calls()), "text/csv; charset=UTF-8");
        if (rows.nextCursor() != null) {
            response.header("X-Next-Cursor", rows.nextCursor());
        }
        return response.build();
    }

    /** One page of calls and the cursor of the next, if any. */
    private record Rows(List<CallRepository.CallRow> calls, String nextCursor) {
    }

    private Rows rows(String pbxId, String endpoint, String fromParam, String toParam, String limitParam,
            String cursorParam) {
        Validate.pbxId("pbxId", pbxId);
        Validate.endpoint("endpoint", endpoint);
        Instant from = Params.instant("from", fromParam, Validate.EARLIEST);
        Instant to = Params.instant("to", toParam, Validate.LATEST);
        Params.range(from, to);
        int limit = Params.limit(limitParam, 100);
        CallCursor cursor = CallCursor.decode(cursorParam);
        if (!calls.known(pbxId, endpoint)) {
            throw ProblemException.notFound("no endpoint " + pbxId + "/" + endpoint + " has been measured or made a call");
        }
        List<CallRepository.CallRow> rows = calls.page(pbxId, endpoint, from, to,
                cursor == null ? null : cursor.endedAt(), cursor == null ? null : cursor.uniqueId(), limit + 1);
        if (rows.size() <= limit) {
            return new Rows(rows, null);
        }
        CallRepository.CallRow last = rows.get(limit - 1);
        return new Rows(List.copyOf(rows.subList(0, limit)), new CallCursor(last.endedAt(), last.uniqueId()).encode());
    }

    private static CallView view(CallRepository.CallRow c) {
        return new CallView(c.uniqueId(), c.callId(), c.channel(), c.codec(), c.endedAt().minusMillis(c.durationMs()),
                c.endedAt(), c.durationMs(), c.mediaPath(), c.reports(), c.packets(), c.downlinkLossPercent(),
                c.uplinkLossPercent(), c.lossPercent(), c.meanJitterMs(), c.maxJitterMs(), c.rttMs(), c.mos(),
                c.hangupCause(), c.verdict(), c.policyMos());
    }

    /** The endpoint view's call MOS. */
    static CallViews.CallMos view(Instant since, CallRepository.MosStats m) {
        return new CallViews.CallMos(since, m.calls(), m.rated(), m.bad(), m.p5(), m.p50(), m.p95());
    }

    /** The PBX summary's call buckets. */
    static List<CallViews.CallBucketView> view(List<CallRepository.CallBucket> buckets) {
        return buckets.stream().map(b -> new CallViews.CallBucketView(b.start(), b.calls(), b.bad(), b.mosP50(),
                b.mosBands())).toList();
    }
}
