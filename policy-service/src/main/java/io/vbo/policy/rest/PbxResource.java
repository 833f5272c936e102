package io.vbo.policy.rest;

import io.vbo.events.Validate;
import io.vbo.policy.repository.EndpointEntity;
import io.vbo.policy.repository.MeasurementRepository;
import io.vbo.policy.rest.Views.PbxSummary;
import io.vbo.policy.rest.Views.SummaryBucket;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Per-PBX aggregates. */
@Path("/api/v1/pbxs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "pbxs")
public class PbxResource {
    static final int MAX_BUCKETS = 10_000;

    @Inject
    MeasurementRepository measurements;

    @GET
    @Path("/{pbxId}/summary")
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "Results of a PBX per time bucket: count, p50/p95 TCP rate, failures by outcome",
            description = "from/to ISO-8601 instants (default: the last 24 h); bucket an ISO-8601 duration "
                    + "(default PT1H), buckets aligned to the Unix epoch; empty buckets are omitted.")
    public PbxSummary summary(@PathParam("pbxId") String pbxId, @QueryParam("from") String fromParam,
            @QueryParam("to") String toParam, @QueryParam("bucket") String bucketParam) throws SQLException {
        Validate.pbxId("pbxId", pbxId);
        Instant to = Params.instant("to", toParam, Instant.now());
        Instant from = Params.instant("from", fromParam, to.minus(Duration.ofDays(1)));
        Params.range(from, to);
        Duration bucket = Params.duration("bucket", bucketParam, Duration.ofHours(1));
        if (bucket.toSeconds() < 1) {
            throw ProblemException.badRequest("bucket: must be at least PT1S");
        }
        if (Duration.between(from, to).dividedBy(bucket) > MAX_BUCKETS) {
            throw ProblemException.badRequest("bucket: " + bucket + " over [" + from + ", " + to + ") makes more than "
                    + MAX_BUCKETS + " buckets; use a larger bucket or a shorter range");
        }
        if (EndpointEntity.count("id.pbxId", pbxId) == 0) {
            throw ProblemException.notFound("no endpoint of PBX " + pbxId + " has been measured");
        }
        return new PbxSummary(pbxId, from, to, bucket.toString(), measurements.summary(pbxId, from, to, bucket).stream()
                .map(b -> new SummaryBucket(b.start(), b.count(), b.ok(), b.p50Bps(), b.p95Bps(), b.failuresByOutcome()))
                .toList());
    }
}
