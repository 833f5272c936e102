package io.vbo.lab;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real Asterisk 22 captures and sample configs in {@code fixtures/} (see fixtures/README.md). */
public final class Fixtures {
    private Fixtures() {
    }

    /** {@code fixtures/asterisk-transcripts}: CLI and AMI bytes as Asterisk produced them. */
    public static Path transcripts() {
        return existing("asterisk-transcripts");
    }

    /** {@code fixtures/asterisk-samples}: Asterisk's sample configuration files. */
    public static Path samples() {
        return existing("asterisk-samples");
    }

    /** {@code fixtures/asterisk-transcripts/config-used}: the configuration the captures were made with. */
    public static Path configUsed() {
        return transcripts().resolve("config-used");
    }

    private static Path existing(String name) {
        Path dir = ProjectRoot.get().resolve("fixtures").resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("missing test fixtures: " + dir);
        }
        return dir;
    }
}
