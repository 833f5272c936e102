package io.vbo.policy.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The web console's settings (docs/configuration.md). */
@ConfigMapping(prefix = "vbo.console")
public interface ConsoleConfig {

    /** Rows per fleet page when the URL does not say (1..{@link Fleet#MAX_PAGE_SIZE}). */
    @WithName("page-size")
    @WithDefault("100")
    int pageSize();

    /** How often an open fleet page asks for fresh rows. */
    @WithName("refresh-every")
    @WithDefault("5s")
    Duration refreshEvery();

    /**
     * Key of the actions' CSRF tokens (any text, at least 16 characters). Absent: a random key per process, so
     * replicas behind one address need the same configured key or an open page's token fails on another replica.
     */
    @WithName("csrf-key")
    Optional<String> csrfKey();

    /**
     * probe-service's base URL (e.g. {@code http://127.0.0.1:8082}) for the admins' "probe now". Absent (the default):
     * the phone page says so instead of offering it.
     */
    @WithName("probe-service-url")
    Optional<URI> probeServiceUrl();

    /** User the console asks probe-service as, when {@link #probeServicePassword()} is set. */
    @WithName("probe-service-user")
    @WithDefault("admin")
    String probeServiceUser();

    /** That user's password at probe-service. Absent: the admin's own credentials are sent on. */
    @WithName("probe-service-password")
    Optional<String> probeServicePassword();

    /** How long "probe now" waits for probe-service to connect and to answer. */
    @WithName("probe-service-timeout")
    @WithDefault("5s")
    Duration probeServiceTimeout();
}
