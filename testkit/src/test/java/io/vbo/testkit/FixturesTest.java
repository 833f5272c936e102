package io.vbo.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.lab.Database;
import io.vbo.lab.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FixturesTest {

    @Test
    void brokerCarriesAMessageAndStopsCleanly() throws Exception {
        Path dir;
        long pid;
        try (KafkaBroker broker = KafkaBroker.start(); KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers());
                KafkaTestClient.Reader reader = client.reader("fixture-check")) {
            dir = broker.dir();
            pid = Long.parseLong(read(dir.resolve("broker.pid")));
            client.send("fixture-check", "k", "hello");
            assertEquals("hello", reader.await(1, Duration.ofSeconds(30)).get(0).value());
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "broker process must be gone");
        assertFalse(Files.exists(dir), "broker folder must be removed");
    }

    @Test
    void brokerLeftByADeadRunIsStoppedByTheNextOne() throws Exception {
        // Simulate a killed test JVM: a broker whose folder names an owner PID that no longer exists.
        KafkaBroker orphan = KafkaBroker.start();
        long orphanPid = Long.parseLong(read(orphan.dir().resolve("broker.pid")));
        Files.writeString(orphan.dir().resolve("owner.pid"), Long.toString(deadPid()));
        try (KafkaBroker next = KafkaBroker.start()) {
            assertFalse(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false),
                    "the orphaned broker must have been stopped");
            assertFalse(Files.exists(orphan.dir()));
            assertTrue(next.bootstrapServers().startsWith("127.0.0.1:"));
        }
    }

    @Test
    void databaseAnswersQueries() throws Exception {
        try (Database db = Database.start();
                Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                ResultSet rs = c.createStatement().executeQuery("select version()")) {
            assertTrue(rs.next());
            assertTrue(rs.getString(1).startsWith("PostgreSQL"), rs.getString(1));
        }
    }

    private static String read(Path file) throws java.io.IOException {
        return Files.readString(file).strip();
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
