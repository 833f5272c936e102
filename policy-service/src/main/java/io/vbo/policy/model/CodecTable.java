package io.vbo.policy.model;

import io.vbo.events.CodecProfile;
import io.vbo.events.CodecProfiles;
import io.vbo.policy.config.PolicyConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in codec profiles ({@link CodecProfiles}, shared with discovery's call summaries; sources in
 * docs/decisions.md), with configuration overrides applied.
 */
public final class CodecTable {
    private final Map<String, CodecProfile> profiles;

    private CodecTable(Map<String, CodecProfile> profiles) {
        this.profiles = Map.copyOf(profiles);
    }

    /** The built-in table; {@code g711Plc} picks G.711's Bpl. */
    public static CodecTable defaults(boolean g711Plc) {
        return new CodecTable(CodecProfiles.defaults(g711Plc));
    }

    /** The built-in table with the configured overrides (a new codec needs at least payload-bps). */
    public static CodecTable from(PolicyConfig config) {
        CodecTable base = defaults(config.emodel().g711Plc());
        Map<String, CodecProfile> map = new LinkedHashMap<>(base.profiles);
        config.codecs().forEach((name, o) -> {
            CodecProfile b = map.get(name);
            if (b == null && o.payloadBps().isEmpty()) {
                throw new IllegalArgumentException("vbo.policy.codecs." + name + ": unknown codec needs payload-bps");
            }
            map.put(name, new CodecProfile(name,
                    o.payloadBps().orElseGet(() -> b.payloadBps()),
                    o.packetizationMs().orElse(b == null ? 20 : b.packetizationMs()),
                    b == null ? 0 : b.lookaheadMs(),
                    o.ie().orElse(b == null ? null : b.ie()),
                    o.bpl().orElse(b == null ? null : b.bpl())));
        });
        return new CodecTable(map);
    }

    public Optional<CodecProfile> get(String codec) {
        return Optional.ofNullable(profiles.get(codec));
    }

    public Map<String, CodecProfile> all() {
        return profiles;
    }
}
