package io.vbo.writer.files;

import io.vbo.writer.editor.PjsipConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The victim of {@link CrashSafetyTest}: a separate JVM that applies two codec states to every endpoint of a
 * config folder, alternately and forever, until it is killed. It prints {@code ready} before its first write and
 * {@code wrote} after it.
 */
public final class CrashWriterMain {
    static final List<String> STATE_A = List.of("ulaw", "alaw", "opus", "g729", "gsm");
    static final List<String> STATE_B = List.of("opus", "gsm", "ulaw", "alaw", "g729");

    private CrashWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        SafeFileWriter.removeStaleTemporaries(dir);
        SafeFileWriter writer = new SafeFileWriter(dir.resolve(".vbo-backups"), 3);
        System.out.println("ready");
        System.out.flush();
        for (long n = 0; ; n++) {
            PjsipConfig config = PjsipConfig.load(dir, "pjsip.conf");
            Map<String, List<String>> want = new LinkedHashMap<>();
            for (String endpoint : config.names("endpoint")) {
                want.put(endpoint, n % 2 == 0 ? STATE_B : STATE_A);
            }
            for (Map.Entry<Path, byte[]> e : config.planCodecs(want).changed().entrySet()) {
                writer.replace(e.getKey(), config.files().get(e.getKey()).bytes(), e.getValue());
            }
            if (n == 0) {
                System.out.println("wrote");
                System.out.flush();
            }
        }
    }
}
