package io.vbo.policy;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on loopback standing in for probe-service's {@code POST /probes/endpoints/{pbx}/{endpoint}}:
 * it accepts {@code con/7001} (202, as probe-service does for an endpoint it schedules) and answers every other one
 * with probe-service's 404 problem. It records what reached it, for the tests to check.
 */
public class ProbeServiceStub implements QuarkusTestResourceLifecycleManager {
    /** One request that reached the stub. */
    public record Seen(String method, String path, String authorization) {
    }

    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            SEEN.add(new Seen(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body;
            if ("/probes/endpoints/con/7001".equals(path)) {
                body = "{\"pbxId\":\"con\",\"endpoint\":\"7001\",\"status\":\"due\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(202, body.length);
            } else {
                String key = path.replaceFirst("^/probes/endpoints/", "");
                body = ("{\"type\":\"urn:vbo:problem:not-found\",\"title\":\"Not Found\",\"status\":404,\"detail\":"
                        + "\"no endpoint " + key + " is scheduled here\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                exchange.sendResponseHeaders(404, body.length);
            }
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return Map.of("vbo.console.probe-service-url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
