package io.vbo.discovery;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vbo.lab.ami.AmiTestServer;
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
    private String interval = "1s";
    private String prefix = "pbx";

    /**
     * {@code interval}: the listing interval (default 1 s); {@code prefix}: of the PBX ids ({@code pbx}: {@code pbx-a},
     * {@code pbx-bad}), distinct per test class because the meter registry outlives a Quarkus restart and a gauge of
     * the same PBX id would stay bound to the previous application's object.
     */
    @Override
    public void init(Map<String, String> initArgs) {
        interval = initArgs.getOrDefault("interval", interval);
        prefix = initArgs.getOrDefault("prefix", prefix);
    }

    @Override
    public Map<String, String> start() {
        servers = new Servers(AmiTestServer.start(), AmiTestServer.start());
        try {
            secrets = Files.createTempDirectory("vbo-discovery-secrets");
            Files.writeString(secrets.resolve(prefix + "-a"), "vbo-secret\n");
            Files.writeString(secrets.resolve(prefix + "-bad"), "not-the-secret\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("vbo.discovery.interval", interval);
        config.put("vbo.discovery.ami.initial-backoff", "200ms");
        config.put("vbo.discovery.ami.max-backoff", "1s");
        config.put("vbo.discovery.ami.action-timeout", "3s");
        // One configured site; its uplink key is policy-service's and must not disturb discovery.
        config.put("vbo.sites[0].name", "branch");
        config.put("vbo.sites[0].cidrs", "10.231.8.0/24");
        config.put("vbo.sites[0].uplink.down", "200000");
        target(config, 0, prefix + "-a", servers.good().port(), secrets.resolve(prefix + "-a"));
        target(config, 1, prefix + "-bad", servers.wrongSecret().port(), secrets.resolve(prefix + "-bad"));
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
