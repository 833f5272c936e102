package io.vbo.discovery.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vbo.ami.AmiMessage;
import io.vbo.ami.CallEvents;
import io.vbo.events.CallQuality;
import io.vbo.lab.ami.Transcripts;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The four captured calls of ami-session-calls.received.raw.txt, replayed event by event through the tracker. */
class CallTrackerTest {
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    private final List<CallQuality> published = new ArrayList<>();
    private final List<String> counts = new ArrayList<>();
    private final CallTracker tracker = new CallTracker("pbx-a", published::add,
            (endpoint, count) -> counts.add(endpoint + "=" + count), CallTrackerTest::codec,
            Clock.fixed(AT, ZoneOffset.UTC), new CallTracker.Settings(2.0, true));

    /** What core show channel answered during the capture: opus on 1001's echo call (c), ulaw elsewhere. */
    private static Future<Optional<String>> codec(String channel) {
        String file = channel.equals("PJSIP/1001-00000003") ? "cli-core-show-channel-1001-echo-opus.txt"
                : "cli-core-show-channel-1002-call.txt";
        return Future.succeededFuture(CallEvents.nativeFormat(Transcripts.lines(file)));
    }

    private static List<AmiMessage> messages(String file) {
        return Transcripts.messages(file).stream().map(m -> AmiMessage.parse(m.replace("\r\n\r\n", ""))).toList();
    }

    private void replay(String file) {
        for (AmiMessage message : messages(file)) {
            if (message.event() != null) {
                tracker.event(message.event(), message);
            }
        }
    }

    private CallQuality.Summary summaryOf(String channel) {
        return published.stream().filter(q -> q.kind() == CallQuality.Kind.SUMMARY && q.channel().equals(channel))
                .findFirst().orElseThrow().summary();
    }

    @Test
    void aRestartedDiscoveryNumbersAChannelAboveTheRunBefore() {
        replay("ami-session-calls.received.raw.txt");
        long lastOfFirstRun = published.stream().mapToLong(CallQuality::sequence).max().orElseThrow();
        List<CallQuality> second = new java.util.ArrayList<>();
        CallTracker restarted = new CallTracker("pbx-a", second::add, (endpoint, count) -> { },
                CallTrackerTest::codec, Clock.fixed(AT.plusSeconds(5), ZoneOffset.UTC), new CallTracker.Settings(2.0, true));
        for (AmiMessage message : messages("ami-session-calls.received.raw.txt")) {
            if (message.event() != null) {
                restarted.event(message.event(), message);
            }
        }
        assertEquals(17_961_192_000_000_007L, lastOfFirstRun);
        // started 5 s later: 1796119205 × 10^7 + 1, above every number of the first run, so nothing is taken for a
        // redelivery of the same channel's messages
        assertEquals(17_961_192_050_000_001L, second.stream().mapToLong(CallQuality::sequence).min().orElseThrow());
    }

