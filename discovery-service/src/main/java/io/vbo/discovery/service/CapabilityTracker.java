package io.vbo.discovery.service;

import io.vbo.ami.CodecCapabilities;
import io.vbo.events.PbxCapabilities;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One PBX's transcodable codecs: each reading is published as {@link PbxCapabilities} when it differs from the last
 * one published, or when {@code force}d (at every (re)connect, so a consumer that missed the topic's history still
 * hears from a PBX that came back).
 */
public final class CapabilityTracker {
    static final String REPORTED_BY = "discovery-service";
    private static final Logger LOG = Logger.getLogger(CapabilityTracker.class);

    private final String pbxId;
    private final Consumer<PbxCapabilities> sink;
    private final Clock clock;
    private PbxCapabilities latest;

    public CapabilityTracker(String pbxId, Consumer<PbxCapabilities> sink, Clock clock) {
        this.pbxId = pbxId;
        this.sink = sink;
        this.clock = clock;
    }

    /** A reading made after {@code trigger} ({@code connect}, {@code FullyBooted}, {@code Reload ...}). */
    public synchronized void reading(CodecCapabilities.Reading reading, boolean force, String trigger) {
        boolean changed = latest == null || !latest.transcodable().equals(reading.transcodable())
                || !latest.source().equals(reading.source());
        String fallback = reading.note() == null ? "" : " (fallback: " + reading.note() + ")";
        if (!changed && !force) {
            LOG.debugf("PBX %s: transcodable codecs after %s unchanged: %s", pbxId, trigger, reading.transcodable());
            return;
        }
        latest = new PbxCapabilities(PbxCapabilities.SCHEMA, pbxId, reading.transcodable(), reading.source(),
                REPORTED_BY, clock.instant());
        LOG.infof("PBX %s: transcodable codecs after %s, read from '%s'%s: %s; published (%s)", pbxId, trigger,
                reading.source(), fallback, String.join(",", reading.transcodable()), changed ? "changed" : "reconnect");
        sink.accept(latest);
    }

    /** Neither command gave a codec: nothing is published, the last set stands. */
    public void failed(String why, String trigger) {
        LOG.warnf("PBX %s: transcodable codecs not read after %s: %s", pbxId, trigger, why);
    }

    /** The last published capabilities, if any. */
    public synchronized Optional<PbxCapabilities> latest() {
        return Optional.ofNullable(latest);
    }
}
