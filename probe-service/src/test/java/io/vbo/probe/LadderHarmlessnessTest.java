package io.vbo.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.events.CodecProfiles;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.VoiceLadder;
import io.vbo.lab.netns.NetnsLab;
import io.vbo.lab.netns.Phone;
import io.vbo.probe.iperf.EchoWatch;
import io.vbo.probe.iperf.Iperf3Runner;
import io.vbo.probe.iperf.LadderProbe;
import io.vbo.probe.iperf.ProbeSpec;
import io.vbo.probe.iperf.StopSignal;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Harmlessness (real iperf3 in a shaped netns link, needs root): a ping every 100 ms to the probed phone while its
 * link is probed, ladder (K = 1, both directions, the default limits) against TCP 3 s each way in the same run.
 */
class LadderHarmlessnessTest {
    private static final Iperf3Runner IPERF3 = new Iperf3Runner("iperf3", Duration.ofSeconds(3), Duration.ofSeconds(30));
    /** Every rung fits one call on 150 kbit/s (G.711: 85.6 kbit/s with Ethernet headers), so no step overloads it. */
    private static final long RATE = 150_000;

    @Test
    void aPingToThePhoneStaysNearIdleDuringTheLadderAndNotDuringTcp() throws Exception {
        try (NetnsLab lab = NetnsLab.open()) {
            Phone phone = lab.addPhone(RATE, RATE);
            LinkMonitor idleWatch = LinkMonitor.start(phone, RATE, RATE);
            Thread.sleep(3000);
            double idle = idleWatch.stop().p95();
            LadderProbe ladder = new LadderProbe(IPERF3, VoiceLadder.rungs(CodecProfiles.defaults(true), 18), 1,
                    new LadderProbe.Limits(2.0, 30, 100), Duration.ofMillis(200), 8, 2, Duration.ofSeconds(3),
                    EchoWatch.reachability(Duration.ofMillis(100), 20, 18));
            LinkMonitor ladderWatch = LinkMonitor.start(phone, RATE, RATE);
            for (Direction d : Direction.values()) {
                assertEquals(Outcome.OK, ladder.run(ProbeSpec.ladder(phone.address(), phone.iperfPort(), d, 2, ladder.calls()),
                        new StopSignal()).outcome());
            }
            LinkMonitor.Report ladderSeen = ladderWatch.stop();
            Thread.sleep(1000);
            LinkMonitor tcpWatch = LinkMonitor.start(phone, RATE, RATE);
            for (Direction d : Direction.values()) {
                assertEquals(Outcome.OK, IPERF3.run(ProbeSpec.tcp(phone.address(), phone.iperfPort(), d, 3)).outcome());
                Thread.sleep(1000);
            }
            LinkMonitor.Report tcpSeen = tcpWatch.stop();
            double bound = 2 * idle + 20;
            String figures = String.format(Locale.ROOT, "ping p95: idle %.2f ms, ladder %.2f ms (%d pings), TCP %.2f ms "
                    + "(%d pings); bound %.2f ms", idle, ladderSeen.p95(), ladderSeen.rttsMs().size(), tcpSeen.p95(),
                    tcpSeen.rttsMs().size(), bound);
            System.out.println(figures);
            assertTrue(ladderSeen.rttsMs().size() >= 100, figures);
            assertTrue(ladderSeen.p95() <= bound, figures);
            assertTrue(tcpSeen.p95() > bound, "TCP fills the link, so the same ping sees its queue: " + figures);
        }
    }
}
