package io.vbo.policy.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** An endpoint's current ceiling. */
@Entity
@Table(name = "endpoint_ceiling")
public class CeilingEntity extends PanacheEntityBase {
    @EmbeddedId
    public EndpointEntity.Key id;
    /** Comma-separated, in the administrator's order. */
    public String codecs;
    /** {@code FILE}, {@code USERS} or {@code ADMIN}. */
    public String source;
    @Column(name = "recorded_at")
    public Instant recordedAt;
    /** The administrator's user name for {@code ADMIN}, else {@code null}. */
    @Column(name = "recorded_by")
    public String recordedBy;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
