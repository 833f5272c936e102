package io.vbo.writer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProdPasswordCheckTest {

    @Test
    void shippedOrEmptyPasswordsAreRefusedByName() {
        for (String weak : new String[] { "admin", "viewer", "change-me", "change-me-too", "", " " }) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ProdPasswordCheck.refuseShipped(Map.of("VBO_WRITER_ADMIN_PASSWORD", weak)), weak);
            assertEquals("refusing to start in the prod profile: VBO_WRITER_ADMIN_PASSWORD is empty or a password that "
                    + "ships with VBO (admin, change-me, change-me-too, viewer); set a secret of your own "
                    + "(docs/operations.md, \"Security\")", e.getMessage());
        }
    }

    @Test
    void anOwnPasswordPasses() {
        ProdPasswordCheck.refuseShipped(Map.of("VBO_WRITER_ADMIN_PASSWORD", "Xk3-own-secret"));
    }
}
