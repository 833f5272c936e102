package io.vbo.policy.console;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.vbo.events.SiteLimit;
import io.vbo.events.Validate;
import io.vbo.policy.console.ConsoleRepository.BucketPoint;
import io.vbo.policy.console.ConsoleRepository.Point;
import io.vbo.policy.console.PhoneChart.TierSpan;
import io.vbo.policy.model.Inputs;
import io.vbo.policy.model.OverheadAware;
import io.vbo.policy.model.Tier;
import io.vbo.policy.repository.EndpointStateRepository;
import io.vbo.policy.repository.CallRepository;
import io.vbo.policy.repository.CallRepository.CallRow;
import io.vbo.policy.repository.CapabilitiesEntity;
import io.vbo.policy.repository.CeilingEntity;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.policy.repository.EndpointEntity;
import io.vbo.policy.repository.MeasurementRepository;
import io.vbo.web.ProblemException;
import io.vbo.policy.config.PolicyConfig;
import io.vbo.policy.service.CallService;
import io.vbo.policy.service.PolicyRuntime;
import io.vbo.policy.service.SiteService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Assembles what each console page shows from the policy's tables and its configuration. */
@ApplicationScoped
public class ConsoleService {
    /** A range with more results than this is drawn as per-bucket medians. */
    static final int MAX_POINTS = 5000;
    /** Buckets across a range drawn as medians. */
    private static final int BUCKETS = 600;
    private static final int DECISIONS_SHOWN = 50;
    /** Calls drawn at most; a range with more shows its first ones and says so. */
    static final int MAX_CALLS = 5000;
    private static final int CALLS_LISTED = 20;

    /** The time ranges of the phone page. */
    public enum Range {
        H24("24h", Duration.ofHours(24)), D7("7d", Duration.ofDays(7)), D90("90d", Duration.ofDays(90));

        public final String label;
        public final Duration length;

        Range(String label, Duration length) {
            this.label = label;
            this.length = length;
        }

        static Range parse(String value) {
            if (value == null || value.isBlank()) {
                return H24;
            }
            for (Range r : values()) {
                if (r.label.equals(value)) {
                    return r;
                }
            }
            throw ProblemException.badRequest("range: must be 24h, 7d or 90d, got '" + Validate.printable(value) + "'");
        }
    }

    /**
     * The phone page.
     *
     * @param calls      calls that ended in range, oldest first, at most {@link #MAX_CALLS}
     * @param lastCalls  the latest of them, newest first, for the table
     * @param ceiling    the ceiling as stored (who set it, from which source), null while none is known
     * @param site       the phone's site, null for a site of its own
     */
    /**
     * A site as the console shows it (docs/sites.md).
     *
     * @param concurrentCalls K in use, {@code concurrentSource} where it comes from
     * @param capacityBps     the capacity decisions use, null while neither declared nor measured
     * @param tier            the tier of the call limit last decided, null before the first
     * @param maxCalls        that call limit, null before the first
     */
    public record Site(String site, int members, int concurrentCalls, String concurrentSource, Long capacityBps,
            String tier, Integer maxCalls) {
        static Site of(SiteService.Snapshot s) {
            return new Site(s.site(), s.endpoints().size(), s.calls().used(),
                    s.calls().source().name().toLowerCase(java.util.Locale.ROOT), s.capacity().usedBps(),
                    s.limit().map(SiteLimit::tier).orElse(null), s.limit().map(SiteLimit::maxCalls).orElse(null));
        }
    }

    public record Phone(Fleet.Row row, EndpointEntity state, Range range, Instant from, Instant to, long results,
            boolean bucketed, String chart, List<CallRow> calls, List<CallRow> lastCalls, CeilingEntity ceiling,
            List<DecisionEntity> decisions, List<Tier> tiers, List<String> codecNames, Site site) {
        public List<String> ceilingCodecs() {
            return ceiling == null ? List.of() : EndpointStateRepository.split(ceiling.codecs);
        }

        /** The ceiling as the editor starts with it: empty while none is known. */
        public String ceilingText() {
            return String.join(", ", ceilingCodecs());
        }

        public boolean callsCapped() {
            return calls.size() >= MAX_CALLS;
        }

        public List<Range> ranges() {
            return List.of(Range.values());
        }
    }

