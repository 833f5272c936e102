package io.vbo.writer.listener;

import io.quarkus.scheduler.Scheduled;
import io.vbo.writer.pbx.PbxChange;
import io.vbo.writer.service.DecisionApplier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;

/**
 * When the writer reconciles like a controller: at every AMI (re)connect, {@code FullyBooted}, reload it did not make
 * and return of an unreachable Asterisk, and on a timer ({@code vbo.writer.reconcile-every}) as a backstop for
 * changes that announce themselves nowhere (a file edited by hand, a CLI-mode PBX).
 */
@ApplicationScoped
public class ReconcileTriggers {
    @Inject
    DecisionApplier applier;

    void onChange(@ObservesAsync PbxChange change) {
        if (change.mayDrift()) {
            applier.reconcile(change.cause().trigger());
        }
    }

    // The first check is one period after start: start-up convergence and the first AMI login cover the start.
    @Scheduled(every = "${vbo.writer.reconcile-every:5m}", delayed = "${vbo.writer.reconcile-every:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onTimer() {
        applier.reconcile("timer");
    }
}
