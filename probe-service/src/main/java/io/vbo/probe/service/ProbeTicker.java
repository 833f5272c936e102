package io.vbo.probe.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Looks for endpoints whose interval elapsed (kept apart from the emitter's bean, see the team guide). */
@ApplicationScoped
public class ProbeTicker {
    @Inject
    ProbeDispatcher dispatcher;

    @Scheduled(every = "${vbo.probe.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        dispatcher.dispatch();
    }
}
