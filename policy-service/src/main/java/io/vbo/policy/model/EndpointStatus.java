package io.vbo.policy.model;

/** Whether the policy has a current measurement of an endpoint's link. */
public enum EndpointStatus {
    /** Results arrived, none successful yet. */
    PENDING,
    /** The last measurement attempt that counts succeeded (or fewer than N failed since). */
    MEASURED,
    /** N consecutive attempts failed; the tier is kept. */
    UNMEASURED
}
