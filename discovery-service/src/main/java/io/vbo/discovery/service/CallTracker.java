package io.vbo.discovery.service;

import io.vbo.ami.AmiMessage;
import io.vbo.ami.CallEvents;
import io.vbo.events.CallQuality;
import io.vbo.events.CodecProfile;
import io.vbo.events.CodecProfiles;
import io.vbo.events.Codecs;
import io.vbo.events.EModel;
import io.vbo.events.InvalidEventException;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayDeque;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The live PJSIP channels of one PBX and the RTCP quality of each: a channel is live from {@code Newchannel} (or its
 * first sight in an event or a {@code CoreShowChannels} listing) to {@code Hangup} (or its absence from a listing).
 * Every change of an endpoint's channel count is handed on at once; each RTCP report of a live channel becomes a
 * {@link CallQuality} sample, and the hang-up a summary. The codec of a channel is read once, when it is up (or at its
 * first report) with {@code core show channel} ({@code NativeFormats}); reports arriving meanwhile wait for it.
 *
 * <p>Runs on the PBX's AMI event loop; methods are synchronized only so a listing cannot interleave with events.
 */
public final class CallTracker {
    private static final Logger LOG = Logger.getLogger(CallTracker.class);
    /** Hung-up unique ids remembered so a listing made just before a hang-up does not bring the channel back. */
    private static final int TOMBSTONES = 10_000;
    /** {@code core show channel} commands in flight per PBX. */
    private static final int CODEC_READS = 4;

    /** E-model inputs that RTCP does not measure. */
    public record Settings(double jitterBufferFactor, boolean g711Plc) {
    }

