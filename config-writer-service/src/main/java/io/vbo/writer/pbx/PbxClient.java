package io.vbo.writer.pbx;

import java.util.ArrayList;
import java.util.List;

/** What the writer asks of Asterisk: reload PJSIP the least disruptive way, and report what an endpoint loaded. */
public interface PbxClient extends AutoCloseable {
    /** The reload command: {@code pjsip reload} does not exist in Asterisk 22 and {@code core reload} reloads every module. */
    String RELOAD_COMMAND = "module reload res_pjsip.so";

    /** Reloads the dialplan only ({@code core reload} would reload every module). */
    String DIALPLAN_RELOAD_COMMAND = "dialplan reload";
    /** What Asterisk 22 prints after {@code dialplan reload} (pbx/pbx_config.c, {@code handle_cli_dialplan_reload}). */
    String DIALPLAN_RELOADED = "Dialplan reloaded.";

    /** Reloads res_pjsip; returns Asterisk's words, throws if it did not confirm the reload. */
    String reloadPjsip() throws PbxException;

    /** What Asterisk has loaded for {@code endpoint}: its codecs in order and both offer preferences. */
    LoadedEndpoint endpoint(String endpoint) throws PbxException;

    /** {@code false} when no Asterisk is configured: files are written, nothing is reloaded or verified. */
    default boolean configured() {
        return true;
    }

    /**
     * Runs one CLI command and returns its output lines as the CLI prints them; an Asterisk error is a
     * {@link PbxException}. Only fixed commands of this service are sent (never user input).
     */
    List<String> command(String cli) throws PbxException;

    /** {@code dialplan reload}; returns Asterisk's words, throws if it did not confirm the reload. */
    default String reloadDialplan() throws PbxException {
        List<String> out = command(DIALPLAN_RELOAD_COMMAND);
        if (!out.contains(DIALPLAN_RELOADED)) {
            throw new PbxException("Asterisk did not confirm '" + DIALPLAN_RELOAD_COMMAND + "': " + String.join(" / ", out));
        }
        return String.join(" / ", out);
    }

    /**
     * A global dialplan variable's value ({@code ""} when unset), from {@code dialplan show globals}: one
     * {@code "   NAME=value"} line each (main/pbx_variables.c, {@code handle_show_globals}). AMI asks {@code Getvar}.
     */
    default String global(String name) throws PbxException {
        String prefix = "   " + name + "=";
        return command("dialplan show globals").stream().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length())).findFirst().orElse("");
    }

    /** Checks that Asterisk answers. */
    void ping() throws PbxException;

    @Override
    void close();

    /** Whether a reload answer confirms it: Asterisk 22 prints {@code Module 'res_pjsip.so' reloaded successfully.} */
    static boolean reloadConfirmed(List<String> output) {
        return output.stream().anyMatch(line -> line.contains("reloaded successfully"));
    }

    /** {@code (ulaw|alaw|g722)} as Asterisk prints an allow list (AMI {@code Allow:}, CLI {@code allow :}). */
    static List<String> parseAllow(String value) {
        String v = value == null ? "" : value.strip();
        if (v.startsWith("(") && v.endsWith(")")) {
            v = v.substring(1, v.length() - 1);
        }
        List<String> codecs = new ArrayList<>();
        for (String c : v.split("\\|")) {
            if (!c.isBlank()) {
                codecs.add(c.strip());
            }
        }
        return codecs;
    }
}
