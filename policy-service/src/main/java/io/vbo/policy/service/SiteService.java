package io.vbo.policy.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.vbo.events.CodecProfile;
import io.vbo.events.EventKeys;
import io.vbo.events.InvalidEventException;
import io.vbo.events.SiteLimit;
import io.vbo.events.Validate;
import io.vbo.policy.config.PolicyConfig;
import io.vbo.policy.config.SitesConfig;
import io.vbo.policy.model.EndpointState;
import io.vbo.policy.model.PolicyEngine;
import io.vbo.policy.model.SiteLoad;
import io.vbo.policy.model.SiteShare;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.policy.repository.SiteRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Sites (docs/sites.md): which endpoints share an uplink, what the uplink carries (declared, or measured through the
 * site's most recently measured phone), how many calls share it (K: configured, else learned from the site's calls,
 * else the policy default), and the site's call limit. Every member is decided by the ordinary policy for K calls on
 * the site's capacity, within its own ceiling; the methods that decide run under the states lock, inside the
 * caller's transaction.
 */
@ApplicationScoped
public class SiteService {
    private static final Logger LOG = Logger.getLogger(SiteService.class);
    private final PolicyConfig config;
    private final PolicyRuntime runtime;
    private final Map<String, Declared> declared;
    /** pbxId/endpoint → site, for the endpoints that are in a site; loaded on first use. */
    private final Map<String, String> siteOf = new ConcurrentHashMap<>();
    private volatile boolean loaded;
    /** pbxId/site → what the calls last said. */
    private final Map<String, SiteLoad.Learned> learned = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> limitGauges = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> callGauges = new ConcurrentHashMap<>();

    @Inject
    SiteRepository repository;
    @Inject
    EndpointStates states;
    @Inject
    CapabilityService capabilities;
    @Inject
    MeterRegistry registry;

    /** A configured site's declarations; {@code null} fields are not declared. */
    public record Declared(String name, Long uplinkBps, Long downBps, Long upBps, Integer maxCalls,
            Integer concurrentCalls) {
    }

    /**
     * K of a site.
     *
     * @param learned    what the calls say, {@code null} before any call
     * @param configured {@code vbo.sites[i].concurrent-calls}, {@code null} when absent
     * @param used       the K decisions use: configured, else learned, else the policy default
     * @param source     which one that is
     */
    public record ConcurrentCalls(SiteLoad.Learned learned, Integer configured, int used,
            SiteLimit.ConcurrentSource source) {
    }

    /**
     * The capacity of a site's uplink.
     *
     * @param declaredBps the declared uplink (the smaller direction), {@code null} when not declared
     * @param measuredBps the estimate of the site's most recently measured phone, {@code null} when none
     * @param measuredBy  that phone
     * @param usedBps     the capacity decisions use: declared, else measured
     */
    public record Capacity(Long declaredBps, Long measuredBps, String measuredBy, Long usedBps) {
    }

    @Inject
    public SiteService(SitesConfig sites, PolicyConfig config, PolicyRuntime runtime) {
        this.config = config;
        this.runtime = runtime;
        this.declared = declared(sites);
    }

    /** Built at start, so a bad {@code vbo.sites} stops it; the limit gauges start from the table. */
    void onStart(@Observes StartupEvent event) throws SQLException {
        declared.values().forEach(d -> LOG.infof("site %s: uplink %s, K %s, max calls %s", d.name(),
                d.uplinkBps() == null ? "measured" : PolicyEngine.kbps(d.uplinkBps()) + " declared",
                d.concurrentCalls() == null ? "learned" : d.concurrentCalls() + " configured",
                d.maxCalls() == null ? "from the link" : d.maxCalls()));
        load();
    }

