package io.vbo.policy.model;

/** Where an endpoint stands: measured or not, and whether the policy could decide for it. */
public enum EndpointStatus {
    /** Results arrived, none successful yet. */
    PENDING,
    /** Measured and decided (or fewer than N attempts failed since). */
    MEASURED,
    /** N consecutive attempts failed; the tier is kept. */
    UNMEASURED,
    /** Measured, but the endpoint's ceiling (its own allowed codecs) is not known yet: nothing is published. */
    AWAITING_CEILING,
    /**
     * No codec of the ceiling fits the link: the endpoint got the leanest transcodable codec of its ceiling, or no
     * decision at all when its ceiling holds no transcodable codec.
     */
    NO_CODEC_FITS,
    /**
     * The endpoint runs no iperf3 server (the probe's port is unreachable while its SIP contact answers qualify): it
     * is decided from its calls and its qualify RTT alone.
     */
    PASSIVE
}
