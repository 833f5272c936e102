package io.vbo.writer.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.lab.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offer-preference lines and the video values of allow lines, on the real sample configs and small crafted ones. */
class OfferPrefsAndVideoEditTest {
    static final OfferPrefs LOCAL = new OfferPrefs("local", "local");

    @TempDir
    Path tmp;

    /** Plans {@code want} with {@link #LOCAL}, writes every changed file, and returns the new text of {@code file}. */
    private static String applyTo(Path dir, String main, String file, Map<String, List<String>> want) throws IOException {
        PjsipConfig.Plan plan = PjsipConfig.load(dir, main).planEndpoints(want, LOCAL);
        assertTrue(plan.missing().isEmpty(), plan.missing().toString());
        for (Map.Entry<Path, byte[]> f : plan.changed().entrySet()) {
            Files.write(f.getKey(), f.getValue());
        }
        return Files.readString(dir.resolve(file), StandardCharsets.ISO_8859_1);
    }

    private static void assertSecondRunChangesNothing(Path dir, String main, Map<String, List<String>> want) throws IOException {
        PjsipConfig again = PjsipConfig.load(dir, main);
        assertTrue(again.planEndpoints(want, LOCAL).isEmpty(), "a second run changes nothing");
        want.forEach((endpoint, codecs) -> assertTrue(again.alreadyApplied(endpoint, codecs, LOCAL), endpoint));
    }

    private Path labCopy() {
        return ConfigCopies.copy(Fixtures.configUsed(), tmp.resolve("lab"));
    }