    /**
     * The PBX page: phones per tier and status, results and calls per hour of the last day, its transcodable codecs
     * and when the policy last heard of it.
     *
     * @param capabilities  the PBX's last capability report, null while none was received
     * @param assumed       the transcodable set the policy assumes without a report
     * @param passThrough   codecs configured as passed through without transcoding on this PBX
     * @param sites         the PBX's sites, by name
     */
    public record Pbx(String pbxId, Map<String, Map<String, Long>> tiers, List<String> statuses,
            List<MeasurementRepository.Bucket> hours, List<CallRepository.CallBucket> callHours, List<String> mosBands,
            CapabilitiesEntity capabilities, List<String> assumed, List<String> passThrough,
            ConsoleRepository.PbxActivity activity, List<Site> sites) {
        public List<String> transcodable() {
            return capabilities == null ? assumed : EndpointStateRepository.split(capabilities.transcodable);
        }

        public long calls() {
            return callHours.stream().mapToLong(CallRepository.CallBucket::calls).sum();
        }

        public long badCalls() {
            return callHours.stream().mapToLong(CallRepository.CallBucket::bad).sum();
        }

        /** Rated calls of the day per MOS band, every band present. */
        public Map<String, Long> bandTotals() {
            Map<String, Long> totals = new LinkedHashMap<>();
            mosBands.forEach(b -> totals.put(b, 0L));
            callHours.forEach(h -> h.mosBands().forEach((band, n) -> totals.merge(band, n, Long::sum)));
            return totals;
        }
    }

    @Inject
    ConsoleRepository repository;
    @Inject
    MeasurementRepository measurements;
    @Inject
    PolicyRuntime runtime;
    @Inject
    CallService callService;
    @Inject
    PolicyConfig policyConfig;
    @Inject
    SiteService sites;

    public Fleet.Page fleet(Fleet.Filter filter) throws SQLException {
        return repository.fleet(filter, tierNames());
    }

    public List<String> pbxs() throws SQLException {
        return repository.pbxs();
    }

    public Phone phone(String pbxId, String endpoint, String rangeParam) throws SQLException {
        Validate.pbxId("pbxId", pbxId);
        Validate.endpoint("endpoint", endpoint);
        Range range = Range.parse(rangeParam);
        EndpointEntity state = QuarkusTransaction.requiringNew().call(
                () -> EndpointEntity.<EndpointEntity>findById(new EndpointEntity.Key(pbxId, endpoint)));
        Fleet.Row row = repository.row(pbxId, endpoint, tierNames());
        if (state == null || row == null) {
            throw ProblemException.notFound("no endpoint " + pbxId + "/" + endpoint + " has been measured");
        }
        Instant to = Instant.now();
        Instant from = to.minus(range.length);
        long results = repository.count(pbxId, endpoint, from, to);
        List<Tier> tiers = tiersOf(pbxId, state);
        List<TierSpan> spans = spans(pbxId, endpoint, from);
        List<CallRow> calls = callService.page(pbxId, endpoint, from, to, null, null, MAX_CALLS);
        double mosTarget = policyConfig.calls().mosTarget();
        String chart;
        boolean bucketed = results > MAX_POINTS;
        if (bucketed) {
            List<BucketPoint> buckets = repository.buckets(pbxId, endpoint, from, to,
                    range.length.dividedBy(BUCKETS));
            chart = PhoneChart.draw(from, to, null, buckets, List.of(), List.of(), 1, tiers, spans, calls,
                    mosTarget);
        } else {
            int window = runtime.engine().window();
            List<Point> points = repository.points(pbxId, endpoint, from, to, MAX_POINTS);
            chart = PhoneChart.draw(from, to, points, null,
                    repository.ratesBefore(pbxId, endpoint, "DOWNLINK", from, window),
                    repository.ratesBefore(pbxId, endpoint, "UPLINK", from, window), window, tiers, spans, calls,
                    mosTarget);
        }
        List<DecisionEntity> decisions = QuarkusTransaction.requiringNew().call(() -> DecisionEntity.<DecisionEntity>find(
                "pbxId = ?1 and endpoint = ?2", Sort.descending("decidedAt"), pbxId, endpoint)
                .range(0, DECISIONS_SHOWN - 1).list());
        List<CallRow> lastCalls = new ArrayList<>(calls.subList(Math.max(0, calls.size() - CALLS_LISTED), calls.size()));
        Collections.reverse(lastCalls);
        CeilingEntity ceiling = QuarkusTransaction.requiringNew().call(
                () -> CeilingEntity.<CeilingEntity>findById(new EndpointEntity.Key(pbxId, endpoint)));
        return new Phone(row, state, range, from, to, results, bucketed, chart, calls, lastCalls, ceiling, decisions,
                tiers,
                runtime.codecs().all().keySet().stream().sorted().toList(),
                row.site() == null ? null : sites.snapshot(pbxId, row.site()).map(Site::of).orElse(null));
    }

