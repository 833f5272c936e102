package io.vbo.writer.listener;

import io.quarkus.runtime.StartupEvent;
import io.vbo.writer.config.WriterConfig;
import io.vbo.writer.service.DecisionApplier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * On start, makes the files match the latest decision per endpoint (what the writer may have missed while it was
 * down), without blocking start-up. Idempotent: endpoints already right cause no write and no reload.
 */
@ApplicationScoped
public class Converger {
    private static final Logger LOG = Logger.getLogger(Converger.class);

    @Inject
    WriterConfig config;
    @Inject
    DesiredStateReader reader;
    @Inject
    DecisionApplier applier;

    void onStart(@Observes StartupEvent event) {
        if (!config.convergeOnStart()) {
            return;
        }
        CompletableFuture.supplyAsync(reader::read)
                .thenCompose(applier::converge)
                .whenComplete((results, error) -> {
                    if (error != null) {
                        LOG.errorf(error, "pbx %s: converging on start failed; live decisions still apply", config.pbxId());
                    } else {
                        LOG.infof("pbx %s: converged on start (%d decision(s) needed a change)", config.pbxId(), results.size());
                    }
                });
    }
}
