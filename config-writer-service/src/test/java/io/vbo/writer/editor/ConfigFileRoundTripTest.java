package io.vbo.writer.editor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import io.vbo.lab.Fixtures;

class ConfigFileRoundTripTest {

    static Stream<Path> everyFixture() {
        return Stream.concat(ConfigCopies.filesIn(Fixtures.samples()).stream(), ConfigCopies.filesIn(Fixtures.configUsed()).stream());
    }

    @ParameterizedTest
    @MethodSource("everyFixture")
    void readAndWriteBackGivesIdenticalBytes(Path file) throws IOException {
        byte[] original = Files.readAllBytes(file);
        ConfigFile parsed = ConfigFile.read(file);
        assertArrayEquals(original, parsed.render(), file.toString());
        long newlines = new String(original, StandardCharsets.ISO_8859_1).chars().filter(c -> c == '\n').count();
        assertEquals(newlines, parsed.lines().stream().filter(l -> l.eol().endsWith("\n")).count(), "lines of " + file);
    }

    @Test
    void sampleWithOnlyCommentsHasNoSections() throws IOException {
        ConfigFile sample = ConfigFile.read(Fixtures.samples().resolve("pjsip.conf.sample"));
        assertEquals(1753, sample.lines().size());
        assertTrue(sample.sections().isEmpty());
    }

    @Test
    void blockCommentsAreNotSettings() throws IOException {
        ConfigFile manager = ConfigFile.read(Fixtures.samples().resolve("manager.conf.sample"));
        List<String> keys = manager.sections().stream().flatMap(s -> s.entries().stream()).map(ConfigFile.Entry::key).toList();
        assertFalse(keys.stream().anyMatch(k -> k.startsWith("eventfilter")), keys.toString());
        // The line after the first block comment is active again.
        assertTrue(manager.lines().get(208).content().isEmpty() || !manager.lines().get(208).content().contains("--;"));
        assertTrue(keys.contains("enabled"), keys.toString());
    }

    @Test
    void crlfAndMissingFinalNewlineSurvive() {
        byte[] bytes = "[a]\r\ntype=aor\r\n; note\r\n[b]\ntype = endpoint\rallow=ulaw".getBytes(StandardCharsets.ISO_8859_1);
        ConfigFile file = ConfigFile.parse(Path.of("x.conf"), bytes);
        assertArrayEquals(bytes, file.render());
        assertEquals(2, file.sections().size());
        assertEquals("endpoint", file.sections().get(1).ownType());
        assertEquals("", file.lines().get(file.lines().size() - 1).eol());
    }

    @Test
    void templateOptionsAndIncludesAreRecognised() throws IOException {
        ConfigFile pbx = ConfigFile.read(Fixtures.samples().resolve("basic-pbx-pjsip.conf"));
        ConfigFile.Section tpl = pbx.sections().stream().filter(s -> s.name().equals("endpoint-internal-d70")).findFirst().orElseThrow();
        assertTrue(tpl.template());
        ConfigFile.Section ext = pbx.sections().stream().filter(s -> s.name().equals("1107")).findFirst().orElseThrow();
        assertFalse(ext.template());
        assertEquals(List.of("endpoint-internal-d70"), ext.inherits());
        assertEquals(null, ext.ownType());
        ConfigFile main = ConfigFile.read(Fixtures.configUsed().resolve("pjsip.conf"));
        assertEquals(List.of("pjsip_endpoints.conf", "pjsip_aor.conf", "pjsip_auth.conf"), main.includes());
    }
}