    @Test
    void theCapturedCallsBecomeCountsSamplesAndSummaries() {
        replay("ami-session-calls.received.raw.txt");

        assertEquals(List.of("1002=1", "1002=0", "1003=1", "1002=1", "1003=0", "1002=0", "1001=1", "1001=0",
                "1002=1", "1001=1", "1001=0", "1002=0"), counts);
        assertEquals(15 + 6, published.size(), "one sample per RTCP report, one summary per channel");
        assertEquals(0, tracker.liveChannels());

        // (a) Echo on 1002, media through Asterisk, no loss
        CallQuality first = published.get(0);
        assertEquals(new CallQuality(1, CallQuality.Kind.SAMPLE, "pbx-a", "1002", "1796154184.0", "1796154184.0",
                "PJSIP/1002-00000000", 17_961_192_000_000_001L, "ulaw",
                new CallQuality.Sample(CallQuality.Direction.RECEIVED, 0, 0, 21135, 250L, 9, 1.125, null, 88.1), null, AT),
                first);
        assertEquals(new CallQuality.Sample(CallQuality.Direction.RECEIVED, 0, 0, 21385, 500L, 11, 1.375, 0.2, 88.1),
                published.get(2).sample(), "RTT 0.0002 s once the phone echoes an LSR");
        CallQuality summaryA = published.stream().filter(q -> q.kind() == CallQuality.Kind.SUMMARY).findFirst().orElseThrow();
        // the run started at AT (1796119200 s): its numbers start above 1796119200 × 10^7
        assertEquals(17_961_192_000_000_007L, summaryA.sequence());
        assertEquals("1796154184.0#17961192000000007", summaryA.idempotencyKey());
        CallQuality.Summary a = summaryA.summary();
        assertEquals(CallQuality.MediaPath.RTCP, a.mediaPath());
        assertEquals(6, a.reports());
        assertEquals(1505L, a.packets(), "Asterisk's last SR 755 + the phone's 750");
        assertEquals(0.0, a.downlinkLossPercent());
        assertEquals(0.0, a.uplinkLossPercent());
        assertEquals(1.3125, a.meanJitterMs(), 1e-9, "(9 + 11 + 11 + 10 + 11 + 11) / 6 units at 8 kHz");
        assertEquals(1.375, a.maxJitterMs(), 1e-9);
        assertEquals(0.2, a.rttMs(), 1e-9);
        assertEquals(4.409, a.mos(), 0.001);
        assertEquals(0, a.hangupCause());
        assertEquals(0, a.durationMs());

        // (b) 1003 -> 1002, both ulaw: native RTP bridge, Asterisk's reports are about nothing
        for (String channel : List.of("PJSIP/1003-00000001", "PJSIP/1002-00000002")) {
            CallQuality.Summary b = summaryOf(channel);
            assertEquals(CallQuality.MediaPath.NOT_MEASURED, b.mediaPath(), channel);
            assertEquals(3, b.reports());
            assertNull(b.lossPercent());
            assertNull(b.mos());
            assertEquals(16, b.hangupCause());
        }

        // (c) opus on the 40 kbit/s link: only Asterisk's reports (the phone's were lost), ~67 % uplink loss
        CallQuality.Summary c = summaryOf("PJSIP/1001-00000003");
        assertEquals(CallQuality.MediaPath.RTCP, c.mediaPath());
        assertEquals(3, c.reports());
        assertNull(c.downlinkLossPercent());
        assertEquals(66.934, c.uplinkLossPercent(), 0.001, "(434 - 100) lost of (1124 - 625) expected");
        assertEquals(66.934, c.lossPercent(), 0.001);
        assertEquals(31.833, c.meanJitterMs(), 0.001, "1556, 1556, 1472 units at 48 kHz");
        assertEquals(32.417, c.maxJitterMs(), 0.001);
        assertNull(c.rttMs());
        assertNull(c.mos(), "opus has no G.113 factors");
        assertEquals(254L, c.packets());

        // (d) ulaw <-> opus with no translator: a normal-looking call on AMI, no RTCP at all
        assertEquals(0, summaryOf("PJSIP/1001-00000005").reports());
        assertEquals(CallQuality.MediaPath.NOT_MEASURED, summaryOf("PJSIP/1002-00000004").mediaPath());
    }

    @Test
    void aListingAddsTheChannelsItShowsAndEndsThoseItNoLongerShows() {
        List<CallEvents.Channel> listed = CallEvents.channels(messages("ami-coreshowchannels-call.response.txt"));
        tracker.listed(tracker.beginListing(), listed);
        assertEquals(List.of("1002=1", "1003=1"), counts);
        assertEquals(java.util.Map.of("1002", 1, "1003", 1), tracker.activeCalls());

        long token = tracker.beginListing();
        // a channel that starts while the listing runs is not in it, and must survive it
        tracker.channel(new CallEvents.Channel("PJSIP/1001-00000009", "1796154300.9", "1796154300.9", "Ring"));
        tracker.listed(token, List.of());
        assertEquals(java.util.Map.of("1001", 1), tracker.activeCalls());
        assertEquals(2, published.size());
        published.forEach(q -> {
            assertEquals(CallQuality.Kind.SUMMARY, q.kind());
            assertNull(q.summary().hangupCause(), "ended by the listing, no Hangup seen");
            assertEquals(CallQuality.MediaPath.NOT_MEASURED, q.summary().mediaPath());
        });
    }

    @Test
    void aChannelThatHungUpDuringAListingIsNotBroughtBack() {
        long token = tracker.beginListing();
        List<CallEvents.Channel> listed = CallEvents.channels(messages("ami-coreshowchannels-call.response.txt"));
        // the Hangup of 1002's leg arrives before the listing's answer that still shows it
        tracker.hangup(new CallEvents.Hangup(listed.get(0), 16, "Normal Clearing"));
        tracker.listed(token, listed);
        assertEquals(java.util.Map.of("1003", 1), tracker.activeCalls());
    }
}
