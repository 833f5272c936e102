package io.vbo.tools.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded PostgreSQL of {@code ./vbo up} when no datasource URL is configured: real PostgreSQL binaries
 * from Maven Central, data kept in {@code .vbo/postgres/data} across restarts. Runs until SIGTERM.
 * Usage: {@code LocalPostgres <dataDir> <port>}.
 */
public final class LocalPostgres {
    private LocalPostgres() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : ".vbo/postgres/data").toAbsolutePath();
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 15432;
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception e) {
                System.err.println("postgres: stop failed: " + e.getMessage());
            }
            stopped.countDown();
        }));
        System.out.println("postgres: ready on 127.0.0.1:" + port + " (data in " + data + ")");
        stopped.await();
    }
}
