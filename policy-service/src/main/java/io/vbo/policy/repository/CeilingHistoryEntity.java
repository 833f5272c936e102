package io.vbo.policy.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One change of an endpoint's ceiling. */
@Entity
@Table(name = "ceiling_history")
public class CeilingHistoryEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "pbx_id")
    public String pbxId;
    public String endpoint;
    public String codecs;
    @Column(name = "previous_codecs")
    public String previousCodecs;
    public String source;
    @Column(name = "recorded_at")
    public Instant recordedAt;
    @Column(name = "recorded_by")
    public String recordedBy;
    @Column(name = "received_at")
    public Instant receivedAt;
}
