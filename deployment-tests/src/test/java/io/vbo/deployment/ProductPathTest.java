package io.vbo.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What {@code ./vbo up} runs is product code: no test fixture module, no test class, on its path. */
class ProductPathTest {
    private static final Pattern TEST_CODE = Pattern.compile("testkit/|io\\.vbo\\.testkit|e2e/|io\\.vbo\\.e2e|test-classes");

    @Test
    void theStartCommandAndItsToolsNameNoTestCode() throws Exception {
        List<Path> files = new ArrayList<>(List.of(Repo.root().resolve("vbo"), Repo.root().resolve("bin/kafka")));
        try (Stream<Path> tools = Files.walk(Repo.root().resolve("tools"))) {
            tools.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/target/")).forEach(files::add);
        }
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = TEST_CODE.matcher(lines.get(i));
                if (m.find()) {
                    found.add(Repo.root().relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theLocalDatabaseComesFromTheToolModule() throws Exception {
        String vbo = Files.readString(Repo.root().resolve("vbo"));
        assertTrue(vbo.contains("io.vbo.tools.postgres.LocalPostgres"), "./vbo up starts tools/postgres");
        assertTrue(Files.exists(Repo.root().resolve("tools/postgres/src/main/java/io/vbo/tools/postgres/LocalPostgres.java")));
        String pom = Files.readString(Repo.root().resolve("tools/postgres/pom.xml"));
        assertTrue(!pom.contains("<groupId>io.vbo</groupId>"), "the launcher depends on no module of the project");
    }
}
