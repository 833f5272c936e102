package io.vbo.discovery.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Triggers a listing of every PBX each {@code vbo.discovery.interval} (kept apart from the emitter's bean). */
@ApplicationScoped
public class DiscoveryScheduler {
    @Inject
    DiscoveryService discovery;

    @Scheduled(every = "${vbo.discovery.interval:30s}", delayed = "${vbo.discovery.interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void cycle() {
        discovery.pollAll();
    }
}
