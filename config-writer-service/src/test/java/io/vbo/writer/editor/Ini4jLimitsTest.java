package io.vbo.writer.editor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ini4j.Config;
import org.ini4j.Ini;
import org.ini4j.InvalidFileFormatException;
import org.junit.jupiter.api.Test;
import io.vbo.lab.Fixtures;

/**
 * Why the editor is not built on ini4j (the library the request names): these are the exact places where it
 * fails on Asterisk's syntax. Recorded in docs/decisions.md.
 */
class Ini4jLimitsTest {

    private static Ini ini(boolean multi) {
        Ini ini = new Ini();
        Config config = Config.getGlobal().clone();
        config.setMultiSection(multi);
        config.setMultiOption(multi);
        ini.setConfig(config);
        return ini;
    }

    @Test
    void cannotReadTemplateHeaders() {
        Ini ini = ini(true);
        InvalidFileFormatException e = assertThrows(InvalidFileFormatException.class,
                () -> ini.load(Files.newBufferedReader(Fixtures.samples().resolve("basic-pbx-pjsip.conf"))));
        assertTrue(e.getMessage().contains("line: 58") && e.getMessage().contains("[endpoint-internal-d70](!)"), e.getMessage());
    }

    @Test
    void cannotReadBlockComments() {
        Ini ini = ini(true);
        InvalidFileFormatException e = assertThrows(InvalidFileFormatException.class,
                () -> ini.load(Files.newBufferedReader(Fixtures.samples().resolve("manager.conf.sample"))));
        assertTrue(e.getMessage().contains("line: 109"), e.getMessage());
    }

    @Test
    void storeRewritesTheFileItCouldRead() throws IOException {
        for (boolean multi : new boolean[] {false, true}) {
            Path main = Fixtures.configUsed().resolve("pjsip.conf");
            Ini ini = ini(multi);
            ini.load(Files.newBufferedReader(main));
            String stored = store(ini);
            assertNotEquals(Files.readString(main), stored);
            assertFalse(stored.contains("#include pjsip_endpoints.conf"), "the #include lines are lost: " + stored);
            assertTrue(stored.contains("bind = 0.0.0.0\\:5060"), "':' gets escaped: " + stored);

            Path endpoints = Fixtures.configUsed().resolve("pjsip_endpoints.conf");
            Ini eps = ini(multi);
            eps.load(Files.newBufferedReader(endpoints));
            String storedEps = store(eps);
            assertFalse(storedEps.contains("type=endpoint"), "spacing is rewritten: " + storedEps);
            assertTrue(storedEps.contains("type = endpoint"));
        }
    }

    private static String store(Ini ini) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ini.store(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
