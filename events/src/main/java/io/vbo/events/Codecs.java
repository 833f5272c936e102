package io.vbo.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Audio codec names as Asterisk 22 spells them in {@code allow=}. */
public final class Codecs {
    /** Every audio codec name Asterisk 22 accepts in {@code allow=} (core show codecs, audio). */
    public static final Set<String> KNOWN = Set.of(
            "ulaw", "alaw", "g722", "g729", "gsm", "opus", "ilbc", "g726", "g726aal2", "g723",
            "speex", "speex16", "speex32", "slin", "slin16", "lpc10", "adpcm", "siren7", "siren14",
            "g719", "testlaw", "codec2");

    private Codecs() {
    }

    public static boolean isKnown(String codec) {
        return codec != null && KNOWN.contains(codec);
    }

    /**
     * Parses a comma-separated list as an administrator types it ({@code "ulaw, alaw"}), validating every
     * name. {@code field} names the source in the error.
     */
    public static List<String> parseList(String field, String csv) {
        Validate.required(field, csv);
        List<String> codecs = new ArrayList<>();
        for (String part : csv.split(",", -1)) {
            codecs.add(part.strip());
        }
        return Validate.codecs(field, codecs);
    }
}
