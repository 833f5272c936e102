package io.vbo.policy.repository;

import io.agroal.api.AgroalDataSource;
import io.vbo.events.CallQuality;
import io.vbo.policy.model.CallEvidence;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code call_sample} and {@code call_summary} in plain SQL: one {@code INSERT … SELECT FROM unnest(…) ON CONFLICT DO
 * NOTHING} per batch and table (like measurements), and the reads of the calls API.
 */
@ApplicationScoped
public class CallRepository {
    private static final String INSERT_SAMPLES = """
            insert into call_sample (pbx_id, unique_id, sequence, endpoint, call_id, channel, codec, direction,
                fraction_lost, cumulative_lost, highest_sequence, packets, jitter_rtp, jitter_ms, rtt_ms, mes, at)
            select * from unnest(?::text[], ?::text[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                ?::int4[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::float8[], ?::float8[], ?::float8[],
                ?::timestamptz[])
            on conflict on constraint call_sample_pk do nothing""";
    private static final String[] SAMPLE_TYPES = { "text", "text", "int8", "text", "text", "text", "text", "text",
            "int4", "int8", "int8", "int8", "int8", "float8", "float8", "float8", "text" };

    private static final String INSERT_SUMMARIES = """
            insert into call_summary (pbx_id, unique_id, sequence, endpoint, call_id, channel, codec, duration_ms,
                media_path, reports, packets, downlink_loss_percent, uplink_loss_percent, loss_percent, mean_jitter_ms,
                max_jitter_ms, rtt_ms, mos, hangup_cause, verdict, policy_mos, ended_at)
            select * from unnest(?::text[], ?::text[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[],
                ?::text[], ?::int4[], ?::int8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[],
                ?::float8[], ?::float8[], ?::int4[], ?::text[], ?::float8[], ?::timestamptz[])
            on conflict on constraint call_summary_pk do nothing
            returning pbx_id, unique_id, sequence""";
    private static final String[] SUMMARY_TYPES = { "text", "text", "int8", "text", "text", "text", "text", "int8",
            "text", "int4", "int8", "float8", "float8", "float8", "float8", "float8", "float8", "float8", "int4", "text",
            "float8", "text" };

    private static final String CALL_COLUMNS = "unique_id, sequence, call_id, channel, codec, duration_ms, media_path, "
            + "reports, packets, downlink_loss_percent, uplink_loss_percent, loss_percent, mean_jitter_ms, "
            + "max_jitter_ms, rtt_ms, mos, hangup_cause, verdict, policy_mos, ended_at";

    /**
     * Lower edges of the MOS bands of the PBX summary, best first: G.107 Annex B's user-satisfaction limits R = 90,
     * 80, 70, 60, 50 turned into MOS (very satisfied, satisfied, some / many / nearly all users dissatisfied, not
     * recommended).
     */
    public static final List<Double> MOS_EDGES = List.of(4.34, 4.03, 3.60, 3.10, 2.58, 1.0);

    @Inject
    AgroalDataSource dataSource;

