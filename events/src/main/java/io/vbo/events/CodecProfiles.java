package io.vbo.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in {@link CodecProfile}s (sources in docs/decisions.md), shared by discovery (a call's MOS) and policy
 * (tier ranking). Rates are what Asterisk sends at the usual 20 ms framing (iLBC: its 30 ms mode, Asterisk's default).
 */
public final class CodecProfiles {
    /** G.113 Appendix I Table I.3: G.711 with packet-loss concealment. */
    public static final double G711_BPL_PLC = 25.1;
    /** G.113 Appendix I Table I.3: G.711 without packet-loss concealment. */
    public static final double G711_BPL_NO_PLC = 4.3;
    /** Opus payload at the encoder's automatic bitrate (48 kHz, 20 ms), what Asterisk 22 sends unless capped. */
    public static final int OPUS_AUTO_BPS = 51_000;

    private CodecProfiles() {
    }

    /** The built-in table, by Asterisk codec name; {@code g711Plc} picks G.711's Bpl. */
    public static Map<String, CodecProfile> defaults(boolean g711Plc) {
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
        // (docs/decisions.md). 6.5 ms look-ahead (RFC 6716). No ITU-T E-model values.
        put(map, new CodecProfile("opus", OPUS_AUTO_BPS, 20, 6.5, null, null));
        // G.726-32: G.113 gives Ie 7 but no Bpl.
        put(map, new CodecProfile("g726", 32_000, 20, 0, null, null));
        return Map.copyOf(map);
    }

    /**
     * The RTP timestamp clock of a codec (RFC 3551 and the codecs' payload formats), which RTCP's interarrival jitter
     * is counted in. G.722 keeps 8000 (RFC 3551's historical error); {@code null} for a name this does not know.
     */
    public static Integer rtpClockRate(String codec) {
        if (codec == null) {
            return null;
        }
        return switch (codec) {
            case "opus", "g719" -> 48_000;
            case "siren14", "speex32" -> 32_000;
            case "siren7", "speex16", "slin16" -> 16_000;
            case "ulaw", "alaw", "g722", "g729", "gsm", "ilbc", "g726", "g726aal2", "g723", "speex", "slin", "lpc10",
                    "adpcm", "testlaw", "codec2" -> 8_000;
            default -> null;
        };
    }

    private static void put(Map<String, CodecProfile> map, CodecProfile profile) {
        map.put(profile.name(), profile);
    }
}
