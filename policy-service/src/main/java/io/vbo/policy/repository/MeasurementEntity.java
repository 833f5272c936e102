package io.vbo.policy.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.vbo.events.ProbeResult;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One stored probe result. Written in bulk by {@link MeasurementRepository}; read through Panache. */
@Entity
@Table(name = "measurement")
@org.hibernate.annotations.Immutable
public class MeasurementEntity extends PanacheEntityBase {
    @Id
    @Column(name = "probe_id")
    public UUID probeId;
    @Column(name = "pbx_id")
    public String pbxId;
    public String endpoint;
    public String address;
    public String direction;
    public String protocol;
    public String outcome;
    @Column(name = "bits_per_second")
    public Long bitsPerSecond;
    public Integer retransmits;
    @Column(name = "jitter_ms")
    public Double jitterMs;
    @Column(name = "loss_percent")
    public Double lossPercent;
    @Column(name = "rtt_micros")
    public Long rttMicros;
    @Column(name = "duration_ms")
    public long durationMs;
    public String error;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "stored_at")
    public Instant storedAt;
    /** A ladder's steps, {@code null} for other protocols. */
    @JdbcTypeCode(SqlTypes.JSON)
    public ProbeResult.Ladder ladder;
}
