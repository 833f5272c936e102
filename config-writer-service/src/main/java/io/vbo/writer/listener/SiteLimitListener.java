package io.vbo.writer.listener;

import io.vbo.events.EventJson;
import io.vbo.events.InvalidEventException;
import io.vbo.events.SiteLimit;
import io.vbo.events.Validate;
import io.vbo.writer.config.WriterConfig;
import io.vbo.writer.service.AdmissionService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes vbo.site-limits. An invalid message (a hostile site name, a limit that is not an integer, a tombstone
 * whose key is not {@code pbxId/site}) throws, so the channel sends it to vbo.dead-letter with the offending field in
 * its reason and nothing of it reaches the dialplan; a limit for another PBX is acknowledged and ignored. A tombstone
 * (null value) for a site of this PBX removes the site: its limit and its endpoints' mapping are cleared.
 */
@ApplicationScoped
public class SiteLimitListener {
    private static final Logger LOG = Logger.getLogger(SiteLimitListener.class);

    @Inject
    WriterConfig config;
    @Inject
    AdmissionService admission;

    @Incoming("site-limits")
    public void consume(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            removed(record.key());
            return;
        }
        SiteLimit limit = EventJson.fromJson(record.value(), SiteLimit.class);
        if (!limit.pbxId().equals(config.pbxId())) {
            LOG.debugf("ignoring the limit of site %s for pbx %s (this writer serves %s)", limit.site(), limit.pbxId(),
                    config.pbxId());
            return;
        }
        LOG.infof("pbx %s: site %s: limit %d calls (tier %s, %s at %d bit/s, K=%d %s) received", config.pbxId(),
                limit.site(), limit.maxCalls(), Validate.printable(limit.tier()), limit.codec(),
                limit.perCallBps(), limit.concurrentCalls(), limit.concurrentSource());
        admission.submit(limit);
    }

    private void removed(String key) {
        Validate.requiredText("key", key);
        int slash = key.indexOf('/');
        if (slash < 0) {
            throw new InvalidEventException("key", "a tombstone's key must be pbxId/site, got '" + Validate.printable(key) + "'");
        }
        String pbxId = Validate.pbxId("key.pbxId", key.substring(0, slash));
        String site = Validate.site("key.site", key.substring(slash + 1));
        if (!pbxId.equals(config.pbxId())) {
            LOG.debugf("ignoring the removal of site %s for pbx %s (this writer serves %s)", site, pbxId, config.pbxId());
            return;
        }
        LOG.infof("pbx %s: site %s removed (tombstone received)", pbxId, site);
        admission.remove(site);
    }
}