    /** The configured sites, checked: a hostile name or a bad value stops the start with the key named. */
    static Map<String, Declared> declared(SitesConfig sites) {
        Map<String, Declared> out = new LinkedHashMap<>();
        for (int i = 0; i < sites.sites().size(); i++) {
            SitesConfig.Site site = sites.sites().get(i);
            String key = "vbo.sites[" + i + "]";
            try {
                Validate.site("name", site.name());
            } catch (InvalidEventException e) {
                throw new IllegalArgumentException(key + ".name '" + Validate.printable(site.name()) + "' refused: "
                        + e.getMessage() + " (the name becomes part of Asterisk dialplan variable and group names)");
            }
            if (out.containsKey(site.name())) {
                throw new IllegalArgumentException(key + ".name '" + site.name() + "' is configured twice");
            }
            Long down = site.uplink().flatMap(u -> u.down().isPresent() ? Optional.of(u.down().getAsLong())
                    : Optional.empty()).orElse(null);
            Long up = site.uplink().flatMap(u -> u.up().isPresent() ? Optional.of(u.up().getAsLong())
                    : Optional.empty()).orElse(null);
            positive(key + ".uplink.down", down);
            positive(key + ".uplink.up", up);
            if (site.uplink().isPresent() && down == null && up == null) {
                throw new IllegalArgumentException(key + ".uplink: give down and/or up in bit/s");
            }
            Long uplink = down == null ? up : up == null ? down : Long.valueOf(Math.min(down, up));
            if (site.maxCalls().isPresent() && site.maxCalls().get() < 0) {
                throw new IllegalArgumentException(key + ".max-calls must be 0 or more, got " + site.maxCalls().get());
            }
            if (site.concurrentCalls().isPresent() && site.concurrentCalls().get() < 1) {
                throw new IllegalArgumentException(key + ".concurrent-calls must be at least 1, got "
                        + site.concurrentCalls().get());
            }
            out.put(site.name(), new Declared(site.name(), uplink, down, up, site.maxCalls().orElse(null),
                    site.concurrentCalls().orElse(null)));
        }
        return Map.copyOf(out);
    }

