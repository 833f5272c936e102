package io.vbo.writer.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.vbo.events.CodecDecision;
import io.vbo.events.ConfigApplied;
import io.quarkus.runtime.StartupEvent;
import io.vbo.writer.config.WriterConfig;
import io.vbo.writer.editor.PjsipConfig;
import io.vbo.writer.pbx.Asterisk;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Gathers decisions for the batch window (starting at the first one) and applies them together on one thread,
 * so batches, start-up convergence and user changes never interleave.
 */
@ApplicationScoped
public class DecisionApplier {
    private static final Logger LOG = Logger.getLogger(DecisionApplier.class);

    @Inject
    WriterConfig config;
    @Inject
    ConfigStore store;
    @Inject
    Asterisk asterisk;
    @Inject
    EventPublisher publisher;
    @Inject
    MeterRegistry meters;

    private CodecApplier applier;
    private ScheduledExecutorService executor;
    private final List<CodecDecision> pending = new ArrayList<>();

    @PostConstruct
    void init() {
        applier = new CodecApplier(config.pbxId(), config.configDir(), config.mainFile(), store.writer(), store.offerPrefs(),
                store.ceilings(), asterisk, store.lock(), meters, Clock.systemUTC());
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "vbo-writer-apply"));
    }

    /**
     * At start, on the apply thread: publishes every recorded ceiling again (a new policy instance learns them),
     * then records the ceiling of every endpoint in the files not recorded yet, so the policy knows it before its
     * first decision for that endpoint.
     */
    void onStart(@Observes StartupEvent event) {
        executor.execute(() -> {
            store.lock().lock();
            try {
                int republished = store.ceilings().publishAll();
                int recorded = 0;
                if (Files.exists(config.configDir().resolve(config.mainFile()))) {
                    PjsipConfig files = PjsipConfig.load(config.configDir(), config.mainFile());
                    recorded = store.ceilings().recordFirst(files, files.names("endpoint")).size();
                }
                LOG.infof("pbx %s: ceilings: %d published again, %d recorded from the files", config.pbxId(), republished, recorded);
            } catch (IOException | RuntimeException e) {
                LOG.errorf(e, "pbx %s: ceilings could not be read or recorded at start", config.pbxId());
            } finally {
                store.lock().unlock();
            }
        });
    }

    /** Queues a decision; the first one of a batch schedules the apply after the window. */
    public void submit(CodecDecision decision) {
        synchronized (pending) {
            pending.add(decision);
            if (pending.size() == 1) {
                executor.schedule(this::flush, config.batchWindow().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void flush() {
        List<CodecDecision> batch;
        synchronized (pending) {
            batch = new ArrayList<>(pending);
            pending.clear();
        }
        run(batch, true);
    }

    /** Applies {@code decisions} now (after whatever is running), reporting only what changed; for convergence. */
    public CompletableFuture<List<ConfigApplied>> applyNow(List<CodecDecision> decisions) {
        return CompletableFuture.supplyAsync(() -> run(decisions, false), executor);
    }

    private List<ConfigApplied> run(List<CodecDecision> batch, boolean reportUnchanged) {
        List<ConfigApplied> results = applier.apply(batch, reportUnchanged);
        for (ConfigApplied r : results) {
            publisher.publish(r);
        }
        LOG.infof("pbx %s: batch of %d decision(s): %s", config.pbxId(), batch.size(), summary(results));
        return results;
    }

    private static String summary(List<ConfigApplied> results) {
        java.util.Map<ConfigApplied.Status, Long> counts = new java.util.EnumMap<>(ConfigApplied.Status.class);
        results.forEach(r -> counts.merge(r.status(), 1L, Long::sum));
        return counts.isEmpty() ? "nothing to do" : counts.toString();
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
