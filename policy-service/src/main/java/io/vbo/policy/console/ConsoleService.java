package io.vbo.policy.console;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.vbo.events.Validate;
import io.vbo.policy.console.ConsoleRepository.BucketPoint;
import io.vbo.policy.console.ConsoleRepository.Point;
import io.vbo.policy.console.PhoneChart.TierSpan;
import io.vbo.policy.model.Inputs;
import io.vbo.policy.model.OverheadAware;
import io.vbo.policy.model.Tier;
import io.vbo.policy.repository.EndpointStateRepository;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.policy.repository.EndpointEntity;
import io.vbo.policy.repository.MeasurementRepository;
import io.vbo.policy.rest.ProblemException;
import io.vbo.policy.service.PolicyRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

    /** The phone page. */
    public record Phone(Fleet.Row row, EndpointEntity state, Range range, Instant from, Instant to, long results,
            boolean bucketed, String chart, List<DecisionEntity> decisions, List<Tier> tiers, List<String> codecNames) {
        public List<Range> ranges() {
            return List.of(Range.values());
        }
    }

    /** The PBX page: phones per tier and status, results per hour of the last day. */
    public record Pbx(String pbxId, Map<String, Map<String, Long>> tiers, List<String> statuses,
            List<MeasurementRepository.Bucket> hours) {
    }

    @Inject
    ConsoleRepository repository;
    @Inject
    MeasurementRepository measurements;
    @Inject
    PolicyRuntime runtime;

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
        String chart;
        boolean bucketed = results > MAX_POINTS;
        if (bucketed) {
            List<BucketPoint> buckets = repository.buckets(pbxId, endpoint, from, to,
                    range.length.dividedBy(BUCKETS));
            chart = PhoneChart.draw(from, to, null, buckets, List.of(), List.of(), 1, tiers, spans);
        } else {
            int window = runtime.engine().window();
            List<Point> points = repository.points(pbxId, endpoint, from, to, MAX_POINTS);
            chart = PhoneChart.draw(from, to, points, null,
                    repository.ratesBefore(pbxId, endpoint, "DOWNLINK", from, window),
                    repository.ratesBefore(pbxId, endpoint, "UPLINK", from, window), window, tiers, spans);
        }
        List<DecisionEntity> decisions = QuarkusTransaction.requiringNew().call(() -> DecisionEntity.<DecisionEntity>find(
                "pbxId = ?1 and endpoint = ?2", Sort.descending("decidedAt"), pbxId, endpoint)
                .range(0, DECISIONS_SHOWN - 1).list());
        return new Phone(row, state, range, from, to, results, bucketed, chart, decisions, tiers,
                runtime.codecs().all().keySet().stream().sorted().toList());
    }

    public Pbx pbx(String pbxId) throws SQLException {
        Validate.pbxId("pbxId", pbxId);
        Map<String, Map<String, Long>> tiers = repository.tiersByStatus(pbxId);
        if (tiers.isEmpty()) {
            throw ProblemException.notFound("no endpoint of PBX " + pbxId + " has been measured");
        }
        Instant to = Instant.now();
        return new Pbx(pbxId, tiers, Fleet.statuses(),
                measurements.summary(pbxId, to.minus(Duration.ofDays(1)), to, Duration.ofHours(1)));
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
