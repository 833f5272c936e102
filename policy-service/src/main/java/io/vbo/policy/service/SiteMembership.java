package io.vbo.policy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.vbo.events.EndpointObserved;
import io.vbo.events.EventKeys;
import io.vbo.policy.repository.SiteRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * Keeps the sites' membership (from discovery's {@code EndpointObserved.site}) and their learned K up to date, and
 * decides the sites concerned again when either changes.
 */
@ApplicationScoped
public class SiteMembership {
    private static final Logger LOG = Logger.getLogger(SiteMembership.class);

    @Inject
    SiteService sites;
    @Inject
    Redecider redecider;
    @Inject
    SiteRepository repository;
    @Inject
    SiteLimitPublisher publisher;

    /** Records the endpoint's site. Retries while PostgreSQL is down, like the ingest path. */
    @Retry(maxRetries = -1, maxDuration = 0, delay = 250, jitter = 100)
    @ExponentialBackoff(factor = 2, maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public void observed(EndpointObserved e) throws SQLException {
        if (sites.unchanged(e.pbxId(), e.endpoint(), e.site())) {
            return;
        }
        Set<String> changed = new LinkedHashSet<>();
        redecider.redecideSites(() -> {
            changed.addAll(sites.place(e.pbxId(), e.endpoint(), e.site(), e.observedAt()));
            return !changed.isEmpty();
        }, () -> {
            Set<String> keys = new LinkedHashSet<>();
            keys.add(EventKeys.key(e.pbxId(), e.endpoint()));
            for (String site : changed) {
                if (site != null) {
                    sites.members(e.pbxId(), site).forEach(m -> keys.add(EventKeys.key(e.pbxId(), m)));
                }
            }
            return keys;
        });
        if (!changed.isEmpty()) {
            LOG.infof("endpoint %s/%s is now in %s", e.pbxId(), e.endpoint(),
                    e.site() == null ? "a site of its own" : "site " + e.site());
            removeEmpty(e.pbxId(), changed);
        }
    }

    /** Marks the sites of {@code changed} left without members removed and publishes their tombstones. */
    private void removeEmpty(String pbxId, Set<String> changed) throws SQLException {
        List<String> keys = new ArrayList<>();
        for (String site : changed) {
            if (site != null && sites.members(pbxId, site).isEmpty()
                    && QuarkusTransaction.requiringNew().call(() -> repository.remove(pbxId, site))) {
                keys.add(pbxId + "/" + site);
            }
        }
        if (!keys.isEmpty()) {
            publisher.tombstones(keys);
        }
    }

    /** Learns every site's K again; a site whose K in use changed is decided again. */
    @Scheduled(every = "${vbo.policy.site-calls.learn-every:15m}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void relearn() throws SQLException {
        Map<String, List<String>> changed = QuarkusTransaction.requiringNew().call(sites::relearn);
        for (Map.Entry<String, List<String>> pbx : changed.entrySet()) {
            LOG.infof("PBX %s: the concurrent calls of sites %s changed; deciding them again", pbx.getKey(),
                    pbx.getValue());
            redecider.redecideSites(() -> true, () -> {
                List<String> keys = new ArrayList<>();
                for (String site : pbx.getValue()) {
                    sites.members(pbx.getKey(), site).forEach(m -> keys.add(EventKeys.key(pbx.getKey(), m)));
                }
                return keys;
            });
        }
    }
}
