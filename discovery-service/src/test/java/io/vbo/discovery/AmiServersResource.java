package io.vbo.discovery;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vbo.testkit.ami.AmiTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Two AMI test servers for the service under test: {@code pbx-a} with the right secret and {@code pbx-bad} whose
 * configured secret is wrong. Secrets are handed over in files, as a mounted Kubernetes secret would be.
 */
public class AmiServersResource implements QuarkusTestResourceLifecycleManager {
    /** The servers, injected into test fields of this type. */
    public record Servers(AmiTestServer good, AmiTestServer wrongSecret) {
    }

    private Servers servers;
    private Path secrets;

    @Override
    public Map<String, String> start() {
        servers = new Servers(AmiTestServer.start(), AmiTestServer.start());
        try {
            secrets = Files.createTempDirectory("vbo-discovery-secrets");
            Files.writeString(secrets.resolve("pbx-a"), "vbo-secret\n");
            Files.writeString(secrets.resolve("pbx-bad"), "not-the-secret\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("vbo.discovery.interval", "1s");
        config.put("vbo.discovery.ami.initial-backoff", "200ms");
        config.put("vbo.discovery.ami.max-backoff", "1s");
        config.put("vbo.discovery.ami.action-timeout", "3s");
        target(config, 0, "pbx-a", servers.good().port(), secrets.resolve("pbx-a"));
        target(config, 1, "pbx-bad", servers.wrongSecret().port(), secrets.resolve("pbx-bad"));
        return config;
    }

    private static void target(Map<String, String> config, int index, String id, int port, Path secret) {
        String prefix = "vbo.discovery.pbx[" + index + "].";
        config.put(prefix + "id", id);
        config.put(prefix + "host", "127.0.0.1");
        config.put(prefix + "port", Integer.toString(port));
        config.put(prefix + "username", "vbo");
        config.put(prefix + "secret-file", secret.toString());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(servers, new TestInjector.MatchesType(Servers.class));
    }

    @Override
    public void stop() {
        if (servers != null) {
            servers.good().close();
            servers.wrongSecret().close();
        }
        if (secrets != null) {
            try (var files = Files.list(secrets)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
                Files.deleteIfExists(secrets);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
