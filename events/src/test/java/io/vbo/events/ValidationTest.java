package io.vbo.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {

    /** A JSON field replaced by a bad value, and the field the error must name. */
    static Stream<Arguments> invalidObserved() {
        return Stream.of(
                Arguments.of("\"schema\":1", "\"schema\":2", "schema"),
                Arguments.of("\"pbxId\":\"pbx-a\"", "\"pbxId\":\"pbx/a\"", "pbxId"),
                Arguments.of("\"pbxId\":\"pbx-a\"", "\"pbxId\":null", "pbxId"),
                Arguments.of("\"endpoint\":\"1001\"", "\"endpoint\":\"1001]\\n[evil\"", "endpoint"),
                Arguments.of("\"endpoint\":\"1001\"", "\"endpoint\":\"\"", "endpoint"),
                Arguments.of("\"aor\":\"1001\"", "\"aor\":\"a;b\"", "aor"),
                Arguments.of("\"address\":\"10.231.1.2\"", "\"address\":\"-R\"", "address"),
                Arguments.of("\"address\":\"10.231.1.2\"", "\"address\":\"--logfile=x\"", "address"),
                Arguments.of("\"address\":\"10.231.1.2\"", "\"address\":\"phone.example.org\"", "address"),
                Arguments.of("\"address\":\"10.231.1.2\"", "\"address\":\"10.231.1.256\"", "address"),
                Arguments.of("\"port\":5060", "\"port\":0", "port"),
                Arguments.of("\"port\":5060", "\"port\":70000", "port"),
                Arguments.of("\"rttMicros\":479", "\"rttMicros\":-1", "rttMicros"),
                Arguments.of("\"activeCalls\":0", "\"activeCalls\":-2", "activeCalls"),
                Arguments.of("\"observedAt\":\"2026-11-26T10:00:00Z\"", "\"observedAt\":null", "observedAt"),
                Arguments.of("\"contactUri\":\"sip:1001-0x5644aa7f0270@10.231.1.2:5060\"", "\"contactUri\":\" \"", "contactUri"));
    }

    @ParameterizedTest
    @MethodSource("invalidObserved")
    void observedRejectsEachInvalidValueNamingTheField(String good, String bad, String field) {
        String json = EventJson.toJson(Samples.observed());
        assertTrue(json.contains(good), "sample must contain " + good + ": " + json);
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json.replace(good, bad), EndpointEvent.class));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
    }

    static Stream<Arguments> invalidProbe() {
        return Stream.of(
                Arguments.of("\"probeId\":\"3f2a1c7e-0000-4000-8000-000000000001\"", "\"probeId\":null", "probeId"),
                Arguments.of("\"bitsPerSecond\":150000", "\"bitsPerSecond\":null", "bitsPerSecond"),
                Arguments.of("\"bitsPerSecond\":150000", "\"bitsPerSecond\":-5", "bitsPerSecond"),
                Arguments.of("\"durationMs\":3050", "\"durationMs\":-1", "durationMs"),
                Arguments.of("\"direction\":\"DOWNLINK\"", "\"direction\":null", "direction"),
                Arguments.of("\"address\":\"10.231.1.2\"", "\"address\":\"10.231.1.2; rm -rf /\"", "address"));
    }

    @ParameterizedTest
    @MethodSource("invalidProbe")
    void probeRejectsEachInvalidValueNamingTheField(String good, String bad, String field) {
        String json = EventJson.toJson(Samples.probe());
        assertTrue(json.contains(good), json);
        assertEquals(field, assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json.replace(good, bad), ProbeResult.class)).field());
    }

    @Test
    void lossAndJitterHaveRanges() {
        String json = EventJson.toJson(Samples.probe());
        assertEquals("lossPercent", assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json.replace("\"lossPercent\":null", "\"lossPercent\":101.0"),
                        ProbeResult.class)).field());
        assertEquals("jitterMs", assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json.replace("\"jitterMs\":null", "\"jitterMs\":-0.5"),
                        ProbeResult.class)).field());
    }

    @Test
    void ladderStepsAreCheckedAndOnlyALadderCarriesThem() {
        String json = EventJson.toJson(Samples.ladder());
        assertEquals("ladder.steps.lossPercent", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("\"lossPercent\":0.0,\"jitterMs\":6.8", "\"lossPercent\":100.5,\"jitterMs\":6.8"),
                ProbeResult.class)).field());
        assertEquals("ladder.steps.codecs[0]", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("[\"gsm\"]", "[\"gsm; reload\"]"), ProbeResult.class)).field());
        assertEquals("ladder.calls", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("\"calls\":2", "\"calls\":0"), ProbeResult.class)).field());
        assertEquals("ladder.steps.delayGrowthMs", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("\"delayGrowthMs\":531.0", "\"delayGrowthMs\":-1.0"), ProbeResult.class)).field());
        assertEquals("ladder", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("\"LADDER\"", "\"UDP\""), ProbeResult.class)).field());
        assertEquals("ladder", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replaceFirst(",\"ladder\":\\{.*\\},\"site\":null\\}$", ",\"site\":null}"), ProbeResult.class)).field());
    }

    @Test
    void failedProbeNeedsNoRate() {
        String json = EventJson.toJson(Samples.probe()).replace("\"bitsPerSecond\":150000", "\"bitsPerSecond\":null")
                .replace("\"OK\"", "\"UNREACHABLE\"");
        assertEquals(ProbeResult.Outcome.UNREACHABLE, EventJson.fromJson(json, ProbeResult.class).outcome());
    }

    @Test
    void decisionCodecsAreChecked() {
        String json = EventJson.toJson(Samples.decision());
        InvalidEventException unknown = assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("\"gsm\"", "\"ulaw\\n#include /etc/passwd\""), CodecDecision.class));
        assertEquals("codecs[1]", unknown.field());
        assertFalse(unknown.getMessage().contains("\n"), "error message must not carry the raw newline");
        assertEquals("codecs", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("[\"g729\",\"gsm\"]", "[]"), CodecDecision.class)).field());
        assertEquals("codecs[1]", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("[\"g729\",\"gsm\"]", "[\"g729\",\"g729\"]"), CodecDecision.class)).field());
        assertEquals("reason.mos", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("\"mos\":3.9", "\"mos\":7.0"), CodecDecision.class)).field());
    }

    @Test
    void decisionWithoutTheIssue10FieldsReadsAsEmpty() {
        String json = EventJson.toJson(Samples.decision()).replaceAll(",\"ceiling\":\\[[^\\]]*\\]", "")
                .replaceAll(",\"excluded\":\\[[^\\]]*\\]", "").replace(",\"noCodecFits\":false", "");
        CodecDecision d = EventJson.fromJson(json, CodecDecision.class);
        assertEquals(List.of(), d.ceiling());
        assertEquals(List.of(), d.excluded());
        assertEquals(false, d.noCodecFits());
        assertEquals(List.of("alaw", "g722", "g729", "gsm", "ulaw"), d.transcodable());
    }

    @Test
    void decisionExclusionsAreChecked() {
        String json = EventJson.toJson(Samples.decision());
        assertEquals("excluded.codec[0]", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("\"codec\":\"ulaw\"", "\"codec\":\"ulaw2\""), CodecDecision.class)).field());
        assertEquals("excluded.cause", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("\"cause\":\"BANDWIDTH\"", "\"cause\":null"), CodecDecision.class)).field());
        assertEquals("ceiling[1]", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("\"ceiling\":[\"ulaw\",\"alaw\"", "\"ceiling\":[\"ulaw\",\"ulaw\""),
                CodecDecision.class)).field());
    }

    @Test
    void capabilitiesAreSortedAndChecked() {
        PbxCapabilities c = Samples.capabilities();
        assertEquals(List.of("alaw", "g722", "gsm", "ulaw"), c.transcodable());
        String json = EventJson.toJson(c);
        assertEquals("source", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("core show translation", "guess"), PbxCapabilities.class)).field());
        assertEquals("transcodable[0]", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("\"alaw\"", "\"h264\""), PbxCapabilities.class)).field());
        assertEquals("pbxId", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("\"pbx-a\"", "\"../x\""), PbxCapabilities.class)).field());
    }

    @Test
    void ceilingNeedsCodecsAndSource() {
        String json = EventJson.toJson(Samples.ceiling());
        assertEquals("codecs", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("[\"ulaw\",\"alaw\",\"g722\",\"gsm\"]", "[]"), EndpointCeiling.class)).field());
        assertEquals("source", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("\"FILE\"", "null"), EndpointCeiling.class)).field());
        assertEquals("endpoint", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("\"1001\"", "\"-R\""), EndpointCeiling.class)).field());
    }

    @Test
    void appliedNeedsStatus() {
        String json = EventJson.toJson(Samples.applied()).replace("\"APPLIED\"", "null");
        assertEquals("status", assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json, ConfigApplied.class)).field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "fe80::1", "2001:db8::5060",
            "::ffff:10.231.1.2"})
    void ipLiteralsAccepted(String ip) {
        assertTrue(Validate.isIpLiteral(ip));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-R", "--logfile=x", "localhost", "10.0.0", "010.0.0.1", "1.2.3.4.5", "[::1]",
            "::1%eth0", "1:2:3:4:5:6:7:8:9", "10.0.0.1 ", "gggg::1"})
    void nonLiteralsRefused(String ip) {
        assertFalse(Validate.isIpLiteral(ip), ip);
    }

    @Test
    void keysRoundTripAndRefuseSlashes() {
        assertEquals("pbx-a/1001", EventKeys.key("pbx-a", "1001"));
        assertEquals(List.of("pbx-a", "1001"), List.of(EventKeys.split("pbx-a/1001")));
        assertEquals("endpoint", assertThrows(InvalidEventException.class,
                () -> EventKeys.key("pbx-a", "10/01")).field());
        assertEquals("key.endpoint", assertThrows(InvalidEventException.class,
                () -> EventKeys.split("pbx-a/")).field());
    }

    @Test
    void codecListParsing() {
        assertEquals(List.of("ulaw", "alaw", "g722"), Codecs.parseList("codecs", "ulaw, alaw,g722"));
        assertEquals("codecs[1]", assertThrows(InvalidEventException.class,
                () -> Codecs.parseList("codecs", "ulaw,,alaw")).field());
        assertEquals("codecs[0]", assertThrows(InvalidEventException.class,
                () -> Codecs.parseList("codecs", "ULAW")).field());
    }

    @Test
    void asteriskStatusWordsMapAcrossInterfaces() {
        assertEquals(ContactStatus.REACHABLE, ContactStatus.fromAsterisk("Avail"));
        assertEquals(ContactStatus.REACHABLE, ContactStatus.fromAsterisk("Reachable"));
        assertEquals(ContactStatus.UNREACHABLE, ContactStatus.fromAsterisk("Unavail"));
        assertEquals(ContactStatus.NON_QUALIFIED, ContactStatus.fromAsterisk("NonQualified"));
        assertEquals(ContactStatus.NON_QUALIFIED, ContactStatus.fromAsterisk("NonQual"));
        assertEquals(ContactStatus.REMOVED, ContactStatus.fromAsterisk("Removed"));
        assertEquals(ContactStatus.UNKNOWN, ContactStatus.fromAsterisk("Created"));
        assertFalse(ContactStatus.UNREACHABLE.probeable());
    }

    @Test
    void anExtensionIsAnEndpointNameThatIsNoDialplanPattern() {
        assertEquals("1001", Validate.extension("extension", "1001"));
        assertEquals("alice.home+2", Validate.extension("extension", "alice.home+2"));
        assertEquals("extension: must match [A-Za-z0-9_][A-Za-z0-9_.+-]{0,79}, got '-R'",
                assertThrows(InvalidEventException.class, () -> Validate.extension("extension", "-R")).getMessage());
        assertEquals("extension: must not start with '_' (a dialplan pattern), got '_X.'",
                assertThrows(InvalidEventException.class, () -> Validate.extension("extension", "_X.")).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "paris", "branch_2", "nat-203-0-113-7", "A1" })
    void siteNamesThatDialplanCannotMisreadAreAccepted(String site) {
        assertEquals(site, Validate.site("site", site));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "-x", "_x", "paris office", "a,b", "a)b", "a@b", "${EVIL}", "a;b", "a.b", "a\nb" })
    void siteNamesDialplanWouldParseAreRefused(String site) {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> Validate.site("site", site));
        assertEquals("site", e.field());
    }

    @Test
    void aSiteLimitIsCheckedAndAnEndpointOrDecisionWithoutSiteStillReads() {
        SiteLimit limit = new SiteLimit(1, "pbx-a", "branch-1", List.of("1001", "1002", "1003"), "low", "gsm", 28_800,
                160_000, 5, 2, SiteLimit.ConcurrentSource.LEARNED, java.time.Instant.parse("2026-11-26T10:00:00Z"));
        assertEquals("pbx-a/branch-1", limit.key());
        assertEquals(limit, EventJson.fromJson(EventJson.toJson(limit), SiteLimit.class));
        String json = EventJson.toJson(limit);
        assertEquals("maxCalls", assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json.replace("\"maxCalls\":5", "\"maxCalls\":-1"), SiteLimit.class)).field());
        assertEquals("site", assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json.replace("\"branch-1\"", "\"b,1\""), SiteLimit.class)).field());
        assertEquals("concurrentCalls", assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json.replace("\"concurrentCalls\":2", "\"concurrentCalls\":0"), SiteLimit.class)).field());
        assertEquals("endpoints", assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json.replace("\"1002\"", "\"10 02\""), SiteLimit.class)).field());

        String observed = EventJson.toJson(Samples.observed());
        assertTrue(observed.contains(",\"site\":null"), observed);
        String older = observed.replace(",\"site\":null", "");
        assertEquals(null, ((EndpointObserved) EventJson.fromJson(older, EndpointEvent.class)).site());
        EndpointObserved placed = (EndpointObserved) EventJson.fromJson(
                observed.replace("\"site\":null", "\"site\":\"branch-1\""), EndpointEvent.class);
        assertEquals("branch-1", placed.site());
        assertEquals("site", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                observed.replace("\"site\":null", "\"site\":\"x;y\""), EndpointEvent.class)).field());
        assertEquals(null, EventJson.fromJson(EventJson.toJson(Samples.decision()), CodecDecision.class).site());
    }

    @Test
    void aProbeResultMayNameItsSiteAndOneWithoutStillReads() {
        String json = EventJson.toJson(Samples.probe());
        assertTrue(json.endsWith(",\"site\":null}"), json);
        assertEquals(null, EventJson.fromJson(json.replace(",\"site\":null", ""), ProbeResult.class).site());
        assertEquals("branch-1", EventJson.fromJson(json.replace("\"site\":null", "\"site\":\"branch-1\""),
                ProbeResult.class).site());
        assertEquals("site", assertThrows(InvalidEventException.class, () -> EventJson.fromJson(
                json.replace("\"site\":null", "\"site\":\"a)b\""), ProbeResult.class)).field());
    }

    @Test
    void aProducersLongTextIsClippedToItsBound() {
        assertEquals("abc", Validate.clip("abc", 3));
        assertEquals("ab…", Validate.clip("abcd", 3));
        assertEquals(4096, Validate.clip("x".repeat(1_048_576), Validate.MAX_TEXT).length());
        assertEquals(null, Validate.clip(null, 3));
    }

    static Stream<Arguments> invalidCallQuality() {
        return Stream.of(
                Arguments.of("\"schema\":1", "\"schema\":2", "schema"),
                Arguments.of("\"kind\":\"SAMPLE\"", "\"kind\":null", "kind"),
                Arguments.of("\"kind\":\"SAMPLE\"", "\"kind\":\"SUMMARY\"", "summary"),
                Arguments.of("\"endpoint\":\"1002\"", "\"endpoint\":\"10/02\"", "endpoint"),
                Arguments.of("\"callId\":\"1796154184.0\"", "\"callId\":\"1796154184.0; drop\"", "callId"),
                Arguments.of("\"uniqueId\":\"1796154184.0\"", "\"uniqueId\":\"\"", "uniqueId"),
                Arguments.of("\"channel\":\"PJSIP/1002-00000000\"", "\"channel\":\"PJSIP/1002\\n-0\"", "channel"),
                Arguments.of("\"channel\":\"PJSIP/1002-00000000\"", "\"channel\":\"" + "x".repeat(201) + "\"", "channel"),
                Arguments.of("\"sequence\":1", "\"sequence\":0", "sequence"),
                Arguments.of("\"codec\":\"ulaw\"", "\"codec\":\"mp3\"", "codec"),
                Arguments.of("\"fractionLost\":0", "\"fractionLost\":256", "sample.fractionLost"),
                Arguments.of("\"cumulativeLost\":0", "\"cumulativeLost\":8388608", "sample.cumulativeLost"),
                Arguments.of("\"highestSequence\":21385", "\"highestSequence\":-1", "sample.highestSequence"),
                Arguments.of("\"packets\":500", "\"packets\":4294967296", "sample.packets"),
                Arguments.of("\"jitterMs\":1.375", "\"jitterMs\":-1", "sample.jitterMs"),
                Arguments.of("\"rttMs\":0.2", "\"rttMs\":700000", "sample.rttMs"),
                Arguments.of("\"mes\":88.1", "\"mes\":101", "sample.mes"),
                Arguments.of("\"direction\":\"RECEIVED\"", "\"direction\":null", "sample.direction"),
                Arguments.of("\"at\":\"2026-11-26T10:00:00Z\"", "\"at\":null", "at"));
    }

    @ParameterizedTest
    @MethodSource("invalidCallQuality")
    void callQualityRejectsEachInvalidValueNamingTheField(String good, String bad, String field) {
        String json = EventJson.toJson(Samples.callSample());
        assertTrue(json.contains(good), "sample must contain " + good + ": " + json);
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json.replace(good, bad), CallQuality.class));
        assertEquals(field, e.field(), e.getMessage());
    }

    static Stream<Arguments> invalidCallSummary() {
        return Stream.of(
                Arguments.of("\"durationMs\":15200", "\"durationMs\":-1", "summary.durationMs"),
                Arguments.of("\"durationMs\":15200", "\"durationMs\":2678400001", "summary.durationMs"),
                Arguments.of("\"mediaPath\":\"RTCP\"", "\"mediaPath\":\"NOT_MEASURED\"", "summary.mediaPath"),
                Arguments.of("\"reports\":6", "\"reports\":0", "summary.reports"),
                Arguments.of("\"lossPercent\":0.0", "\"lossPercent\":100.5", "summary.lossPercent"),
                Arguments.of("\"lossPercent\":0.0", "\"lossPercent\":null", "summary.lossPercent"),
                Arguments.of("\"maxJitterMs\":1.5", "\"maxJitterMs\":-0.1", "summary.maxJitterMs"),
                Arguments.of("\"mos\":4.41", "\"mos\":0.5", "summary.mos"),
                Arguments.of("\"hangupCause\":16", "\"hangupCause\":300", "summary.hangupCause"),
                Arguments.of("\"sample\":null", "\"sample\":{\"direction\":\"SENT\"}", "sample"));
    }

    @ParameterizedTest
    @MethodSource("invalidCallSummary")
    void callSummaryRejectsEachInvalidValueNamingTheField(String good, String bad, String field) {
        String json = EventJson.toJson(Samples.callSummary());
        assertTrue(json.contains(good), "sample must contain " + good + ": " + json);
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json.replace(good, bad), CallQuality.class));
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void notMeasuredSummaryCarriesNothingMeasured() {
        CallQuality.Summary direct = new CallQuality.Summary(15_000, CallQuality.MediaPath.NOT_MEASURED, 6, null, null,
                null, null, null, null, null, null, 16);
        assertEquals(CallQuality.MediaPath.NOT_MEASURED, direct.mediaPath());
    }
}
