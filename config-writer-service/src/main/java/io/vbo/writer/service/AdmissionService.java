package io.vbo.writer.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.vbo.events.SiteLimit;
import io.vbo.writer.config.WriterConfig;
import io.vbo.writer.pbx.Asterisk;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Gathers site limits for the batch window (starting at the first one, like codec decisions) and applies them
 * together on one thread: many limits in one window are one write and one {@code dialplan reload}. Created at
 * start-up, so an announcement Playback would not accept stops the service at once.
 */
@ApplicationScoped
@Startup
public class AdmissionService {
    private static final Logger LOG = Logger.getLogger(AdmissionService.class);

    @Inject
    WriterConfig config;
    @Inject
    ConfigStore store;
    @Inject
    Asterisk asterisk;
    @Inject
    MeterRegistry meters;

    private AdmissionApplier applier;
    private ScheduledExecutorService executor;
    /** Each site's latest change in the window: its limit, or empty when the site was removed. */
    private final Map<String, Optional<SiteLimit>> pending = new LinkedHashMap<>();

    @PostConstruct
    void init() {
        WriterConfig.Admission admission = config.admission();
        applier = new AdmissionApplier(config.pbxId(), config.configDir().resolve(admission.file()),
                config.configDir().resolve(admission.extensionsFile()), admission.announcement(), store.writer(), asterisk,
                store.lock(), meters);
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "vbo-writer-admission"));
    }

    /** Queues a limit; the first change of a batch schedules the apply after the window. */
    public void submit(SiteLimit limit) {
        queue(limit.site(), Optional.of(limit));
    }

    /** Queues the removal of a site (its limit and its endpoints' mapping cleared). */
    public void remove(String site) {
        queue(site, Optional.empty());
    }

    private void queue(String site, Optional<SiteLimit> change) {
        synchronized (pending) {
            if (pending.isEmpty()) {
                executor.schedule(this::flush, config.batchWindow().toMillis(), TimeUnit.MILLISECONDS);
            }
            pending.remove(site);
            pending.put(site, change);
        }
    }

    private void flush() {
        Map<String, Optional<SiteLimit>> batch;
        synchronized (pending) {
            batch = new LinkedHashMap<>(pending);
            pending.clear();
        }
        AdmissionApplier.Result result = applier.applyChanges(batch);
        LOG.infof("pbx %s: admission: batch of %d site change(s): %s%s", config.pbxId(), batch.size(), result.status(),
                result.detail() == null ? "" : " (" + result.detail() + ")");
    }

    /** The last batch's result, or null before the first. */
    public AdmissionApplier.Result last() {
        return applier.last();
    }

    /** Sites in the writer's dialplan file after the last batch. */
    public int sites() {
        return applier.sites();
    }

    public long writes() {
        return applier.writes();
    }

    public long reloads() {
        return applier.reloads();
    }

    @PreDestroy
    void stop() {
        executor.shutdown();
    }
}
