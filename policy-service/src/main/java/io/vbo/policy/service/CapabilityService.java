package io.vbo.policy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.vbo.events.PbxCapabilities;
import io.vbo.policy.model.EndpointState;
import io.vbo.policy.model.Inputs;
import io.vbo.policy.repository.CapabilitiesEntity;
import io.vbo.policy.repository.EndpointStateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * Each PBX's transcodable set (the latest {@code vbo.pbx-capabilities} message, kept in PostgreSQL and in memory),
 * and the {@link Inputs} a decision for an endpoint is made with.
 */
@ApplicationScoped
public class CapabilityService {
    private static final Logger LOG = Logger.getLogger(CapabilityService.class);

    private final Map<String, PbxCapabilities> byPbx = new ConcurrentHashMap<>();

    @Inject
    PolicyRuntime runtime;
    @Inject
    Redecider redecider;
    @Inject
    EndpointStateRepository repository;

    void onStart(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(() -> CapabilitiesEntity.<CapabilitiesEntity>listAll()
                .forEach(c -> byPbx.put(c.pbxId, new PbxCapabilities(PbxCapabilities.SCHEMA, c.pbxId,
                        EndpointStateRepository.split(c.transcodable), c.source, c.reportedBy, c.observedAt))));
        LOG.infof("transcodable sets of %d PBXs loaded", byPbx.size());
    }

    /** The PBX's last report, empty when none was received. */
    public Optional<PbxCapabilities> current(String pbxId) {
        return Optional.ofNullable(byPbx.get(pbxId));
    }

    /** What a decision for this endpoint must respect now. */
    public Inputs inputs(EndpointState s) {
        return inputs(s.pbxId, s.ceiling, s.ceilingSource);
    }

    public Inputs inputs(String pbxId, List<String> ceiling, String ceilingSource) {
        PbxCapabilities c = byPbx.get(pbxId);
        List<String> passThrough = runtime.passThrough(pbxId);
        if (c == null) {
            return new Inputs(ceiling, ceilingSource, runtime.assumedTranscodable(), true,
                    "stock Asterisk 22 set (no capabilities received from PBX " + pbxId + " yet)", passThrough);
        }
        return new Inputs(ceiling, ceilingSource, c.transcodable(), false,
                "PBX " + pbxId + " by " + c.source() + " at " + c.observedAt().truncatedTo(ChronoUnit.SECONDS)
                        + " (" + c.reportedBy() + ")", passThrough);
    }

    /**
     * Records a PBX's report and decides its endpoints again when the set changed. A report older than the stored one
     * (a late redelivery) is ignored. Retries while PostgreSQL is down, like the ingest path.
     */
    @Retry(maxRetries = -1, maxDuration = 0, delay = 250, jitter = 100)
    @ExponentialBackoff(factor = 2, maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public boolean record(PbxCapabilities report) {
        PbxCapabilities before = byPbx.get(report.pbxId());
        if (before != null && report.observedAt().isBefore(before.observedAt())) {
            LOG.infof("capabilities of %s observed at %s are older than the stored ones (%s): ignored", report.pbxId(),
                    report.observedAt(), before.observedAt());
            return false;
        }
        boolean changed = before == null || !before.transcodable().equals(report.transcodable());
        redecider.redecidePbx(report.pbxId(), () -> {
            CapabilitiesEntity e = CapabilitiesEntity.findById(report.pbxId());
            if (e == null) {
                e = new CapabilitiesEntity();
                e.pbxId = report.pbxId();
            }
            e.transcodable = EndpointStateRepository.join(report.transcodable());
            e.source = report.source();
            e.reportedBy = report.reportedBy();
            e.observedAt = report.observedAt();
            e.receivedAt = Instant.now();
            e.persist();
            byPbx.put(report.pbxId(), report);
        }, changed, () -> {
            if (before == null) {
                byPbx.remove(report.pbxId());
            } else {
                byPbx.put(report.pbxId(), before);
            }
        });
        LOG.infof("capabilities of %s: transcodable %s (%s, %s)%s", report.pbxId(), report.transcodable(),
                report.source(), report.reportedBy(), changed ? "; endpoints decided again" : ", unchanged");
        return changed;
    }
}
