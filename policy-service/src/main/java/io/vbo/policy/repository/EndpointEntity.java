package io.vbo.policy.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/**
 * The REST view of {@code endpoint_state}. Read-only: the ingest path and pins write the table through
 * {@link EndpointStateRepository}, which also owns the estimator windows this entity leaves out.
 */
@Entity
@Table(name = "endpoint_state")
@org.hibernate.annotations.Immutable
public class EndpointEntity extends PanacheEntityBase {
    /** {@code (pbx_id, endpoint)}. */
    @Embeddable
    public record Key(@Column(name = "pbx_id") String pbxId, @Column(name = "endpoint") String endpoint)
            implements Serializable {
    }

    @EmbeddedId
    public Key id;
    public String status;
    public String tier;
    public String codecs;
    @Column(name = "consecutive_failures")
    public int consecutiveFailures;
    @Column(name = "estimate_bps")
    public Long estimateBps;
    @Column(name = "downlink_bps")
    public Long downlinkBps;
    @Column(name = "uplink_bps")
    public Long uplinkBps;
    @Column(name = "loss_percent")
    public Double lossPercent;
    @Column(name = "jitter_ms")
    public Double jitterMs;
    @Column(name = "rtt_micros")
    public Long rttMicros;
    public Double mos;
    @Column(name = "last_result_at")
    public Instant lastResultAt;
    @Column(name = "last_outcome")
    public String lastOutcome;
    @Column(name = "last_success_at")
    public Instant lastSuccessAt;
    @Column(name = "pin_codecs")
    public String pinCodecs;
    @Column(name = "pinned_by")
    public String pinnedBy;
    @Column(name = "pinned_at")
    public Instant pinnedAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "no_codec_fits")
    public boolean noCodecFits;
    public String transcodable;
    /** JSON array of {@code CodecDecision.Exclusion}. */
    public String excluded;
    public String note;
    // The ceiling, read with the row (one query for a page of endpoints).
    @org.hibernate.annotations.Formula("(select c.codecs from endpoint_ceiling c where c.pbx_id = pbx_id and c.endpoint = endpoint)")
    public String ceiling;
    @org.hibernate.annotations.Formula("(select c.source from endpoint_ceiling c where c.pbx_id = pbx_id and c.endpoint = endpoint)")
    public String ceilingSource;
    @org.hibernate.annotations.Formula("(select c.recorded_at from endpoint_ceiling c where c.pbx_id = pbx_id and c.endpoint = endpoint)")
    public Instant ceilingRecordedAt;
}