    private final String pbxId;
    private final Consumer<CallQuality> sink;
    private final BiConsumer<String, Integer> activeCalls;
    private final Function<String, Future<Optional<String>>> codecOf;
    private final Clock clock;
    /**
     * Where this run's sequence numbers start: its start second × 10^7. A restarted discovery numbers a channel it
     * meets again above every number of the run before, so a consumer keyed on uniqueId#sequence never takes its
     * messages for redeliveries (10^7 leaves room for a 31-day call's reports).
     */
    private final long sequenceBase;
    private final double jitterBufferFactor;
    private final Map<String, CodecProfile> profiles;
    private final Map<String, Call> calls = new HashMap<>();
    private final Map<String, Integer> perEndpoint = new HashMap<>();
    private final Map<String, Boolean> hungUp = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > TOMBSTONES;
        }
    };
    private final ArrayDeque<Call> codecQueue = new ArrayDeque<>();
    private int codecReads;
    private long listing;

    /**
     * @param sink        where samples and summaries go
     * @param activeCalls called with (endpoint, live channel count) whenever the count changes
     * @param codecOf     the codec of a channel by name ({@code core show channel}); empty when not known
     */
    public CallTracker(String pbxId, Consumer<CallQuality> sink, BiConsumer<String, Integer> activeCalls,
            Function<String, Future<Optional<String>>> codecOf, Clock clock, Settings settings) {
        this.pbxId = pbxId;
        this.sink = sink;
        this.activeCalls = activeCalls;
        this.codecOf = codecOf;
        this.clock = clock;
        this.sequenceBase = clock.instant().getEpochSecond() * 10_000_000L;
        this.jitterBufferFactor = settings.jitterBufferFactor();
        this.profiles = CodecProfiles.defaults(settings.g711Plc());
    }

    /** Takes a call or RTCP event named {@code name}; {@code false} for any other event. */
    public boolean event(String name, AmiMessage event) {
        if (name.startsWith("RTCP")) {
            CallEvents.rtcp(event).ifPresent(this::rtcp);
        } else if ("Hangup".equalsIgnoreCase(name)) {
            CallEvents.hangup(event).ifPresent(this::hangup);
        } else if ("Newchannel".equalsIgnoreCase(name) || "Newstate".equalsIgnoreCase(name)
                || "BridgeEnter".equalsIgnoreCase(name)) {
            CallEvents.channel(event).ifPresent(this::channel);
        } else {
            return false;
        }
        return true;
    }

    /** {@code Newchannel}, {@code Newstate}, {@code BridgeEnter}: a PJSIP channel is live. */
    public synchronized void channel(CallEvents.Channel channel) {
        Call call = track(channel, clock.instant());
        if (call != null && "Up".equalsIgnoreCase(channel.state())) {
            askCodec(call);
        }
    }

    /** {@code Hangup}: the channel's summary is published and its endpoint's count drops. */
    public synchronized void hangup(CallEvents.Hangup hangup) {
        hungUp.put(hangup.channel().uniqueId(), Boolean.TRUE);
        Call call = calls.remove(hangup.channel().uniqueId());
        if (call != null) {
            end(call, hangup.cause());
        }
    }

    /** {@code RTCPReceived} / {@code RTCPSent} of a channel. */
    public synchronized void rtcp(CallEvents.Rtcp report) {
        Call call = track(report.channel(), clock.instant());
        if (call == null) {
            return;
        }
        Instant at = clock.instant();
        if (call.codecKnown) {
            sample(call, report, at);
            return;
        }
        call.pending.add(new Pending(report, at));
        askCodec(call);
    }

    /**
     * Once per channel, when it is up (media flows): asking later could find it hung up. At most
     * {@link #CODEC_READS} run at once, so the listing after a login that finds thousands of calls does not queue
     * thousands of CLI commands on the session (each would count against the action timeout).
     */
    private void askCodec(Call call) {
        if (!call.codecAsked) {
            call.codecAsked = true;
            codecQueue.add(call);
            readCodecs();
        }
    }

    private void readCodecs() {
        while (codecReads < CODEC_READS && !codecQueue.isEmpty()) {
            Call call = codecQueue.poll();
            codecReads++;
            codecOf.apply(call.channel).onComplete(result -> {
                synchronized (this) {
                    codecReads--;
                    codecRead(call, result.succeeded() ? result.result() : Optional.empty(), result.cause());
                    readCodecs();
                }
            });
        }
    }

    /** Marks the start of a {@code CoreShowChannels} listing; its token goes to {@link #listed}. */
    public synchronized long beginListing() {
        return ++listing;
    }

    /**
     * The channels a listing returned: channels it lacks that were live before it started are over (summary without a
     * cause); listed ones not tracked yet are tracked, unless they hung up meanwhile.
     */
    public synchronized void listed(long token, List<CallEvents.Channel> channels) {
        Instant now = clock.instant();
        Map<String, CallEvents.Channel> byId = new HashMap<>();
        channels.forEach(c -> byId.put(c.uniqueId(), c));
        for (Iterator<Call> it = calls.values().iterator(); it.hasNext();) {
            Call call = it.next();
            if (call.seenInListing <= token && !byId.containsKey(call.uniqueId)) {
                it.remove();
                end(call, null);
            }
        }
        for (CallEvents.Channel channel : channels) {
            if (!hungUp.containsKey(channel.uniqueId())) {
                Call call = track(channel, now);
                if (call != null) {
                    call.seenInListing = token;
                    if ("Up".equalsIgnoreCase(channel.state())) {
                        askCodec(call);
                    }
                }
            }
        }
    }

    /** Live channels per endpoint, for a listing's {@code EndpointObserved}s. */
    public synchronized Map<String, Integer> activeCalls() {
        return Map.copyOf(perEndpoint);
    }

    public synchronized int liveChannels() {
        return calls.size();
    }

    private Call track(CallEvents.Channel channel, Instant now) {
        Call call = calls.get(channel.uniqueId());
        if (call != null) {
            return call;
        }
        Optional<String> endpoint = channel.pjsipEndpoint();
        if (endpoint.isEmpty() || hungUp.containsKey(channel.uniqueId())) {
            return null;
        }
        call = new Call(endpoint.get(), channel.channel(), channel.uniqueId(), channel.linkedId(), now, listing + 1);
        call.sequence = sequenceBase;
        calls.put(call.uniqueId, call);
        int count = perEndpoint.merge(call.endpoint, 1, Integer::sum);
        activeCalls.accept(call.endpoint, count);
        return call;
    }

    private void codecRead(Call call, Optional<String> codec, Throwable failure) {
        synchronized (this) {
            if (failure != null) {
                LOG.warnf("PBX %s: codec of %s not read (its jitter stays in RTP units, no MOS): %s", pbxId, call.channel,
                        failure.getMessage());
            }
            call.codec = codec.filter(Codecs::isKnown).orElse(null);
            call.codecKnown = true;
            for (Pending p : call.pending) {
                sample(call, p.report, p.at);
            }
            call.pending.clear();
            if (call.ended) {
                publishSummary(call);
            }
        }
    }

    private void sample(Call call, CallEvents.Rtcp r, Instant at) {
        Integer clockRate = CodecProfiles.rtpClockRate(call.codec);
        Double jitterMs = clockRate == null ? null : r.jitter() * 1000.0 / clockRate;
        Double rttMs = r.computedRttSeconds() == null ? null : r.computedRttSeconds() * 1000;
        CallQuality.Direction direction = r.sent() ? CallQuality.Direction.SENT : CallQuality.Direction.RECEIVED;
        Stats stats = r.sent() ? call.uplink : call.downlink;
        stats.add(r, jitterMs);
        if (rttMs != null) {
            call.rttSum += rttMs;
            call.rttCount++;
        }
        if (r.senderReport() && r.sentPackets() != null) {
            // The SR of a side counts what that side sent: the phone's (RTCPReceived) is the uplink's packets.
            (r.sent() ? call.downlink : call.uplink).packets = r.sentPackets();
        }
        call.reports++;
        try {
            publish(call, CallQuality.Kind.SAMPLE, new CallQuality.Sample(direction, r.fractionLost(),
                    r.cumulativeLost(), r.highestSequence(), r.sentPackets(), r.jitter(), jitterMs, rttMs, r.mes()),
                    null, at);
        } catch (InvalidEventException e) {
            LOG.warnf("PBX %s: RTCP report of %s not published, field %s: %s", pbxId, call.channel, e.field(),
                    e.getMessage());
        }
    }

    private void end(Call call, Integer cause) {
        int count = perEndpoint.merge(call.endpoint, -1, Integer::sum);
        if (count <= 0) {
            perEndpoint.remove(call.endpoint);
        }
        activeCalls.accept(call.endpoint, Math.max(0, count));
        call.ended = true;
        call.cause = cause;
        call.endedAt = clock.instant();
        if (codecQueue.remove(call)) {
            // hung up before its turn: asking now would only hear "not a known channel"
            codecRead(call, Optional.empty(), null);
        } else if (call.codecKnown || !call.codecAsked) {
            publishSummary(call);
        }
        // otherwise the codec answer is awaited: it publishes the pending samples, then the summary
    }

    private void publishSummary(Call call) {
        try {
            publish(call, CallQuality.Kind.SUMMARY, null, summary(call), call.endedAt);
        } catch (InvalidEventException e) {
            LOG.warnf("PBX %s: summary of %s not published, field %s: %s", pbxId, call.channel, e.field(),
                    e.getMessage());
        }
    }

    private CallQuality.Summary summary(Call call) {
        long durationMs = Math.max(0, Duration.between(call.startedAt, call.endedAt).toMillis());
        Double down = call.downlink.lossPercent();
        Double up = call.uplink.lossPercent();
        Integer cause = call.cause == null || call.cause < 0 || call.cause > 127 ? null : call.cause;
        if (down == null && up == null) {
            return new CallQuality.Summary(durationMs, CallQuality.MediaPath.NOT_MEASURED, call.reports, null, null,
                    null, null, null, null, null, null, cause);
        }
        double loss = Math.max(down == null ? 0 : down, up == null ? 0 : up);
        Stats[] measured = { down == null ? null : call.downlink, up == null ? null : call.uplink };
        double jitterSum = 0;
        int jitterCount = 0;
        Double jitterMax = null;
        for (Stats s : measured) {
            if (s != null && s.jitterCount > 0) {
                jitterSum += s.jitterSum;
                jitterCount += s.jitterCount;
                jitterMax = jitterMax == null ? s.jitterMax : Math.max(jitterMax, s.jitterMax);
            }
        }
        Double meanJitter = jitterCount == 0 ? null : jitterSum / jitterCount;
        Double rtt = call.rttCount == 0 ? null : call.rttSum / call.rttCount;
        Long packets = call.downlink.packets == null && call.uplink.packets == null ? null
                : (call.downlink.packets == null ? 0 : call.downlink.packets)
                        + (call.uplink.packets == null ? 0 : call.uplink.packets);
        return new CallQuality.Summary(durationMs, CallQuality.MediaPath.RTCP, call.reports, packets, down, up, loss,
                meanJitter, jitterMax, rtt, mos(call.codec, rtt, meanJitter, loss), cause);
    }

    /** E-model MOS with the codec's Ie/Bpl; an unknown round trip or jitter counts as none. */
    private Double mos(String codec, Double rttMs, Double jitterMs, double lossPercent) {
        CodecProfile profile = codec == null ? null : profiles.get(codec);
        if (profile == null || !profile.rated()) {
            return null;
        }
        double delay = EModel.oneWayDelayMs(rttMs == null ? 0 : rttMs, jitterMs == null ? 0 : jitterMs,
                jitterBufferFactor, profile);
        return EModel.mos(EModel.rating(profile, delay, lossPercent));
    }

    private void publish(Call call, CallQuality.Kind kind, CallQuality.Sample sample, CallQuality.Summary summary,
            Instant at) {
        sink.accept(new CallQuality(CallQuality.SCHEMA, kind, pbxId, call.endpoint, call.linkedId, call.uniqueId,
                call.channel, ++call.sequence, call.codec, sample, summary, at));
    }

    private record Pending(CallEvents.Rtcp report, Instant at) {
    }

    /** One direction's reports: loss over the span they cover, jitter over all of them. */
    private static final class Stats {
        private int reports;
        private long firstSequence;
        private long lastSequence;
        private long firstLost;
        private long lastLost;
        private int firstFraction;
        private double jitterSum;
        private double jitterMax;
        private int jitterCount;
        private Long packets;

        void add(CallEvents.Rtcp r, Double jitterMs) {
            if (reports == 0) {
                firstSequence = r.highestSequence();
                firstLost = r.cumulativeLost();
                firstFraction = r.fractionLost();
            }
            lastSequence = r.highestSequence();
            lastLost = r.cumulativeLost();
            reports++;
            if (jitterMs != null) {
                jitterSum += jitterMs;
                jitterMax = jitterCount == 0 ? jitterMs : Math.max(jitterMax, jitterMs);
                jitterCount++;
            }
        }

        /**
         * Lost over expected between the first and last report; one report: its fraction lost; {@code null} when
         * nothing was received in the span (the sequence never moved: media bypassed Asterisk) or no report came.
         */
        Double lossPercent() {
            if (reports == 0) {
                return null;
            }
            if (reports == 1) {
                return firstFraction * 100.0 / 256;
            }
            long expected = lastSequence - firstSequence;
            if (expected <= 0) {
                return null;
            }
            return Math.min(100, Math.max(0, (lastLost - firstLost) * 100.0 / expected));
        }
    }

    private static final class Call {
        private final String endpoint;
        private final String channel;
        private final String uniqueId;
        private final String linkedId;
        private final Instant startedAt;
        private final Stats downlink = new Stats();
        private final Stats uplink = new Stats();
        private final List<Pending> pending = new ArrayList<>(2);
        private long seenInListing;
        private long sequence;
        private int reports;
        private double rttSum;
        private int rttCount;
        private String codec;
        private boolean codecAsked;
        private boolean codecKnown;
        private boolean ended;
        private Integer cause;
        private Instant endedAt;

        Call(String endpoint, String channel, String uniqueId, String linkedId, Instant startedAt, long firstListing) {
            this.endpoint = endpoint;
            this.channel = channel;
            this.uniqueId = uniqueId;
            this.linkedId = linkedId;
            this.startedAt = startedAt;
            this.seenInListing = firstListing;
        }
    }
}
