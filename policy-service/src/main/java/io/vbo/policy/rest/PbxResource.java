package io.vbo.policy.rest;

import io.vbo.web.ProblemException;
import io.vbo.events.PbxCapabilities;
import io.vbo.events.Validate;
import io.vbo.policy.model.Inputs;
import io.vbo.policy.repository.EndpointQueries;
import io.vbo.policy.repository.MeasurementRepository;
import io.vbo.policy.rest.Views.CapabilitiesView;
import io.vbo.policy.rest.Views.PbxSummary;
import io.vbo.policy.rest.Views.SummaryBucket;
import io.vbo.policy.service.CallService;
import io.vbo.policy.service.CapabilityService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Per-PBX aggregates. */
@Path("/api/v1/pbxs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "pbxs")
public class PbxResource {
    static final int MAX_BUCKETS = 10_000;
    /** A year (a leap one): the coarsest summary anyone reads. */
    static final String MAX_BUCKET_TEXT = "P366D";
    static final Duration MAX_BUCKET = Duration.parse(MAX_BUCKET_TEXT);

    @Inject
    MeasurementRepository measurements;
    @Inject
    CapabilityService capabilities;
    @Inject
    EndpointQueries queries;
    @Inject
    CallService calls;

    @GET
    @Path("/{pbxId}/capabilities")
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "The PBX's transcodable set: as last reported, or the assumed default; with pass-through codecs")
    @APIResponse(responseCode = "200", description = "the set decisions for this PBX use")
    @APIResponse(responseCode = "400", description = "bad PBX id (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "404", description = "nothing is known of this PBX: no report, no endpoint, no ceiling")
    public CapabilitiesView capabilities(@PathParam("pbxId") String pbxId) {
        Validate.pbxId("pbxId", pbxId);
        Optional<PbxCapabilities> reported = capabilities.current(pbxId);
        if (reported.isEmpty() && !queries.hasEndpoints(pbxId) && !queries.hasCeilings(pbxId)) {
            throw ProblemException.notFound("nothing is known of PBX " + pbxId
                    + ": no capabilities reported, no endpoint measured, no ceiling");
        }
        Inputs in = capabilities.inputs(pbxId, null, null);
        return new CapabilitiesView(pbxId, in.transcodable(), in.assumed(),
                reported.map(PbxCapabilities::source).orElse(null), reported.map(PbxCapabilities::reportedBy).orElse(null),
                reported.map(PbxCapabilities::observedAt).orElse(null), in.passThrough(), in.used());
    }

    @GET
    @Path("/{pbxId}/summary")
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "Results of a PBX per time bucket: count, p50/p95 TCP rate, failures by outcome; calls: "
            + "count, bad calls, median MOS and calls per MOS band",
            description = "from/to ISO-8601 instants (default: the last 24 h); bucket an ISO-8601 duration "
                    + "(default PT1H), buckets aligned to the Unix epoch; empty buckets are omitted.")
    @APIResponse(responseCode = "200", description = "the buckets")
    @APIResponse(responseCode = "400", description = "bad PBX id, from, to (outside 1970..9999 or not before to) or bucket (not within PT1S..P366D, or more than 10000 buckets) (problem JSON)")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    @APIResponse(responseCode = "404", description = "no endpoint of this PBX was measured (problem JSON)")
    public PbxSummary summary(@PathParam("pbxId") String pbxId, @QueryParam("from") String fromParam,
            @QueryParam("to") String toParam, @QueryParam("bucket") String bucketParam) throws SQLException {
        Validate.pbxId("pbxId", pbxId);
        Instant to = Params.instant("to", toParam, Instant.now());
        Instant from = Params.instant("from", fromParam, to.minus(Duration.ofDays(1)));
        Params.range(from, to);
        Duration bucket = Params.duration("bucket", bucketParam, Duration.ofHours(1));
        if (bucket.toSeconds() < 1 || bucket.compareTo(MAX_BUCKET) > 0) {
            throw ProblemException.badRequest("bucket: must be between PT1S and " + MAX_BUCKET_TEXT + ", got " + bucketParam);
        }
        if (Duration.between(from, to).dividedBy(bucket) > MAX_BUCKETS) {
            throw ProblemException.badRequest("bucket: " + bucket + " over [" + from + ", " + to + ") makes more than "
                    + MAX_BUCKETS + " buckets; use a larger bucket or a shorter range");
        }
        if (!queries.hasEndpoints(pbxId)) {
            throw ProblemException.notFound("no endpoint of PBX " + pbxId + " has been measured");
        }
        return new PbxSummary(pbxId, from, to, bucket.toString(), measurements.summary(pbxId, from, to, bucket).stream()
                .map(b -> new SummaryBucket(b.start(), b.count(), b.ok(), b.p50Bps(), b.p95Bps(), b.failuresByOutcome()))
                .toList(), CallResource.view(calls.summary(pbxId, from, to, bucket)));
    }
}
