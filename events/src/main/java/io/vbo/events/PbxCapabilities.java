package io.vbo.events;

import java.time.Instant;
import java.util.List;

/**
 * Which audio codecs one PBX can transcode, read from its translator table. On the compacted
 * {@link Topics#PBX_CAPABILITIES} topic the latest per PBX is what policy decides with.
 *
 * <p>A codec is transcodable when Asterisk has a translation path from it to {@code slin} and back: only then can a
 * call on it be bridged to a party that uses another codec. A stock Asterisk 22 has no {@code codec_opus} and no
 * {@code codec_g729}, so opus and g729 are known formats there but not transcodable.
 *
 * @param schema       contract version, {@link #SCHEMA}
 * @param pbxId        which PBX
 * @param transcodable codec names as {@code allow=} spells them, sorted, that have a path to and from slin
 * @param source       where it was read: {@link #SOURCE_TRANSLATION} or {@link #SOURCE_MODULES}
 * @param reportedBy   which service read it ({@code discovery-service}, {@code config-writer-service})
 * @param observedAt   when it was read
 */
public record PbxCapabilities(
        int schema, String pbxId, List<String> transcodable, String source, String reportedBy, Instant observedAt) {
    public static final int SCHEMA = 1;
    /** Read from {@code core show translation}. */
    public static final String SOURCE_TRANSLATION = "core show translation";
    /** Read from {@code module show like codec_} (when the translation table could not be read). */
    public static final String SOURCE_MODULES = "module show like codec_";

    public PbxCapabilities {
        Validate.schema(schema, SCHEMA);
        Validate.pbxId("pbxId", pbxId);
        transcodable = Validate.codecs("transcodable", transcodable).stream().sorted().toList();
        Validate.requiredText("source", source);
        if (!SOURCE_TRANSLATION.equals(source) && !SOURCE_MODULES.equals(source)) {
            throw new InvalidEventException("source", "must be '" + SOURCE_TRANSLATION + "' or '" + SOURCE_MODULES
                    + "', got '" + Validate.printable(source) + "'");
        }
        Validate.requiredText("reportedBy", reportedBy, Validate.MAX_NAME);
        Validate.instant("observedAt", observedAt);
    }

    public String key() {
        return pbxId;
    }
}
