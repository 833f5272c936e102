package io.vbo.lab.ami;

import io.vbo.lab.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Asterisk 22 captures in the repository's {@code fixtures/asterisk-transcripts}, read at run time.
 * Text is decoded as ISO-8859-1 so that every byte survives a round trip unchanged.
 */
public final class Transcripts {
    private static final Pattern ACTION_ID_LINE = Pattern.compile("(?m)^ActionID: [^\r\n]*\r\n");
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Transcripts() {
    }

    /** The transcripts folder ({@link Fixtures#transcripts()}). */
    public static Path dir() {
        return Fixtures.transcripts();
    }

    /** The exact content of one transcript file. */
    public static String text(String file) {
        return CACHE.computeIfAbsent(file, name -> {
            Path path = dir().resolve(name);
            try {
                return new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read transcript " + path, e);
            }
        });
    }

    /** The lines of a CLI transcript (LF-separated, as {@code asterisk -rx} printed them). */
    public static List<String> lines(String file) {
        return text(file).lines().toList();
    }

    /**
     * Replaces every {@code ActionID:} line of a captured response by the request's ActionID; without one the lines
     * are dropped, as Asterisk only echoes an ActionID it was given.
     */
    public static String withActionId(String message, String actionId) {
        return ACTION_ID_LINE.matcher(message)
                .replaceAll(actionId == null ? "" : Matcher.quoteReplacement("ActionID: " + actionId + "\r\n"));
    }

    /** The messages of an AMI capture, each with its terminating blank line. */
    public static List<String> messages(String file) {
        String text = text(file);
        List<String> messages = new java.util.ArrayList<>();
        int start = 0;
        for (int end = text.indexOf("\r\n\r\n"); end >= 0; end = text.indexOf("\r\n\r\n", start)) {
            messages.add(text.substring(start, end + 4));
            start = end + 4;
        }
        return messages;
    }

    /** The first message of an AMI capture that starts with {@code firstLine}, e.g. {@code "Event: FullyBooted"}. */
    public static String message(String file, String firstLine) {
        return messages(file).stream()
                .map(Transcripts::stripBanner)
                .filter(m -> m.startsWith(firstLine + "\r\n"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no message '" + firstLine + "' in " + file));
    }

    private static String stripBanner(String message) {
        String banner = text("ami-banner.txt");
        return message.startsWith(banner) ? message.substring(banner.length()) : message;
    }
}
