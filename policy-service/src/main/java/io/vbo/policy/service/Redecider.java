package io.vbo.policy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import io.vbo.events.SiteLimit;
import io.vbo.policy.model.EndpointState;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.policy.repository.EndpointStateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Decides endpoints again after what they are decided within changed (a ceiling, a PBX's transcodable set, a site's
 * membership or K): the
 * change is stored, the states updated and decided, and the decisions stored, in one transaction under the states
 * lock (like an ingest batch); the decisions are published after it commits. Pinned endpoints are decided too, but
 * not published.
 */
@ApplicationScoped
public class Redecider {
    @Inject
    EndpointStates states;
    @Inject
    EndpointStateRepository repository;
    @Inject
    PolicyRuntime runtime;
    @Inject
    CapabilityService capabilities;
    @Inject
    DecisionPublisher publisher;
    @Inject
    PolicyMetrics metrics;
    @Inject
    SiteService sites;
    @Inject
    SiteLimitPublisher limits;

    /** Stores a change and says whether anything changed; only then are the endpoints decided again. */
    public interface Store extends Callable<Boolean> {
    }

    /** Runs {@code store}, then, when {@code redecide}, decides every stored endpoint of the PBX again. */
    public void redecidePbx(String pbxId, Runnable store, boolean redecide, Runnable undo) {
        run(() -> {
            store.run();
            return redecide;
        }, () -> repository.keysOf(pbxId), s -> {
        }, undo, false);
    }

    /**
     * Runs {@code store}; when it reports a change, applies {@code mutation} to the endpoint's state (when the
     * endpoint was ever measured) and decides it again. Returns the decisions made (none or one).
     */
    public List<DecisionEntity> redecideEndpoint(String key, Store store, Consumer<EndpointState> mutation) {
        return run(store, () -> List.of(key), mutation, () -> {
        }, false);
    }

    /**
     * Runs {@code store}; when it reports a change, decides the endpoints {@code keys} returns again (all members of
     * the sites whose membership or K changed), creating states for members never measured: a site's phones are
     * decided on the site's capacity, measured through one of them or declared.
     */
    public List<DecisionEntity> redecideSites(Store store, Callable<Collection<String>> keys) {
        return run(store, keys, s -> {
        }, () -> {
        }, true);
    }

    private List<DecisionEntity> run(Store store, Callable<Collection<String>> keys, Consumer<EndpointState> mutation,
            Runnable undo, boolean create) {
        Set<String> touchedKeys = new HashSet<>();
        List<EndpointState> touched = new ArrayList<>();
        List<SiteLimit> changedLimits = new ArrayList<>();
        List<DecisionEntity> decisions;
        states.lock().lock();
        try {
            decisions = QuarkusTransaction.requiringNew().call(() -> {
                if (!store.call()) {
                    return List.of();
                }
                touchedKeys.addAll(keys.call());
                Map<String, EndpointState> byKey = states.get(touchedKeys, create);
                List<DecisionEntity> made = new ArrayList<>();
                for (EndpointState s : byKey.values()) {
                    mutation.accept(s);
                    sites.prepare(s, false).redecide(s, capabilities.inputs(s)).filter(c -> !s.pinned())
                            .ifPresent(c -> made.add(Decisions.of(s, c, runtime.preset())));
                    touched.add(s);
                }
                repository.save(touched);
                if (!made.isEmpty()) {
                    DecisionEntity.persist(made);
                }
                changedLimits.addAll(sites.limits(touched));
                return made;
            });
        } catch (RuntimeException e) {
            states.evict(touchedKeys);
            sites.reload();
            undo.run();
            throw e instanceof QuarkusTransactionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            states.lock().unlock();
        }
        touched.forEach(metrics::update);
        publisher.publish(decisions);
        limits.publish(changedLimits);
        return decisions;
    }
}
