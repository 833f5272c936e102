package io.vbo.policy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The configured sites ({@code vbo.sites[i].*}, see docs/sites.md). One block configures discovery-service and
 * policy-service alike: discovery reads the names and networks, policy the rest, and each maps the whole block so
 * that neither refuses the other's keys.
 */
@ConfigMapping(prefix = "vbo.sites")
public interface SitesConfig {
    /** Configured sites; none by default (automatic sites then take the defaults of every setting below). */
    @WithParentName
    List<Site> sites();

    /** One site. */
    interface Site {
        /** Its name, {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}: it becomes part of Asterisk dialplan names. */
        String name();

        /** discovery-service's: the networks the site's contacts are reached at. */
        Optional<List<String>> cidrs();

        /** The declared uplink; absent: the site's capacity is measured through its representative phone. */
        Optional<Uplink> uplink();

        /** Upper bound of the site's call limit whatever its link carries; absent: the link alone decides. */
        @WithName("max-calls")
        Optional<Integer> maxCalls();

        /** K, the site's concurrent calls; absent: learned from its calls (the policy default before any). */
        @WithName("concurrent-calls")
        Optional<Integer> concurrentCalls();
    }

    /** A declared uplink in bit/s; a call needs both directions, so the smaller one is the capacity. */
    interface Uplink {
        /** Towards the site (PBX → phones), bit/s; absent: only {@code up} counts. */
        OptionalLong down();

        /** From the site (phones → PBX), bit/s; absent: only {@code down} counts. */
        OptionalLong up();
    }
}