    private static void positive(String key, Long value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(key + " must be a positive rate in bit/s, got " + value);
        }
    }

    public Optional<Declared> declared(String site) {
        return Optional.ofNullable(declared.get(site));
    }

    /** The endpoint's site, {@code null} when it is a site of its own. */
    public String siteOf(String pbxId, String endpoint) throws SQLException {
        load();
        return siteOf.get(EventKeys.key(pbxId, endpoint));
    }

    /** Every site with members: pbxId → site → endpoints, sorted. */
    public Map<String, Map<String, List<String>>> sites() throws SQLException {
        load();
        Map<String, Map<String, List<String>>> out = new TreeMap<>();
        siteOf.forEach((key, site) -> {
            String[] k = key.split("/", 2);
            out.computeIfAbsent(k[0], p -> new TreeMap<>()).computeIfAbsent(site, s -> new ArrayList<>()).add(k[1]);
        });
        out.values().forEach(bySite -> bySite.values().forEach(list -> list.sort(null)));
        return out;
    }

    public List<String> members(String pbxId, String site) throws SQLException {
        return sites().getOrDefault(pbxId, Map.of()).getOrDefault(site, List.of());
    }

    private void load() throws SQLException {
        if (loaded) {
            return;
        }
        synchronized (this) {
            if (!loaded) {
                repository.members().forEach(m -> siteOf.put(EventKeys.key(m.pbxId(), m.endpoint()), m.site()));
                repository.limits().forEach(this::gauges);
                loaded = true;
            }
        }
    }

    /**
     * Records the endpoint's site as discovery reported it; returns the sites whose membership changed (the old and
     * the new one, {@code null} standing for a site of its own), empty when nothing changed.
     */
    public Set<String> place(String pbxId, String endpoint, String site, Instant observedAt) throws SQLException {
        load();
        String key = EventKeys.key(pbxId, endpoint);
        String old = siteOf.get(key);
        if (Objects.equals(old, site)) {
            return Set.of();
        }
        repository.place(pbxId, endpoint, site, observedAt);
        if (site == null) {
            siteOf.remove(key);
        } else {
            siteOf.put(key, site);
        }
        Set<String> changed = new LinkedHashSet<>();
        changed.add(old);
        changed.add(site);
        return changed;
    }

    /** Whether discovery's report changes nothing (the fast path of every listing). */
    public boolean unchanged(String pbxId, String endpoint, String site) throws SQLException {
        load();
        return Objects.equals(siteOf.get(EventKeys.key(pbxId, endpoint)), site);
    }

    /** Forgets the in-memory membership after a failed transaction (it reloads from the table). */
    public void reload() {
        synchronized (this) {
            siteOf.clear();
            loaded = false;
        }
    }

    /** K of a site. */
    public ConcurrentCalls concurrentCalls(String pbxId, String site) {
        Declared d = declared.get(site);
        SiteLoad.Learned l = learned.get(EventKeys.key(pbxId, site));
        if (d != null && d.concurrentCalls() != null) {
            return new ConcurrentCalls(l, d.concurrentCalls(), d.concurrentCalls(), SiteLimit.ConcurrentSource.CONFIGURED);
        }
        if (l != null) {
            return new ConcurrentCalls(l, null, l.concurrentCalls(), SiteLimit.ConcurrentSource.LEARNED);
        }
        return new ConcurrentCalls(null, null, config.expectedConcurrentCalls(), SiteLimit.ConcurrentSource.DEFAULT);
    }

    /** What the site's calls say now, over {@code vbo.policy.site-calls.window}; empty before any call. */
    public Optional<SiteLoad.Learned> learnNow(String pbxId, String site) throws SQLException {
        List<String> members = members(pbxId, site);
        if (members.isEmpty()) {
            return Optional.empty();
        }
        Instant since = Instant.now().minus(config.siteCalls().window());
        return SiteLoad.learn(repository.calls(pbxId, members, since), config.siteCalls().percentile());
    }

    /** Learns K of every site again; returns the sites whose K in use changed (pbxId → sites). */
    public Map<String, List<String>> relearn() throws SQLException {
        Map<String, List<String>> changed = new TreeMap<>();
        for (Map.Entry<String, Map<String, List<String>>> pbx : sites().entrySet()) {
            for (String site : pbx.getValue().keySet()) {
                String key = EventKeys.key(pbx.getKey(), site);
                int before = concurrentCalls(pbx.getKey(), site).used();
                Optional<SiteLoad.Learned> now = learnNow(pbx.getKey(), site);
                now.ifPresentOrElse(l -> learned.put(key, l), () -> learned.remove(key));
                if (concurrentCalls(pbx.getKey(), site).used() != before) {
                    changed.computeIfAbsent(pbx.getKey(), p -> new ArrayList<>()).add(site);
                }
            }
        }
        return changed;
    }

    /** The site's capacity from its declaration and its members' states. Hold the states lock. */
    public Capacity capacity(String pbxId, String site) throws SQLException {
        Declared d = declared.get(site);
        Long declaredBps = d == null ? null : d.uplinkBps();
        EndpointState latest = memberStates(pbxId, site, false).values().stream()
                .filter(s -> s.estimateBps != null && s.lastSuccessAt != null)
                .max(Comparator.comparing((EndpointState s) -> s.lastSuccessAt)).orElse(null);
        Long measured = latest == null ? null : latest.estimateBps;
        return new Capacity(declaredBps, measured, latest == null ? null : latest.endpoint,
                declaredBps != null ? declaredBps : measured);
    }

    private Map<String, EndpointState> memberStates(String pbxId, String site, boolean create) throws SQLException {
        Set<String> keys = new LinkedHashSet<>();
        members(pbxId, site).forEach(e -> keys.add(EventKeys.key(pbxId, e)));
        return keys.isEmpty() ? Map.of() : states.get(keys, create);
    }

    /**
     * Sets the state's site share and returns the engine to decide it with. {@code ownResult}: the endpoint is
     * being decided on a result of its own, so when the site's capacity is measured (not declared) its own estimate
     * is that measurement. Hold the states lock.
     */
    public PolicyEngine prepare(EndpointState s, boolean ownResult) throws SQLException {
        String site = siteOf(s.pbxId, s.endpoint);
        if (site == null) {
            s.site = null;
            return runtime.engine();
        }
        ConcurrentCalls k = concurrentCalls(s.pbxId, site);
        Declared d = declared.get(site);
        Capacity capacity = ownResult && (d == null || d.uplinkBps() == null)
                ? new Capacity(null, null, s.endpoint, null) : capacity(s.pbxId, site);
        s.site = new SiteShare(site, capacity.usedBps(), k.used(), basis(capacity, k));
        return runtime.engine().withCalls(k.used());
    }

    private static String basis(Capacity c, ConcurrentCalls k) {
        String capacity = c.declaredBps() != null ? "declared uplink " + PolicyEngine.kbps(c.declaredBps())
                : c.usedBps() != null ? "capacity " + PolicyEngine.kbps(c.usedBps()) + " measured through " + c.measuredBy()
                        : "capacity measured through " + c.measuredBy();
        return capacity + ", shared by K = " + k.used() + " concurrent calls (" + k.source().name().toLowerCase(Locale.ROOT)
                + ")";
    }

    /** The members a new measurement decided again, and the decisions made. */
    public record Round(List<EndpointState> touched, List<DecisionEntity> decisions) {
    }

    /**
     * After {@code measured} took a new capacity measurement of their own: the other members of their sites whose
     * capacity is measured (not declared) are decided on it. Hold the states lock, inside the transaction.
     */
    public Round spread(Collection<EndpointState> measured) throws SQLException {
        List<EndpointState> touched = new ArrayList<>();
        List<DecisionEntity> decisions = new ArrayList<>();
        Set<String> done = new HashSet<>();
        measured.forEach(s -> done.add(s.key()));
        for (EndpointState m : measured) {
            if (m.site == null || declared(m.site.site()).map(Declared::uplinkBps).isPresent()) {
                continue;
            }
            for (EndpointState s : memberStates(m.pbxId, m.site.site(), true).values()) {
                if (!done.add(s.key())) {
                    continue;
                }
                PolicyEngine engine = prepare(s, false);
                engine.decideShared(s, capabilities.inputs(s)).filter(c -> !s.pinned())
                        .ifPresent(c -> decisions.add(Decisions.of(s, c, runtime.preset())));
                touched.add(s);
            }
        }
        return new Round(touched, decisions);
    }

    /**
     * The limits of the sites of {@code touched} that changed, stored unpublished. Hold the states lock, inside the transaction.
     */
    public List<SiteLimit> limits(Collection<EndpointState> touched) throws SQLException {
        Map<String, String[]> sitesTouched = new LinkedHashMap<>();
        for (EndpointState s : touched) {
            String site = siteOf(s.pbxId, s.endpoint);
            if (site != null) {
                sitesTouched.put(EventKeys.key(s.pbxId, site), new String[] { s.pbxId, site });
            }
        }
        List<SiteLimit> changed = new ArrayList<>();
        for (String[] ps : sitesTouched.values()) {
            Optional<SiteLimit> limit = compute(ps[0], ps[1]);
            if (limit.isEmpty()) {
                continue;
            }
            Optional<SiteLimit> stored = repository.limit(ps[0], ps[1]);
            if (stored.isEmpty() || !same(stored.get(), limit.get())) {
                repository.save(limit.get());
                changed.add(limit.get());
            }
        }
        return changed;
    }

    /**
     * The site's limit now: the member whose first codec costs most on the wire sets it (every member may place a
     * call on its first codec), {@code floor(capacity × utilisation ÷ that codec's wire rate)} calls, capped by
     * {@code max-calls}. Empty while the capacity or every member's decision is unknown.
     */
    Optional<SiteLimit> compute(String pbxId, String site) throws SQLException {
        Capacity capacity = capacity(pbxId, site);
        if (capacity.usedBps() == null) {
            return Optional.empty();
        }
        EndpointState costliest = null;
        long perCall = 0;
        for (EndpointState s : new TreeMap<>(memberStates(pbxId, site, false)).values()) {
            if (s.codecs == null || s.codecs.isEmpty()) {
                continue;
            }
            Optional<CodecProfile> profile = runtime.codecs().get(s.codecs.get(0));
            if (profile.isPresent() && runtime.overhead().wireBps(profile.get()) > perCall) {
                perCall = runtime.overhead().wireBps(profile.get());
                costliest = s;
            }
        }
        if (costliest == null) {
            return Optional.empty();
        }
        long usable = usable(capacity.usedBps(), runtime.overhead().utilisation());
        ConcurrentCalls k = concurrentCalls(pbxId, site);
        return Optional.of(new SiteLimit(SiteLimit.SCHEMA, pbxId, site, members(pbxId, site), costliest.tier,
                costliest.codecs.get(0), perCall, usable,
                maxCalls(usable, perCall, declared(site).map(Declared::maxCalls).orElse(null)), k.used(), k.source(),
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    /** The share of the capacity voice may use, whole bit/s (the epsilon keeps 200,000 × 0.8 at 160,000). */
    static long usable(long capacityBps, double utilisation) {
        return (long) Math.floor(capacityBps * utilisation + 1e-6);
    }

    /** Calls of {@code perCallBps} that fit in {@code usableBps}, capped by {@code max} when set. */
    static int maxCalls(long usableBps, long perCallBps, Integer max) {
        int fit = (int) Math.min(100_000, usableBps / perCallBps);
        return max == null ? fit : Math.min(fit, max);
    }

    private static boolean same(SiteLimit a, SiteLimit b) {
        return a.endpoints().equals(b.endpoints()) && a.tier().equals(b.tier()) && a.codec().equals(b.codec())
                && a.perCallBps() == b.perCallBps() && a.capacityBps() == b.capacityBps()
                && a.maxCalls() == b.maxCalls() && a.concurrentCalls() == b.concurrentCalls()
                && a.concurrentSource() == b.concurrentSource();
    }

    /** {@code vbo.policy.site.calls.limit} and {@code vbo.policy.site.concurrent.calls}, tagged pbx and site. */
    void gauges(SiteLimit l) {
        String key = l.key();
        Tags tags = Tags.of("pbx", l.pbxId(), "site", l.site());
        limitGauges.computeIfAbsent(key, k -> registry.gauge("vbo.policy.site.calls.limit", tags, new AtomicLong()))
                .set(l.maxCalls());
        callGauges.computeIfAbsent(key, k -> registry.gauge("vbo.policy.site.concurrent.calls", tags, new AtomicLong()))
                .set(l.concurrentCalls());
    }

    /** One member as last decided. */
    public record MemberRow(String endpoint, String status, String tier, List<String> codecs, List<String> ceiling) {
    }

    /**
     * A site as the API shows it.
     *
     * @param learnedNow what the site's calls say now (K in use may lag by {@code vbo.policy.site-calls.learn-every})
     */
    public record Snapshot(String pbxId, String site, Declared declared, List<String> endpoints, ConcurrentCalls calls,
            SiteLoad.Learned learnedNow, Capacity capacity, Optional<SiteLimit> limit, List<MemberRow> members) {
    }

    /** The site now; empty when it has no member. */
    public Optional<Snapshot> snapshot(String pbxId, String site) throws SQLException {
        List<String> endpoints = members(pbxId, site);
        if (endpoints.isEmpty()) {
            return Optional.empty();
        }
        SiteLoad.Learned now = learnNow(pbxId, site).orElse(null);
        Capacity capacity;
        List<MemberRow> rows = new ArrayList<>();
        states.lock().lock();
        try {
            capacity = capacity(pbxId, site);
            Map<String, EndpointState> byKey = memberStates(pbxId, site, false);
            for (String e : endpoints) {
                EndpointState s = byKey.get(EventKeys.key(pbxId, e));
                rows.add(s == null ? new MemberRow(e, null, null, null, null)
                        : new MemberRow(e, s.status.name(), s.tier, s.codecs, s.ceiling));
            }
        } finally {
            states.lock().unlock();
        }
        return Optional.of(new Snapshot(pbxId, site, declared.get(site), endpoints, concurrentCalls(pbxId, site), now,
                capacity, repository.limit(pbxId, site), rows));
    }

    /** Used by the metrics of endpoints: the engine whose tiers a site member's tier is named after. */
    public static PolicyEngine engineOf(PolicyRuntime runtime, EndpointState s) {
        return s.site == null ? runtime.engine() : runtime.engine().withCalls(s.site.calls());
    }
}
