package io.vbo.probe.config;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.vbo.web.ProdPasswords;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * In the prod profile this service's REST users need passwords of their own ({@link ProdPasswords}). An unset one
 * already stops the start while the configuration is read (the %prod keys have no default).
 */
@ApplicationScoped
public class ProdPasswordCheck {
    void onStart(@Observes @Priority(1) StartupEvent event,
            @ConfigProperty(name = "quarkus.security.users.embedded.users.viewer") String viewer,
            @ConfigProperty(name = "quarkus.security.users.embedded.users.admin") String admin) {
        if (ConfigUtils.isProfileActive("prod")) {
            ProdPasswords.refuseShipped(Map.of("VBO_PROBE_VIEWER_PASSWORD", viewer, "VBO_PROBE_ADMIN_PASSWORD", admin));
        }
    }
}
