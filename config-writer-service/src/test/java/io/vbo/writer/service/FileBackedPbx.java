package io.vbo.writer.service;

import io.vbo.writer.editor.PjsipConfig;
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
 * and the endpoint check answers from what was loaded — so a check only passes if the file really changed.
 */
final class FileBackedPbx implements PbxClient {
    private final Path dir;
    private PjsipConfig loaded;
    final List<String> calls = new ArrayList<>();
    String reloadError;
    boolean unreachable;
    UnaryOperator<List<String>> distort = UnaryOperator.identity();
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
    public List<String> endpointCodecs(String endpoint) throws PbxException {
        calls.add("show " + endpoint);
        List<String> codecs = loaded.effectiveAllow(endpoint);
        if (codecs.isEmpty()) {
            throw new PbxException("Unable to retrieve endpoint " + endpoint);
        }
        return distort.apply(codecs);
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
