package io.vbo.writer.service;

import io.quarkus.scheduler.Scheduled;
import io.vbo.ami.CodecCapabilities;
import io.vbo.events.PbxCapabilities;
import io.vbo.writer.config.WriterConfig;
import io.vbo.writer.pbx.Asterisk;
import io.vbo.writer.pbx.PbxChange;
import io.vbo.writer.pbx.PbxException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Reads which codecs this writer's own PBX can transcode ({@code core show translation}, falling back to
 * {@code module show like codec_}) at every {@link PbxChange} (reachable, AMI (re)connect, {@code FullyBooted}, any
 * reload) and on a timer, and
 * publishes {@link PbxCapabilities} when the set changed or Asterisk was (re)connected or reloaded. discovery-service
 * reports the same for the fleet; the writer's reading covers a PBX whose discovery runs elsewhere or is down.
 */
@ApplicationScoped
public class CapabilityReporter {
    private static final Logger LOG = Logger.getLogger(CapabilityReporter.class);
    static final String REPORTED_BY = "config-writer-service";

    @Inject
    Asterisk asterisk;
    @Inject
    WriterConfig config;
    @Inject
    EventPublisher publisher;

    private List<String> last;

    void onChange(@ObservesAsync PbxChange change) {
        if (ready) {
            report(change.cause().trigger());
        }
    }

    /** Set once the application (and so its Kafka emitters) has started; earlier changes are read by the timer. */
    private volatile boolean ready;

    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent start) {
        ready = true;
    }

    // Delayed so that the first reading does not race the wiring of the Kafka emitters at start-up.
    @Scheduled(every = "${vbo.writer.capabilities-every:5m}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onTimer() {
        report("timer");
    }

    synchronized void report(String why) {
        if (!asterisk.configured()) {
            return;
        }
        try {
            List<String> codecs = CodecCapabilities.fromTranslation(asterisk.command(CodecCapabilities.TRANSLATION_COMMAND));
            String source = PbxCapabilities.SOURCE_TRANSLATION;
            if (codecs.isEmpty()) {
                codecs = CodecCapabilities.fromModules(asterisk.command(CodecCapabilities.MODULES_COMMAND));
                source = PbxCapabilities.SOURCE_MODULES;
            }
            if (codecs.isEmpty()) {
                LOG.warnf("pbx %s: neither '%s' nor '%s' listed a transcodable codec; nothing published", config.pbxId(),
                        CodecCapabilities.TRANSLATION_COMMAND, CodecCapabilities.MODULES_COMMAND);
                return;
            }
            PbxCapabilities read = new PbxCapabilities(PbxCapabilities.SCHEMA, config.pbxId(), codecs, source,
                    REPORTED_BY, Instant.now());
            boolean changed = !read.transcodable().equals(last);
            last = read.transcodable();
            if (changed || !"timer".equals(why)) {
                publisher.publish(read);
                LOG.infof("pbx %s: transcodable %s (from '%s', on %s)", config.pbxId(), String.join(",", last), source, why);
            }
        } catch (PbxException | IllegalArgumentException e) {
            LOG.warnf("pbx %s: cannot read the translator table (%s): %s", config.pbxId(), why, e.getMessage());
        } catch (RuntimeException e) {
            // Publishing failed (e.g. Kafka not wired yet): the next reload, reconnect or timer reads it again.
            last = null;
            LOG.warnf("pbx %s: cannot publish the transcodable codecs (%s): %s", config.pbxId(), why, e.getMessage());
        }
    }
}
