package io.vbo.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Valid example events, one per contract. */
final class Samples {
    static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");

    static EndpointObserved observed() {
        return new EndpointObserved(1, "pbx-a", "1001", "1001", "sip:1001-0x5644aa7f0270@10.231.1.2:5060",
                "10.231.1.2", 5060, "udp", ContactStatus.REACHABLE, 479L, "PJSUA v2.17", 0, AT, null);
    }

    static EndpointGone gone() {
        return new EndpointGone(1, "pbx-a", "1001", "sip:1001-0x5644aa7f0270@10.231.1.2:5060", "removed", AT);
    }

    static ProbeResult probe() {
        return new ProbeResult(1, UUID.fromString("3f2a1c7e-0000-4000-8000-000000000001"), "pbx-a", "1001",
                "10.231.1.2", ProbeResult.Direction.DOWNLINK, ProbeResult.Protocol.TCP, 150_000L, 2, null, null,
                479L, 3_050, ProbeResult.Outcome.OK, null, AT);
    }

    /** A downlink ladder at K = 2 that passed iLBC and G.729, failed GSM, and confirmed G.729 in 8 s. */
    static ProbeResult ladder() {
        List<ProbeResult.Step> steps = List.of(
                new ProbeResult.Step(List.of("ilbc"), 62, 30, 2, 48_000, 132, 0.0, 0.1, 4.0, true),
                new ProbeResult.Step(List.of("g729"), 32, 20, 2, 48_000, 200, 0.0, 0.2, 1.0, true),
                new ProbeResult.Step(List.of("gsm"), 45, 20, 2, 58_400, 200, 0.0, 6.8, 531.0, false),
                new ProbeResult.Step(List.of("g729"), 32, 20, 8, 48_000, 800, 0.0, 0.2, 2.0, true));
        return new ProbeResult(1, UUID.fromString("3f2a1c7e-0000-4000-8000-000000000011"), "pbx-a", "1001",
                "10.231.1.2", ProbeResult.Direction.DOWNLINK, ProbeResult.Protocol.LADDER, 48_000L, null, 0.2, 0.0,
                479L, 7_400, ProbeResult.Outcome.OK, null, AT, new ProbeResult.Ladder(2, steps, 48_000), null);
    }

    static CodecDecision decision() {
        return new CodecDecision(1, UUID.fromString("3f2a1c7e-0000-4000-8000-000000000002"), "pbx-a", "1001", "low",
                List.of("g729", "gsm"), "high",
                new CodecDecision.Reason("overhead-aware", 120_000L, Map.of("high", 109_000L, "low", 39_000L), 3.9,
                        "estimate 120 kbit/s fits low"),
                AT, List.of("ulaw", "alaw", "g722", "gsm", "g729"), List.of("alaw", "g722", "g729", "gsm", "ulaw"),
                List.of(new CodecDecision.Exclusion("ulaw", CodecDecision.ExclusionCause.BANDWIDTH,
                        "needs 87.2 kbit/s per call x 1, budget 96.0 kbit/s")), false, null);
    }

    static PbxCapabilities capabilities() {
        return new PbxCapabilities(1, "pbx-a", List.of("ulaw", "alaw", "gsm", "g722"),
                PbxCapabilities.SOURCE_TRANSLATION, "discovery-service", AT);
    }

    static EndpointCeiling ceiling() {
        return new EndpointCeiling(1, "pbx-a", "1001", List.of("ulaw", "alaw", "g722", "gsm"),
                EndpointCeiling.Source.FILE, AT);
    }

    static ConfigApplied applied() {
        return new ConfigApplied(1, UUID.fromString("3f2a1c7e-0000-4000-8000-000000000002"), "pbx-a", "1001",
                ConfigApplied.Status.APPLIED, List.of("g729", "gsm"), null, AT);
    }

    /** The first RTCPReceived of call (a) in ami-session-calls.received.raw.txt, as discovery publishes it. */
    static CallQuality callSample() {
        return new CallQuality(1, CallQuality.Kind.SAMPLE, "pbx-a", "1002", "1796154184.0", "1796154184.0",
                "PJSIP/1002-00000000", 1, "ulaw",
                new CallQuality.Sample(CallQuality.Direction.RECEIVED, 0, 0, 21385, 500L, 11, 1.375, 0.2, 88.1),
                null, AT);
    }

    static CallQuality callSummary() {
        return new CallQuality(1, CallQuality.Kind.SUMMARY, "pbx-a", "1002", "1796154184.0", "1796154184.0",
                "PJSIP/1002-00000000", 7, "ulaw", null,
                new CallQuality.Summary(15_200, CallQuality.MediaPath.RTCP, 6, 1500L, 0.0, 0.0, 0.0, 1.4, 1.5, 0.2,
                        4.41, 16), AT);
    }

    private Samples() {
    }
}
