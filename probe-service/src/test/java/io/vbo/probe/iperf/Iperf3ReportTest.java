package io.vbo.probe.iperf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reports captured from real iperf3 3.12 runs (src/test/resources/iperf3/). */
class Iperf3ReportTest {

    @Test
    void tcpRateIsTheReceiversFigureNotTheSenders() throws IOException {
        Measurement m = Iperf3Report.parse(sample("tcp-ok.json"), Protocol.TCP);
        assertEquals(Outcome.OK, m.outcome());
        // sum_sent said 1,922,655 bit/s (socket buffers filling); the receiver got 855,443 bit/s.
        assertEquals(855_443L, m.bitsPerSecond());
        assertEquals(114_392L, m.bytesReceived());
        assertEquals(58, m.retransmits());
        assertNull(m.jitterMs());
        assertNull(m.error());
    }

    @Test
    void udpReportsLossAndJitterFromTheReceiver() throws IOException {
        Measurement m = Iperf3Report.parse(sample("udp-ok.json"), Protocol.UDP);
        assertEquals(Outcome.OK, m.outcome());
        assertEquals(68_787L, m.bitsPerSecond());
        assertEquals(0.0, m.lossPercent());
        assertTrue(m.jitterMs() > 0 && m.jitterMs() < 1, "jitter " + m.jitterMs());
        assertNull(m.retransmits());
    }

    @Test
    void aQueueThatLostNothingShowsAsDelayGrowth() throws IOException {
        // G.726-32 (92-byte datagrams, 50/s) for 2 s into a 40 kbit/s tbf link: no loss, the queue absorbed the excess,
        // and the receiver went on receiving 2.531253 − 2.000175 s after the sender stopped.
        Measurement m = Iperf3Report.parse(sample("udp-queued.json"), Protocol.UDP);
        assertEquals(Outcome.OK, m.outcome());
        assertEquals(0.0, m.lossPercent());
        assertEquals(531.078, m.delayGrowthMs(), 0.001);
        assertEquals(100L, m.packets());
        assertEquals(6.763, m.jitterMs(), 0.001);
    }

    @Test
    void udpLossCountsWhatNeverArrivedEvenWhenIperf3SaysZero() throws IOException {
        // A -R voice test over a 40 kbit/s link: iperf3 3.12 reported lost_percent 0, yet 8,944 of 17,200 bytes arrived.
        Measurement m = Iperf3Report.parse(sample("udp-reverse-starved.json"), Protocol.UDP);
        assertEquals(Outcome.OK, m.outcome());
        assertEquals(48.0, m.lossPercent(), 0.01);
    }

    @Test
    void aBidirRunReportsEachDirectionFromItsOwnReceiver() throws IOException {
        // G.711 (172-byte datagrams, 50/s) for 2 s with --bidir on a 2 Mbit/s down / 48 kbit/s up tbf link.
        Iperf3Report.Both both = Iperf3Report.parseBoth(sample("udp-bidir.json"));
        Measurement down = both.downlink();
        assertEquals(Outcome.OK, down.outcome());
        assertEquals(17_200L, down.bytesReceived());
        assertEquals(0.0, down.lossPercent());
        assertEquals(100L, down.packets());
        Measurement up = both.uplink();
        assertEquals(Outcome.OK, up.outcome());
        // The phone sent 17,372 bytes; 10,148 arrived before the client stopped (sequence gaps alone said 8.9 %).
        assertEquals(10_148L, up.bytesReceived());
        assertEquals(41.58, up.lossPercent(), 0.01);
        assertEquals(10.39, up.jitterMs(), 0.01);
        assertEquals(0.0, up.delayGrowthMs(), "the reverse sum's end is the forward stream's");
        assertEquals(0.133, down.delayGrowthMs(), 0.001);
        assertEquals(up, both.of(io.vbo.events.ProbeResult.Direction.UPLINK));
    }

    @Test
    void aBidirReportThatFailedIsThatFailureBothWays() throws IOException {
        Iperf3Report.Both both = Iperf3Report.parseBoth(sample("busy.json"));
        assertEquals(Outcome.SERVER_BUSY, both.downlink().outcome());
        assertEquals(both.downlink(), both.uplink());
        Iperf3Report.Both oneWay = Iperf3Report.parseBoth(sample("udp-ok.json"));
        assertEquals(Outcome.ERROR, oneWay.uplink().outcome());
        assertEquals("iperf3 report has no end.sum_received and end.sum_received_bidir_reverse (--bidir needs iperf3 3.7)",
                oneWay.uplink().error());
    }

    @Test
    void errorsMapToTypedOutcomesWithIperf3sOwnMessage() throws IOException {
        assertOutcome("refused.json", Outcome.UNREACHABLE, "unable to connect to server: Connection refused");
        assertOutcome("no-route.json", Outcome.UNREACHABLE, "unable to connect to server: No route to host");
        assertOutcome("connect-timeout.json", Outcome.TIMEOUT, "unable to connect to server: Connection timed out");
        assertOutcome("busy.json", Outcome.SERVER_BUSY, "the server is busy running a test. try again later");
    }

    @Test
    void anythingElseIsAnErrorCarryingTheMessage() {
        Measurement m = Iperf3Report.parse("{\"start\":{},\"end\":{},\"error\":\"unable to send control message: Bad file descriptor\"}",
                Protocol.TCP);
        assertEquals(Outcome.ERROR, m.outcome());
        assertEquals("unable to send control message: Bad file descriptor", m.error());

        Measurement garbage = Iperf3Report.parse("iperf3: parameter error - must either be a client (-c) or server (-s)",
                Protocol.TCP);
        assertEquals(Outcome.ERROR, garbage.outcome());
        assertTrue(garbage.error().startsWith("iperf3 printed no JSON report: iperf3: parameter error"), garbage.error());

        assertEquals(Outcome.ERROR, Iperf3Report.parse("{\"end\":{}}", Protocol.TCP).outcome());
    }

    @Test
    void controlCharactersInMessagesCannotForgeLogLines() {
        Measurement m = Iperf3Report.parse("{\"error\":\"bad\\nINFO fake line\"}", Protocol.TCP);
        assertEquals("bad\\u000aINFO fake line", m.error());
    }

    private static void assertOutcome(String file, Outcome outcome, String message) throws IOException {
        Measurement m = Iperf3Report.parse(sample(file), Protocol.TCP);
        assertEquals(outcome, m.outcome(), file);
        assertEquals(message, m.error(), file);
        assertNull(m.bitsPerSecond());
    }

    static String sample(String name) throws IOException {
        try (InputStream in = Iperf3ReportTest.class.getResourceAsStream("/iperf3/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
