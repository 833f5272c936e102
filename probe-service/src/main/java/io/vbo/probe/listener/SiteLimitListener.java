package io.vbo.probe.listener;

import io.vbo.events.EventJson;
import io.vbo.events.InvalidEventException;
import io.vbo.events.SiteLimit;
import io.vbo.events.Validate;
import io.vbo.probe.service.ProbeDispatcher;
import io.vbo.probe.service.SiteCalls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the compacted {@code vbo.site-limits} for each site's K ({@link SiteCalls}). An invalid message (a hostile
 * site name, a tombstone whose key is not {@code pbxId/site}) throws, so the channel sends it to
 * {@code vbo.dead-letter} with the offending field in its reason; limits of PBXs probed elsewhere are ignored.
 */
@ApplicationScoped
public class SiteLimitListener {
    private static final Logger LOG = Logger.getLogger(SiteLimitListener.class);

    @Inject
    ProbeDispatcher dispatcher;
    @Inject
    SiteCalls sites;

    @Incoming("site-limits")
    public void consume(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            String key = Validate.requiredText("key", record.key());
            int slash = key.indexOf('/');
            if (slash < 0) {
                throw new InvalidEventException("key", "a tombstone's key must be pbxId/site, got '"
                        + Validate.printable(key) + "'");
            }
            sites.remove(Validate.pbxId("key.pbxId", key.substring(0, slash)),
                    Validate.site("key.site", key.substring(slash + 1)));
            return;
        }
        SiteLimit limit = EventJson.fromJson(record.value(), SiteLimit.class);
        if (dispatcher.serves(limit.pbxId()) && sites.update(limit)) {
            LOG.infof("%s: site probed for K=%d calls from now on (%s)", limit.key(), limit.concurrentCalls(),
                    limit.concurrentSource());
        }
    }
}
