package io.vbo.policy.repository;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The REST API's reads of endpoints, their measurements, decisions and ceilings; keyset pages fetch one row more. */
@ApplicationScoped
public class EndpointQueries {

    /**
     * Which endpoints to list; {@code null} fields do not filter.
     *
     * @param pbxId      only this PBX
     * @param pinnedOnly only pinned endpoints
     * @param tier       only unpinned endpoints on this policy tier
     * @param status     only endpoints in this status
     */
    public record Filter(String pbxId, boolean pinnedOnly, String tier, String status) {
    }

    /** Up to {@code limit + 1} endpoints after ({@code afterPbx}, {@code afterEndpoint}), ordered by PBX and name. */
    public List<EndpointEntity> endpoints(Filter filter, String afterPbx, String afterEndpoint, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.pbxId() != null) {
            args.add(filter.pbxId());
            where.append(" and id.pbxId = ?").append(args.size());
        }
        if (filter.pinnedOnly()) {
            where.append(" and pinCodecs is not null");
        } else if (filter.tier() != null) {
            args.add(filter.tier());
            where.append(" and pinCodecs is null and tier = ?").append(args.size());
        }
        if (filter.status() != null) {
            args.add(filter.status());
            where.append(" and status = ?").append(args.size());
        }
        if (afterPbx != null) {
            args.add(afterPbx);
            int p = args.size();
            args.add(afterEndpoint);
            where.append(" and (id.pbxId > ?").append(p).append(" or (id.pbxId = ?").append(p)
                    .append(" and id.endpoint > ?").append(p + 1).append("))");
        }
        return EndpointEntity.<EndpointEntity>find(where.toString(), Sort.by("id.pbxId").and("id.endpoint"),
                args.toArray()).range(0, limit).list();
    }

    public Optional<EndpointEntity> endpoint(String pbxId, String endpoint) {
        return EndpointEntity.findByIdOptional(new EndpointEntity.Key(pbxId, endpoint));
    }

    /**
     * Up to {@code limit + 1} measurements started in [{@code from}, {@code to}), oldest first, after the keyset
     * position ({@code afterStartedAt}, {@code afterProbeId}) when it is given.
     */
    public List<MeasurementRow> measurements(String pbxId, String endpoint, Instant from, Instant to,
            Instant afterStartedAt, UUID afterProbeId, int limit) {
        String query = "pbxId = ?1 and endpoint = ?2 and startedAt >= ?3 and startedAt < ?4";
        List<Object> args = new ArrayList<>(List.of(pbxId, endpoint, from, to));
        if (afterStartedAt != null) {
            query += " and (startedAt > ?5 or (startedAt = ?5 and probeId > ?6))";
            args.add(afterStartedAt);
            args.add(afterProbeId);
        }
        // A DTO projection: rows go straight into records, without managed entities in the session.
        return MeasurementEntity.find(query, Sort.by("startedAt").and("probeId"), args.toArray())
                .project(MeasurementRow.class).range(0, limit).list();
    }

    /** The endpoint's latest {@code limit} decisions, newest first. */
    public List<DecisionEntity> decisions(String pbxId, String endpoint, int limit) {
        return DecisionEntity.<DecisionEntity>find("pbxId = ?1 and endpoint = ?2", Sort.descending("decidedAt"),
                pbxId, endpoint).range(0, limit - 1).list();
    }

    public Optional<CeilingEntity> ceiling(String pbxId, String endpoint) {
        return CeilingEntity.findByIdOptional(new EndpointEntity.Key(pbxId, endpoint));
    }

    /** The endpoint's latest {@code limit} ceiling changes, newest first. */
    public List<CeilingHistoryEntity> ceilingHistory(String pbxId, String endpoint, int limit) {
        return CeilingHistoryEntity.<CeilingHistoryEntity>find("pbxId = ?1 and endpoint = ?2", Sort.descending("id"),
                pbxId, endpoint).range(0, limit - 1).list();
    }

    /** Whether any endpoint of the PBX was measured. */
    public boolean hasEndpoints(String pbxId) {
        return EndpointEntity.count("id.pbxId", pbxId) > 0;
    }

    /** Whether any endpoint of the PBX has a ceiling. */
    public boolean hasCeilings(String pbxId) {
        return CeilingEntity.count("id.pbxId", pbxId) > 0;
    }
}
