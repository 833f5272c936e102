package io.vbo.writer.config;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * In the prod profile the REST users need passwords of their own: one that ships with the project (the local
 * defaults, the k8s placeholders) or an empty one stops the start, naming its variable. An unset one already stops
 * it while the configuration is read (the %prod keys have no default).
 */
@ApplicationScoped
public class ProdPasswordCheck {
    static final Set<String> SHIPPED = Set.of("admin", "viewer", "change-me", "change-me-too");

    void onStart(@Observes @Priority(1) StartupEvent event,
            @ConfigProperty(name = "quarkus.security.users.embedded.users.admin") String admin) {
        if (ConfigUtils.isProfileActive("prod")) {
            refuseShipped(Map.of("VBO_WRITER_ADMIN_PASSWORD", admin));
        }
    }

    /** Throws, naming every variable (key) whose password (value) is empty or shipped with the project. */
    static void refuseShipped(Map<String, String> passwords) {
        List<String> weak = passwords.entrySet().stream()
                .filter(e -> e.getValue().isBlank() || SHIPPED.contains(e.getValue())).map(Map.Entry::getKey).sorted()
                .toList();
        if (!weak.isEmpty()) {
            throw new IllegalStateException("refusing to start in the prod profile: " + String.join(", ", weak)
                    + " is empty or a password that ships with VBO (" + String.join(", ", SHIPPED.stream().sorted()
                    .toList()) + "); set a secret of your own (docs/operations.md, \"Security\")");
        }
    }
}
