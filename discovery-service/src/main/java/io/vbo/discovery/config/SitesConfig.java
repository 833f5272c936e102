package io.vbo.discovery.config;

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
    /** Configured sites; none by default, and then only contacts sharing one public address are grouped. */
    @WithParentName
    List<Site> sites();

    /** One site. */
    interface Site {
        /** Its name, {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}: it becomes part of Asterisk dialplan names. */
        String name();

        /** Networks in CIDR notation (a bare address is one host) the site's contacts are reached at, as the PBX sees them. */
        List<String> cidrs();

        /** policy-service's: the declared uplink. */
        Optional<Uplink> uplink();

        /** policy-service's: upper bound of the site's call limit. */
        @WithName("max-calls")
        Optional<Integer> maxCalls();

        /** policy-service's: the site's concurrent calls K. */
        @WithName("concurrent-calls")
        Optional<Integer> concurrentCalls();
    }

    /** policy-service's: a declared uplink in bit/s. */
    interface Uplink {
        /** Towards the site, bit/s. */
        OptionalLong down();

        /** From the site, bit/s. */
        OptionalLong up();
    }
}
