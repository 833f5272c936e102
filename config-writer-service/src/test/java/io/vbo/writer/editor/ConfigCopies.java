package io.vbo.writer.editor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** Listings and writable copies of the real Asterisk files in the lab's {@link io.vbo.lab.Fixtures}. */
public final class ConfigCopies {
    private ConfigCopies() {
    }

    /** A file of fixtures/asterisk-transcripts. */
    public static Path transcript(String name) {
        return io.vbo.lab.Fixtures.transcripts().resolve(name);
    }

    public static List<Path> filesIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies every file of {@code from} into {@code to} (writable copies). */
    public static Path copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
            for (Path f : filesIn(from)) {
                Path target = to.resolve(f.getFileName());
                Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                target.toFile().setWritable(true, true);
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