    public Pbx pbx(String pbxId) throws SQLException {
        Validate.pbxId("pbxId", pbxId);
        Map<String, Map<String, Long>> tiers = repository.tiersByStatus(pbxId);
        if (tiers.isEmpty()) {
            throw ProblemException.notFound("no endpoint of PBX " + pbxId + " has been measured");
        }
        Instant to = Instant.now();
        Instant from = to.minus(Duration.ofDays(1));
        CapabilitiesEntity capabilities = QuarkusTransaction.requiringNew().call(
                () -> CapabilitiesEntity.<CapabilitiesEntity>findById(pbxId));
        return new Pbx(pbxId, tiers, Fleet.statuses(), measurements.summary(pbxId, from, to, Duration.ofHours(1)),
                callService.summary(pbxId, from, to, Duration.ofHours(1)), CallRepository.bandNames(), capabilities,
                runtime.assumedTranscodable(), runtime.passThrough(pbxId), repository.activity(pbxId), sites(pbxId));
    }

    private List<Site> sites(String pbxId) throws SQLException {
        List<Site> out = new ArrayList<>();
        for (String site : sites.sites().getOrDefault(pbxId, Map.of()).keySet()) {
            sites.snapshot(pbxId, site).map(Site::of).ifPresent(out::add);
        }
        return out;
    }

    /** The tiers decided for this endpoint from the one in force at {@code from} on. */
    private List<TierSpan> spans(String pbxId, String endpoint, Instant from) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<TierSpan> spans = new ArrayList<>();
            DecisionEntity.<DecisionEntity>find("pbxId = ?1 and endpoint = ?2 and decidedAt < ?3",
                    Sort.descending("decidedAt"), pbxId, endpoint, from).firstResultOptional()
                    .ifPresent(d -> spans.add(new TierSpan(d.decidedAt, d.tier)));
            DecisionEntity.<DecisionEntity>find("pbxId = ?1 and endpoint = ?2 and decidedAt >= ?3",
                    Sort.ascending("decidedAt"), pbxId, endpoint, from).list()
                    .forEach(d -> spans.add(new TierSpan(d.decidedAt, d.tier)));
            return spans;
        });
    }

    /**
     * Every tier name the policy can give, best first, for sorting the fleet by tier: under {@code overhead-aware}
     * tiers are per endpoint and named by their need, so these are the levels of a ceiling holding every codec.
     */
    private List<String> tierNames() {
        if (runtime.seedTiers() != null) {
            return runtime.seedTiers().tiers().stream().map(Tier::name).toList();
        }
        List<String> every = runtime.codecs().all().keySet().stream().sorted().toList();
        OverheadAware.Levels levels = runtime.overhead().levels(new Inputs(every, null, every, false, "", List.of()));
        return levels.table().tiers().stream().map(Tier::name).toList();
    }

    /** The endpoint's own tiers, as the policy derives them from its ceiling and its PBX's transcodable set. */
    private List<Tier> tiersOf(String pbxId, EndpointEntity state) {
        if (runtime.seedTiers() != null) {
            return runtime.seedTiers().tiers();
        }
        if (state.ceiling == null) {
            return List.of();
        }
        List<String> transcodable = state.transcodable == null ? runtime.assumedTranscodable()
                : EndpointStateRepository.split(state.transcodable);
        OverheadAware.Levels levels = runtime.overhead().levels(new Inputs(EndpointStateRepository.split(state.ceiling),
                state.ceilingSource, transcodable, state.transcodable == null, "", runtime.passThrough(pbxId)));
        return levels.empty() ? List.of() : levels.table().tiers();
    }
}
