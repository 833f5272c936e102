package io.vbo.writer.pbx;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Asterisk has loaded for one endpoint, as {@code pjsip show endpoint <name>} prints it (CLI, or AMI
 * {@code Command}): the parameter lines {@code allow : (gsm|ulaw)}, {@code outgoing_call_offer_pref : local} and
 * {@code incoming_call_offer_pref : local}. The {@code codec_prefs_*} lines it also prints keep their defaults
 * whatever the offer preferences are, so they are not read.
 *
 * @param codecs                 the allow list in order (video codecs included)
 * @param outgoingCallOfferPref  {@code outgoing_call_offer_pref}
 * @param incomingCallOfferPref  {@code incoming_call_offer_pref}
 */
public record LoadedEndpoint(List<String> codecs, String outgoingCallOfferPref, String incomingCallOfferPref) {
    private static final Pattern PARAMETER = Pattern.compile(
            "^\\s*(allow|outgoing_call_offer_pref|incoming_call_offer_pref)\\s*:\\s*(.*?)\\s*$");

    public LoadedEndpoint {
        codecs = List.copyOf(codecs);
    }

    /** Reads the output of {@code pjsip show endpoint}; an unknown endpoint ({@code Unable to find object}) is an error. */
    public static LoadedEndpoint parse(List<String> output) throws PbxException {
        List<String> codecs = null;
        String outgoing = null;
        String incoming = null;
        for (String line : output) {
            Matcher m = PARAMETER.matcher(line);
            if (m.matches()) {
                switch (m.group(1)) {
                    case "allow" -> codecs = PbxClient.parseAllow(m.group(2));
                    case "outgoing_call_offer_pref" -> outgoing = m.group(2);
                    default -> incoming = m.group(2);
                }
            }
        }
        if (codecs == null || outgoing == null || incoming == null) {
            String first = output.stream().filter(l -> !l.isBlank()).findFirst().orElse("no output");
            throw new PbxException("Asterisk: " + first);
        }
        return new LoadedEndpoint(codecs, outgoing, incoming);
    }
}
