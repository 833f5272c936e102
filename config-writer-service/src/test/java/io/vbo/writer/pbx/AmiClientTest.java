package io.vbo.writer.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.testkit.ami.AmiTestServer;
import io.vbo.testkit.ami.CommandReply;
import io.vbo.testkit.ami.EndpointSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The AMI client against the AMI test server replaying Asterisk 22's captured answers. */
class AmiClientTest {

    @Test
    void reloadAndShowEndpointAsCaptured() throws Exception {
        try (AmiTestServer server = AmiTestServer.start();
                AmiClient ami = new AmiClient("127.0.0.1", server.port(), "vbo", "vbo-secret", Duration.ofSeconds(5))) {
            assertEquals("Module 'res_pjsip.so' reloaded successfully.", ami.reloadPjsip());
            assertEquals(new LoadedEndpoint(List.of("ulaw", "alaw", "g722", "gsm"), "remote_merge", "local"), ami.endpoint("1001"));
            server.endpointSettings(endpoint -> endpoint.equals("1002")
                    ? new EndpointSettings(List.of("gsm", "ulaw"), "local_first", "local_first") : null);
            assertEquals(new LoadedEndpoint(List.of("gsm", "ulaw"), "local_first", "local_first"), ami.endpoint("1002"));
            server.endpointAllow(endpoint -> endpoint.equals("1002") ? List.of("gsm") : null);
            assertEquals(new LoadedEndpoint(List.of("gsm"), "remote_merge", "local"), ami.endpoint("1002"));
            PbxException unknown = assertThrows(PbxException.class, () -> ami.endpoint("9999"));
            assertEquals("Asterisk: Unable to find object 9999.", unknown.getMessage());
            assertThrows(io.vbo.events.InvalidEventException.class, () -> ami.endpoint("1002\r\nAction: Logoff"));
            // asterisk-java itself asks "core show version" after login; the others are ours.
            List<String> commands = server.requests("Command").stream().map(r -> r.header("Command"))
                    .filter(c -> !c.equals("core show version")).toList();
            assertEquals(List.of("module reload res_pjsip.so", "pjsip show endpoint 1001", "pjsip show endpoint 1002",
                    "pjsip show endpoint 1002", "pjsip show endpoint 9999"), commands);
            assertTrue(server.requests("Login").stream().allMatch(r -> r.header("Secret") == null), "MD5 challenge, no secret on the wire");
            assertEquals(1, server.connections(), "one connection for everything");
        }
    }

    @Test
    void anUnconfirmedReloadIsAnError() throws Exception {
        try (AmiTestServer server = AmiTestServer.start();
                AmiClient ami = new AmiClient("127.0.0.1", server.port(), "vbo", "vbo-secret", Duration.ofSeconds(5))) {
            server.onCommand(command -> CommandReply.error("The module 'res_pjsip.so' was not properly initialized."));
            PbxException e = assertThrows(PbxException.class, ami::reloadPjsip);
            assertTrue(e.getMessage().contains("not properly initialized"), e.getMessage());
            assertTrue(!(e instanceof PbxUnreachableException));
            server.onCommand(command -> CommandReply.ok("Module 'res_pjsip.so' is not reloadable."));
            assertThrows(PbxException.class, ami::reloadPjsip);
        }
    }

    @Test
    void refusedLoginAndDroppedConnectionsAreUnreachableThenRecovered() throws Exception {
        try (AmiTestServer server = AmiTestServer.start();
                AmiClient wrong = new AmiClient("127.0.0.1", server.port(), "vbo", "wrong-secret", Duration.ofSeconds(5));
                AmiClient ami = new AmiClient("127.0.0.1", server.port(), "vbo", "vbo-secret", Duration.ofSeconds(5))) {
            PbxUnreachableException refused = assertThrows(PbxUnreachableException.class, wrong::ping);
            assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
            assertTrue(!refused.getMessage().contains("wrong-secret"), "the secret is never in a message");
            ami.ping();
            server.closeConnections();
            server.refuseLogins(true);
            assertThrows(PbxUnreachableException.class, () -> {
                ami.ping();
                ami.ping();
            });
            server.refuseLogins(false);
            ami.ping();
            assertEquals("Module 'res_pjsip.so' reloaded successfully.", ami.reloadPjsip());
        }
    }
}
