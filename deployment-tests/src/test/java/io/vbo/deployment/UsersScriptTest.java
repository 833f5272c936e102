package io.vbo.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/vbo-users} with the real curl against a stand-in for the config writer that records what reaches it
 * (the API itself is tested in config-writer-service's UserResourceTest).
 */
class UsersScriptTest {
    @TempDir
    Path cwd;

    private HttpServer writer;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startWriter() throws Exception {
        writer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        writer.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"message\":\"added 9001\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        writer.start();
    }

    @AfterEach
    void stopWriter() {
        writer.stop(0);
    }

    @Test
    void aValueWithAControlCharacterIsRefusedBeforeAnyRequest() throws Exception {
        List<List<String>> attempts = List.of(
                List.of("add", "9001", "pw\noutput = ./x"),
                List.of("add", "9001", "pw", "--codecs", "ulaw\nurl = http://127.0.0.1:1/"),
                List.of("add", "9001\rheader = X: y", "pw"),
                List.of("edit", "9001", "--password", "p\tw"),
                List.of("del", "9001\n"));
        for (List<String> args : attempts) {
            Run run = users(args, Map.of(), "");
            assertEquals(2, run.exit(), args + ": " + run.out());
            assertTrue(run.out().contains("must not contain control characters"), run.out());
        }
        Run fromStdin = users(List.of("add", "9001", "-"), Map.of(), "p\rw\n");
        assertEquals(2, fromStdin.exit(), fromStdin.out());
        Run credentials = users(List.of("show"), Map.of("VBO_WRITER_PASSWORD", "x\noutput = ./x"), "");
        assertEquals(2, credentials.exit(), credentials.out());
        assertTrue(credentials.out().contains("VBO_WRITER_PASSWORD must not contain control characters"), credentials.out());

        assertEquals(List.of(), requests);
        try (Stream<Path> files = Files.list(cwd)) {
            assertEquals(List.of(), files.toList(), "curl must not have written anything");
        }
    }

    @Test
    void plainValuesStillReachTheWriterUrlEncoded() throws Exception {
        Run run = users(List.of("add", "9001", "p w\"x\\y=&", "--codecs", "g729,gsm"), Map.of(), "");
        assertEquals(0, run.exit(), run.out());
        assertEquals("{\"message\":\"added 9001\"}\n", run.out());
        assertEquals(List.of("POST /api/v1/users extension=9001&password=p+w%22x%5Cy%3D%26&codecs=g729%2Cgsm"),
                requests);
    }

    record Run(int exit, String out) {
    }

    private Run users(List<String> args, Map<String, String> env, String stdin) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Repo.root().resolve("bin/vbo-users").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        builder.environment().put("VBO_WRITER_URL", "http://127.0.0.1:" + writer.getAddress().getPort());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "bin/vbo-users did not finish: " + out);
        return new Run(process.exitValue(), out);
    }
}