    private Path file(String text) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("crafted"));
        Files.writeString(dir.resolve("pjsip.conf"), text, StandardCharsets.ISO_8859_1);
        return dir;
    }

    @Test
    void labConfigGetsBothLinesAfterItsAllowLineAndNothingElseChanges() throws IOException {
        Path dir = labCopy();
        Map<String, List<String>> want = Map.of("1002", List.of("gsm"));
        assertEquals("[1001]\ntype=endpoint\ncontext=from-internal\ndisallow=all\nallow=ulaw,alaw,g722,gsm\naors=1001\nauth=1001-auth\n\n"
                + "[1002]\ntype=endpoint\ncontext=from-internal\ndisallow=all\nallow=gsm\n"
                + "outgoing_call_offer_pref=local\nincoming_call_offer_pref=local\naors=1002\nauth=1002-auth\n\n"
                + "[1003]\ntype=endpoint\ncontext=from-internal\ndisallow=all\nallow=ulaw,alaw,g722,gsm\naors=1003\nauth=1003-auth\n\n",
                applyTo(dir, "pjsip.conf", "pjsip_endpoints.conf", want));
        assertEquals(Files.readString(Fixtures.configUsed().resolve("pjsip.conf")), Files.readString(dir.resolve("pjsip.conf")));
        assertSecondRunChangesNothing(dir, "pjsip.conf", want);
    }

    @Test
    void sameCodecsWithoutTheOfferLinesIsNotAppliedYet() throws IOException {
        PjsipConfig config = PjsipConfig.load(Fixtures.configUsed(), "pjsip.conf");
        List<String> now = List.of("ulaw", "alaw", "g722", "gsm");
        assertTrue(config.alreadyApplied("1001", now, null), "codecs alone are in place");
        assertTrue(!config.alreadyApplied("1001", now, LOCAL), "the offer preferences are not");
        assertEquals(1, config.planEndpoints(Map.of("1001", now), LOCAL).changed().size());
    }

    @Test
    void templatedSampleEndpointGetsItsOwnLinesAndTheTemplateStaysShared() throws IOException {
        Path dir = ConfigCopies.copy(Fixtures.samples(), tmp.resolve("pbx"));
        Files.move(dir.resolve("basic-pbx-pjsip.conf"), dir.resolve("pjsip.conf"));
        byte[] before = Files.readAllBytes(dir.resolve("pjsip.conf"));
        Map<String, List<String>> want = Map.of("1107", List.of("gsm", "ulaw"));
        String after = applyTo(dir, "pjsip.conf", "pjsip.conf", want);
        assertEquals(List.of("+disallow = all", "+allow = gsm,ulaw", "+outgoing_call_offer_pref = local",
                "+incoming_call_offer_pref = local"), PjsipConfigEditTest.diff(before, after.getBytes(StandardCharsets.ISO_8859_1)));
        assertTrue(after.contains("[1107](endpoint-internal-d70)\nauth = 1107\naors = 1107\ncallerid = Lindsey Freddie <1107>\n"
                + "disallow = all\nallow = gsm,ulaw\noutgoing_call_offer_pref = local\nincoming_call_offer_pref = local\n\n"
                + "[1107](auth-userpass)\n"), after);
        assertSecondRunChangesNothing(dir, "pjsip.conf", want);
    }

    @Test
    void existingOfferLinesAreReplacedInPlaceDuplicatesGoAndARightOneKeepsItsBytes() throws IOException {
        Path dir = file("[tpl](!)\ntype=endpoint\noutgoing_call_offer_pref=remote_first\n\n"
                + "[7](tpl)\n  outgoing_call_offer_pref = remote ; old\ndisallow=all\nallow=ulaw\n"
                + "incoming_call_offer_pref=local ; pinned by hand\ncontext=x\noutgoing_call_offer_pref=local_first\n");
        Map<String, List<String>> want = Map.of("7", List.of("gsm"));
        assertEquals("[tpl](!)\ntype=endpoint\noutgoing_call_offer_pref=remote_first\n\n"
                + "[7](tpl)\n  outgoing_call_offer_pref = local\ndisallow=all\nallow=gsm\n"
                + "incoming_call_offer_pref=local ; pinned by hand\ncontext=x\n", applyTo(dir, "pjsip.conf", "pjsip.conf", want));
        assertSecondRunChangesNothing(dir, "pjsip.conf", want);
    }

    @Test
    void videoOfAMixedLineStaysAfterTheAudio() throws IOException {
        Path dir = file("[7]\ntype=endpoint\nallow=ulaw,h264\ncontext=x\n");
        Map<String, List<String>> want = Map.of("7", List.of("gsm", "alaw"));
        assertEquals("[7]\ntype=endpoint\ndisallow=all\nallow=gsm,alaw,h264\noutgoing_call_offer_pref=local\n"
                + "incoming_call_offer_pref=local\ncontext=x\n", applyTo(dir, "pjsip.conf", "pjsip.conf", want));
        assertEquals(List.of("gsm", "alaw", "h264"), PjsipConfig.load(dir, "pjsip.conf").effectiveAllow("7"));
        assertSecondRunChangesNothing(dir, "pjsip.conf", want);
    }

    @Test
    void videoOnlyLinesAreKeptByteForByteAndMixedDisallowKeepsItsVideo() throws IOException {
        Path dir = file("[7]\r\ntype=endpoint\r\ndisallow=all\r\nallow = h264, vp8 ; cameras\r\nallow=ulaw,alaw\r\n"
                + "allow=g722,H263p\r\ndisallow=g729,vp9\r\n");
        Map<String, List<String>> want = Map.of("7", List.of("g722", "ulaw"));
        assertEquals("[7]\r\ntype=endpoint\r\ndisallow=all\r\nallow = h264, vp8 ; cameras\r\nallow=g722,ulaw\r\n"
                + "outgoing_call_offer_pref=local\r\nincoming_call_offer_pref=local\r\nallow=H263p\r\ndisallow=vp9\r\n",
                applyTo(dir, "pjsip.conf", "pjsip.conf", want));
        assertEquals(List.of("h264", "vp8", "g722", "ulaw", "H263p"), PjsipConfig.load(dir, "pjsip.conf").effectiveAllow("7"));
        assertSecondRunChangesNothing(dir, "pjsip.conf", want);
    }

    @Test
    void aVideoLineBeforeTheAudioGetsTheDisallowAllBeforeIt() throws IOException {
        Path dir = file("[7]\ntype=endpoint\nallow=vp8\nallow=ulaw\n");
        Map<String, List<String>> want = Map.of("7", List.of("gsm"));
        assertEquals("[7]\ntype=endpoint\ndisallow=all\nallow=vp8\nallow=gsm\noutgoing_call_offer_pref=local\n"
                + "incoming_call_offer_pref=local\n", applyTo(dir, "pjsip.conf", "pjsip.conf", want));
        assertSecondRunChangesNothing(dir, "pjsip.conf", want);
    }

    @Test
    void videoOnlyFromATemplateIsKeptOnTheEndpointsOwnLine() throws IOException {
        Path dir = file("[cams](!)\ntype=endpoint\nallow=ulaw,h264\n\n[7](cams)\ncontext=x\n\n[8](cams)\ncontext=y\n");
        Map<String, List<String>> want = Map.of("7", List.of("gsm"));
        assertEquals("[cams](!)\ntype=endpoint\nallow=ulaw,h264\n\n[7](cams)\ncontext=x\ndisallow=all\nallow=gsm,h264\n"
                + "outgoing_call_offer_pref=local\nincoming_call_offer_pref=local\n\n[8](cams)\ncontext=y\n",
                applyTo(dir, "pjsip.conf", "pjsip.conf", want));
        PjsipConfig now = PjsipConfig.load(dir, "pjsip.conf");
        assertEquals(List.of("gsm", "h264"), now.effectiveAllow("7"));
        assertEquals(List.of("ulaw", "h264"), now.effectiveAllow("8"));
        assertSecondRunChangesNothing(dir, "pjsip.conf", want);
    }

    @Test
    void aFileWithoutFinalNewlineKeepsEndingWithoutOne() throws IOException {
        Path dir = file("[7]\ntype=endpoint\ndisallow=all\nallow=ulaw");
        assertEquals("[7]\ntype=endpoint\ndisallow=all\nallow=gsm\noutgoing_call_offer_pref=local\nincoming_call_offer_pref=local",
                applyTo(dir, "pjsip.conf", "pjsip.conf", Map.of("7", List.of("gsm"))));
    }

    @Test
    void theCeilingIsTheAudioAsteriskResolvesTemplatesIncluded() throws IOException {
        Path dir = file("[cams](!)\ntype=endpoint\nallow=g722,h264\n\n[7](cams)\nallow=ulaw,vp8,!g722\n");
        assertEquals(List.of("ulaw"), PjsipConfig.load(dir, "pjsip.conf").audioAllow("7"));
        Path sample = ConfigCopies.copy(Fixtures.samples(), tmp.resolve("pbx"));
        Files.move(sample.resolve("basic-pbx-pjsip.conf"), sample.resolve("pjsip.conf"));
        assertEquals(List.of("g722", "ulaw"), PjsipConfig.load(sample, "pjsip.conf").audioAllow("1107"));
    }

    @Test
    void onlyTheValuesAsterisk22AcceptsAreTaken() {
        assertEquals("remote_merge", OfferPrefs.ASTERISK_DEFAULTS.outgoing());
        IllegalArgumentException merge = assertThrows(IllegalArgumentException.class, () -> new OfferPrefs("local", "local_merge"));
        assertEquals("vbo.writer.incoming-call-offer-pref must be one of local, local_first, remote, remote_first (Asterisk 22), "
                + "got 'local_merge'", merge.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OfferPrefs("Local", "local"));
        assertThrows(IllegalArgumentException.class, () -> new OfferPrefs("local\nallow=all", "local"));
    }
}
