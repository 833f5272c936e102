package io.vbo.policy.model;

import io.vbo.policy.config.PolicyConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Built-in codec profiles (sources in docs/decisions.md), with configuration overrides applied.
 * Rates are what Asterisk sends at the usual 20 ms framing (iLBC: its 30 ms mode, Asterisk's default).
 */
public final class CodecTable {
    /** G.113 Appendix I Table I.3: G.711 with packet-loss concealment. */
    public static final double G711_BPL_PLC = 25.1;
    /** G.113 Appendix I Table I.3: G.711 without packet-loss concealment. */
    public static final double G711_BPL_NO_PLC = 4.3;

    /** Opus payload at the encoder's automatic bitrate (48 kHz, 20 ms), what Asterisk 22 sends unless capped. */
    public static final int OPUS_AUTO_BPS = 51_000;

    private final Map<String, CodecProfile> profiles;

    private CodecTable(Map<String, CodecProfile> profiles) {
        this.profiles = Map.copyOf(profiles);
    }

    /** The built-in table; {@code g711Plc} picks G.711's Bpl. */
    public static CodecTable defaults(boolean g711Plc) {
        double g711Bpl = g711Plc ? G711_BPL_PLC : G711_BPL_NO_PLC;
        Map<String, CodecProfile> map = new LinkedHashMap<>();
        put(map, new CodecProfile("ulaw", 64_000, 20, 0, 0.0, g711Bpl));
        put(map, new CodecProfile("alaw", 64_000, 20, 0, 0.0, g711Bpl));
        // Wideband: the narrowband E-model (G.107) does not rate it, so no look-ahead is needed either.
        put(map, new CodecProfile("g722", 64_000, 20, 0, null, null));
        // Asterisk's g729 is G.729 Annex A; G.113 rates G.729A+VAD Ie 11, Bpl 19.
        put(map, new CodecProfile("g729", 8_000, 20, 5, 11.0, 19.0));
        // GSM 06.10 full rate: 33-byte frames (13.2 kbit/s); G.113 gives Ie 20 but no Bpl.
        put(map, new CodecProfile("gsm", 13_200, 20, 0, null, null));
        // iLBC 30 ms mode: 50-byte frames; RFC 3951 look-ahead 10 ms. No ITU-T E-model values.
        put(map, new CodecProfile("ilbc", 13_333, 30, 10, null, null));
        // Opus as Asterisk 22 sends it: codec_opus leaves the encoder at OPUS_AUTO, about 51 kbit/s at 48 kHz
        // (docs/decisions.md); an admin who caps maxaveragebitrate in codecs.conf sets vbo.policy.codecs.opus.payload-bps.
        // 6.5 ms look-ahead (RFC 6716). No ITU-T E-model values.
        put(map, new CodecProfile("opus", OPUS_AUTO_BPS, 20, 6.5, null, null));
        // G.726-32: G.113 gives Ie 7 but no Bpl.
        put(map, new CodecProfile("g726", 32_000, 20, 0, null, null));
        return new CodecTable(map);
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

    private static void put(Map<String, CodecProfile> map, CodecProfile profile) {
        map.put(profile.name(), profile);
    }

    public Optional<CodecProfile> get(String codec) {
        return Optional.ofNullable(profiles.get(codec));
    }

    public Map<String, CodecProfile> all() {
        return profiles;
    }
}
