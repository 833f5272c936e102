package io.vbo.ami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.lab.ami.Transcripts;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Call and RTCP events of the real captures, every field used checked against the literal captured value. */
class CallEventsTest {
    private static final String CALLS = "ami-session-calls.received.raw.txt";

    private static List<AmiMessage> events(String file, String name) {
        return AmiMessageTest.messages(file).stream().filter(m -> name.equalsIgnoreCase(m.event())).toList();
    }

    @Test
    void loginAsksForCallAndReportingEvents() {
        AmiMessage request = AmiMessage.parse(Transcripts.text("ami-login-events-call-reporting.request.txt"));
        assertEquals("call,reporting", request.get("Events"));
        assertTrue(AmiMessage.parse(Transcripts.text("ami-login-events-call-reporting.response.txt")).isSuccess());
    }

    @Test
    void newchannelNewstateAndBridgeEnterCarryTheChannel() {
        List<AmiMessage> created = events(CALLS, "Newchannel");
        assertEquals(6, created.size());
        CallEvents.Channel first = CallEvents.channel(created.get(0)).orElseThrow();
        assertEquals(new CallEvents.Channel("PJSIP/1002-00000000", "1796154184.0", "1796154184.0", "Down"), first);
        assertEquals(Optional.of("1002"), first.pjsipEndpoint());
        // call (b): the leg Dial created belongs to the originated channel's call
        CallEvents.Channel dialled = CallEvents.channel(created.get(2)).orElseThrow();
        assertEquals(new CallEvents.Channel("PJSIP/1002-00000002", "1796154202.2", "1796154202.1", "Down"), dialled);

        List<AmiMessage> states = events(CALLS, "Newstate");
        assertEquals(12, states.size());
        assertEquals("Ringing", CallEvents.channel(states.get(0)).orElseThrow().state());
        assertEquals("Up", CallEvents.channel(states.get(1)).orElseThrow().state());

        List<AmiMessage> bridged = events(CALLS, "BridgeEnter");
        assertEquals(2, bridged.size());
        assertEquals(new CallEvents.Channel("PJSIP/1002-00000002", "1796154202.2", "1796154202.1", "Up"),
                CallEvents.channel(bridged.get(0)).orElseThrow());
    }

    @Test
    void hangupCarriesItsCause() {
        List<CallEvents.Hangup> hangups = events(CALLS, "Hangup").stream().map(CallEvents::hangup)
                .flatMap(Optional::stream).toList();
        assertEquals(6, hangups.size());
        assertEquals("PJSIP/1002-00000000", hangups.get(0).channel().channel());
        assertEquals(0, hangups.get(0).cause());
        assertEquals("Unknown", hangups.get(0).causeText());
        assertEquals(16, hangups.get(1).cause());
        assertEquals("Normal Clearing", hangups.get(1).causeText());
        assertTrue(CallEvents.hangup(events(CALLS, "Newchannel").get(0)).isEmpty());
    }

    @Test
    void coreShowChannelsListsBothLegsOfTheBridgedCall() {
        List<CallEvents.Channel> channels = CallEvents.channels(AmiMessageTest.messages("ami-coreshowchannels-call.response.txt"));
        assertEquals(List.of(
                new CallEvents.Channel("PJSIP/1002-00000002", "1796154202.2", "1796154202.1", "Up"),
                new CallEvents.Channel("PJSIP/1003-00000001", "1796154202.1", "1796154202.1", "Up")), channels);
    }

