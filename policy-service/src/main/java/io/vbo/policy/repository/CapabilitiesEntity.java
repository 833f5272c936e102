package io.vbo.policy.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The latest transcodable set a PBX reported. */
@Entity
@Table(name = "pbx_capabilities")
public class CapabilitiesEntity extends PanacheEntityBase {
    @Id
    @Column(name = "pbx_id")
    public String pbxId;
    /** Comma-separated, sorted. */
    public String transcodable;
    public String source;
    @Column(name = "reported_by")
    public String reportedBy;
    @Column(name = "observed_at")
    public Instant observedAt;
    @Column(name = "received_at")
    public Instant receivedAt;
}
