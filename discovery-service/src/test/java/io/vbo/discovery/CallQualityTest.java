package io.vbo.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vbo.events.CallQuality;
import io.vbo.events.EndpointEvent;
import io.vbo.events.EndpointObserved;
import io.vbo.events.EventJson;
import io.vbo.events.Topics;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.lab.ami.AmiCall;
import io.vbo.lab.ami.AmiTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls played by the AMI test server, on the real broker. The listing interval is an hour, so after the listing at
 * connect every active-call change seen here was published by the call events themselves.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = AmiServersResource.class, restrictToAnnotatedClass = true,
        initArgs = { @ResourceArg(name = "interval", value = "1h"), @ResourceArg(name = "prefix", value = "calls") })
class CallQualityTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    AmiServersResource.Servers servers;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private KafkaTestClient kafka;
    private KafkaTestClient.Reader endpoints;
    private KafkaTestClient.Reader quality;

    @BeforeEach
    void open() {
        kafka = new KafkaTestClient(bootstrap);
        endpoints = kafka.reader(Topics.ENDPOINTS);
        quality = kafka.reader(Topics.CALL_QUALITY);
        servers.good().awaitEventSessions(1, WAIT);
    }

    @AfterEach
    void close() {
        endpoints.close();
        quality.close();
        kafka.close();
    }

    private ConsumerRecord<String, String> activeCalls(String key, int count, Instant after) {
        return endpoints.await(1, r -> r.key().equals(key) && r.timestamp() >= after.toEpochMilli()
                && EventJson.fromJson(r.value(), EndpointEvent.class) instanceof EndpointObserved o
                && o.activeCalls() == count, WAIT).get(0);
    }

    private List<CallQuality> qualityOf(AmiCall call, int count) {
        return quality.await(count, r -> r.value().contains("\"uniqueId\":\"" + call.uniqueId() + "\""), WAIT).stream()
                .map(r -> {
                    assertEquals("calls-a/" + call.endpoint(), r.key());
                    return EventJson.fromJson(r.value(), CallQuality.class);
                }).toList();
    }

    @Test
    void aLossyG711CallCountsAtOnceAndEndsInASummaryBelowMos36() {
        AmiTestServer ami = servers.good();
        // the listing at connect has published 1002 with no call
        endpoints.await(1, r -> r.key().equals("calls-a/1002"), WAIT);
        AmiCall call = AmiCall.of("1002", 0x41, "ulaw");
        // 8 % loss both ways, 40 ms jitter (320 RTP units at 8 kHz), 150 ms round trip: 3 reports each way
        List<AmiCall.Report> reports = AmiCall.steady(3, 8, 40, 150, 8000);

        Instant started = Instant.now();
        ami.startCall(call);
        long up = activeCalls("calls-a/1002", 1, started).timestamp() - started.toEpochMilli();
        assertTrue(up < 1000, "activeCalls 1 published " + up + " ms after Newchannel");
        for (AmiCall.Report report : reports) {
            ami.emitRtcp(call, report, report);
        }
        // the samples wait for the channel's codec (core show channel): hang up once they are out, as a real call
        // of three 5-s reports would
        qualityOf(call, 6);
        Instant ended = Instant.now();
        ami.endCall(call);
        long down = activeCalls("calls-a/1002", 0, ended).timestamp() - ended.toEpochMilli();
        assertTrue(down < 1000, "activeCalls 0 published " + down + " ms after Hangup");

        List<CallQuality> messages = qualityOf(call, 7);
        assertEquals(7, messages.size());
        CallQuality first = messages.get(0);
        assertEquals(CallQuality.Kind.SAMPLE, first.kind());
        assertEquals("1796154184.65", first.uniqueId());
        assertEquals("1796154184.65", first.callId());
        assertEquals("PJSIP/1002-00000041", first.channel());
        assertEquals(1, first.sequence() % 10_000_000, "the run's first number for this channel: " + first.sequence());
        assertEquals("ulaw", first.codec());
        assertEquals(new CallQuality.Sample(CallQuality.Direction.RECEIVED, 20, 20, 21385, 250L, 320, 40.0, 150.0, 88.1),
                first.sample());
        CallQuality second = messages.get(1);
        assertEquals(new CallQuality.Sample(CallQuality.Direction.SENT, 20, 20, 21385, 250L, 320, 40.0, null, 88.1),
                second.sample());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L),
                messages.stream().map(q -> q.sequence() - first.sequence()).toList());

        CallQuality summary = messages.get(6);
        assertEquals(CallQuality.Kind.SUMMARY, summary.kind());
        assertEquals("ulaw", summary.codec());
        CallQuality.Summary s = summary.summary();
        assertEquals(CallQuality.MediaPath.RTCP, s.mediaPath());
        assertEquals(6, s.reports());
        assertEquals(1500L, s.packets(), "750 sent each way by the last sender reports");
        assertEquals(8.0, s.downlinkLossPercent(), 1e-9);
        assertEquals(8.0, s.uplinkLossPercent(), 1e-9);
        assertEquals(8.0, s.lossPercent(), 1e-9);
        assertEquals(40.0, s.meanJitterMs(), 1e-9);
        assertEquals(40.0, s.maxJitterMs(), 1e-9);
        assertEquals(150.0, s.rttMs(), 1e-9);
        assertEquals(16, s.hangupCause());
        assertTrue(s.mos() < 3.6, "MOS " + s.mos());
        // G.107: 75 + 80 + 20 ms one way, Ie,eff 22.96 (Bpl 25.1): R 69.20
        assertEquals(3.559, s.mos(), 0.001);
        assertTrue(s.durationMs() >= 0 && s.durationMs() < WAIT.toMillis(), "duration " + s.durationMs());
    }

    @Test
    void aNativelyBridgedCallIsCountedButNotMeasured() {
        AmiTestServer ami = servers.good();
        endpoints.await(1, r -> r.key().equals("calls-a/1003"), WAIT);
        AmiCall call = AmiCall.of("1003", 0x42, "ulaw");
        Instant started = Instant.now();
        ami.startCall(call);
        activeCalls("calls-a/1003", 1, started);
        // As captured on call (b) with direct media: Asterisk's receiver reports about a stream that no longer
        // reaches it (highest sequence stuck at 10288, nothing lost, no jitter).
        AmiCall.Report stuck = new AmiCall.Report(0, 0, 10288, 0, 0, 1);
        for (int i = 0; i < 3; i++) {
            ami.emitEvent(call.rtcpSent(stuck));
        }
        Instant ended = Instant.now();
        ami.endCall(call);
        activeCalls("calls-a/1003", 0, ended);

        List<CallQuality> messages = qualityOf(call, 4);
        CallQuality.Summary s = messages.get(3).summary();
        assertEquals(CallQuality.MediaPath.NOT_MEASURED, s.mediaPath());
        assertEquals(3, s.reports());
        assertNull(s.lossPercent());
        assertNull(s.mos());
        assertNull(s.meanJitterMs());
    }

    @Test
    void aCallThatEndedWhileDisconnectedIsEndedByTheListingAtReconnect() {
        AmiTestServer ami = servers.good();
        AmiCall call = AmiCall.of("1001", 0x43, "alaw");
        Instant started = Instant.now();
        ami.startCall(call);
        activeCalls("calls-a/1001", 1, started);
        // The session drops and the call hangs up before discovery is back (its reconnect waits 100-200 ms):
        // the Hangup reaches nobody, and CoreShowChannels after the new login no longer lists the channel.
        Instant dropped = Instant.now();
        ami.closeConnections();
        ami.endCall(call);
        ami.awaitEventSessions(1, WAIT);
        activeCalls("calls-a/1001", 0, dropped);
        CallQuality summary = qualityOf(call, 1).get(0);
        assertEquals(CallQuality.Kind.SUMMARY, summary.kind());
        assertEquals(CallQuality.MediaPath.NOT_MEASURED, summary.summary().mediaPath());
        assertNull(summary.summary().hangupCause(), "no Hangup was seen");
        assertTrue(ami.requests("CoreShowChannels").size() >= 2, "listed at both logins");
    }
}