    @Test
    void rtcpReceivedIsThePhonesReportWithTheRoundTripAsteriskComputed() {
        List<AmiMessage> received = events(CALLS, "RTCPReceived");
        assertEquals(3, received.size());
        CallEvents.Rtcp first = CallEvents.rtcp(received.get(0)).orElseThrow();
        assertFalse(first.sent());
        assertTrue(first.senderReport());
        assertEquals(250L, first.sentPackets());
        assertEquals(0.0, first.rttSeconds());
        assertNull(first.computedRttSeconds(), "RTT 0.0000 with LSR 0: nothing echoed yet");
        assertEquals(0, first.lsr());

        CallEvents.Rtcp second = CallEvents.rtcp(received.get(1)).orElseThrow();
        assertEquals(new CallEvents.Channel("PJSIP/1002-00000000", "1796154184.0", "1796154184.0", "Up"), second.channel());
        assertEquals(500L, second.sentPackets());
        assertEquals(0.0002, second.computedRttSeconds());
        assertEquals(88.1, second.mes());
        assertEquals(0, second.fractionLost());
        assertEquals(0, second.cumulativeLost());
        assertEquals(21385, second.highestSequence());
        assertEquals(11, second.jitter());
        assertEquals(2714603165L, second.lsr());
        assertEquals(4.899, second.dlsrSeconds(), 1e-9);
    }

    @Test
    void rtcpSentOnTheLossyOpusCallIsAsterisksReportOfTheUplink() {
        List<CallEvents.Rtcp> sent = events(CALLS, "RTCPSent").stream().map(CallEvents::rtcp)
                .flatMap(Optional::stream).toList();
        assertEquals(12, sent.size());
        List<CallEvents.Rtcp> opus = sent.stream().filter(r -> r.channel().channel().equals("PJSIP/1001-00000003")).toList();
        assertEquals(3, opus.size());
        CallEvents.Rtcp last = opus.get(2);
        assertTrue(last.sent());
        assertNull(last.rttSeconds(), "RTCPSent has no RTT");
        assertEquals(254L, last.sentPackets());
        assertEquals(171, last.fractionLost());
        assertEquals(434, last.cumulativeLost());
        assertEquals(1124, last.highestSequence());
        assertEquals(1472, last.jitter());
        assertEquals(20.0, last.mes());
        assertEquals(List.of(100L, 268L, 434L), opus.stream().map(CallEvents.Rtcp::cumulativeLost).toList());

        // call (b), native RTP bridge: receiver reports whose highest sequence never moves
        CallEvents.Rtcp rr = sent.stream().filter(r -> r.channel().channel().equals("PJSIP/1002-00000002")).findFirst()
                .orElseThrow();
        assertFalse(rr.senderReport());
        assertNull(rr.sentPackets());
        assertEquals(30443, rr.highestSequence());
        assertEquals(0, rr.jitter());
    }

    @Test
    void sequenceCyclesExtendTheHighestSequence() {
        String raw = Transcripts.message(CALLS, "Event: RTCPSent").replace("Report0SequenceNumberCycles: 0",
                "Report0SequenceNumberCycles: 2");
        assertEquals(2L * 65536 + 20243, CallEvents.rtcp(AmiMessage.parse(raw)).orElseThrow().highestSequence());
        String noBlock = Transcripts.message(CALLS, "Event: RTCPSent").replace("Report0FractionLost: 0\r\n", "");
        assertTrue(CallEvents.rtcp(AmiMessage.parse(noBlock)).isEmpty());
    }

    @Test
    void endpointOfAChannelName() {
        assertEquals(Optional.of("1003"), CallEvents.pjsipEndpoint("PJSIP/1003-00000001"));
        assertEquals(Optional.of("desk-7"), CallEvents.pjsipEndpoint("PJSIP/desk-7-0000000a"));
        assertEquals(Optional.empty(), CallEvents.pjsipEndpoint("Local/1002@from-internal-00000001;1"));
        assertEquals(Optional.empty(), CallEvents.pjsipEndpoint("PJSIP/-0001"));
    }

    @Test
    void nativeFormatIsTheRtpCodecNotTheWriteFormat() {
        assertEquals(Optional.of("ulaw"), CallEvents.nativeFormat(Transcripts.lines("cli-core-show-channel-1002-call.txt")));
        assertEquals(Optional.of("opus"),
                CallEvents.nativeFormat(Transcripts.lines("cli-core-show-channel-1001-echo-opus.txt")));
        assertEquals(Optional.of("gsm"),
                CallEvents.nativeFormat(Transcripts.lines("cli-core-show-channel-1001-offerpref-local.txt")));
        assertEquals(Optional.empty(), CallEvents.nativeFormat(List.of("No such channel")));
    }
}
