package io.vbo.writer.service;

import io.vbo.writer.editor.OfferPrefs;
import io.vbo.writer.editor.PjsipConfig;
import io.vbo.writer.pbx.LoadedEndpoint;
import io.vbo.writer.pbx.PbxClient;
import io.vbo.writer.pbx.PbxException;
import io.vbo.writer.pbx.PbxUnreachableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A simulated Asterisk for plain unit tests: a reload loads the PJSIP files as they are on disk at that moment,
 * and the endpoint check answers from what was loaded (codecs, offer preferences with Asterisk's defaults) — so a
 * check only passes if the file really changed.
 */
final class FileBackedPbx implements PbxClient {
    private final Path dir;
    private PjsipConfig loaded;
    final List<String> calls = new ArrayList<>();
    String reloadError;
    boolean unreachable;
    UnaryOperator<LoadedEndpoint> distort = UnaryOperator.identity();
    /** Runs on the next ping (the applier pings after reading the files and before writing them). */
    Runnable onPing = () -> { };

    FileBackedPbx(Path dir) {
        this.dir = dir;
        load();
    }

    private void load() {
        try {
            loaded = PjsipConfig.load(dir, "pjsip.conf");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String reloadPjsip() throws PbxException {
        calls.add("reload");
        if (unreachable) {
            throw new PbxUnreachableException("connection refused", null);
        }
        if (reloadError != null) {
            throw new PbxException(reloadError);
        }
        load();
        return "Module 'res_pjsip.so' reloaded successfully.";
    }

    @Override
    public LoadedEndpoint endpoint(String endpoint) throws PbxException {
        calls.add("show " + endpoint);
        if (unreachable) {
            throw new PbxUnreachableException("connection refused", null);
        }
        if (loaded.find(endpoint, "endpoint").isEmpty()) {
            throw new PbxException("Unable to find object " + endpoint + ".");
        }
        return distort.apply(new LoadedEndpoint(loaded.effectiveAllow(endpoint),
                value(endpoint, OfferPrefs.OUTGOING_KEY, OfferPrefs.ASTERISK_DEFAULTS.outgoing()),
                value(endpoint, OfferPrefs.INCOMING_KEY, OfferPrefs.ASTERISK_DEFAULTS.incoming())));
    }

    @Override
    public List<String> command(String cli) throws PbxException {
        calls.add("command " + cli);
        throw new PbxException("Asterisk: '" + cli + "': No such command");
    }

    private String value(String endpoint, String key, String otherwise) {
        String v = loaded.effectiveValue(endpoint, "endpoint", key);
        return v == null ? otherwise : v;
    }

    @Override
    public void ping() throws PbxException {
        Runnable once = onPing;
        onPing = () -> { };
        once.run();
        if (unreachable) {
            throw new PbxUnreachableException("connection refused", null);
        }
    }

    long count(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).count();
    }

    @Override
    public void close() {
    }
}
