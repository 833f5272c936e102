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
                "10.231.1.2", 5060, "udp", ContactStatus.REACHABLE, 479L, "PJSUA v2.17", 0, AT);
    }

    static EndpointGone gone() {
        return new EndpointGone(1, "pbx-a", "1001", "sip:1001-0x5644aa7f0270@10.231.1.2:5060", "removed", AT);
    }

    static ProbeResult probe() {
        return new ProbeResult(1, UUID.fromString("3f2a1c7e-0000-4000-8000-000000000001"), "pbx-a", "1001",
                "10.231.1.2", ProbeResult.Direction.DOWNLINK, ProbeResult.Protocol.TCP, 150_000L, 2, null, null,
                479L, 3_050, ProbeResult.Outcome.OK, null, AT);
    }

    static CodecDecision decision() {
        return new CodecDecision(1, UUID.fromString("3f2a1c7e-0000-4000-8000-000000000002"), "pbx-a", "1001", "low",
                List.of("g729", "gsm"), "high",
                new CodecDecision.Reason("overhead-aware", 120_000L, Map.of("high", 109_000L, "low", 39_000L), 3.9,
                        "estimate 120 kbit/s fits low"),
                AT, List.of("ulaw", "alaw", "g722", "gsm", "g729"), List.of("alaw", "g722", "g729", "gsm", "ulaw"),
                List.of(new CodecDecision.Exclusion("ulaw", CodecDecision.ExclusionCause.BANDWIDTH,
                        "needs 87.2 kbit/s per call x 1, budget 96.0 kbit/s")), false);
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

    private Samples() {
    }
}
