package io.vbo.policy.console;

import io.agroal.api.AgroalDataSource;
import io.vbo.events.ConfigApplied;
import io.vbo.policy.repository.EndpointStateRepository;
import io.vbo.policy.service.PinService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The console's reads in plain SQL: one statement per page, whatever the fleet's size. */
@ApplicationScoped
public class ConsoleRepository {
    /**
     * The latest address and decision of each endpoint come from the newest row of each history, the calls' median
     * MOS from the calls that ended in the last {@link #CALLS_WINDOW} (index scans), the site from its primary key.
     */
    private static final String FLEET = """
            select * from (
              select e.pbx_id, e.endpoint, e.status, e.tier as policy_tier, e.pin_codecs, e.downlink_bps, e.uplink_bps,
                     e.estimate_bps, e.loss_percent, e.jitter_ms, e.rtt_micros, e.mos, e.last_result_at, e.last_outcome,
                     case when e.pin_codecs is not null then 'pinned' else e.tier end as tier,
                     coalesce(array_position(?::text[], case when e.pin_codecs is not null then 'pinned' else e.tier end),
                              1000) as tier_rank,
                     m.address, d.codecs, d.decided_at, d.applied_status, d.applied_codecs, d.applied_at, d.applied_error,
                     c.calls, c.call_mos, sm.site,
                     case when d.applied_status = ? then 'apply failed'
                          when d.applied_status = ? then 'rolled back'
                          when e.status = ? then 'no codec fits' end as problem
              from endpoint_state e
              left join site_member sm on sm.pbx_id = e.pbx_id and sm.endpoint = e.endpoint
              left join lateral (select address from measurement m where m.pbx_id = e.pbx_id and m.endpoint = e.endpoint
                                 order by m.started_at desc limit 1) m on true
              left join lateral (select codecs, decided_at, applied_status, applied_codecs, applied_at, applied_error
                                 from decision d where d.pbx_id = e.pbx_id and d.endpoint = e.endpoint
                                 order by d.decided_at desc limit 1) d on true
              left join lateral (select count(*) as calls, percentile_cont(0.5) within group (order by cs.mos) as call_mos
                                 from call_summary cs where cs.pbx_id = e.pbx_id and cs.endpoint = e.endpoint
                                   and cs.ended_at >= ?) c on true
              where (?::text is null or e.pbx_id = ?) and (?::text is null or e.status = ?)
                and (?::text is null or e.endpoint = ?)
            ) f
            where (?::text is null or f.endpoint ilike ? or f.address ilike ? or f.site ilike ?)
            """;

    /** The fleet's "calls' MOS" covers the calls that ended this long ago at most, as the API's 24-h percentiles. */
    static final Duration CALLS_WINDOW = Duration.ofHours(24);

    @Inject
    AgroalDataSource dataSource;

    /** One page of the fleet: problems first, then the requested order. */
    public Fleet.Page fleet(Fleet.Filter filter, List<String> tiersBestFirst) throws SQLException {
        return fleet(filter, tiersBestFirst, null);
    }

    /** One phone's row, null when it was never measured. */
    public Fleet.Row row(String pbxId, String endpoint, List<String> tiersBestFirst) throws SQLException {
        List<Fleet.Row> rows = fleet(new Fleet.Filter(pbxId, null, null, "endpoint", false, 0, 1), tiersBestFirst,
                endpoint).rows();
        return rows.isEmpty() ? null : rows.get(0);
    }

