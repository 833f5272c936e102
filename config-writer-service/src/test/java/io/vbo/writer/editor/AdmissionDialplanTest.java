package io.vbo.writer.editor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.events.EventJson;
import io.vbo.events.InvalidEventException;
import io.vbo.events.SiteLimit;
import io.vbo.writer.editor.AdmissionDialplan.Site;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The writer's admission dialplan file and the marker block in extensions.conf. */
class AdmissionDialplanTest {
    private static final Site BRANCH = new Site("branch1", 2, List.of("1001", "1002", "1003"), "g729", 31200, 80000, 2,
            "LEARNED", "t2 (low)");
    private static final Site HQ = new Site("hq", 0, List.of("2001"), "ulaw", 87200, 50000, 1, "DEFAULT", "t1");

    /** The whole file, written out: the limits, each endpoint's site and the subroutine. */
    private static final String EXPECTED = """
            ; extensions_vbo.conf - call admission per site, written by VBO config-writer-service for pbx lab.
            ; Rewritten at every change of a site's limit: change the sites in VBO, not this file (docs/sites.md).
            ; The dialplan of calls to and from the phones runs, before Dial:
            ;   same => n,Gosub(vbo-admission,s,1(${EXTEN}))
            ; which counts the live calls of the caller's and the called phone's site (GROUP_COUNT) and refuses
            ; the call beyond a site's limit with Congestion, logging the site, its live calls and its limit.

            [globals]
            VBO_ADMISSION_ANNOUNCEMENT=all-circuits-busy-now
            ; site branch1: 2 calls, g729 at 31200 bit/s per call, 80000 bit/s usable, K=2 LEARNED, tier t2 ?low?
            VBO_MAX_CALLS_branch1=2
            VBO_SITE_1001=branch1
            VBO_SITE_1002=branch1
            VBO_SITE_1003=branch1
            ; site hq: 0 calls, ulaw at 87200 bit/s per call, 50000 bit/s usable, K=1 DEFAULT, tier t1
            VBO_MAX_CALLS_hq=0
            VBO_SITE_2001=hq

            [vbo-admission]
            ; ARG1: the endpoint called (optional); the caller is the channel's own PJSIP endpoint.
            exten => s,1,Set(LOCAL(caller)=)
             same => n,GotoIf($["${CHANNEL(channeltype)}" != "PJSIP"]?called)
             same => n,Set(LOCAL(caller)=${VBO_SITE_${CHANNEL(endpoint)}})
             same => n(called),Set(LOCAL(callee)=${VBO_SITE_${ARG1}})
             same => n,GotoIf($["${caller}" = ""]?callee)
             same => n,Gosub(vbo-admission-site,s,1(${caller},${IF($["${caller}" = "${callee}"]?2:1)}))
             same => n,GotoIf($["${GOSUB_RETVAL}" = "refused"]?refuse)
             same => n,Set(GROUP(vbo-site)=${caller})
             same => n(callee),GotoIf($["${callee}" = ""]?done)
             same => n,GotoIf($["${callee}" = "${caller}"]?mark)
             same => n,Gosub(vbo-admission-site,s,1(${callee},1))
             same => n,GotoIf($["${GOSUB_RETVAL}" = "refused"]?refuse)
             same => n(mark),Set(GROUP(vbo-site-to)=${callee})
             same => n(done),Return()
             same => n(refuse),Set(VBO_ADMISSION=refused)
             same => n,GotoIf($["${VBO_ADMISSION_ANNOUNCEMENT}" = ""]?congestion)
             same => n,Progress()
             same => n,Playback(${VBO_ADMISSION_ANNOUNCEMENT},noanswer)
             same => n(congestion),Congestion(5)

            [vbo-admission-site]
            ; ARG1: a site; ARG2: the calls this call adds on its uplink (2 when both phones are at the site).
            exten => s,1,Set(LOCAL(limit)=${VBO_MAX_CALLS_${ARG1}})
             same => n,GotoIf($["${limit}" = ""]?admit)
             same => n,Set(LOCAL(live)=$[${GROUP_COUNT(${ARG1}@vbo-site)} + ${GROUP_COUNT(${ARG1}@vbo-site-to)}])
             same => n,GotoIf($[${live} + ${ARG2} > ${limit}]?full)
             same => n,NoOp(VBO admission: site ${ARG1} carries ${live} of ${limit} calls: call admitted)
             same => n(admit),Return(admitted)
             same => n(full),Log(WARNING,VBO admission: call refused on ${CHANNEL}: site ${ARG1} carries ${live} of ${limit} calls)
             same => n,Return(refused)
            """;

    @Test
    void theFileHoldsEachSitesLimitEachEndpointsSiteAndTheSubroutine() {
        assertEquals(EXPECTED, AdmissionDialplan.render("lab", List.of(HQ, BRANCH), Optional.of("all-circuits-busy-now")));
        assertEquals(19, AdmissionDialplan.CONTEXT_PRIORITIES);
        assertEquals(8, AdmissionDialplan.SITE_CONTEXT_PRIORITIES);
    }

