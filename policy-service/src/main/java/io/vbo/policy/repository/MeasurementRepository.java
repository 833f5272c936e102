package io.vbo.policy.repository;

import io.agroal.api.AgroalDataSource;
import io.vbo.events.EventJson;
import io.vbo.events.ProbeResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
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
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Bulk writes and aggregate reads of {@code measurement} in plain SQL, where Hibernate would cost a statement per row. */
@ApplicationScoped
public class MeasurementRepository {
    /**
     * One statement per batch: the columns travel as arrays, and {@code ON CONFLICT DO NOTHING RETURNING} says which
     * probe ids were new, so a redelivered result is neither stored nor counted twice.
     */
    private static final String INSERT = """
            insert into measurement (probe_id, pbx_id, endpoint, address, direction, protocol, outcome, bits_per_second,
                retransmits, jitter_ms, loss_percent, rtt_micros, duration_ms, error, started_at, ladder)
            select id, p, e, a, d, pr, o, bps, rx, ji, lo, rtt, du, er, st, la::jsonb
            from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[],
                ?::int4[], ?::float8[], ?::float8[], ?::int8[], ?::int8[], ?::text[], ?::timestamptz[], ?::text[])
              as u(id, p, e, a, d, pr, o, bps, rx, ji, lo, rtt, du, er, st, la)
            on conflict on constraint measurement_pk do nothing
            returning probe_id""";

    @Inject
    AgroalDataSource dataSource;

    /** Stores the results that are not stored yet (within the caller's transaction); returns their probe ids. */
    public Set<UUID> insertNew(List<ProbeResult> results) throws SQLException {
        int n = results.size();
        Object[] ids = new Object[n];
        Object[] pbx = new Object[n];
        Object[] ep = new Object[n];
        Object[] address = new Object[n];
        Object[] direction = new Object[n];
        Object[] protocol = new Object[n];
        Object[] outcome = new Object[n];
        Object[] bps = new Object[n];
        Object[] retransmits = new Object[n];
        Object[] jitter = new Object[n];
        Object[] loss = new Object[n];
        Object[] rtt = new Object[n];
        Object[] duration = new Object[n];
        Object[] error = new Object[n];
        Object[] started = new Object[n];
        Object[] ladder = new Object[n];
        for (int i = 0; i < n; i++) {
            ProbeResult r = results.get(i);
            ids[i] = r.probeId().toString();
            pbx[i] = r.pbxId();
            ep[i] = r.endpoint();
            address[i] = r.address();
            direction[i] = r.direction().name();
            protocol[i] = r.protocol().name();
            outcome[i] = r.outcome().name();
            bps[i] = r.bitsPerSecond();
            retransmits[i] = r.retransmits();
            jitter[i] = r.jitterMs();
            loss[i] = r.lossPercent();
            rtt[i] = r.rttMicros();
            duration[i] = r.durationMs();
            error[i] = r.error();
            started[i] = r.startedAt().toString();
            ladder[i] = r.ladder() == null ? null : EventJson.toJson(r.ladder());
        }
        Set<UUID> inserted = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            Object[][] columns = { ids, pbx, ep, address, direction, protocol, outcome, bps, retransmits, jitter, loss,
                    rtt, duration, error, started, ladder };
            String[] types = { "text", "text", "text", "text", "text", "text", "text", "int8", "int4", "float8",
                    "float8", "int8", "int8", "text", "text", "text" };
            List<Array> arrays = new ArrayList<>();
            for (int i = 0; i < columns.length; i++) {
                Array array = c.createArrayOf(types[i], columns[i]);
                arrays.add(array);
                ps.setArray(i + 1, array);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getObject(1, UUID.class));
                }
            }
            for (Array array : arrays) {
                array.free();
            }
        }
        return inserted;
    }

    /** Deletes up to {@code chunk} measurements started before {@code cutoff}; returns how many. */
    public int purgeChunk(Instant cutoff, int chunk) throws SQLException {
        String sql = """
                delete from measurement where ctid = any(array(
                    select ctid from measurement where started_at < ? limit ?))""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            ps.setInt(2, chunk);
            return ps.executeUpdate();
        }
    }

    /**
     * One time bucket of a PBX's results.
     *
     * @param start           bucket start
     * @param count           results of any outcome
     * @param ok              successful results
     * @param p50Bps          median rate of successful TCP results
     * @param p95Bps          95th percentile rate of successful TCP results
     * @param failuresByOutcome failed results by outcome
     */
    public record Bucket(Instant start, long count, long ok, Double p50Bps, Double p95Bps,
            Map<String, Long> failuresByOutcome) {
    }

    /** Buckets of {@code bucket} length aligned to the Unix epoch; empty buckets are left out. */
    public List<Bucket> summary(String pbxId, Instant from, Instant to, Duration bucket) throws SQLException {
        String sql = """
                select date_bin(make_interval(secs => ?), started_at, timestamptz '1970-01-01') as b, outcome,
                       count(*) as n,
                       percentile_cont(0.5) within group (order by bits_per_second)
                           filter (where outcome = 'OK' and protocol in ('TCP', 'LADDER')) as p50,
                       percentile_cont(0.95) within group (order by bits_per_second)
                           filter (where outcome = 'OK' and protocol in ('TCP', 'LADDER')) as p95
                from measurement
                where pbx_id = ? and started_at >= ? and started_at < ?
                group by b, outcome
                order by b""";
        Map<Instant, long[]> counts = new LinkedHashMap<>();
        Map<Instant, Double[]> rates = new LinkedHashMap<>();
        Map<Instant, Map<String, Long>> failures = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setDouble(1, bucket.toSeconds());
            ps.setString(2, pbxId);
            ps.setTimestamp(3, Timestamp.from(from));
            ps.setTimestamp(4, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant b = rs.getTimestamp("b").toInstant();
                    String outcome = rs.getString("outcome");
                    long n = rs.getLong("n");
                    long[] cnt = counts.computeIfAbsent(b, k -> new long[2]);
                    failures.computeIfAbsent(b, k -> new LinkedHashMap<>());
                    cnt[0] += n;
                    if ("OK".equals(outcome)) {
                        cnt[1] += n;
                        rates.put(b, new Double[] { (Double) rs.getObject("p50"), (Double) rs.getObject("p95") });
                    } else {
                        failures.get(b).put(outcome, n);
                    }
                }
            }
        }
        List<Bucket> buckets = new ArrayList<>();
        counts.forEach((b, cnt) -> {
            Double[] r = rates.getOrDefault(b, new Double[2]);
            buckets.add(new Bucket(b, cnt[0], cnt[1], r[0], r[1], failures.get(b)));
        });
        return buckets;
    }
}
