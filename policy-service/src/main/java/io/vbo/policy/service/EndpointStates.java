package io.vbo.policy.service;

import io.vbo.policy.model.EndpointState;
import io.vbo.policy.repository.EndpointStateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory copy of endpoint states the ingest path folds results into, loaded from PostgreSQL on first use.
 * One lock serialises every writer (ingest batches, pins), so memory and table never diverge; a failed transaction
 * evicts what it touched, and the retry reloads it from the table.
 */
@ApplicationScoped
public class EndpointStates {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, EndpointState> cache = new HashMap<>();

    @Inject
    EndpointStateRepository repository;
    @Inject
    PolicyRuntime runtime;

    public ReentrantLock lock() {
        return lock;
    }

    /** The states of these keys, loading the uncached ones; {@code create} makes fresh states for unknown ones. Hold the lock. */
    public Map<String, EndpointState> get(Set<String> keys, boolean create) throws SQLException {
        Map<String, EndpointState> found = new HashMap<>();
        List<String[]> missing = new ArrayList<>();
        for (String key : keys) {
            EndpointState s = cache.get(key);
            if (s != null) {
                found.put(key, s);
            } else {
                missing.add(key.split("/", 2));
            }
        }
        if (!missing.isEmpty()) {
            int window = runtime.engine().window();
            Map<String, EndpointState> loaded = repository.load(missing, window);
            // A ceiling may arrive before the endpoint's first result: a new state starts with it.
            Map<String, String[]> ceilings = create && loaded.size() < missing.size()
                    ? repository.ceilings(missing.stream().filter(k -> !loaded.containsKey(k[0] + "/" + k[1])).toList())
                    : Map.of();
            for (String[] k : missing) {
                String key = k[0] + "/" + k[1];
                EndpointState s = loaded.get(key);
                if (s == null && create) {
                    s = EndpointState.fresh(k[0], k[1], window);
                    String[] ceiling = ceilings.get(key);
                    if (ceiling != null) {
                        s.ceiling = EndpointStateRepository.split(ceiling[0]);
                        s.ceilingSource = ceiling[1];
                    }
                }
                if (s != null) {
                    cache.put(key, s);
                    found.put(key, s);
                }
            }
        }
        return found;
    }

    public void evict(Collection<String> keys) {
        keys.forEach(cache::remove);
    }

    /** Forgets every cached state (they reload on next use). */
    public void clear() {
        lock.lock();
        try {
            cache.clear();
        } finally {
            lock.unlock();
        }
    }
}
