package io.vbo.writer.editor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.vbo.lab.Fixtures;

class PjsipConfigEditTest {
    @TempDir
    Path tmp;

    @Test
    void includesAreFollowedAndSectionsTypedByNameAndType() throws IOException {
        PjsipConfig config = PjsipConfig.load(Fixtures.configUsed(), "pjsip.conf");
        assertEquals(4, config.files().size());
        assertEquals(List.of("1001", "1002", "1003"), config.names("endpoint"));
        assertEquals(List.of("1001", "1002", "1003"), config.names("aor"));
        assertEquals(List.of("1001-auth", "1002-auth", "1003-auth"), config.names("auth"));
        assertEquals(List.of("ulaw", "alaw", "g722", "gsm"), config.effectiveAllow("1002"));
    }

    @Test
    void editProducesExactlyTheFileTheTranscriptCaptured() throws IOException {
        PjsipConfig config = PjsipConfig.load(Fixtures.configUsed(), "pjsip.conf");
        PjsipConfig.Plan plan = config.planCodecs(Map.of("1002", List.of("gsm")));
        assertEquals(1, plan.changed().size());
        Path changed = plan.changed().keySet().iterator().next();
        assertEquals("pjsip_endpoints.conf", changed.getFileName().toString());
        assertArrayEquals(Files.readAllBytes(ConfigCopies.transcript("codec-change-pjsip_endpoints.conf.after")),
                plan.changed().get(changed));
    }

    @Test
    void sameCodecsAgainPlansNothing() throws IOException {
        PjsipConfig config = PjsipConfig.load(Fixtures.configUsed(), "pjsip.conf");
        PjsipConfig.Plan plan = config.planCodecs(Map.of("1001", List.of("ulaw", "alaw", "g722", "gsm")));
        assertTrue(plan.isEmpty());
        assertTrue(plan.missing().isEmpty());
    }

    @Test
    void unknownEndpointIsReportedMissingAndNothingChanges() throws IOException {
        PjsipConfig config = PjsipConfig.load(Fixtures.configUsed(), "pjsip.conf");
        PjsipConfig.Plan plan = config.planCodecs(Map.of("9999", List.of("gsm"), "1001-auth", List.of("gsm")));
        assertTrue(plan.isEmpty());
        assertEquals(2, plan.missing().size());
    }

    @Test
    void diffShowsOnlyTheEndpointsAllowLines() throws IOException {
        Path dir = ConfigCopies.copy(Fixtures.samples(), tmp.resolve("pbx"));
        Files.move(dir.resolve("basic-pbx-pjsip.conf"), dir.resolve("pjsip.conf"));
        PjsipConfig config = PjsipConfig.load(dir, "pjsip.conf");
        byte[] before = Files.readAllBytes(dir.resolve("pjsip.conf"));
        PjsipConfig.Plan plan = config.planCodecs(Map.of("dcs-endpoint", List.of("g729", "gsm")));
        List<String> diff = diff(before, plan.changed().get(dir.resolve("pjsip.conf").toAbsolutePath().normalize()));
        assertEquals(List.of("-allow = !all,g722,ulaw", "+disallow = all", "+allow = g729,gsm"), diff);
    }

