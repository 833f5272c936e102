package io.vbo.policy.repository;

import io.agroal.api.AgroalDataSource;
import io.vbo.events.SiteLimit;
import io.vbo.policy.model.SiteLoad;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code site_member} and {@code site_limit} (V6), and the site's calls of {@code call_summary}, in plain SQL. */
@ApplicationScoped
public class SiteRepository {
    private static final String LIMIT_COLUMNS = "pbx_id, site, endpoints, tier, codec, per_call_bps, capacity_bps, "
            + "max_calls, concurrent_calls, concurrent_source, decided_at";

    @Inject
    AgroalDataSource dataSource;

    /** One endpoint's site. */
    public record Member(String pbxId, String endpoint, String site) {
    }

    public List<Member> members() throws SQLException {
        List<Member> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select pbx_id, endpoint, site from site_member");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Member(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        return out;
    }

    /** Puts the endpoint in {@code site}, or makes it a site of its own when {@code site} is {@code null}. */
    public void place(String pbxId, String endpoint, String site, Instant observedAt) throws SQLException {
        String sql = site == null ? "delete from site_member where pbx_id = ? and endpoint = ?"
                : """
                        insert into site_member (pbx_id, endpoint, site, observed_at) values (?, ?, ?, ?)
                        on conflict on constraint site_member_pk do update set site = excluded.site,
                            observed_at = excluded.observed_at""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pbxId);
            ps.setString(2, endpoint);
            if (site != null) {
                ps.setString(3, site);
                ps.setTimestamp(4, Timestamp.from(observedAt));
            }
            ps.executeUpdate();
        }
    }

    /** The legs of the endpoints' calls that ended at or after {@code since}. */
    public List<SiteLoad.Call> calls(String pbxId, List<String> endpoints, Instant since) throws SQLException {
        List<SiteLoad.Call> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select ended_at - duration_ms * interval '1 millisecond', ended_at from call_summary
                where pbx_id = ? and endpoint = any(?) and ended_at >= ?""")) {
            ps.setString(1, pbxId);
            ps.setArray(2, c.createArrayOf("text", endpoints.toArray()));
            ps.setTimestamp(3, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SiteLoad.Call(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()));
                }
            }
        }
        return out;
    }

    /** Every stored limit. */
    public List<SiteLimit> limits() throws SQLException {
        return readLimits("select " + LIMIT_COLUMNS + " from site_limit where not removed", null, null);
    }

    public Optional<SiteLimit> limit(String pbxId, String site) throws SQLException {
        return readLimits("select " + LIMIT_COLUMNS + " from site_limit where pbx_id = ? and site = ? and not removed",
                pbxId, site)
                .stream().findFirst();
    }

    /** Stores a site's new limit, not yet published. */
    public void save(SiteLimit l) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into site_limit (""" + LIMIT_COLUMNS + """
                ) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict on constraint site_limit_pk do update set endpoints = excluded.endpoints,
                    tier = excluded.tier, codec = excluded.codec, per_call_bps = excluded.per_call_bps,
                    capacity_bps = excluded.capacity_bps, max_calls = excluded.max_calls,
                    concurrent_calls = excluded.concurrent_calls, concurrent_source = excluded.concurrent_source,
                    decided_at = excluded.decided_at, published_at = null, removed = false""")) {
            ps.setString(1, l.pbxId());
            ps.setString(2, l.site());
            ps.setString(3, EndpointStateRepository.join(l.endpoints()));
            ps.setString(4, l.tier());
            ps.setString(5, l.codec());
            ps.setLong(6, l.perCallBps());
            ps.setLong(7, l.capacityBps());
            ps.setInt(8, l.maxCalls());
            ps.setInt(9, l.concurrentCalls());
            ps.setString(10, l.concurrentSource().name());
            ps.setTimestamp(11, Timestamp.from(l.decidedAt()));
            ps.executeUpdate();
        }
    }

    /** Records that the broker took the limit decided at {@code decidedAt} (a newer one stays unpublished). */
    public void published(SiteLimit l, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update site_limit set published_at = ? where pbx_id = ? and site = ? and decided_at = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, l.pbxId());
            ps.setString(3, l.site());
            ps.setTimestamp(4, Timestamp.from(l.decidedAt()));
            ps.executeUpdate();
        }
    }

    /** Limits the broker has not taken yet. */
    public List<SiteLimit> unpublished() throws SQLException {
        return readLimits("select " + LIMIT_COLUMNS + " from site_limit where published_at is null and not removed",
                null, null);
    }

    /** Marks the site's limit removed (its tombstone not yet published); false when the site never had a limit. */
    public boolean remove(String pbxId, String site) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update site_limit set removed = true, published_at = null where pbx_id = ? and site = ?")) {
            ps.setString(1, pbxId);
            ps.setString(2, site);
            return ps.executeUpdate() > 0;
        }
    }

    /** Keys ({@code pbxId/site}) of removed sites whose tombstone the broker has not taken yet. */
    public List<String> removedUnpublished() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select pbx_id, site from site_limit where removed");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + "/" + rs.getString(2));
            }
        }
        return out;
    }

    /** Deletes the removed site's row once its tombstone is on the broker (a site used again since is kept). */
    public void deleteRemoved(String pbxId, String site) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "delete from site_limit where pbx_id = ? and site = ? and removed")) {
            ps.setString(1, pbxId);
            ps.setString(2, site);
            ps.executeUpdate();
        }
    }

    private List<SiteLimit> readLimits(String sql, String pbxId, String site) throws SQLException {
        List<SiteLimit> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (pbxId != null) {
                ps.setString(1, pbxId);
                ps.setString(2, site);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SiteLimit(SiteLimit.SCHEMA, rs.getString(1), rs.getString(2),
                            EndpointStateRepository.split(rs.getString(3)), rs.getString(4), rs.getString(5),
                            rs.getLong(6), rs.getLong(7), rs.getInt(8), rs.getInt(9),
                            SiteLimit.ConcurrentSource.valueOf(rs.getString(10)), rs.getTimestamp(11).toInstant()));
                }
            }
        }
        return out;
    }
}
