package io.vbo.writer.editor;

import io.vbo.events.SiteLimit;
import io.vbo.events.Validate;
import io.vbo.writer.users.UserManager;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The writer's own dialplan file (call admission per site, docs/sites.md) and the marker block that
 * {@code #include}s it from the administrator's {@code extensions.conf}.
 *
 * <p>The file holds, in {@code [globals]}, each site's call limit ({@code VBO_MAX_CALLS_<site>}) and each endpoint's
 * site ({@code VBO_SITE_<endpoint>}), and the subroutine {@code [vbo-admission]} that the administrator's dialplan
 * runs before {@code Dial} ({@link #WIRING}). It is a pure function of the sites, so an unchanged set of sites gives
 * the same bytes. Only validated names reach it: sites ({@link Validate#SITE}) and endpoints ({@link Validate#ENDPOINT})
 * have none of the characters dialplan parses ({@code ; , ( ) $ { } [ ] =} or spaces), limits are integers, and the
 * tier (free text) is written with every other character replaced by {@code ?}.
 *
 * <p>A site VBO no longer has, and an endpoint no site lists any more, stay in the file with an empty value
 * ({@link Cleared}): with {@code clearglobalvars = no} Asterisk keeps a global that left the file until restart, so
 * only a reload that sets it empty removes it; the subroutine admits on an empty limit and sees no site in an empty
 * endpoint mapping. Cleared names stay (sorted) until the name is used again, so the file stays a pure function of
 * the sites and the cleared names.
 */
public final class AdmissionDialplan {
    /** The context the administrator's dialplan calls. */
    public static final String CONTEXT = "vbo-admission";
    /** The per-site check it calls. */
    public static final String SITE_CONTEXT = "vbo-admission-site";
    /** The one line the administrator adds before {@code Dial} (docs/sites.md). */
    public static final String WIRING = "same => n,Gosub(vbo-admission,s,1(${EXTEN}))";
    public static final String BEGIN_MARKER = "; BEGIN VBO admission control (managed by config-writer-service)";
    public static final String END_MARKER = "; END VBO admission control";
    /** Global holding a site's limit: the prefix, then the site. */
    public static final String LIMIT_VAR = "VBO_MAX_CALLS_";
    /** Global holding an endpoint's site: the prefix, then the endpoint. */
    public static final String SITE_VAR = "VBO_SITE_";
    /** A sound file name for Playback: no dialplan syntax, no parent folder. */
    public static final Pattern ANNOUNCEMENT = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");
    private static final Pattern SITE_COMMENT = Pattern.compile(
            "; site (\\S+): (\\d+) calls, (\\S+) at (\\d+) bit/s per call, (\\d+) bit/s usable, K=(\\d+) (\\w+), tier (.*)");
    private static final Pattern SITE_LINE = Pattern.compile(Pattern.quote(SITE_VAR) + "(\\S+)=(\\S+)");
    private static final Pattern CLEARED_LINE = Pattern.compile(
            "(" + Pattern.quote(LIMIT_VAR) + "|" + Pattern.quote(SITE_VAR) + ")(\\S+)=");
    private static final String CLEARED_COMMENT =
            "; cleared: sites and endpoints VBO no longer has, set empty so a dialplan reload removes them";
    private static final Pattern TIER_UNSAFE = Pattern.compile("[^A-Za-z0-9_.+ -]");

    private static final List<String> SUBROUTINE = List.of(
            "[" + CONTEXT + "]",
            "; ARG1: the endpoint called (optional); the caller is the channel's own PJSIP endpoint.",
            "exten => s,1,Set(LOCAL(caller)=)",
            " same => n,GotoIf($[\"${CHANNEL(channeltype)}\" != \"PJSIP\"]?called)",
            " same => n,Set(LOCAL(caller)=${" + SITE_VAR + "${CHANNEL(endpoint)}})",
            " same => n(called),Set(LOCAL(callee)=${" + SITE_VAR + "${ARG1}})",
            " same => n,GotoIf($[\"${caller}\" = \"\"]?callee)",
            " same => n,Gosub(" + SITE_CONTEXT + ",s,1(${caller},${IF($[\"${caller}\" = \"${callee}\"]?2:1)}))",
            " same => n,GotoIf($[\"${GOSUB_RETVAL}\" = \"refused\"]?refuse)",
            " same => n,Set(GROUP(vbo-site)=${caller})",
            " same => n(callee),GotoIf($[\"${callee}\" = \"\"]?done)",
            " same => n,GotoIf($[\"${callee}\" = \"${caller}\"]?mark)",
            " same => n,Gosub(" + SITE_CONTEXT + ",s,1(${callee},1))",
            " same => n,GotoIf($[\"${GOSUB_RETVAL}\" = \"refused\"]?refuse)",
            " same => n(mark),Set(GROUP(vbo-site-to)=${callee})",
            " same => n(done),Return()",
            " same => n(refuse),Set(VBO_ADMISSION=refused)",
            " same => n,GotoIf($[\"${VBO_ADMISSION_ANNOUNCEMENT}\" = \"\"]?congestion)",
            " same => n,Progress()",
            " same => n,Playback(${VBO_ADMISSION_ANNOUNCEMENT},noanswer)",
            " same => n(congestion),Congestion(5)",
            "",
            "[" + SITE_CONTEXT + "]",
            "; ARG1: a site; ARG2: the calls this call adds on its uplink (2 when both phones are at the site).",
            "exten => s,1,Set(LOCAL(limit)=${" + LIMIT_VAR + "${ARG1}})",
            " same => n,GotoIf($[\"${limit}\" = \"\"]?admit)",
            " same => n,Set(LOCAL(live)=$[${GROUP_COUNT(${ARG1}@vbo-site)} + ${GROUP_COUNT(${ARG1}@vbo-site-to)}])",
            " same => n,GotoIf($[${live} + ${ARG2} > ${limit}]?full)",
            " same => n,NoOp(VBO admission: site ${ARG1} carries ${live} of ${limit} calls: call admitted)",
            " same => n(admit),Return(admitted)",
            " same => n(full),Log(WARNING,VBO admission: call refused on ${CHANNEL}: site ${ARG1} carries ${live} of ${limit} calls)",
            " same => n,Return(refused)");

    /** Priorities of {@link #CONTEXT} as {@code dialplan show} counts them (for the read-back). */
    public static final int CONTEXT_PRIORITIES = priorities(CONTEXT);
    /** Priorities of {@link #SITE_CONTEXT}. */
    public static final int SITE_CONTEXT_PRIORITIES = priorities(SITE_CONTEXT);

    private AdmissionDialplan() {
    }

    /**
     * One site's limit as written.
     *
     * @param tier the tier's name as written in the file's comment (unsafe characters replaced)
     */
    public record Site(String site, int maxCalls, List<String> endpoints, String codec, long perCallBps, long capacityBps,
            int concurrentCalls, String concurrentSource, String tier) {
        public Site {
            Validate.site("site", site);
            Validate.range("maxCalls", maxCalls, 0, 100_000);
            endpoints = List.copyOf(endpoints);
            endpoints.forEach(e -> Validate.endpoint("endpoints", e));
            Validate.codecs("codec", List.of(codec));
            if (!concurrentSource.matches("\\w+")) {
                throw new IllegalArgumentException("concurrent source must be a word, got " + concurrentSource);
            }
            tier = TIER_UNSAFE.matcher(tier).replaceAll("?");
        }

        public static Site of(SiteLimit limit) {
            return new Site(limit.site(), limit.maxCalls(), limit.endpoints(), limit.codec(), limit.perCallBps(),
                    limit.capacityBps(), limit.concurrentCalls(), limit.concurrentSource().name(), limit.tier());
        }

        /** For logs: {@code branch1: 5 calls (g729 at 31200 bit/s, 160000 bit/s usable, K=2 LEARNED)}. */
        public String describe() {
            return site + ": " + maxCalls + " calls (" + codec + " at " + perCallBps + " bit/s, " + capacityBps
                    + " bit/s usable, K=" + concurrentCalls + " " + concurrentSource + ", tier " + tier + ")";
        }
    }

    /** Sites removed and endpoints no site lists any more, written with empty values. */
    public record Cleared(java.util.SortedSet<String> sites, java.util.SortedSet<String> endpoints) {
        public static final Cleared NONE = new Cleared(new java.util.TreeSet<>(), new java.util.TreeSet<>());

        public Cleared {
            sites = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(sites));
            endpoints = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(endpoints));
            sites.forEach(s -> Validate.site("site", s));
            endpoints.forEach(e -> Validate.endpoint("endpoints", e));
        }

        /**
         * What is cleared once {@code before} became {@code after}: the names cleared already and the ones that left,
         * less the ones {@code after} uses again.
         */
        public Cleared next(Collection<Site> before, Collection<Site> after) {
            java.util.TreeSet<String> s = new java.util.TreeSet<>(sites);
            java.util.TreeSet<String> e = new java.util.TreeSet<>(endpoints);
            before.forEach(site -> {
                s.add(site.site());
                e.addAll(site.endpoints());
            });
            after.forEach(site -> {
                s.remove(site.site());
                e.removeAll(site.endpoints());
            });
            return new Cleared(s, e);
        }
    }

    /** The file for {@code sites}, with nothing cleared. */
    public static String render(String pbxId, Collection<Site> sites, Optional<String> announcement) {
        return render(pbxId, sites, Cleared.NONE, announcement);
    }

    /**
     * The file for {@code sites} (written in site order; an endpoint listed by two sites belongs to the later one in
     * that order, so the file never sets one variable twice).
     *
     * @param announcement the sound played before Congestion to a refused call, or empty for none
     */
    public static String render(String pbxId, Collection<Site> sites, Cleared cleared, Optional<String> announcement) {
        Validate.pbxId("pbxId", pbxId);
        announcement.ifPresent(AdmissionDialplan::announcement);
        Map<String, Site> bySite = new TreeMap<>();
        sites.forEach(s -> bySite.put(s.site(), s));
        Map<String, String> siteOf = new LinkedHashMap<>();
        bySite.values().forEach(s -> s.endpoints().forEach(e -> siteOf.put(e, s.site())));
        StringBuilder out = new StringBuilder();
        out.append("; extensions_vbo.conf - call admission per site, written by VBO config-writer-service for pbx ")
                .append(pbxId).append(".\n")
                .append("; Rewritten at every change of a site's limit: change the sites in VBO, not this file (docs/sites.md).\n")
                .append("; The dialplan of calls to and from the phones runs, before Dial:\n")
                .append(";   ").append(WIRING).append('\n')
                .append("; which counts the live calls of the caller's and the called phone's site (GROUP_COUNT) and refuses\n")
                .append("; the call beyond a site's limit with Congestion, logging the site, its live calls and its limit.\n")
                .append('\n')
                .append("[globals]\n")
                .append("VBO_ADMISSION_ANNOUNCEMENT=").append(announcement.orElse("")).append('\n');
        for (Site s : bySite.values()) {
            out.append("; site ").append(s.site()).append(": ").append(s.maxCalls()).append(" calls, ").append(s.codec())
                    .append(" at ").append(s.perCallBps()).append(" bit/s per call, ").append(s.capacityBps())
                    .append(" bit/s usable, K=").append(s.concurrentCalls()).append(' ').append(s.concurrentSource())
                    .append(", tier ").append(s.tier()).append('\n');
            out.append(LIMIT_VAR).append(s.site()).append('=').append(s.maxCalls()).append('\n');
            for (String e : s.endpoints()) {
                if (s.site().equals(siteOf.get(e))) {
                    out.append(SITE_VAR).append(e).append('=').append(s.site()).append('\n');
                }
            }
        }
        List<String> sitesGone = cleared.sites().stream().filter(s -> !bySite.containsKey(s)).toList();
        List<String> endpointsGone = cleared.endpoints().stream().filter(e -> !siteOf.containsKey(e)).toList();
        if (!sitesGone.isEmpty() || !endpointsGone.isEmpty()) {
            out.append(CLEARED_COMMENT).append('\n');
            sitesGone.forEach(s -> out.append(LIMIT_VAR).append(s).append("=\n"));
            endpointsGone.forEach(e -> out.append(SITE_VAR).append(e).append("=\n"));
        }
        out.append('\n');
        SUBROUTINE.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    /** The sites a file written by {@link #render} holds (an endpoint under the site its variable names). */
    public static Map<String, Site> parse(byte[] file) {
        Map<String, Site> sites = new TreeMap<>();
        Map<String, List<String>> endpoints = new LinkedHashMap<>();
        String text = new String(file, StandardCharsets.ISO_8859_1);
        for (String line : text.split("\r?\n")) {
            Matcher m = SITE_LINE.matcher(line);
            if (m.matches()) {
                endpoints.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(m.group(1));
            }
        }
        for (String line : text.split("\r?\n")) {
            Matcher m = SITE_COMMENT.matcher(line);
            if (m.matches()) {
                String site = m.group(1);
                sites.put(site, new Site(site, Integer.parseInt(m.group(2)), endpoints.getOrDefault(site, List.of()),
                        m.group(3), Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Integer.parseInt(m.group(6)),
                        m.group(7), m.group(8)));
            }
        }
        return sites;
    }

    /** The names a file written by {@link #render} clears (its empty globals). */
    public static Cleared parseCleared(byte[] file) {
        java.util.TreeSet<String> sites = new java.util.TreeSet<>();
        java.util.TreeSet<String> endpoints = new java.util.TreeSet<>();
        for (String line : new String(file, StandardCharsets.ISO_8859_1).split("\r?\n")) {
            Matcher m = CLEARED_LINE.matcher(line);
            if (m.matches()) {
                (m.group(1).equals(LIMIT_VAR) ? sites : endpoints).add(m.group(2));
            }
        }
        return new Cleared(sites, endpoints);
    }

    /** A valid announcement, or a refusal naming what is allowed. */
    public static String announcement(String name) {
        if (!ANNOUNCEMENT.matcher(name).matches()) {
            throw new IllegalArgumentException("vbo.writer.admission.announcement must be a sound file name matching "
                    + ANNOUNCEMENT.pattern() + " (no extension, no '..'), got '" + Validate.printable(name) + "'");
        }
        return name;
    }

    /**
     * {@code extensions} with the marker block that includes {@code fileName}, or its bytes unchanged when the block
     * is there with that line. The block goes just before the first section (and before the users' {@code ;EBANDI}
     * block when that comes first), so the included file's last context never
     * takes the administrator's lines; every other byte is kept, and the block uses the file's line endings. A block
     * whose include line was changed is written back; a lone marker is refused (a half-removed block).
     */
    public static byte[] withInclude(ConfigFile extensions, String fileName) {
        String include = "#include " + fileName;
        String eol = extensions.dominantEol();
        List<ConfigFile.Line> lines = extensions.lines();
        int begin = -1;
        int end = -1;
        for (ConfigFile.Line line : lines) {
            String t = line.text().strip();
            if (t.equals(BEGIN_MARKER) && begin < 0) {
                begin = line.index();
            } else if (t.equals(END_MARKER) && begin >= 0 && end < 0) {
                end = line.index();
            } else if (t.equals(END_MARKER) && begin < 0) {
                throw new IllegalStateException(extensions.path() + ": '" + END_MARKER + "' without '" + BEGIN_MARKER
                        + "' before it: put the block back or remove the marker");
            }
        }
        if (begin >= 0 && end < 0) {
            throw new IllegalStateException(extensions.path() + ": '" + BEGIN_MARKER + "' without '" + END_MARKER
                    + "': put the block back or remove the marker");
        }
        if (begin >= 0) {
            if (end == begin + 2 && lines.get(begin + 1).text().strip().equals(include)) {
                return extensions.bytes();
            }
            Map<Integer, String> edits = new LinkedHashMap<>();
            for (int i = begin + 1; i < end; i++) {
                edits.put(i, "");
            }
            edits.put(begin, lines.get(begin).text() + lineEnd(lines.get(begin), eol) + include + eol);
            return extensions.withEdits(edits, "");
        }
        String block = BEGIN_MARKER + eol + include + eol + END_MARKER + eol;
        int at = extensions.sections().isEmpty() ? lines.size() : extensions.sections().get(0).header();
        for (ConfigFile.Line line : lines) {
            // Before the users' Dial-line block too, so that block stays whole.
            if (line.index() < at && line.text().strip().equals(UserManager.BEGIN_MARKER)) {
                at = line.index();
            }
        }
        if (at == lines.size()) {
            return extensions.withEdits(Map.of(), block);
        }
        ConfigFile.Line first = lines.get(at);
        return extensions.withEdits(Map.of(at, block + first.text() + first.eol()), "");
    }

    private static String lineEnd(ConfigFile.Line line, String eol) {
        return line.eol().isEmpty() ? eol : line.eol();
    }

    private static int priorities(String context) {
        int count = 0;
        boolean in = false;
        for (String line : SUBROUTINE) {
            if (line.startsWith("[")) {
                in = line.equals("[" + context + "]");
            } else if (in && (line.startsWith("exten =>") || line.startsWith(" same =>"))) {
                count++;
            }
        }
        return count;
    }
}
