package io.vbo.events;

/**
 * ITU-T G.107 E-model, reduced to what a VoIP link changes: R = 93.2 − Id − Ie,eff with the default values of every
 * other parameter (G.107 Table 3). Id is the absolute-delay term Idd; the talker-echo terms are left out because
 * Asterisk legs are digital 4-wire with echo control (default TELR 65 dB), where they are negligible.
 */
public final class EModel {
    /** R with all G.107 defaults and no impairments (Ro − Is). */
    public static final double R_DEFAULT = 93.2;

    private EModel() {
    }

    /** One-way mouth-to-ear delay: half the round trip, the jitter buffer, and the codec's own delay. */
    public static double oneWayDelayMs(double rttMs, double jitterMs, double jitterBufferFactor, CodecProfile codec) {
        return rttMs / 2 + jitterMs * jitterBufferFactor + codec.codecDelayMs();
    }

    /** G.107 (7-28): delay impairment Idd, zero up to 100 ms. */
    public static double delayImpairment(double oneWayDelayMs) {
        if (oneWayDelayMs <= 100) {
            return 0;
        }
        double x = Math.log10(oneWayDelayMs / 100) / Math.log10(2);
        return 25 * (Math.pow(1 + Math.pow(x, 6), 1.0 / 6) - 3 * Math.pow(1 + Math.pow(x / 3, 6), 1.0 / 6) + 2);
    }

    /** G.107 (7-29) with random loss (BurstR = 1): Ie,eff = Ie + (95 − Ie)·Ppl/(Ppl + Bpl). */
    public static double effectiveEquipmentImpairment(double ie, double bpl, double lossPercent) {
        return ie + (95 - ie) * lossPercent / (lossPercent + bpl);
    }

    public static double rating(CodecProfile codec, double oneWayDelayMs, double lossPercent) {
        if (!codec.rated()) {
            throw new IllegalArgumentException(codec.name() + " has no E-model factors");
        }
        return R_DEFAULT - delayImpairment(oneWayDelayMs)
                - effectiveEquipmentImpairment(codec.ie(), codec.bpl(), lossPercent);
    }

    /**
     * G.107 Annex B (B-4): MOS (conversational quality, estimated) from R, held at 1 where the cubic dips below it
     * (R under about 6.5), since MOS is defined on 1..5.
     */
    public static double mos(double r) {
        if (r <= 0) {
            return 1.0;
        }
        if (r >= 100) {
            return 4.5;
        }
        return Math.max(1.0, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6);
    }
}
