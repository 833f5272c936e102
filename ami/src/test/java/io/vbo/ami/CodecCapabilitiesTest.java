package io.vbo.ami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.events.PbxCapabilities;
import io.vbo.lab.ami.TranslationTables;
import io.vbo.lab.ami.Transcripts;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The translator-table and module-list parsers on the captured Asterisk 22.10.1 bytes. */
class CodecCapabilitiesTest {
    /** The stock capture's transcodable set, read off the table by hand: every row and column has a slin8 cost. */
    static final List<String> STOCK = List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "gsm", "ilbc", "lpc10",
            "slin", "slin16", "speex", "speex16", "speex32", "ulaw");

    /** The {@code Output:} lines of an AMI Command response capture, parsed the way the client parses them. */
    static List<String> amiOutput(String file) {
        return AmiMessage.parse(Transcripts.messages(file).get(0)).all("Output");
    }

    @Test
    void stockTranslationTableFromTheCli() {
        assertEquals(STOCK, CodecCapabilities.fromTranslation(Transcripts.lines("cli-core-show-translation.txt")));
    }

    @Test
    void amiOutputLinesAreTheCliLinesAndGiveTheSameSet() {
        List<String> output = amiOutput("ami-command-core-show-translation.response.txt");
        assertEquals(Transcripts.lines("cli-core-show-translation.txt"), output);
        assertEquals(STOCK, CodecCapabilities.fromTranslation(output));
    }

    @Test
    void aTableWithAnOpusRowAndColumnYieldsOpus() {
        // SYNTHETIC (derived from the capture, not captured): the stock table plus an opus row and column.
        List<String> table = TranslationTables.withFormat(TranslationTables.stock(), "opus", 21000);
        assertEquals("     opus 21000 21000 21000 21000 21000 21000 21000 21000 21000 21000 21000 21000 21000 21000 21000"
                + " 21000 21000 21000 21000 21000 21000     -", table.get(table.size() - 1));
        assertEquals(List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "gsm", "ilbc", "lpc10", "opus",
                "slin", "slin16", "speex", "speex16", "speex32", "ulaw"), CodecCapabilities.fromTranslation(table));
    }

    @Test
    void aMissingPathIsADashOffTheDiagonal() {
        // SYNTHETIC: gsm's cell towards slin8 (7th column) replaced by "-": no path gsm -> slin, so gsm is out.
        List<String> table = Transcripts.lines("cli-core-show-translation.txt").stream()
                .map(l -> l.startsWith("      gsm") ? l.replaceFirst("^(\\s+gsm(\\s+\\S+){6}\\s+)9000", "$1   -") : l)
                .toList();
        assertTrue(table.stream().anyMatch(l -> l.startsWith("      gsm 15000 15000     - 15000    15000 15000     -")),
                "the synthetic edit took place");
        assertEquals(List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "ilbc", "lpc10", "slin", "slin16", "speex",
                "speex16", "speex32", "ulaw"), CodecCapabilities.fromTranslation(table));
    }

    @Test
    void noTableIsEmptyAndARaggedTableIsAnError() {
        assertEquals(List.of(), CodecCapabilities.fromTranslation(List.of()));
        assertEquals(List.of(), CodecCapabilities.fromTranslation(amiOutput("ami-command-unknown.response.txt")));
        List<String> ragged = new ArrayList<>(Transcripts.lines("cli-core-show-translation.txt"));
        ragged.set(5, "     alaw  9150     - 15000");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CodecCapabilities.fromTranslation(ragged));
        assertEquals("translation table row 'alaw  9150     - 15000' has 3 cells for 21 columns", e.getMessage());
    }

    @Test
    void stockModuleListFromCliAndAmi() {
        assertEquals(STOCK, CodecCapabilities.fromModules(Transcripts.lines("cli-module-show-like-codec.txt")));
        assertEquals(STOCK, CodecCapabilities.fromModules(amiOutput("ami-command-module-show-like-codec.response.txt")));
    }

    @Test
    void aModuleThatIsNotRunningDoesNotCount() {
        // SYNTHETIC: codec_gsm marked "Not Running", and a codec_opus line added.
        List<String> lines = new ArrayList<>(Transcripts.lines("cli-module-show-like-codec.txt").stream()
                .map(l -> l.startsWith("codec_gsm.so") ? l.replace("  Running", "  Not Running") : l).toList());
        lines.add(1, "codec_opus.so                  OPUS Coder/Decoder                       0          Running              extended");
        assertEquals(List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "ilbc", "lpc10", "opus", "slin", "slin16",
                "speex", "speex16", "speex32", "ulaw"), CodecCapabilities.fromModules(lines));
        assertEquals(List.of(), CodecCapabilities.fromModules(List.of("0 modules loaded")));
    }

    private static CodecCapabilities.Reading read(Map<String, Future<List<String>>> answers) throws Exception {
        return CodecCapabilities.read(answers::get).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void readPrefersTheTableAndFallsBackToModules() throws Exception {
        List<String> modules = Transcripts.lines("cli-module-show-like-codec.txt");
        CodecCapabilities.Reading table = read(Map.of(
                "core show translation", Future.succeededFuture(Transcripts.lines("cli-core-show-translation.txt")),
                "module show like codec_", Future.succeededFuture(List.of())));
        assertEquals(new CodecCapabilities.Reading(STOCK, PbxCapabilities.SOURCE_TRANSLATION, null), table);

        CodecCapabilities.Reading fallback = read(Map.of(
                "core show translation", Future.failedFuture(new AmiException("'core show translation' answered Error: x")),
                "module show like codec_", Future.succeededFuture(modules)));
        assertEquals(STOCK, fallback.transcodable());
        assertEquals(PbxCapabilities.SOURCE_MODULES, fallback.source());
        assertEquals("'core show translation' answered Error: x", fallback.note());

        CodecCapabilities.Reading empty = read(Map.of(
                "core show translation", Future.succeededFuture(List.of("No such command 'core show translation'")),
                "module show like codec_", Future.succeededFuture(modules)));
        assertEquals("'core show translation' listed no codec with a path to and from slin", empty.note());
        assertNull(table.note());
    }

    @Test
    void readFailsWhenNeitherCommandGivesACodec() {
        Exception e = assertThrows(Exception.class, () -> read(Map.of(
                "core show translation", Future.succeededFuture(List.of()),
                "module show like codec_", Future.failedFuture(new AmiException("boom")))));
        assertEquals("no transcodable codec read: 'core show translation' listed no codec with a path to and from slin; boom",
                e.getCause().getMessage());
    }
}
