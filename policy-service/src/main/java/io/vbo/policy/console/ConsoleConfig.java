package io.vbo.policy.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
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
}
