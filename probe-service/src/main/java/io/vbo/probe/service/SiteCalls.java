package io.vbo.probe.service;

import io.vbo.events.EventKeys;
import io.vbo.events.SiteLimit;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each site's K, the concurrent calls policy decides its tier for (learned from its calls, configured, or the
 * default), from the site's latest {@link SiteLimit}: the site's ladder sends for K calls, so what it measures is
 * whether the shared uplink carries them all. A site policy has not decided yet is probed at the policy's K.
 */
@ApplicationScoped
public class SiteCalls {
    private final Map<String, Integer> calls = new ConcurrentHashMap<>();

    /** Takes the site's latest limit; returns whether its K changed. */
    public boolean update(SiteLimit limit) {
        Integer before = calls.put(limit.key(), limit.concurrentCalls());
        return before == null || before != limit.concurrentCalls();
    }

    /** The site is gone (its limit's tombstone). */
    public void remove(String pbxId, String site) {
        calls.remove(EventKeys.key(pbxId, site));
    }

    public Optional<Integer> calls(String pbxId, String site) {
        return Optional.ofNullable(calls.get(EventKeys.key(pbxId, site)));
    }
}
