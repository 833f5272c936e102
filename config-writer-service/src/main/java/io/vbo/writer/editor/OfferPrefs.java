package io.vbo.writer.editor;

import java.util.List;

/**
 * The {@code outgoing_call_offer_pref} and {@code incoming_call_offer_pref} the writer puts on every endpoint it
 * manages. Only the values Asterisk 22 accepts ({@code ast_sip_call_codec_str_to_pref}): a value it refuses would
 * make the whole endpoint fail to load at the next reload.
 *
 * @param outgoing {@code outgoing_call_offer_pref}: what Asterisk offers when it calls the endpoint
 * @param incoming {@code incoming_call_offer_pref}: what Asterisk answers when the endpoint calls
 */
public record OfferPrefs(String outgoing, String incoming) {
    public static final String OUTGOING_KEY = "outgoing_call_offer_pref";
    public static final String INCOMING_KEY = "incoming_call_offer_pref";
    /** Asterisk 22's values for {@code outgoing_call_offer_pref}. */
    public static final List<String> OUTGOING_VALUES = List.of("local", "local_first", "local_merge", "remote",
            "remote_first", "remote_merge");
    /** Asterisk 22's values for {@code incoming_call_offer_pref} (no {@code *_merge}: an answer cannot add codecs). */
    public static final List<String> INCOMING_VALUES = List.of("local", "local_first", "remote", "remote_first");
    /** What Asterisk uses when an endpoint sets neither (and what it then reports). */
    public static final OfferPrefs ASTERISK_DEFAULTS = new OfferPrefs("remote_merge", "local");

    public OfferPrefs {
        check("vbo.writer.outgoing-call-offer-pref", outgoing, OUTGOING_VALUES);
        check("vbo.writer.incoming-call-offer-pref", incoming, INCOMING_VALUES);
    }

    private static void check(String key, String value, List<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException(key + " must be one of " + String.join(", ", allowed) + " (Asterisk 22), got '"
                    + io.vbo.events.Validate.printable(value) + "'");
        }
    }
}
