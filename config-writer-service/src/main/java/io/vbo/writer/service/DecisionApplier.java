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
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Gathers decisions for the batch window (starting at the first one) and applies them together on one thread,
 * so batches, start-up convergence, drift repairs and user changes never interleave. Keeps the desired state (the
 * latest decision per endpoint) that drift repairs re-apply.
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
    private final DesiredState desired = new DesiredState();
    /** A reconciliation is queued and has not started yet: later triggers need no second one. */
    private final AtomicBoolean reconcileQueued = new AtomicBoolean();

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

    /**
     * Start-up convergence: {@code read} (the compacted topic) becomes the desired state, unless a live decision
     * already replaced an endpoint's, and the files are made to match it.
     */
    public CompletableFuture<List<ConfigApplied>> converge(List<CodecDecision> read) {
        return CompletableFuture.supplyAsync(() -> run(desired.merge(read), false), executor);
    }

    /**
     * Queues a reconciliation ({@link CodecApplier#repair}) on the apply thread, after whatever is running; a trigger
     * arriving while one is queued adds nothing.
     */
    public void reconcile(String trigger) {
        if (reconcileQueued.compareAndSet(false, true)) {
            executor.execute(() -> {
                reconcileQueued.set(false);
                meters.counter("vbo.writer.reconciliations", "pbx", config.pbxId(), "trigger", trigger).increment();
                List<ConfigApplied> results = applier.repair(desired.toRepair(), trigger);
                publish(results);
                if (!results.isEmpty()) {
                    LOG.infof("pbx %s: drift repair (%s): %s", config.pbxId(), trigger, summary(results));
                }
            });
        }
    }

    private List<ConfigApplied> run(List<CodecDecision> batch, boolean reportUnchanged) {
        // Desired from now on: a reconciliation (on this same thread) never runs a decision ahead of its batch.
        desired.merge(batch);
        List<ConfigApplied> results = applier.apply(batch, reportUnchanged);
        publish(results);
        LOG.infof("pbx %s: batch of %d decision(s): %s", config.pbxId(), batch.size(), summary(results));
        return results;
    }

    private void publish(List<ConfigApplied> results) {
        desired.record(results);
        results.forEach(publisher::publish);
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