    /** Band names, in {@link #MOS_EDGES} order: {@code 4.34-4.5}, {@code 4.03-4.34} … {@code 1.00-2.58}. */
    public static List<String> bandNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < MOS_EDGES.size(); i++) {
            names.add(String.format(Locale.ROOT, "%.2f-%.2f", MOS_EDGES.get(i), i == 0 ? 4.5 : MOS_EDGES.get(i - 1)));
        }
        return names;
    }

    /** Stores the samples not stored yet (within the caller's transaction); returns how many were new. */
    public int insertSamples(List<CallQuality> samples) throws SQLException {
        if (samples.isEmpty()) {
            return 0;
        }
        List<Object[]> rows = new ArrayList<>(samples.size());
        for (CallQuality q : samples) {
            CallQuality.Sample s = q.sample();
            rows.add(new Object[] { q.pbxId(), q.uniqueId(), q.sequence(), q.endpoint(), q.callId(), q.channel(),
                    q.codec(), s.direction().name(), s.fractionLost(), s.cumulativeLost(), s.highestSequence(),
                    s.packets(), s.jitterRtp(), s.jitterMs(), s.rttMs(), s.mes(), q.at().toString() });
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT_SAMPLES)) {
            SqlArrays.bind(c, ps, SAMPLE_TYPES, SqlArrays.columns(SAMPLE_TYPES.length, rows));
            return ps.executeUpdate();
        }
    }

    /**
     * Stores the summaries not stored yet with the policy's judgement of each (same index); returns the
     * {@link #key keys} of the new ones, so a redelivered call is neither stored nor counted twice.
     */
    public Set<String> insertSummaries(List<CallQuality> summaries, List<CallEvidence.Judgement> judgements)
            throws SQLException {
        Set<String> inserted = new HashSet<>();
        if (summaries.isEmpty()) {
            return inserted;
        }
        List<Object[]> rows = new ArrayList<>(summaries.size());
        for (int i = 0; i < summaries.size(); i++) {
            CallQuality q = summaries.get(i);
            CallQuality.Summary s = q.summary();
            CallEvidence.Judgement j = judgements.get(i);
            rows.add(new Object[] { q.pbxId(), q.uniqueId(), q.sequence(), q.endpoint(), q.callId(), q.channel(),
                    q.codec(), s.durationMs(), s.mediaPath().name(), s.reports(), s.packets(), s.downlinkLossPercent(),
                    s.uplinkLossPercent(), s.lossPercent(), s.meanJitterMs(), s.maxJitterMs(), s.rttMs(), s.mos(),
                    s.hangupCause(), j.verdict().name(), j.mos() == null ? null : Math.round(j.mos() * 1000) / 1000.0,
                    q.at().toString() });
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT_SUMMARIES)) {
            SqlArrays.bind(c, ps, SUMMARY_TYPES, SqlArrays.columns(SUMMARY_TYPES.length, rows));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1) + "|" + rs.getString(2) + "#" + rs.getLong(3));
                }
            }
        }
        return inserted;
    }

    /** What {@link #insertSummaries} returns for a message: PBX and idempotency key. */
    public static String key(CallQuality q) {
        return q.pbxId() + "|" + q.idempotencyKey();
    }

    /** Deletes up to {@code chunk} samples received before {@code cutoff}; returns how many. */
    public int purgeSamples(Instant cutoff, int chunk) throws SQLException {
        return purge("call_sample", "at", cutoff, chunk);
    }

    /** Deletes up to {@code chunk} calls that ended before {@code cutoff}; returns how many. */
    public int purgeSummaries(Instant cutoff, int chunk) throws SQLException {
        return purge("call_summary", "ended_at", cutoff, chunk);
    }

    private int purge(String table, String column, Instant cutoff, int chunk) throws SQLException {
        String sql = "delete from " + table + " where ctid = any(array(select ctid from " + table + " where " + column
                + " < ? limit ?))";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            ps.setInt(2, chunk);
            return ps.executeUpdate();
        }
    }

    /**
     * One finished call as the API shows it.
     *
     * @param verdict   the policy's verdict: GOOD, BAD or NEUTRAL (no evidence)
     * @param policyMos the MOS the policy judged the call by
     */
    public record CallRow(String uniqueId, long sequence, String callId, String channel, String codec, long durationMs,
            String mediaPath, int reports, Long packets, Double downlinkLossPercent, Double uplinkLossPercent,
            Double lossPercent, Double meanJitterMs, Double maxJitterMs, Double rttMs, Double mos,
            Integer hangupCause, String verdict, Double policyMos, Instant endedAt) {
    }

    /**
     * Calls of one endpoint that ended in {@code [from, to)}, oldest first, after the keyset position
     * ({@code afterEndedAt}, {@code afterUniqueId}) when given; at most {@code limit} rows.
     */
    public List<CallRow> page(String pbxId, String endpoint, Instant from, Instant to, Instant afterEndedAt,
            String afterUniqueId, int limit) throws SQLException {
        String sql = "select " + CALL_COLUMNS + " from call_summary where pbx_id = ? and endpoint = ? "
                + "and ended_at >= ? and ended_at < ? "
                + (afterEndedAt == null ? "" : "and (ended_at, unique_id) > (?, ?) ")
                + "order by ended_at, unique_id limit ?";
        List<CallRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            ps.setString(p++, pbxId);
            ps.setString(p++, endpoint);
            ps.setTimestamp(p++, Timestamp.from(from));
            ps.setTimestamp(p++, Timestamp.from(to));
            if (afterEndedAt != null) {
                ps.setTimestamp(p++, Timestamp.from(afterEndedAt));
                ps.setString(p++, afterUniqueId);
            }
            ps.setInt(p, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new CallRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6), rs.getString(7), rs.getInt(8), (Long) rs.getObject(9),
                            (Double) rs.getObject(10), (Double) rs.getObject(11), (Double) rs.getObject(12),
                            (Double) rs.getObject(13), (Double) rs.getObject(14), (Double) rs.getObject(15),
                            (Double) rs.getObject(16), (Integer) rs.getObject(17), rs.getString(18),
                            (Double) rs.getObject(19), rs.getTimestamp(20).toInstant()));
                }
            }
        }
        return rows;
    }

    /** Whether any call of the endpoint is stored. */
    public boolean hasCalls(String pbxId, String endpoint) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select 1 from call_summary where pbx_id = ? and endpoint = ? limit 1")) {
            ps.setString(1, pbxId);
            ps.setString(2, endpoint);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * MOS of an endpoint's calls since a time.
     *
     * @param calls    calls that ended since then
     * @param rated    of those, calls with a MOS (measured, codec the E-model rates)
     * @param bad      calls the policy judged bad
     * @param p5       5th percentile MOS (the worst calls), {@code null} without a rated call
     * @param p50      median MOS
     * @param p95      95th percentile MOS
     */
    public record MosStats(long calls, long rated, long bad, Double p5, Double p50, Double p95) {
    }

    public MosStats mosSince(String pbxId, String endpoint, Instant since) throws SQLException {
        String sql = """
                select count(*), count(mos), count(*) filter (where verdict = 'BAD'),
                       percentile_cont(0.05) within group (order by mos),
                       percentile_cont(0.5) within group (order by mos),
                       percentile_cont(0.95) within group (order by mos)
                from call_summary where pbx_id = ? and endpoint = ? and ended_at >= ?""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pbxId);
            ps.setString(2, endpoint);
            ps.setTimestamp(3, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new MosStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), (Double) rs.getObject(4),
                        (Double) rs.getObject(5), (Double) rs.getObject(6));
            }
        }
    }

    /**
     * One time bucket of a PBX's calls.
     *
     * @param calls     calls that ended in the bucket
     * @param bad       of those, judged bad
     * @param mosP50    median MOS of the rated ones
     * @param mosBands  rated calls per MOS band ({@link #bandNames()}), every band present
     */
    public record CallBucket(Instant start, long calls, long bad, Double mosP50, Map<String, Long> mosBands) {
    }

    private static String bandCounts() {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < MOS_EDGES.size(); i++) {
            sql.append(", count(*) filter (where mos >= ").append(MOS_EDGES.get(i));
            if (i > 0) {
                sql.append(" and mos < ").append(MOS_EDGES.get(i - 1));
            }
            sql.append(')');
        }
        return sql.toString();
    }

    /** Buckets of {@code bucket} length aligned to the Unix epoch; empty buckets are left out. */
    public List<CallBucket> summary(String pbxId, Instant from, Instant to, Duration bucket) throws SQLException {
        String sql = """
                select date_bin(make_interval(secs => ?), ended_at, timestamptz '1970-01-01') as b, count(*),
                       count(*) filter (where verdict = 'BAD'),
                       percentile_cont(0.5) within group (order by mos)%s
                from call_summary
                where pbx_id = ? and ended_at >= ? and ended_at < ?
                group by b order by b""".formatted(bandCounts());
        List<CallBucket> buckets = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setDouble(1, bucket.toSeconds());
            ps.setString(2, pbxId);
            ps.setTimestamp(3, Timestamp.from(from));
            ps.setTimestamp(4, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Long> bands = new LinkedHashMap<>();
                    int col = 5;
                    for (String band : bandNames()) {
                        bands.put(band, rs.getLong(col++));
                    }
                    buckets.add(new CallBucket(rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getLong(3),
                            (Double) rs.getObject(4), bands));
                }
            }
        }
        return buckets;
    }
}
