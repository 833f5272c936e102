package io.vbo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProdPasswordsTest {

    @Test
    void shippedOrEmptyPasswordsAreRefusedByName() {
        for (String weak : new String[] { "admin", "viewer", "change-me", "change-me-too", "", " " }) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ProdPasswords.refuseShipped(Map.of("VBO_PROBE_ADMIN_PASSWORD", weak, "VBO_PROBE_VIEWER_PASSWORD", "Xk3-own-secret")), weak);
            assertEquals("refusing to start in the prod profile: VBO_PROBE_ADMIN_PASSWORD is empty or a password that ships with VBO "
                    + "(admin, change-me, change-me-too, viewer); set a secret of your own (docs/operations.md, "
                    + "\"Security\")", e.getMessage());
        }
        IllegalStateException both = assertThrows(IllegalStateException.class,
                () -> ProdPasswords.refuseShipped(Map.of("VBO_POLICY_VIEWER_PASSWORD", "admin", "VBO_POLICY_ADMIN_PASSWORD", "admin")));
        assertEquals(true, both.getMessage().startsWith("refusing to start in the prod profile: VBO_POLICY_ADMIN_PASSWORD, VBO_POLICY_VIEWER_PASSWORD is empty"),
                both.getMessage());
    }

    @Test
    void ownPasswordsPass() {
        ProdPasswords.refuseShipped(Map.of("VBO_WRITER_ADMIN_PASSWORD", "Xk3-own-secret", "VBO_PROBE_VIEWER_PASSWORD", "another one"));
    }
}
