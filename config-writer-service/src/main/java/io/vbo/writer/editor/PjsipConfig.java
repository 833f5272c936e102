package io.vbo.writer.editor;

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
 * <p>Edits never touch a byte outside the lines they own: {@link #planCodecs} returns the new content of each
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

    /**
     * Plans {@code disallow=all} + {@code allow=<codecs>} for each endpoint, in the endpoint's own section(s) only.
     * Every allow/disallow line of those sections is replaced: the first becomes the new pair (keeping its
     * indentation and key spacing), the others go. A section without any gets the pair after its last setting.
     * Returns the new content of each file that changes; endpoints not in the configuration are listed as missing.
     */
    public Plan planCodecs(Map<String, List<String>> codecsByEndpoint) {
        Map<Path, TreeMap<Integer, String>> edits = new HashMap<>();
        List<String> missing = codecEdits(codecsByEndpoint, edits);
        return new Plan(render(edits), missing);
    }

    /**
     * Adds the line edits of {@link #planCodecs} to {@code edits} (file → line index → replacement text), so that
     * other edits of the same files can be combined with them. Returns the endpoints not found.
     */
    public List<String> codecEdits(Map<String, List<String>> codecsByEndpoint, Map<Path, TreeMap<Integer, String>> edits) {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, List<String>> want : codecsByEndpoint.entrySet()) {
            List<Integer> own = find(want.getKey(), "endpoint");
            if (own.isEmpty()) {
                missing.add(want.getKey());
                continue;
            }
            String list = String.join(",", want.getValue());
            boolean placed = false;
            for (int i : own) {
                Placed p = order.get(i);
                TreeMap<Integer, String> fileEdits = edits.computeIfAbsent(p.file().path(), k -> new TreeMap<>());
                for (Entry e : p.section().entries()) {
                    if (!e.is("allow") && !e.is("disallow")) {
                        continue;
                    }
                    if (placed) {
                        fileEdits.put(e.line(), "");
                    } else {
                        Line line = p.file().lines().get(e.line());
                        fileEdits.put(e.line(), pair(line, p.file(), list, false));
                        placed = true;
                    }
                }
            }
            if (!placed) {
                Placed first = order.get(own.get(0));
                List<Entry> entries = first.section().entries();
                int after = entries.isEmpty() ? first.section().header() : entries.get(entries.size() - 1).line();
                Line line = first.file().lines().get(after);
                String style = entries.isEmpty() ? firstSetting(first.file()) : line.text();
                TreeMap<Integer, String> fileEdits = edits.computeIfAbsent(first.file().path(), k -> new TreeMap<>());
                String existing = fileEdits.getOrDefault(after, line.text() + line.eol());
                String eol = line.eol().isEmpty() ? first.file().dominantEol() : line.eol();
                String prefix = line.eol().isEmpty() ? existing + eol : existing;
                String added = pair(new Line(after, style, eol, ""), first.file(), list, true);
                fileEdits.put(after, prefix + added);
            }
        }
        return missing;
    }

    /** Whether {@code endpoint} exists and its own section(s) already say exactly {@code disallow=all} + {@code allow=codecs}. */
    public boolean alreadyApplied(String endpoint, List<String> codecs) {
        Map<Path, TreeMap<Integer, String>> edits = new HashMap<>();
        if (!codecEdits(Map.of(endpoint, codecs), edits).isEmpty()) {
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

    /** {@code disallow=all} and {@code allow=list}, styled like {@code like}: indentation and spacing around '='. */
    private static String pair(Line like, ConfigFile file, String list, boolean inserted) {
        String eol = like.eol().isEmpty() && !inserted ? "" : like.eol();
        String lineEol = eol.isEmpty() ? file.dominantEol() : eol;
        return setting(like.text(), "disallow", "all") + lineEol + setting(like.text(), "allow", list) + eol;
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
