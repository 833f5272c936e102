package io.vbo.policy.console;

import io.vbo.events.Validate;
import io.vbo.policy.model.EndpointStatus;
import io.vbo.web.ProblemException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The fleet table: what a request asks for and what it gets. */
public final class Fleet {
    /** Rows per page at most: the whole lab-sized fleet of 2,000 phones fits on one page. */
    public static final int MAX_PAGE_SIZE = 2000;
    /** The status the policy gives an endpoint when none of the allowed codecs fits its link. */
    public static final String NO_CODEC_FITS = "NO_CODEC_FITS";
    /** Sort keys and the columns they order by. */
    static final Map<String, String> SORTS = Map.ofEntries(
            Map.entry("endpoint", "pbx_id, endpoint"),
            Map.entry("address", "address"),
            Map.entry("status", "status"),
            Map.entry("down", "downlink_bps"),
            Map.entry("up", "uplink_bps"),
            Map.entry("loss", "loss_percent"),
            Map.entry("jitter", "jitter_ms"),
            Map.entry("rtt", "rtt_micros"),
            Map.entry("mos", "call_mos"),
            Map.entry("tier", "tier_rank"),
            Map.entry("when", "last_result_at"),
            Map.entry("decided", "decided_at"),
            Map.entry("site", "site"));

    private Fleet() {
    }

    /**
     * One request for the table.
     *
     * @param pbx    only this PBX, or null
     * @param status only this status, or null
     * @param q      endpoint, address or site contains this text, or null
     * @param sort   a key of {@link #SORTS}
     * @param desc   descending
     * @param page   0-based page
     * @param size   rows per page
     */
    public record Filter(String pbx, String status, String q, String sort, boolean desc, int page, int size) {
        /** Validates the query parameters; each bad one is a 400 naming it. */
        public static Filter parse(String pbx, String status, String q, String sort, String dir, String page,
                String size, int defaultSize) {
            String p = blank(pbx) ? null : Validate.pbxId("pbx", pbx);
            String st = null;
            if (!blank(status)) {
                st = status.toUpperCase(Locale.ROOT);
                if (!statuses().contains(st)) {
                    throw ProblemException.badRequest("status: must be one of " + String.join(", ", statuses())
                            + ", got '" + Validate.printable(status) + "'");
                }
            }
            String query = blank(q) ? null : q.strip();
            if (query != null && query.length() > 64) {
                throw ProblemException.badRequest("q: at most 64 characters");
            }
            String s = blank(sort) ? "endpoint" : sort;
            if (!SORTS.containsKey(s)) {
                throw ProblemException.badRequest("sort: must be one of " + String.join(", ", SORTS.keySet().stream()
                        .sorted().toList()) + ", got '" + Validate.printable(sort) + "'");
            }
            if (!blank(dir) && !"asc".equals(dir) && !"desc".equals(dir)) {
                throw ProblemException.badRequest("dir: must be asc or desc, got '" + Validate.printable(dir) + "'");
            }
            return new Filter(p, st, query, s, "desc".equals(dir), number("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE),
                    number("size", size, defaultSize, 1, MAX_PAGE_SIZE));
        }

        /** The query string of this filter on another page (sort and filters kept). */
        public String query(int otherPage) {
            StringBuilder sb = new StringBuilder("?sort=").append(sort).append(desc ? "&dir=desc" : "");
            if (pbx != null) {
                sb.append("&pbx=").append(pbx);
            }
            if (status != null) {
                sb.append("&status=").append(status);
            }
            if (q != null) {
                sb.append("&q=").append(java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8));
            }
            return sb.append("&size=").append(size).append("&page=").append(otherPage).toString();
        }

        /** The query string that sorts by {@code key}, flipping the direction when already sorted by it. */
        public String sortQuery(String key) {
            Filter other = new Filter(pbx, status, q, key, key.equals(sort) && !desc, 0, size);
            return other.query(0);
        }
    }

    /**
     * One phone's row.
     *
     * @param tier           effective tier ({@code pinned} when pinned)
     * @param mos            the MOS the policy predicts for the decided codec on the estimated link
     * @param calls          calls that ended in the last 24 h
     * @param callMos        their median MOS (of those with one), null without a rated call
     * @param decidedCodecs  codecs of the latest decision
     * @param appliedStatus  what the config writer reported for it, null while it has not
     * @param appliedCodecs  the codecs Asterisk reported after applying it
     * @param problem        why the row is at the top, null when it is not a problem
     * @param site           the site whose uplink it shares (docs/sites.md), null for a site of its own
     */
    public record Row(String pbxId, String endpoint, String address, String status, String tier, boolean pinned,
            Long downlinkBps, Long uplinkBps, Long estimateBps, Double lossPercent, Double jitterMs, Long rttMicros,
            Double mos, long calls, Double callMos, Instant lastResultAt, String lastOutcome, List<String> decidedCodecs, Instant decidedAt,
            String appliedStatus, List<String> appliedCodecs, Instant appliedAt, String appliedError, String problem,
            String site) {
        /** Asterisk reported codecs other than the decided ones (an empty report says nothing). */
        public boolean appliedDiffers() {
            return appliedCodecs != null && !appliedCodecs.equals(decidedCodecs);
        }
    }

    /** A page of rows; {@code total} and {@code problems} count every row the filter matches. */
    public record Page(Filter filter, List<Row> rows, long total, long problems) {
        public int pages() {
            return (int) Math.max(1, (total + filter.size() - 1) / filter.size());
        }

        public boolean hasPrevious() {
            return filter.page() > 0;
        }

        public boolean hasNext() {
            return filter.page() + 1 < pages();
        }

        /** 1-based, for people. */
        public int number() {
            return filter.page() + 1;
        }

        public String previousQuery() {
            return filter.query(filter.page() - 1);
        }

        public String nextQuery() {
            return filter.query(filter.page() + 1);
        }

        /** This page's query, for polling. */
        public String query() {
            return filter.query(filter.page());
        }
    }

    /** Every status an endpoint can have. */
    public static List<String> statuses() {
        return Arrays.stream(EndpointStatus.values()).map(Enum::name).toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static int number(String name, String value, int fallback, int min, int max) {
        if (blank(value)) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest(name + ": must be an integer between " + min + " and " + max + ", got '"
                + Validate.printable(value) + "'");
    }
}