    private Fleet.Page fleet(Fleet.Filter filter, List<String> tiersBestFirst, String endpoint) throws SQLException {
        String order = Fleet.SORTS.get(filter.sort()) + (filter.desc() ? " desc nulls last" : " nulls last");
        String sql = "select f.*, count(*) over () as total, count(problem) over () as problems from (" + FLEET
                + ") f order by (problem is null), " + order + ", pbx_id, endpoint limit ? offset ?";
        List<Fleet.Row> rows = new ArrayList<>();
        long total = 0;
        long problems = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            List<String> ranks = new ArrayList<>(tiersBestFirst);
            ranks.add(PinService.PINNED_TIER);
            int i = 1;
            ps.setArray(i++, c.createArrayOf("text", ranks.toArray()));
            ps.setString(i++, ConfigApplied.Status.FAILED.name());
            ps.setString(i++, ConfigApplied.Status.ROLLED_BACK.name());
            ps.setString(i++, Fleet.NO_CODEC_FITS);
            ps.setTimestamp(i++, Timestamp.from(Instant.now().minus(CALLS_WINDOW)));
            ps.setString(i++, filter.pbx());
            ps.setString(i++, filter.pbx());
            ps.setString(i++, filter.status());
            ps.setString(i++, filter.status());
            ps.setString(i++, endpoint);
            ps.setString(i++, endpoint);
            String like = filter.q() == null ? null : "%" + filter.q().replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%";
            ps.setString(i++, like);
            ps.setString(i++, like);
            ps.setString(i++, like);
            ps.setString(i++, like);
            ps.setInt(i++, filter.size());
            ps.setLong(i, (long) filter.page() * filter.size());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    total = rs.getLong("total");
                    problems = rs.getLong("problems");
                    rows.add(new Fleet.Row(rs.getString("pbx_id"), rs.getString("endpoint"), rs.getString("address"),
                            rs.getString("status"), rs.getString("tier"), rs.getString("pin_codecs") != null,
                            longOrNull(rs, "downlink_bps"), longOrNull(rs, "uplink_bps"), longOrNull(rs, "estimate_bps"),
                            doubleOrNull(rs, "loss_percent"), doubleOrNull(rs, "jitter_ms"), longOrNull(rs, "rtt_micros"),
                            doubleOrNull(rs, "mos"), rs.getLong("calls"), doubleOrNull(rs, "call_mos"),
                            instant(rs.getTimestamp("last_result_at")),
                            rs.getString("last_outcome"), EndpointStateRepository.split(rs.getString("codecs")),
                            instant(rs.getTimestamp("decided_at")), rs.getString("applied_status"),
                            EndpointStateRepository.split(rs.getString("applied_codecs")),
                            instant(rs.getTimestamp("applied_at")), rs.getString("applied_error"),
                            rs.getString("problem"), rs.getString("site")));
                }
            }
        }
        return new Fleet.Page(filter, rows, total, problems);
    }

    /** Every PBX with a measured endpoint. */
    public List<String> pbxs() throws SQLException {
        List<String> pbxs = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select distinct pbx_id from endpoint_state order by 1");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                pbxs.add(rs.getString(1));
            }
        }
        return pbxs;
    }

    /** Phones of a PBX by effective tier ({@code pinned} for pins, {@code (none)} before a first decision) and status. */
    public Map<String, Map<String, Long>> tiersByStatus(String pbxId) throws SQLException {
        String sql = """
                select coalesce(case when pin_codecs is not null then 'pinned' else tier end, '(none)') as t, status,
                       count(*) as n
                from endpoint_state where pbx_id = ? group by 1, 2 order by 1, 2""";
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pbxId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.computeIfAbsent(rs.getString("t"), k -> new LinkedHashMap<>())
                            .put(rs.getString("status"), rs.getLong("n"));
                }
            }
        }
        return counts;
    }

    /**
     * When the policy last heard of a PBX, per source (null: never).
     *
     * @param lastResultAt   the newest probe result of its endpoints (probe-service)
     * @param lastDecidedAt  the newest decision for one of them
     * @param lastAppliedAt  the newest applied status (the config writer, after Asterisk's reload)
     * @param lastCallAt     the end of the newest call summary (discovery, from Asterisk's RTCP events)
     */
    public record PbxActivity(Instant lastResultAt, Instant lastDecidedAt, Instant lastAppliedAt, Instant lastCallAt) {
    }

    public PbxActivity activity(String pbxId) throws SQLException {
        String sql = "select (select max(last_result_at) from endpoint_state where pbx_id = ?),"
                + " (select max(decided_at) from decision where pbx_id = ?),"
                + " (select max(applied_at) from decision where pbx_id = ?),"
                + " (select max(ended_at) from call_summary where pbx_id = ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= 4; i++) {
                ps.setString(i, pbxId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new PbxActivity(instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2)),
                        instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)));
            }
        }
    }

    /**
     * One stored probe result as the chart draws it.
     *
     * @param bitsPerSecond measured rate, null for a failure
     */
    public record Point(Instant startedAt, String direction, String protocol, String outcome, Long bitsPerSecond,
            Double lossPercent, Double jitterMs, Long rttMicros) {
    }

    /** Results of one endpoint in [from, to), oldest first, at most {@code limit}. */
    public List<Point> points(String pbxId, String endpoint, Instant from, Instant to, int limit) throws SQLException {
        String sql = """
                select started_at, direction, protocol, outcome, bits_per_second, loss_percent, jitter_ms, rtt_micros
                from measurement where pbx_id = ? and endpoint = ? and started_at >= ? and started_at < ?
                order by started_at, probe_id limit ?""";
        return query(sql, limit, pbxId, endpoint, Timestamp.from(from), Timestamp.from(to), limit);
    }

    /** The last {@code window} successful capacity rates (TCP or ladder) of one direction before {@code before}, oldest first: the estimator's state then. */
    public List<Long> ratesBefore(String pbxId, String endpoint, String direction, Instant before, int window)
            throws SQLException {
        String sql = """
                select started_at, direction, protocol, outcome, bits_per_second, loss_percent, jitter_ms, rtt_micros
                from measurement where pbx_id = ? and endpoint = ? and started_at < ? and direction = ?
                  and outcome = 'OK' and protocol in ('TCP', 'LADDER')
                order by started_at desc, probe_id desc limit ?""";
        List<Long> rates = new ArrayList<>(query(sql, window, pbxId, endpoint, Timestamp.from(before), direction, window)
                .stream().map(Point::bitsPerSecond).toList());
        java.util.Collections.reverse(rates);
        return rates;
    }

    /** How many results one endpoint has in [from, to). */
    public long count(String pbxId, String endpoint, Instant from, Instant to) throws SQLException {
        String sql = "select count(*) from measurement where pbx_id = ? and endpoint = ? and started_at >= ? and started_at < ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pbxId);
            ps.setString(2, endpoint);
            ps.setTimestamp(3, Timestamp.from(from));
            ps.setTimestamp(4, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Results of one endpoint per time bucket and direction: the median successful TCP rate and how many results.
     * For ranges with more results than a chart can show one by one.
     */
    public record BucketPoint(Instant start, String direction, Double p50Bps, long count, long failed) {
    }

    public List<BucketPoint> buckets(String pbxId, String endpoint, Instant from, Instant to, Duration bucket)
            throws SQLException {
        String sql = """
                select date_bin(make_interval(secs => ?), started_at, timestamptz '1970-01-01') as b, direction,
                       percentile_cont(0.5) within group (order by bits_per_second)
                           filter (where outcome = 'OK' and protocol in ('TCP', 'LADDER')) as p50,
                       count(*) as n, count(*) filter (where outcome <> 'OK') as failed
                from measurement where pbx_id = ? and endpoint = ? and started_at >= ? and started_at < ?
                group by b, direction order by b, direction""";
        List<BucketPoint> buckets = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setDouble(1, bucket.toSeconds());
            ps.setString(2, pbxId);
            ps.setString(3, endpoint);
            ps.setTimestamp(4, Timestamp.from(from));
            ps.setTimestamp(5, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    buckets.add(new BucketPoint(rs.getTimestamp("b").toInstant(), rs.getString("direction"),
                            doubleOrNull(rs, "p50"), rs.getLong("n"), rs.getLong("failed")));
                }
            }
        }
        return buckets;
    }

    private List<Point> query(String sql, int expected, Object... args) throws SQLException {
        List<Point> points = new ArrayList<>(Math.min(expected, 10_000));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    points.add(new Point(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                            rs.getString(4), longOrNull(rs, "bits_per_second"), doubleOrNull(rs, "loss_percent"),
                            doubleOrNull(rs, "jitter_ms"), longOrNull(rs, "rtt_micros")));
                }
            }
        }
        return points;
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Double doubleOrNull(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
