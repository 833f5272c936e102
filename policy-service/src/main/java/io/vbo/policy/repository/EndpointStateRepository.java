package io.vbo.policy.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.agroal.api.AgroalDataSource;
import io.vbo.events.CodecDecision;
import io.vbo.events.EventJson;
import io.vbo.events.Validate;
import io.vbo.policy.model.CapacityKind;
import io.vbo.policy.model.EndpointState;
import io.vbo.policy.model.EndpointStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Loads and saves the policy's per-endpoint state, estimator windows included, in bulk. */
@ApplicationScoped
public class EndpointStateRepository {
    private static final String COLUMNS = "x.pbx_id, x.endpoint, status, tier, x.codecs, streak, streak_tier, "
            + "consecutive_failures, estimate_bps, downlink_bps, uplink_bps, loss_percent, jitter_ms, rtt_micros, mos, "
            + "downlink_window, uplink_window, loss_window, jitter_window, last_result_at, last_outcome, "
            + "last_success_at, pin_codecs, no_codec_fits, transcodable, excluded, note, passive, bad_calls, good_calls, "
            + "call_tier, call_cap, downlink_kind, uplink_kind";

    /** Windows travel as text ("{1,2,3}") because unnest flattens arrays of arrays; the casts rebuild them. */
    private static final String ROWS = """
            unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int4[], ?::text[], ?::int4[],
                   ?::int8[], ?::int8[], ?::int8[], ?::float8[], ?::float8[], ?::int8[], ?::float8[],
                   ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::timestamptz[],
                   ?::bool[], ?::text[], ?::text[], ?::text[], ?::bool[], ?::int4[], ?::int4[], ?::text[], ?::text[],
                   ?::text[], ?::text[])
              as u(p, e, s, t, c, st, stt, f, est, dl, ul, lo, ji, rtt, mos, dw, uw, lw, jw, lra, lo2, lsa, ncf, tc, ex, nt,
                   pa, bc, gc, ct, cc, dk, uk)""";

    private static final String INSERT = """
            insert into endpoint_state (pbx_id, endpoint, status, tier, codecs, streak, streak_tier,
                consecutive_failures, estimate_bps, downlink_bps, uplink_bps, loss_percent, jitter_ms, rtt_micros, mos,
                downlink_window, uplink_window, loss_window, jitter_window, last_result_at, last_outcome,
                last_success_at, no_codec_fits, transcodable, excluded, note, passive, bad_calls, good_calls, call_tier,
                call_cap, downlink_kind, uplink_kind, updated_at)
            select p, e, s, t, c, st, stt, f, est, dl, ul, lo, ji, rtt, mos,
                   dw::float8[], uw::float8[], lw::float8[], jw::float8[], lra, lo2, lsa, ncf, tc, ex, nt, pa, bc, gc, ct,
                   cc, dk, uk, now()
            """ + "from " + ROWS;

    /** A set-based update (cheaper than INSERT … ON CONFLICT row by row); pin columns are only written by {@link #setPin}. */
    private static final String UPDATE = """
            update endpoint_state x set
                status = s, tier = t, codecs = c, streak = st, streak_tier = stt, consecutive_failures = f,
                estimate_bps = est, downlink_bps = dl, uplink_bps = ul, loss_percent = lo, jitter_ms = ji,
                rtt_micros = rtt, mos = u.mos, downlink_window = dw::float8[], uplink_window = uw::float8[],
                loss_window = lw::float8[], jitter_window = jw::float8[], last_result_at = lra, last_outcome = lo2,
                last_success_at = lsa, no_codec_fits = ncf, transcodable = tc, excluded = ex, note = nt,
                passive = pa, bad_calls = bc, good_calls = gc, call_tier = ct, call_cap = cc, downlink_kind = dk,
                uplink_kind = uk, updated_at = now()
            """ + "from " + ROWS + " where x.pbx_id = u.p and x.endpoint = u.e";

    @Inject
    AgroalDataSource dataSource;

