package io.vbo.web;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * In the prod profile the REST users need passwords of their own: one that ships with the project (the local
 * defaults, the k8s placeholders) or an empty one stops the start, naming its variable. Each service calls this
 * from a start-up observer with its own variables.
 */
public final class ProdPasswords {
    static final Set<String> SHIPPED = Set.of("admin", "viewer", "change-me", "change-me-too");

    private ProdPasswords() {
    }

    /** Throws, naming every variable (key) whose password (value) is empty or shipped with the project. */
    public static void refuseShipped(Map<String, String> passwords) {
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
