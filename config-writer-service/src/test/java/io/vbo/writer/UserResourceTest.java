package io.vbo.writer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vbo.testkit.KafkaBrokerResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** /api/v1/users and /api/v1/config/init over HTTP, with basic auth, on the same files the decisions use. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(WriterTestResource.class)
class UserResourceTest {
    @WriterTestResource.Ami
    WriterTestResource.SimulatedAsterisk asterisk;
    @WriterTestResource.ConfigDir
    Path dir;

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin");
    }

    @Test
    void theOpenApiDocumentDeclaresEveryStatus() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/users'.post.responses.keySet()",
                        org.hamcrest.Matchers.containsInAnyOrder("201", "400", "401", "403", "409", "413", "500", "502"))
                .body("paths.'/api/v1/users/{extension}'.delete.responses.keySet()",
                        org.hamcrest.Matchers.containsInAnyOrder("200", "400", "401", "403", "404", "409", "500", "502"))
                .body("paths.'/api/v1/users/{extension}'.patch.responses.'502'.description",
                        equalTo("Asterisk refused the reload: the change was undone (problem JSON)"))
                .body("paths.'/api/v1/config/init'.post.responses.keySet()",
                        org.hamcrest.Matchers.containsInAnyOrder("200", "401", "403", "500"));
    }

    @Test
    void requiresAdmin() {
        given().get("/api/v1/users").then().statusCode(401);
        given().auth().preemptive().basic("admin", "wrong").get("/api/v1/users").then().statusCode(401);
        given().post("/api/v1/config/init").then().statusCode(401);
    }

    @Test
    void initAtStartCreatedOnlyTheMissingFile() {
        admin().post("/api/v1/config/init").then().statusCode(200)
                .body("created", equalTo(List.of()))
                .body("kept", hasItem("pjsip_endpoints.conf"));
        assertTrue(Files.exists(dir.resolve("extensions.conf")));
    }

    @Test
    void addShowEditDeleteWithReloads() throws Exception {
        long reloads = asterisk.reloads();
        admin().contentType(ContentType.JSON)
                .body(Map.of("extension", "2001", "password", "pass;word", "codecs", "opus,g729", "context", "from-internal"))
                .post("/api/v1/users").then().statusCode(201)
                .body("message", equalTo("added 2001"))
                .body("reload", containsString("reloaded successfully"));
        assertEquals(reloads + 1, asterisk.reloads());
        assertTrue(Files.readString(dir.resolve("pjsip_auth.conf")).contains("[2001-auth]\ntype=auth\nauth_type=userpass\nusername=2001\npassword=pass\\;word\n"));
        assertTrue(Files.readString(dir.resolve("extensions.conf")).contains("exten => 2001,1,Dial(PJSIP/2001)\n;FIN_EBANDI"));

        admin().get("/api/v1/users/2001").then().statusCode(200)
                .body("extension", equalTo("2001"))
                .body("codecs", equalTo(List.of("opus", "g729")))
                .body("password", equalTo("********"))
                .body(not(containsString("pass;word")));
        admin().get("/api/v1/users").then().statusCode(200).body("extension", hasItem("1001")).body("extension", hasItem("2001"));

        // The CLI's way: form fields.
        admin().contentType(ContentType.URLENC).formParam("codecs", "gsm").patch("/api/v1/users/2001").then().statusCode(200);
        admin().get("/api/v1/users/2001").then().body("codecs", equalTo(List.of("gsm")));

        admin().delete("/api/v1/users/2001").then().statusCode(200).body("message", equalTo("deleted 2001"));
        admin().get("/api/v1/users/2001").then().statusCode(404).contentType("application/problem+json");
        assertEquals(reloads + 3, asterisk.reloads());
    }

    @Test
    void refusalsAreProblemJsonAndTouchNothing() throws Exception {
        Map<String, byte[]> before = snapshot();
        record Attempt(Map<String, String> body, int status, String detail) {
        }
        List<Attempt> attempts = List.of(
                new Attempt(Map.of("extension", "1001]\n[evil", "password", "password"), 400, "extension: must match"),
                new Attempt(Map.of("extension", "-R", "password", "password"), 400,
                        "extension: must match [A-Za-z0-9_][A-Za-z0-9_.+-]{0,79}, got '-R'"),
                new Attempt(Map.of("extension", "2002", "password", "x"), 400, "password must have at least 8 characters"),
                new Attempt(Map.of("extension", "2002", "password", "password", "codecs", "ulaw\n#include /etc/passwd"), 400, "unknown codec"),
                new Attempt(Map.of("extension", "2002", "password", "password\nallow=all"), 400, "control characters"),
                new Attempt(Map.of("extension", "2002", "password", "password", "context", "a]b"), 400, "context must match"),
                new Attempt(Map.of("extension", "1001", "password", "password"), 409, "already exists"));
        for (Attempt a : attempts) {
            admin().contentType(ContentType.JSON).body(a.body()).post("/api/v1/users").then()
                    .statusCode(a.status()).contentType("application/problem+json")
                    .body("status", equalTo(a.status())).body("detail", containsString(a.detail()));
        }
        admin().contentType(ContentType.JSON).body(Map.of("password", "password")).patch("/api/v1/users/2999").then()
                .statusCode(404).body("detail", containsString("does not exist"));
        admin().contentType(ContentType.JSON).body("{not json").post("/api/v1/users").then()
                .statusCode(400).contentType("application/problem+json");
        Map<String, byte[]> after = snapshot();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((f, bytes) -> assertArrayEquals(bytes, after.get(f), f));
    }

    @Test
    void commandLineToolUsesTheApi() throws Exception {
        Cli add = cli("add", "3001", "pa w\"x\\yz", "--codecs", "g729,gsm", "--context", "from-internal");
        assertEquals(0, add.exit(), add.out());
        assertTrue(add.out().contains("added 3001"), add.out());
        assertTrue(Files.readString(dir.resolve("pjsip_auth.conf")).contains("username=3001\npassword=pa w\"x\\yz\n"));
        Cli show = cli("show", "3001");
        assertEquals(0, show.exit(), show.out());
        assertTrue(show.out().contains("codecs:    g729,gsm") && show.out().contains("password:  ********"), show.out());
        Cli all = cli("show");
        assertTrue(all.out().lines().anyMatch(l -> l.startsWith("3001 ")), all.out());
        assertEquals(0, cli("edit", "3001", "--codecs", "opus").exit());
        assertTrue(cli("show", "3001").out().contains("codecs:    opus"));
        Cli bad = cli("add", "30 01", "password");
        assertEquals(1, bad.exit());
        assertTrue(bad.out().contains("refused (400)") && bad.out().contains("extension: must match [A-Za-z0-9_][A-Za-z0-9_.+-]{0,79}, got '30 01'"), bad.out());
        assertEquals(0, cli("del", "3001").exit());
        Cli gone = cli("show", "3001");
        assertEquals(1, gone.exit());
        assertTrue(gone.out().contains("refused (404)"), gone.out());
        Cli unauthorised = run(List.of(script().toString(), "show"), Map.of("VBO_WRITER_URL", url(), "VBO_WRITER_PASSWORD", "wrong"));
        assertEquals(1, unauthorised.exit(), unauthorised.out());
    }

    record Cli(int exit, String out) {
    }

    private static Path script() {
        return io.vbo.lab.ProjectRoot.get().resolve("bin/vbo-users");
    }

    private static String url() {
        return "http://127.0.0.1:" + io.restassured.RestAssured.port;
    }

    private static Cli cli(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(script().toString()));
        command.addAll(List.of(args));
        return run(command, Map.of("VBO_WRITER_URL", url()));
    }

    private static Cli run(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            return new Cli(p.exitValue(), out);
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, byte[]> snapshot() throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }
}