    @Test
    void aRemovedSiteAndAnUnmappedEndpointAreWrittenEmptySoTheReloadClearsThem() {
        Site branchWithout1003 = new Site("branch1", 2, List.of("1001", "1002"), "g729", 31200, 80000, 2, "LEARNED",
                "t2 (low)");
        AdmissionDialplan.Cleared cleared = AdmissionDialplan.Cleared.NONE.next(List.of(HQ, BRANCH),
                List.of(branchWithout1003));
        assertEquals(List.of("hq"), List.copyOf(cleared.sites()));
        assertEquals(List.of("1003", "2001"), List.copyOf(cleared.endpoints()));
        String text = AdmissionDialplan.render("lab", List.of(branchWithout1003), cleared, Optional.empty());
        String globals = """
                [globals]
                VBO_ADMISSION_ANNOUNCEMENT=
                ; site branch1: 2 calls, g729 at 31200 bit/s per call, 80000 bit/s usable, K=2 LEARNED, tier t2 ?low?
                VBO_MAX_CALLS_branch1=2
                VBO_SITE_1001=branch1
                VBO_SITE_1002=branch1
                ; cleared: sites and endpoints VBO no longer has, set empty so a dialplan reload removes them
                VBO_MAX_CALLS_hq=
                VBO_SITE_1003=
                VBO_SITE_2001=

                [vbo-admission]
                """;
        assertEquals(EXPECTED.replace(EXPECTED.substring(EXPECTED.indexOf("[globals]"), EXPECTED.indexOf("[vbo-admission]") + 16), globals), text);
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of("branch1"), List.copyOf(AdmissionDialplan.parse(bytes).keySet()));
        assertEquals(cleared, AdmissionDialplan.parseCleared(bytes));
        // Re-applied unchanged: the same bytes; a cleared name used again leaves the cleared list.
        assertEquals(text, AdmissionDialplan.render("lab", AdmissionDialplan.parse(bytes).values(),
                AdmissionDialplan.parseCleared(bytes), Optional.empty()));
        AdmissionDialplan.Cleared again = cleared.next(List.of(branchWithout1003), List.of(BRANCH));
        assertEquals(List.of("hq"), List.copyOf(again.sites()));
        assertEquals(List.of("2001"), List.copyOf(again.endpoints()));
    }

    @Test
    void withoutAnnouncementTheGlobalIsEmptySoOnlyCongestionIsSent() {
        String text = AdmissionDialplan.render("lab", List.of(BRANCH), Optional.empty());
        assertTrue(text.contains("\n[globals]\nVBO_ADMISSION_ANNOUNCEMENT=\n; site branch1: "), text);
    }

    @Test
    void theFileReadBackGivesTheSameSitesAndTheSameBytes() {
        String text = AdmissionDialplan.render("lab", List.of(HQ, BRANCH), Optional.of("all-circuits-busy-now"));
        Map<String, Site> parsed = AdmissionDialplan.parse(text.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of("branch1", "hq"), List.copyOf(parsed.keySet()));
        assertEquals(BRANCH, parsed.get("branch1"));
        assertEquals(HQ, parsed.get("hq"));
        assertEquals(text, AdmissionDialplan.render("lab", parsed.values(), Optional.of("all-circuits-busy-now")));
    }

    @Test
    void anEndpointListedByTwoSitesIsWrittenOnceUnderTheLaterSite() {
        Site a = new Site("a", 1, List.of("1001", "1002"), "gsm", 30000, 60000, 1, "CONFIGURED", "t3");
        Site b = new Site("b", 1, List.of("1002"), "gsm", 30000, 60000, 1, "CONFIGURED", "t3");
        String text = AdmissionDialplan.render("lab", List.of(b, a), Optional.empty());
        assertTrue(text.contains("VBO_MAX_CALLS_a=1\nVBO_SITE_1001=a\n; site b: "), text);
        assertTrue(text.contains("VBO_MAX_CALLS_b=1\nVBO_SITE_1002=b\n\n[vbo-admission]"), text);
    }

    @Test
    void theMarkerBlockIsAddedOnceBeforeTheFirstSectionAndEveryOtherByteIsKept() throws Exception {
        Path sample = ConfigCopies.transcript("config-used/extensions.conf");
        byte[] original = Files.readAllBytes(sample);
        byte[] once = AdmissionDialplan.withInclude(ConfigFile.parse(sample, original), "extensions_vbo.conf");
        assertEquals("""
                ; extensions.conf - lab dialplan
                ; BEGIN VBO admission control (managed by config-writer-service)
                #include extensions_vbo.conf
                ; END VBO admission control
                [general]
                static = yes
                writeprotect = no
                clearglobalvars = no

                [globals]

                [from-internal]
                exten => _100X,1,NoOp(Call to ${EXTEN})
                 same => n,Dial(PJSIP/${EXTEN},30)
                 same => n,Hangup()

                exten => 600,1,Answer()
                 same => n,Echo()
                 same => n,Hangup()
                """, new String(once, StandardCharsets.ISO_8859_1));
        // Without the three block lines, the bytes are the sample's, byte for byte.
        String without = new String(once, StandardCharsets.ISO_8859_1).replace("; BEGIN VBO admission control "
                + "(managed by config-writer-service)\n#include extensions_vbo.conf\n; END VBO admission control\n", "");
        assertArrayEquals(original, without.getBytes(StandardCharsets.ISO_8859_1));
        byte[] twice = AdmissionDialplan.withInclude(ConfigFile.parse(sample, once), "extensions_vbo.conf");
        assertArrayEquals(once, twice);
    }

    @Test
    void theBlockKeepsTheFilesCrlfLineEndingsAndAnEditedIncludeLineIsPutBack() {
        Path path = Path.of("extensions.conf");
        byte[] crlf = "[general]\r\nstatic = yes\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] with = AdmissionDialplan.withInclude(ConfigFile.parse(path, crlf), "extensions_vbo.conf");
        assertEquals("; BEGIN VBO admission control (managed by config-writer-service)\r\n#include extensions_vbo.conf\r\n"
                + "; END VBO admission control\r\n[general]\r\nstatic = yes\r\n", new String(with, StandardCharsets.ISO_8859_1));
        byte[] edited = new String(with, StandardCharsets.ISO_8859_1).replace("#include extensions_vbo.conf", "#include other.conf")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(with, AdmissionDialplan.withInclude(ConfigFile.parse(path, edited), "extensions_vbo.conf"));
    }

    @Test
    void inTheFileInitCreatesTheBlockGoesBeforeTheUsersBlock() {
        byte[] init = "; extensions.conf - created by VBO init.\n;EBANDI\n[from-internal]\n;FIN_EBANDI\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("; extensions.conf - created by VBO init.\n; BEGIN VBO admission control (managed by config-writer-service)\n"
                + "#include extensions_vbo.conf\n; END VBO admission control\n;EBANDI\n[from-internal]\n;FIN_EBANDI\n",
                new String(AdmissionDialplan.withInclude(ConfigFile.parse(Path.of("extensions.conf"), init), "extensions_vbo.conf"),
                        StandardCharsets.ISO_8859_1));
    }

    @Test
    void aLoneMarkerIsRefusedRatherThanGuessed() {
        Path path = Path.of("extensions.conf");
        byte[] half = "; BEGIN VBO admission control (managed by config-writer-service)\n#include extensions_vbo.conf\n[general]\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AdmissionDialplan.withInclude(ConfigFile.parse(path, half), "extensions_vbo.conf"));
        assertTrue(e.getMessage().contains("without '; END VBO admission control'"), e.getMessage());
    }

    @Test
    void hostileSiteAndEndpointNamesAndAnnouncementsAreRefused() {
        for (String site : List.of("b1;x", "b1\n[evil]", "b1,2", "${EVIL}", "b1)", "a b", "a@b", "", "-b1", "b1=1")) {
            assertThrows(InvalidEventException.class,
                    () -> new Site(site, 1, List.of("1001"), "gsm", 30000, 60000, 1, "LEARNED", "t"), site);
        }
        for (String endpoint : List.of("1001;x", "10 01", "${X}", "a,b", "a)")) {
            assertThrows(InvalidEventException.class,
                    () -> new Site("b1", 1, List.of(endpoint), "gsm", 30000, 60000, 1, "LEARNED", "t"), endpoint);
        }
        for (String sound : List.of("../../etc/passwd", "busy,noanswer", "busy)", "busy;x", "${X}", "a b", "")) {
            assertThrows(IllegalArgumentException.class, () -> AdmissionDialplan.announcement(sound), sound);
        }
        assertEquals("custom/site-full", AdmissionDialplan.announcement("custom/site-full"));
        // The tier is free text: whatever could end the comment line is replaced.
        assertEquals("t??evil??x?1?", new Site("b1", 1, List.of(), "gsm", 1, 1, 1, "LEARNED", "t\n[evil]\nx=1;").tier());
    }

    @Test
    void aSiteLimitMessageWithAHostileSiteOrATextLimitIsRefusedWhenRead() {
        SiteLimit good = new SiteLimit(SiteLimit.SCHEMA, "lab", "branch1", List.of("1001"), "t2", "g729", 31200, 80000, 2, 2,
                SiteLimit.ConcurrentSource.LEARNED, Instant.parse("2026-12-02T03:00:00Z"));
        String json = EventJson.toJson(good);
        assertEquals(good, EventJson.fromJson(json, SiteLimit.class));
        assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json.replace("\"branch1\"", "\"branch1;evil\""), SiteLimit.class));
        assertThrows(InvalidEventException.class,
                () -> EventJson.fromJson(json.replace("\"maxCalls\":2", "\"maxCalls\":\"2)\""), SiteLimit.class));
    }
}
