package io.vbo.writer.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.vbo.writer.editor.ConfigCopies;

/** cli mode against a stand-in {@code asterisk} binary that prints the real captured CLI output. */
class CliClientTest {
    @TempDir
    Path tmp;

    private Path fakeAsterisk(String body) throws Exception {
        Path bin = tmp.resolve("asterisk");
        Files.writeString(bin, "#!/bin/sh\n# args: -rx '<command>'\necho \"$1|$2\" >> " + tmp.resolve("calls") + "\n" + body);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwx------"));
        return bin;
    }

    @Test
    void reloadAndShowEndpointParseTheCapturedOutput() throws Exception {
        Path t = ConfigCopies.transcript("");
        Path bin = fakeAsterisk("case \"$2\" in\n"
                + "  'module reload res_pjsip.so') cat " + t.resolve("cli-module-reload-res_pjsip.txt") + " ;;\n"
                + "  'pjsip show endpoint 1002') cat " + t.resolve("codec-change-1002-cli-after.txt") + " ;;\n"
                + "  'pjsip show endpoint 1001') cat " + t.resolve("cli-pjsip-show-endpoint-1001-offer-prefs.txt") + " ;;\n"
                + "  'pjsip show endpoint 9999') cat " + t.resolve("cli-pjsip-show-endpoint-9999-unknown.txt") + " ;;\n"
                + "  *) cat " + t.resolve("cli-pjsip-reload.txt") + " ;;\n"
                + "esac\n");
        CliClient cli = new CliClient(bin.toString(), Duration.ofSeconds(5));
        assertEquals("Module 'res_pjsip.so' reloaded successfully.", cli.reloadPjsip());
        assertEquals(new LoadedEndpoint(List.of("gsm"), "remote_merge", "local"), cli.endpoint("1002"));
        assertEquals(new LoadedEndpoint(List.of("gsm", "ulaw"), "local_first", "local_first"), cli.endpoint("1001"));
        PbxException unknown = assertThrows(PbxException.class, () -> cli.endpoint("9999"));
        assertEquals("Asterisk: Unable to find object 9999.", unknown.getMessage());
        assertThrows(io.vbo.events.InvalidEventException.class, () -> cli.endpoint("1002; core stop now"));
        assertEquals(List.of("-rx|module reload res_pjsip.so", "-rx|pjsip show endpoint 1002", "-rx|pjsip show endpoint 1001",
                "-rx|pjsip show endpoint 9999"),
                Files.readAllLines(tmp.resolve("calls")));
    }

    @Test
    void aRefusedReloadAndADeadAsteriskAreTold() throws Exception {
        CliClient refusing = new CliClient(fakeAsterisk("echo \"The module 'res_pjsip.so' was not properly initialized.\"\n").toString(),
                Duration.ofSeconds(5));
        PbxException refused = assertThrows(PbxException.class, refusing::reloadPjsip);
        assertTrue(refused.getMessage().contains("not properly initialized"), refused.getMessage());
        CliClient down = new CliClient(fakeAsterisk("echo 'Unable to connect to remote asterisk (does /var/run/asterisk/asterisk.ctl exist?)'\nexit 1\n")
                .toString(), Duration.ofSeconds(5));
        assertThrows(PbxUnreachableException.class, down::reloadPjsip);
        assertThrows(PbxUnreachableException.class, () -> new CliClient(tmp.resolve("missing").toString(), Duration.ofSeconds(5)).ping());
    }

    /** No capture of these exists: the output is built from pbx_config.c and pbx_variables.c's format strings. */
    @Test
    void dialplanReloadAndGlobalsInCliMode() throws Exception {
        Path bin = fakeAsterisk("case \"$2\" in\n"
                + "  'dialplan reload') printf 'Dialplan reloaded.\\n' ;;\n"
                + "  'dialplan show globals') printf '   VBO_MAX_CALLS_branch1=2\\n   VBO_SITE_1001=branch1\\n\\n    -- 2 variable(s)\\n' ;;\n"
                + "  *) echo \"No such command '$2'\"; exit 1 ;;\n"
                + "esac\n");
        CliClient cli = new CliClient(bin.toString(), Duration.ofSeconds(5));
        assertEquals("Dialplan reloaded.", cli.reloadDialplan());
        assertEquals("2", cli.global("VBO_MAX_CALLS_branch1"));
        assertEquals("branch1", cli.global("VBO_SITE_1001"));
        assertEquals("", cli.global("VBO_MAX_CALLS_branch"), "a prefix of a name is not that name");
        assertEquals(List.of("-rx|dialplan reload", "-rx|dialplan show globals", "-rx|dialplan show globals",
                "-rx|dialplan show globals"), Files.readAllLines(tmp.resolve("calls")));
    }
}
