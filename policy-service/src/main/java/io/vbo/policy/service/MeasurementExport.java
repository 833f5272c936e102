package io.vbo.policy.service;

import io.vbo.policy.repository.MeasurementRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Measurements as CSV ({@link CsvTable}: RFC 4180 quoting, formula-like text cells neutralised). */
@ApplicationScoped
public class MeasurementExport {
    private static final List<String> HEADER = List.of("probe_id", "started_at", "direction", "protocol", "outcome",
            "bits_per_second", "retransmits", "jitter_ms", "loss_percent", "rtt_micros", "duration_ms", "address",
            "error");

    public String csv(List<MeasurementRow> rows) {
        return CsvTable.write(HEADER, rows.stream().map(m -> new Object[] { m.probeId().toString(),
                m.startedAt().toString(), m.direction(), m.protocol(), m.outcome(), m.bitsPerSecond(),
                m.retransmits(), m.jitterMs(), m.lossPercent(), m.rttMicros(), m.durationMs(), m.address(),
                m.error() }).toList());
    }
}
