package io.vbo.ami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.lab.ami.AmiTestServer;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.action.PingAction;
import org.junit.jupiter.api.Test;

/**
 * Why discovery-service does not use asterisk-java 3.41.0 (docs/decisions.md): its built-in
 * reconnect retries a refused login on a fixed 50 ms schedule — a login storm against a PBX whose secret changed —
 * where the requirement is to retry a failed login slowly. The service's client makes one attempt in the same
 * situation ({@link AmiConnectionTest#wrongSecretIsReportedAndRetriedSlowly}, DiscoveryServiceTest).
 */
class AsteriskJavaLimitsTest {

    @Test
    void asteriskJavaRetriesARefusedLoginInATightLoop() throws Exception {
        try (AmiTestServer server = AmiTestServer.start()) {
            ManagerConnection connection = new ManagerConnectionFactory("127.0.0.1", server.port(), "vbo", "vbo-secret")
                    .createManagerConnection();
            connection.login();
            try {
                assertEquals("Success", connection.sendAction(new PingAction(), 5000).getResponse());
                int before = server.loginAttempts();
                server.refuseLogins(true);
                server.closeConnections();
                Thread.sleep(2000);
                int refused = server.loginAttempts() - before;
                server.refuseLogins(false);
                assertTrue(refused >= 5, "expected a burst of refused logins within 2 s, saw " + refused);
            } finally {
                if (connection.getState() == ManagerConnectionState.CONNECTED) {
                    connection.logoff();
                }
            }
        }
    }
}
