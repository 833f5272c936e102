package io.vbo.policy.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A decision as stored: what was decided, why, whether it reached Kafka, and what the writer reported back. */
@Entity
@Table(name = "decision")
public class DecisionEntity extends PanacheEntityBase {
    /** What made the decision. */
    public enum Cause { POLICY, PIN, UNPIN, REQUEST }

    @Id
    @Column(name = "decision_id")
    public UUID decisionId;
    @Column(name = "pbx_id")
    public String pbxId;
    public String endpoint;
    public String tier;
    /** Comma-separated, in order. */
    public String codecs;
    @Column(name = "previous_tier")
    public String previousTier;
    public String cause;
    public String preset;
    @Column(name = "estimate_bps")
    public Long estimateBps;
    /** JSON object tier → bps. */
    public String thresholds;
    public Double mos;
    public String reason;
    @Column(name = "decided_at")
    public Instant decidedAt;
    @Column(name = "published_at")
    public Instant publishedAt;
    @Column(name = "applied_status")
    public String appliedStatus;
    @Column(name = "applied_at")
    public Instant appliedAt;
    @Column(name = "applied_codecs")
    public String appliedCodecs;
    @Column(name = "applied_error")
    public String appliedError;
    /** Comma-separated ceiling the codecs were chosen within, {@code null} when none applied. */
    public String ceiling;
    /** Comma-separated transcodable set (∪ pass-through) used. */
    public String transcodable;
    /** JSON array of {@code CodecDecision.Exclusion}. */
    public String excluded;
    @Column(name = "no_codec_fits")
    public boolean noCodecFits;
    /** The site whose shared uplink the decision was made for, {@code null} for an endpoint that is a site of its own. */
    public String site;
}
