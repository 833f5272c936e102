package io.vbo.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What {@code ./vbo up} and {@code ./vbo demo} run is product code: no test fixture module, no test class, on their
 * path.
 */
class ProductPathTest {
    private static final Pattern TEST_CODE = Pattern.compile("testkit/|io\\.vbo\\.testkit|e2e/|io\\.vbo\\.e2e|test-classes");

    @Test
    void theCommandsAndTheirToolsNameNoTestCode() throws Exception {
        List<Path> files = new ArrayList<>(List.of(Repo.root().resolve("vbo")));
        for (String dir : List.of("bin", "tools")) {
            try (Stream<Path> found = Files.walk(Repo.root().resolve(dir))) {
                found.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/target/")).forEach(files::add);
            }
        }
        assertTrue(files.contains(Repo.root().resolve("bin/vbo-demo")), "bin/vbo-demo is checked");
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

    @Test
    void theDemoRunsTheLabToolModule() throws Exception {
        String demo = Files.readString(Repo.root().resolve("bin/vbo-demo"));
        assertTrue(demo.contains("-cp \"$LAB/lab.jar:$LAB/lib/*\" io.vbo.lab.demo.Demo"), "./vbo demo runs tools/lab");
        assertTrue(Files.exists(Repo.root().resolve("tools/lab/src/main/java/io/vbo/lab/demo/Demo.java")));
        String pom = Files.readString(Repo.root().resolve("tools/lab/pom.xml"));
        for (String testModule : List.of("testkit", "e2e")) {
            assertFalse(pom.contains("<artifactId>" + testModule + "</artifactId>"), "tools/lab depends on " + testModule);
        }
    }
}
