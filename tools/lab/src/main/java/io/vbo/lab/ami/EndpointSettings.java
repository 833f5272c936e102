package io.vbo.lab.ami;

import java.util.List;

/**
 * What {@link AmiTestServer} reports for one endpoint, in {@code PJSIPShowEndpoint}'s {@code EndpointDetail} and in
 * {@code pjsip show endpoint <name>} ({@code Action: Command}) alike. A null field keeps the capture's value:
 * {@code (ulaw|alaw|g722|gsm)}, and Asterisk's defaults {@code remote_merge} / {@code local} for the offer preferences.
 *
 * @param allow                  the allow list, in order
 * @param outgoingCallOfferPref  {@code outgoing_call_offer_pref} ({@code OutgoingCallOfferPref})
 * @param incomingCallOfferPref  {@code incoming_call_offer_pref} ({@code IncomingCallOfferPref})
 */
public record EndpointSettings(List<String> allow, String outgoingCallOfferPref, String incomingCallOfferPref) {
    public EndpointSettings {
        allow = allow == null ? null : List.copyOf(allow);
    }

    /** Only the allow list; the offer preferences stay Asterisk's defaults. */
    public static EndpointSettings allow(List<String> allow) {
        return new EndpointSettings(allow, null, null);
    }
}
