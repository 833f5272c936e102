package io.vbo.writer.editor;

import io.vbo.events.Codecs;
import io.vbo.writer.editor.ConfigFile.Entry;
import io.vbo.writer.editor.ConfigFile.Line;
import io.vbo.writer.editor.ConfigFile.Section;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pjsip.conf} and every file it {@code #include}s (relative paths against the config folder, as Asterisk
 * resolves them), seen as Asterisk sees them: one ordered list of sections, where a section is identified by its
 * name <em>and</em> its type, and the type may come from a template.
 *
 * <p>Edits never touch a byte outside the lines they own: {@link #planEndpoints} returns the new content of each
 * changed file only.
 */
public final class PjsipConfig {
    /** A setting line: indentation, key, separator (with its spacing), rest. */
    private static final Pattern SETTING = Pattern.compile("^(\\s*)([^=\\s]+)(\\s*=>?\\s*)(.*)$");

    private final Map<Path, ConfigFile> files;
    private final List<Placed> order;

    /** A section and the file it is in, in the order Asterisk reads them. */
    public record Placed(ConfigFile file, Section section) {
        public String name() {
            return section.name();
        }
    }

    /** Indexes into {@link #order} of each section name, ascending: lookups stay fast on 10,000-endpoint files. */
    private final Map<String, List<Integer>> byName = new HashMap<>();

    private PjsipConfig(Map<Path, ConfigFile> files, List<Placed> order) {
        this.files = files;
        this.order = order;
        for (int i = 0; i < order.size(); i++) {
            byName.computeIfAbsent(order.get(i).name(), k -> new ArrayList<>()).add(i);
        }
    }

    /** Reads {@code main} (e.g. {@code pjsip.conf}) in {@code dir} and everything it includes. */
    public static PjsipConfig load(Path dir, String main) throws IOException {
        Map<Path, ConfigFile> files = new LinkedHashMap<>();
        List<Placed> order = new ArrayList<>();
        load(dir, dir.resolve(main), files, order, new LinkedHashSet<>(), true);
        return new PjsipConfig(files, order);
    }

    private static void load(Path dir, Path path, Map<Path, ConfigFile> files, List<Placed> order, Set<Path> stack,
            boolean required) throws IOException {
        Path normal = path.toAbsolutePath().normalize();
        if (!stack.add(normal)) {
            throw new IOException("#include loop through " + normal);
        }
        if (!Files.exists(normal)) {
            if (required) {
                throw new java.nio.file.NoSuchFileException(normal.toString());
            }
            stack.remove(normal);
            return;
        }
        ConfigFile file = files.get(normal);
        if (file == null) {
            file = ConfigFile.read(normal);
            files.put(normal, file);
        }
        // Sections and includes interleave by line: walk both in line order.
        List<Integer> includeLines = new ArrayList<>();
        for (Line line : file.lines()) {
            if (line.content().startsWith("#")) {
                String d = line.content().substring(1).strip().toLowerCase(java.util.Locale.ROOT);
                if (d.startsWith("include") || d.startsWith("tryinclude")) {
                    includeLines.add(line.index());
                }
            }
        }
        int s = 0;
        List<Section> sections = file.sections();
        for (int k = 0; k < includeLines.size(); k++) {
            int at = includeLines.get(k);
            while (s < sections.size() && sections.get(s).header() < at) {
                order.add(new Placed(file, sections.get(s++)));
            }
            String target = file.includes().get(k);
            boolean optional = file.lines().get(at).content().substring(1).strip().toLowerCase(java.util.Locale.ROOT)
                    .startsWith("tryinclude");
            for (Path included : resolve(dir, target)) {
                load(dir, included, files, order, stack, !optional && !target.contains("*"));
            }
        }
        while (s < sections.size()) {
            order.add(new Placed(file, sections.get(s++)));
        }
        stack.remove(normal);
    }

    private static List<Path> resolve(Path dir, String target) throws IOException {
        Path p = Path.of(target);
        Path full = p.isAbsolute() ? p : dir.resolve(p);
        if (!target.contains("*") && !target.contains("?")) {
            return List.of(full);
        }
        List<Path> matches = new ArrayList<>();
        Path parent = full.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return matches;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, full.getFileName().toString())) {
            ds.forEach(matches::add);
        }
        matches.sort(null);
        return matches;
    }

    /** Every file read, main file first. */
    public Map<Path, ConfigFile> files() {
        return files;
    }

    public List<Placed> sections() {
        return order;
    }

    /** The effective type of the section at {@code index} of {@link #sections()}: its own, or its templates'. */
    public String typeOf(int index) {
        return typeOf(index, 0);
    }

    private String typeOf(int index, int depth) {
        Section s = order.get(index).section();
        String own = s.ownType();
        if (own != null || depth > 20) {
            return own;
        }
        if (s.append()) {
            int prev = previous(s.name(), index, false);
            return prev < 0 ? null : typeOf(prev, depth + 1);
        }
        for (String tpl : s.inherits()) {
            int t = previous(tpl, index, true);
            if (t >= 0) {
                String type = typeOf(t, depth + 1);
                if (type != null) {
                    return type;
                }
            }
        }
        return null;
    }

    /** The last section named {@code name} before {@code index} (a {@code (!)} template if one exists). */
    private int previous(String name, int index, boolean preferTemplate) {
        int any = -1;
        List<Integer> named = byName.getOrDefault(name, List.of());
        for (int k = named.size() - 1; k >= 0; k--) {
            int i = named.get(k);
            if (i >= index) {
                continue;
            }
            if (!preferTemplate || order.get(i).section().template()) {
                return i;
            }
            if (any < 0) {
                any = i;
            }
        }
        return any;
    }

    /** Indexes (into {@link #sections()}) of the concrete sections named {@code name} whose type is {@code type}. */
    public List<Integer> find(String name, String type) {
        List<Integer> out = new ArrayList<>();
        for (int i : byName.getOrDefault(name, List.of())) {
            if (!order.get(i).section().template() && type.equals(typeOf(i))) {
                out.add(i);
            }
        }
        return out;
    }

    /** Names of every concrete section of {@code type}, in order, without repeats. */
    public List<String> names(String type) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < order.size(); i++) {
            if (!order.get(i).section().template() && type.equals(typeOf(i))) {
                out.add(order.get(i).name());
            }
        }
        return List.copyOf(out);
    }

    /**
     * The value Asterisk would use for {@code key} of the concrete {@code type} section(s) named {@code name}:
     * templates first, then the section's own lines, the last one winning; {@code null} if never set.
     */
    public String effectiveValue(String name, String type, String key) {
        String[] value = {null};
        for (int i : find(name, type)) {
            visit(i, 0, s -> {
                String v = s.value(key);
                if (v != null) {
                    value[0] = v;
                }
            });
        }
        return value[0];
    }

    private void visit(int index, int depth, java.util.function.Consumer<Section> action) {
        Section s = order.get(index).section();
        if (depth < 20) {
            for (String tpl : s.inherits()) {
                int t = previous(tpl, index, true);
                if (t >= 0) {
                    visit(t, depth + 1, action);
                }
            }
        }
        action.accept(s);
    }

    /**
     * The codecs Asterisk would allow for endpoint {@code name}, in order: templates first, then its own lines,
     * applying {@code disallow}/{@code allow} as Asterisk does ({@code all}, {@code !codec}). Empty if absent.
     */
    public List<String> effectiveAllow(String name) {
        List<String> codecs = new ArrayList<>();
        for (int i : find(name, "endpoint")) {
            visit(i, 0, s -> applyAllow(s, codecs));
        }
        return List.copyOf(codecs);
    }

    private static void applyAllow(Section s, List<String> codecs) {
        for (Entry e : s.entries()) {
            boolean allow = e.is("allow");
            if (!allow && !e.is("disallow")) {
                continue;
            }
            for (String part : e.value().split(",")) {
                String c = part.strip();
                boolean add = allow;
                if (c.startsWith("!")) {
                    c = c.substring(1).strip();
                    add = !add;
                }
                if (c.isEmpty()) {
                    continue;
                }
                if (c.equals("all")) {
                    codecs.clear();
                } else if (add) {
                    if (!codecs.contains(c)) {
                        codecs.add(c);
                    }
                } else {
                    codecs.remove(c);
                }
            }
        }
    }

    /** Result of planning codec edits. */
    public record Plan(Map<Path, byte[]> changed, List<String> missing) {
        public boolean isEmpty() {
            return changed.isEmpty();
        }
    }

    /** {@link #planEndpoints} without touching the offer preferences (user management). */
    public Plan planCodecs(Map<String, List<String>> codecsByEndpoint) {
        return planEndpoints(codecsByEndpoint, null);
    }

    /**
     * Plans, for each endpoint, its audio codecs ({@code disallow=all} + {@code allow=<codecs>}) and, unless
     * {@code prefs} is null, its two offer preferences, in the endpoint's own section(s) only (see
     * {@link #endpointEdits}). Returns the new content of each file that changes; endpoints not in the configuration
     * are listed as missing.
     */
    public Plan planEndpoints(Map<String, List<String>> codecsByEndpoint, OfferPrefs prefs) {
        Map<Path, TreeMap<Integer, String>> edits = new HashMap<>();
        List<String> missing = endpointEdits(codecsByEndpoint, prefs, edits);
        return new Plan(render(edits), missing);
    }

    /** {@link #endpointEdits} without the offer preferences. */
    public List<String> codecEdits(Map<String, List<String>> codecsByEndpoint, Map<Path, TreeMap<Integer, String>> edits) {
        return endpointEdits(codecsByEndpoint, null, edits);
    }

    /**
     * Adds the line edits for each endpoint to {@code edits} (file → line index → replacement text), so that other
     * edits of the same files can be combined with them. Returns the endpoints not found. Only lines of the
     * endpoint's own section(s) change, never a template:
     * <ul>
     * <li>Values that are not audio codecs (video: h264, vp8, ...; anything outside {@link Codecs#KNOWN}) stay: a
     * line holding only such values is kept byte for byte, a line mixing both keeps its other values.</li>
     * <li>The first allow/disallow line must be {@code disallow=all}; if it is not, that line is inserted before it.</li>
     * <li>The first {@code allow} line with an audio value gets the codecs (its other values after them); every other
     * audio value goes, and a line left empty is removed. With no such line, {@code allow=} follows the
     * {@code disallow=all}; with no allow/disallow line at all, the pair follows the section's last setting.</li>
     * <li>Video codecs that only a template gave (which the new {@code disallow=all} would clear) are appended to
     * the allow line, so the endpoint keeps exactly the video it had.</li>
     * <li>Each offer preference: its first line keeps its place (untouched if it already has the value), the others
     * go; with none, the line follows our {@code allow=} line.</li>
     * </ul>
     * New lines copy the indentation and the spacing around '=' of the line they are placed by.
     */
    public List<String> endpointEdits(Map<String, List<String>> codecsByEndpoint, OfferPrefs prefs,
            Map<Path, TreeMap<Integer, String>> edits) {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, List<String>> want : codecsByEndpoint.entrySet()) {
            List<Integer> own = find(want.getKey(), "endpoint");
            if (own.isEmpty()) {
                missing.add(want.getKey());
                continue;
            }
            Map<Path, TreeMap<Integer, LineEdit>> lineEdits = new HashMap<>();
            Spot spot = placeCodecs(want.getKey(), own, want.getValue(), lineEdits);
            if (prefs != null) {
                placePref(own, OfferPrefs.OUTGOING_KEY, prefs.outgoing(), spot, lineEdits);
                placePref(own, OfferPrefs.INCOMING_KEY, prefs.incoming(), spot, lineEdits);
            }
            for (Map.Entry<Path, TreeMap<Integer, LineEdit>> fe : lineEdits.entrySet()) {
                ConfigFile file = files.get(fe.getKey());
                TreeMap<Integer, String> fileEdits = edits.computeIfAbsent(fe.getKey(), k -> new TreeMap<>());
                fe.getValue().forEach((index, edit) -> fileEdits.put(index, edit.render(file.lines().get(index), file)));
            }
        }
        return missing;
    }

    /** A setting line of one of the endpoint's own sections. */
    private record Owned(Placed placed, Entry entry) {
        String text() {
            return placed.file().lines().get(entry.line()).text();
        }
    }

    /** Where lines that follow our {@code allow=} line go, and the line whose style they copy. */
    private record Spot(List<String> lines, String style) {
    }

    /** What happens to one line: lines inserted before it, its new text ({@code null}: unchanged), lines after. */
    private static final class LineEdit {
        final List<String> before = new ArrayList<>();
        String text;
        boolean removed;
        final List<String> after = new ArrayList<>();

        String render(Line line, ConfigFile file) {
            List<String> out = new ArrayList<>(before);
            if (!removed) {
                out.add(text != null ? text : line.text());
            }
            out.addAll(after);
            if (out.isEmpty()) {
                return "";
            }
            // Inner lines get the file's ending; the last keeps the line's own (none at the end of a file without one).
            String eol = line.eol().isEmpty() ? file.dominantEol() : line.eol();
            return String.join(eol, out) + line.eol();
        }
    }

    private static LineEdit edit(Map<Path, TreeMap<Integer, LineEdit>> lineEdits, Placed p, int line) {
        return lineEdits.computeIfAbsent(p.file().path(), k -> new TreeMap<>()).computeIfAbsent(line, k -> new LineEdit());
    }

    private List<Owned> owned(List<Integer> own, java.util.function.Predicate<Entry> which) {
        List<Owned> out = new ArrayList<>();
        for (int i : own) {
            Placed p = order.get(i);
            for (Entry e : p.section().entries()) {
                if (which.test(e)) {
                    out.add(new Owned(p, e));
                }
            }
        }
        return out;
    }

    private Spot placeCodecs(String name, List<Integer> own, List<String> codecs,
            Map<Path, TreeMap<Integer, LineEdit>> lineEdits) {
        List<Owned> lines = owned(own, e -> e.is("allow") || e.is("disallow"));
        List<String> inherited = videoOnlyFromTemplates(name, lines);
        if (lines.isEmpty()) {
            Placed first = order.get(own.get(0));
            List<Entry> entries = first.section().entries();
            int after = entries.isEmpty() ? first.section().header() : entries.get(entries.size() - 1).line();
            String style = entries.isEmpty() ? firstSetting(first.file()) : first.file().lines().get(after).text();
            LineEdit edit = edit(lineEdits, first, after);
            edit.after.add(setting(style, "disallow", "all"));
            edit.after.add(setting(style, "allow", list(codecs, List.of(), inherited)));
            return new Spot(edit.after, style);
        }
        Owned first = lines.get(0);
        boolean startsWithDisallowAll = first.entry().is("disallow")
                && values(first.entry()).stream().map(v -> v.toLowerCase(Locale.ROOT)).toList().equals(List.of("all"));
        Owned anchor = null;
        for (Owned o : lines) {
            if (o.entry().is("allow") && values(o.entry()).stream().anyMatch(PjsipConfig::audio)) {
                anchor = o;
                break;
            }
        }
        Spot spot = null;
        for (Owned o : lines) {
            if (o == first && startsWithDisallowAll) {
                continue;
            }
            List<String> all = values(o.entry());
            List<String> other = all.stream().filter(v -> !audio(v)).toList();
            LineEdit edit = edit(lineEdits, o.placed(), o.entry().line());
            if (o == anchor) {
                edit.text = setting(o.text(), o.entry().key(), list(codecs, other, inherited));
                spot = new Spot(edit.after, o.text());
            } else if (other.isEmpty()) {
                edit.removed = true;
            } else if (other.size() < all.size()) {
                edit.text = setting(o.text(), o.entry().key(), String.join(",", other));
            }
        }
        LineEdit head = edit(lineEdits, first.placed(), first.entry().line());
        if (!startsWithDisallowAll) {
            head.before.add(0, setting(first.text(), "disallow", "all"));
        }
        if (anchor == null) {
            List<String> target = startsWithDisallowAll ? head.after : head.before;
            target.add(startsWithDisallowAll ? 0 : 1, setting(first.text(), "allow", list(codecs, List.of(), inherited)));
            spot = new Spot(target, first.text());
        }
        return spot;
    }

    /**
     * One offer preference: the first own line keeps its place (and its bytes when it already says {@code value}),
     * later ones go; with none, a line follows our {@code allow=}.
     */
    private void placePref(List<Integer> own, String key, String value, Spot spot,
            Map<Path, TreeMap<Integer, LineEdit>> lineEdits) {
        List<Owned> lines = owned(own, e -> e.is(key));
        if (lines.isEmpty()) {
            spot.lines().add(setting(spot.style(), key, value));
            return;
        }
        Owned first = lines.get(0);
        if (!first.entry().value().equals(value)) {
            edit(lineEdits, first.placed(), first.entry().line()).text = setting(first.text(), first.entry().key(), value);
        }
        for (Owned o : lines.subList(1, lines.size())) {
            edit(lineEdits, o.placed(), o.entry().line()).removed = true;
        }
    }

    /**
     * Video codecs the endpoint has now only through a template (or through lines before a {@code disallow=all}
     * of its own): the {@code disallow=all} the edit puts first would clear them.
     */
    private List<String> videoOnlyFromTemplates(String name, List<Owned> lines) {
        Set<String> kept = new LinkedHashSet<>();
        for (Owned o : lines) {
            for (String v : values(o.entry())) {
                if (audio(v)) {
                    continue;
                }
                boolean add = o.entry().is("allow");
                if (v.startsWith("!")) {
                    v = v.substring(1).strip();
                    add = !add;
                }
                if (add) {
                    kept.add(v);
                } else {
                    kept.remove(v);
                }
            }
        }
        return effectiveAllow(name).stream().filter(c -> !audio(c) && !kept.contains(c)).toList();
    }

    /** {@code codecs}, then the line's other values, then {@code inherited}, comma-separated without repeats. */
    private static String list(List<String> codecs, List<String> other, List<String> inherited) {
        Set<String> out = new LinkedHashSet<>(codecs);
        out.addAll(other);
        out.addAll(inherited);
        return String.join(",", out);
    }

    private static List<String> values(Entry e) {
        List<String> out = new ArrayList<>();
        for (String part : e.value().split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    /** An audio codec of {@link Codecs#KNOWN} or {@code all}, with or without {@code !}: the writer's to replace. */
    static boolean audio(String value) {
        String c = (value.startsWith("!") ? value.substring(1) : value).strip().toLowerCase(Locale.ROOT);
        return c.equals("all") || Codecs.isKnown(c);
    }

    /** The audio part of an allow list as Asterisk reports it (video codecs left out). */
    public static List<String> audioOnly(List<String> codecs) {
        return codecs.stream().filter(PjsipConfig::audio).toList();
    }

    /**
     * Whether {@code endpoint} exists and its own section(s) already say exactly what {@link #endpointEdits} would
     * write for {@code codecs} and {@code prefs}.
     */
    public boolean alreadyApplied(String endpoint, List<String> codecs, OfferPrefs prefs) {
        Map<Path, TreeMap<Integer, String>> edits = new HashMap<>();
        if (!endpointEdits(Map.of(endpoint, codecs), prefs, edits).isEmpty()) {
            return false;
        }
        for (Map.Entry<Path, TreeMap<Integer, String>> fe : edits.entrySet()) {
            // Compare the whole edited range: a pair replacing one line and a removal of the next can be a no-op.
            List<Line> lines = files.get(fe.getKey()).lines();
            StringBuilder before = new StringBuilder();
            StringBuilder after = new StringBuilder();
            for (int i = fe.getValue().firstKey(); i <= fe.getValue().lastKey(); i++) {
                String original = lines.get(i).text() + lines.get(i).eol();
                before.append(original);
                after.append(fe.getValue().getOrDefault(i, original));
            }
            if (!before.toString().equals(after.toString())) {
                return false;
            }
        }
        return true;
    }

    /** The audio codecs of {@code endpoint} as Asterisk resolves them (templates, then its own lines): its ceiling. */
    public List<String> audioAllow(String endpoint) {
        return audioOnly(effectiveAllow(endpoint));
    }

    /** The new content of every file whose line edits change it. */
    public Map<Path, byte[]> render(Map<Path, ? extends Map<Integer, String>> edits) {
        Map<Path, byte[]> changed = new LinkedHashMap<>();
        for (Map.Entry<Path, ? extends Map<Integer, String>> fe : edits.entrySet()) {
            ConfigFile file = files.get(fe.getKey());
            byte[] bytes = file.withEdits(fe.getValue(), "");
            if (!Arrays.equals(bytes, file.bytes())) {
                changed.put(fe.getKey(), bytes);
            }
        }
        return changed;
    }

    private static String firstSetting(ConfigFile file) {
        for (Section s : file.sections()) {
            if (!s.entries().isEmpty()) {
                return file.lines().get(s.entries().get(0).line()).text();
            }
        }
        return "x=y";
    }

    /** {@code key=value} with the indentation and the spacing around '=' of the setting line {@code like}. */
    public static String setting(String like, String key, String value) {
        Matcher m = SETTING.matcher(like);
        if (!m.matches()) {
            return key + "=" + value;
        }
        return m.group(1) + key + m.group(3).replace("=>", "=") + value;
    }
}