    /** The stored states of these keys ({@code pbxId/endpoint}); absent keys are absent from the map. */
    public Map<String, EndpointState> load(Collection<String[]> keys, int window) throws SQLException {
        Map<String, EndpointState> states = new HashMap<>();
        if (keys.isEmpty()) {
            return states;
        }
        String sql = "select " + COLUMNS + ", c.codecs as ceiling, c.source as ceiling_source from endpoint_state x "
                + "left join endpoint_ceiling c on c.pbx_id = x.pbx_id and c.endpoint = x.endpoint "
                + "where (x.pbx_id, x.endpoint) in (select * from unnest(?::text[], ?::text[]))";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", keys.stream().map(k -> k[0]).toArray()));
            ps.setArray(2, c.createArrayOf("text", keys.stream().map(k -> k[1]).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    EndpointState s = read(rs, window);
                    states.put(s.key(), s);
                }
            }
        }
        return states;
    }

    /** The ceilings of these keys ({@code pbxId/endpoint} → [codecs, source]); absent keys are absent. */
    public Map<String, String[]> ceilings(Collection<String[]> keys) throws SQLException {
        Map<String, String[]> ceilings = new HashMap<>();
        if (keys.isEmpty()) {
            return ceilings;
        }
        String sql = "select pbx_id, endpoint, codecs, source from endpoint_ceiling where (pbx_id, endpoint) in "
                + "(select * from unnest(?::text[], ?::text[]))";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", keys.stream().map(k -> k[0]).toArray()));
            ps.setArray(2, c.createArrayOf("text", keys.stream().map(k -> k[1]).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ceilings.put(rs.getString(1) + "/" + rs.getString(2), new String[] { rs.getString(3), rs.getString(4) });
                }
            }
        }
        return ceilings;
    }

    /** The keys ({@code pbxId/endpoint}) of every stored endpoint of a PBX. */
    public List<String> keysOf(String pbxId) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select endpoint from endpoint_state where pbx_id = ?")) {
            ps.setString(1, pbxId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(pbxId + "/" + rs.getString(1));
                }
            }
        }
        return keys;
    }

    /** Whether the endpoint has ever sent a result. */
    public boolean exists(String pbxId, String endpoint) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select 1 from endpoint_state where pbx_id = ? and endpoint = ?")) {
            ps.setString(1, pbxId);
            ps.setString(2, endpoint);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static EndpointState read(ResultSet rs, int window) throws SQLException {
        EndpointState s = new EndpointState(rs.getString("pbx_id"), rs.getString("endpoint"), window,
                doubles(rs.getArray("downlink_window")), doubles(rs.getArray("uplink_window")),
                doubles(rs.getArray("loss_window")), doubles(rs.getArray("jitter_window")));
        s.status = EndpointStatus.valueOf(rs.getString("status"));
        s.tier = rs.getString("tier");
        s.codecs = split(rs.getString("codecs"));
        s.streak = rs.getInt("streak");
        s.streakTier = rs.getString("streak_tier");
        s.consecutiveFailures = rs.getInt("consecutive_failures");
        s.estimateBps = (Long) rs.getObject("estimate_bps");
        s.downlinkBps = (Long) rs.getObject("downlink_bps");
        s.uplinkBps = (Long) rs.getObject("uplink_bps");
        s.lossPercent = (Double) rs.getObject("loss_percent");
        s.jitterMs = (Double) rs.getObject("jitter_ms");
        s.rttMicros = (Long) rs.getObject("rtt_micros");
        s.mos = (Double) rs.getObject("mos");
        s.lastResultAt = instant(rs.getTimestamp("last_result_at"));
        s.lastOutcome = rs.getString("last_outcome");
        s.lastSuccessAt = instant(rs.getTimestamp("last_success_at"));
        s.pinCodecs = split(rs.getString("pin_codecs"));
        s.noCodecFits = rs.getBoolean("no_codec_fits");
        s.transcodable = split(rs.getString("transcodable"));
        s.excluded = exclusions(rs.getString("excluded"));
        s.note = rs.getString("note");
        s.passive = rs.getBoolean("passive");
        s.badCalls = rs.getInt("bad_calls");
        s.goodCalls = rs.getInt("good_calls");
        s.callTier = rs.getString("call_tier");
        s.callCap = rs.getString("call_cap");
        s.downlinkKind = kind(rs.getString("downlink_kind"));
        s.uplinkKind = kind(rs.getString("uplink_kind"));
        s.ceiling = split(rs.getString("ceiling"));
        s.ceilingSource = rs.getString("ceiling_source");
        s.stored = true;
        return s;
    }

    /** Saves the states (within the caller's transaction): inserts the new ones, updates the others. */
    public void save(Collection<EndpointState> states) throws SQLException {
        List<EndpointState> fresh = states.stream().filter(s -> !s.stored).toList();
        List<EndpointState> known = states.stream().filter(s -> s.stored).toList();
        try (Connection c = dataSource.getConnection()) {
            write(c, INSERT, fresh);
            write(c, UPDATE, known);
        }
        fresh.forEach(s -> s.stored = true);
    }

    private static void write(Connection c, String sql, List<EndpointState> states) throws SQLException {
        if (states.isEmpty()) {
            return;
        }
        int n = states.size();
        Object[][] cols = new Object[33][n];
        for (int i = 0; i < n; i++) {
            EndpointState s = states.get(i);
            Object[] row = { s.pbxId, s.endpoint, s.status.name(), s.tier, join(s.codecs), s.streak, s.streakTier,
                    s.consecutiveFailures, s.estimateBps, s.downlinkBps, s.uplinkBps, s.lossPercent, s.jitterMs,
                    s.rttMicros, s.mos, literal(s.downlink.values()), literal(s.uplink.values()),
                    literal(s.loss.values()), literal(s.jitter.values()), text(s.lastResultAt), s.lastOutcome,
                    text(s.lastSuccessAt), s.noCodecFits, join(s.transcodable), EventJson.toJson(s.excluded), s.note,
                    s.passive, s.badCalls, s.goodCalls, s.callTier, s.callCap, name(s.downlinkKind), name(s.uplinkKind) };
            for (int col = 0; col < row.length; col++) {
                cols[col][i] = row[col];
            }
        }
        String[] types = { "text", "text", "text", "text", "text", "int4", "text", "int4", "int8", "int8", "int8",
                "float8", "float8", "int8", "float8", "text", "text", "text", "text", "text", "text", "text", "bool",
                "text", "text", "text", "bool", "int4", "int4", "text", "text", "text", "text" };
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            SqlArrays.bind(c, ps, types, cols);
            ps.executeUpdate();
        }
    }

    /** Sets ({@code codecs} non-null) or clears an endpoint's pin; returns false when the endpoint is unknown. */
    public boolean setPin(String pbxId, String endpoint, List<String> codecs, String by) throws SQLException {
        String sql = "update endpoint_state set pin_codecs = ?, pinned_by = ?, pinned_at = ?, updated_at = now() "
                + "where pbx_id = ? and endpoint = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, join(codecs));
            ps.setString(2, codecs == null ? null : by);
            ps.setTimestamp(3, codecs == null ? null : Timestamp.from(Instant.now()));
            ps.setString(4, pbxId);
            ps.setString(5, endpoint);
            return ps.executeUpdate() == 1;
        }
    }

    private static String name(CapacityKind kind) {
        return kind == null ? null : kind.name();
    }

    private static CapacityKind kind(String name) {
        return name == null ? null : CapacityKind.valueOf(name);
    }

    public static String join(List<String> codecs) {
        return codecs == null ? null : String.join(",", codecs);
    }

    public static List<String> split(String codecs) {
        return codecs == null || codecs.isEmpty() ? null : List.of(codecs.split(","));
    }

    private static final TypeReference<List<CodecDecision.Exclusion>> EXCLUSIONS = new TypeReference<>() {
    };

    /** Exclusions stored as JSON (decision and endpoint_state rows). */
    public static List<CodecDecision.Exclusion> exclusions(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return EventJson.mapper().readValue(json, EXCLUSIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable exclusions: " + Validate.printable(json), e);
        }
    }

    private static String literal(List<Double> values) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(values.get(i));
        }
        return sb.append('}').toString();
    }

    private static List<Double> doubles(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] values = (Object[]) array.getArray();
        return Arrays.stream(values).map(v -> ((Number) v).doubleValue()).toList();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
