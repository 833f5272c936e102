package io.vbo.policy.service;

import io.vbo.policy.repository.CallRepository.CallRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Calls as CSV ({@link CsvTable}: RFC 4180 quoting, formula-like text cells neutralised). */
@ApplicationScoped
public class CallExport {
    private static final List<String> HEADER = List.of("unique_id", "call_id", "channel", "codec", "started_at",
            "ended_at", "duration_ms", "media_path", "reports", "packets", "downlink_loss_percent", "uplink_loss_percent",
            "loss_percent", "mean_jitter_ms", "max_jitter_ms", "rtt_ms", "mos", "hangup_cause", "verdict", "policy_mos");

    public String csv(List<CallRow> rows) {
        return CsvTable.write(HEADER, rows.stream().map(c -> new Object[] { c.uniqueId(), c.callId(), c.channel(),
                c.codec(), c.endedAt().minusMillis(c.durationMs()).toString(), c.endedAt().toString(), c.durationMs(),
                c.mediaPath(), c.reports(), c.packets(), c.downlinkLossPercent(), c.uplinkLossPercent(), c.lossPercent(),
                c.meanJitterMs(), c.maxJitterMs(), c.rttMs(), c.mos(), c.hangupCause(), c.verdict(), c.policyMos() })
                .toList());
    }
}