    @Test
    void templateStaysSharedAndSameNameAuthAndAorAreUntouched() throws IOException {
        Path dir = ConfigCopies.copy(Fixtures.samples(), tmp.resolve("pbx"));
        Files.move(dir.resolve("basic-pbx-pjsip.conf"), dir.resolve("pjsip.conf"));
        PjsipConfig config = PjsipConfig.load(dir, "pjsip.conf");
        assertEquals(List.of("g722", "ulaw"), config.effectiveAllow("1107"));
        assertEquals(1, config.find("1107", "endpoint").size());
        assertEquals(1, config.find("1107", "auth").size());
        assertEquals(1, config.find("1107", "aor").size());
        assertTrue(config.find("endpoint-internal-d70", "endpoint").isEmpty(), "a template is not an endpoint");

        Path file = dir.resolve("pjsip.conf").toAbsolutePath().normalize();
        byte[] before = Files.readAllBytes(file);
        PjsipConfig.Plan plan = config.planCodecs(Map.of("1107", List.of("opus", "gsm")));
        List<String> diff = diff(before, plan.changed().get(file));
        assertEquals(List.of("+disallow = all", "+allow = opus,gsm"), diff);
        String after = new String(plan.changed().get(file), StandardCharsets.ISO_8859_1);
        assertTrue(after.contains("[1107](endpoint-internal-d70)\nauth = 1107\naors = 1107\ncallerid = Lindsey Freddie <1107>\n"
                + "disallow = all\nallow = opus,gsm\n\n[1107](auth-userpass)\npassword = 4webrEtHupHewu4\n"), after);
        assertTrue(after.contains("[endpoint-internal-d70](!)\ntype = endpoint\ncontext = Long-Distance\nallow = !all,g722,ulaw\n"));

        Files.write(file, plan.changed().get(file));
        PjsipConfig reread = PjsipConfig.load(dir, "pjsip.conf");
        assertEquals(List.of("opus", "gsm"), reread.effectiveAllow("1107"));
        assertEquals(List.of("g722", "ulaw"), reread.effectiveAllow("1111"), "other endpoints keep the template's codecs");
        assertTrue(reread.planCodecs(Map.of("1107", List.of("opus", "gsm"))).isEmpty(), "idempotent");
    }

    @Test
    void crlfFileGetsCrlfLinesAndAllDuplicatesGo() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("crlf"));
        String text = "[tpl](!)\r\ntype=endpoint\r\nallow=ulaw\r\n\r\n[7](tpl)\r\n  allow=alaw ; old\r\ncontext=x\r\n  disallow=all\r\n"
                + "allow=g722\r\n; trailing comment\r\n";
        Files.writeString(dir.resolve("pjsip.conf"), text, StandardCharsets.ISO_8859_1);
        PjsipConfig config = PjsipConfig.load(dir, "pjsip.conf");
        Map<String, List<String>> want = new LinkedHashMap<>();
        want.put("7", List.of("gsm", "ulaw"));
        byte[] out = config.planCodecs(want).changed().values().iterator().next();
        assertEquals("[tpl](!)\r\ntype=endpoint\r\nallow=ulaw\r\n\r\n[7](tpl)\r\n  disallow=all\r\n  allow=gsm,ulaw\r\ncontext=x\r\n"
                + "; trailing comment\r\n", new String(out, StandardCharsets.ISO_8859_1));
    }

    @Test
    void manyEndpointsInOnePlanTouchOnlyTheirLines() throws IOException {
        PjsipConfig config = PjsipConfig.load(Fixtures.configUsed(), "pjsip.conf");
        Map<String, List<String>> want = new LinkedHashMap<>();
        want.put("1001", List.of("opus"));
        want.put("1003", List.of("g729", "gsm"));
        PjsipConfig.Plan plan = config.planCodecs(want);
        byte[] before = Files.readAllBytes(Fixtures.configUsed().resolve("pjsip_endpoints.conf"));
        List<String> diff = diff(before, plan.changed().values().iterator().next());
        assertEquals(List.of("-allow=ulaw,alaw,g722,gsm", "+allow=opus", "-allow=ulaw,alaw,g722,gsm", "+allow=g729,gsm"), diff);
    }

    /** A minimal line diff for files whose edits do not reorder lines: "-old" / "+new" in file order. */
    static List<String> diff(byte[] before, byte[] after) {
        List<String> a = List.of(new String(before, StandardCharsets.ISO_8859_1).split("\n", -1));
        List<String> b = List.of(new String(after, StandardCharsets.ISO_8859_1).split("\n", -1));
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add("-" + a.get(i++));
            } else {
                out.add("+" + b.get(j++));
            }
        }
        return out;
    }
}
