package io.vbo.writer.editor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One Asterisk config file, split into lines that keep their exact bytes (ISO-8859-1 maps every byte to one
 * char, so any encoding the administrator used survives) and their own line ending.
 *
 * <p>The parse follows Asterisk's {@code config.c}: {@code ;} starts a comment unless escaped as {@code \;},
 * {@code ;--} opens a (nestable) block comment closed by {@code --;}, {@code [name](options)} opens a section,
 * {@code #include}/{@code #tryinclude} pull in another file, and anything else with {@code =} or {@code =>}
 * is a setting of the current section.
 */
public final class ConfigFile {
    private final Path path;
    private final byte[] bytes;
    private final List<Line> lines;
    private final List<Section> sections;
    private final List<String> includes;

    private ConfigFile(Path path, byte[] bytes) {
        this.path = path;
        this.bytes = bytes;
        this.lines = split(new String(bytes, StandardCharsets.ISO_8859_1));
        List<Section> found = new ArrayList<>();
        List<String> inc = new ArrayList<>();
        parse(found, inc);
        this.sections = List.copyOf(found);
        this.includes = List.copyOf(inc);
    }

    public static ConfigFile parse(Path path, byte[] bytes) {
        return new ConfigFile(path, bytes.clone());
    }

    public static ConfigFile read(Path path) throws IOException {
        return new ConfigFile(path, Files.readAllBytes(path));
    }

    public Path path() {
        return path;
    }

    /** The bytes as read. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public List<Line> lines() {
        return lines;
    }

    public List<Section> sections() {
        return sections;
    }

    /** Targets of {@code #include}/{@code #tryinclude} in file order, as written (quotes removed). */
    public List<String> includes() {
        return includes;
    }

    /** The file rebuilt from its parsed lines (text + own line ending). */
    public byte[] render() {
        StringBuilder out = new StringBuilder(bytes.length);
        for (Line line : lines) {
            out.append(line.text()).append(line.eol());
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The file with some lines replaced ({@code replace}: line index → new text including line endings, {@code ""}
     * removes the line) and {@code append} added at the end (after a line ending if the file lacks a final one).
     */
    public byte[] withEdits(java.util.Map<Integer, String> replace, String append) {
        StringBuilder out = new StringBuilder(bytes.length + append.length() + 64);
        for (Line line : lines) {
            String r = replace.get(line.index());
            out.append(r != null ? r : line.text() + line.eol());
        }
        if (!append.isEmpty()) {
            if (out.length() > 0 && out.charAt(out.length() - 1) != '\n' && out.charAt(out.length() - 1) != '\r') {
                out.append(dominantEol());
            }
            out.append(append);
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The line ending most lines of this file use ({@code \n} for an empty or one-line file). */
    public String dominantEol() {
        int crlf = 0;
        int lf = 0;
        for (Line line : lines) {
            if (line.eol().equals("\r\n")) {
                crlf++;
            } else if (line.eol().equals("\n")) {
                lf++;
            }
        }
        return crlf > lf ? "\r\n" : "\n";
    }

    /**
     * One physical line.
     *
     * @param index   0-based line number
     * @param text    the line without its ending, exactly as in the file
     * @param eol     {@code "\n"}, {@code "\r\n"}, {@code "\r"} or {@code ""} (last line without newline)
     * @param content the active part: comments removed, trimmed; empty for blank and comment lines
     */
    public record Line(int index, String text, String eol, String content) {
    }

    /**
     * A setting line inside a section.
     *
     * @param line  line index
     * @param key   key as written (trimmed)
     * @param value value, comments removed, trimmed
     */
    public record Entry(int line, String key, String value) {
        public boolean is(String name) {
            return key.equalsIgnoreCase(name);
        }
    }

    /**
     * A {@code [name](options)} section of this file.
     *
     * @param name      section name
     * @param template  declared with {@code (!)}
     * @param append    declared with {@code (+)}: adds to the previous section of that name
     * @param inherits  template names from the options, in order
     * @param header    line index of the header
     * @param end       line index after the last line that belongs to the section
     * @param entries   its settings in order
     */
    public record Section(String name, boolean template, boolean append, List<String> inherits, int header, int end,
            List<Entry> entries) {
        /** The last {@code type=} written in this section itself, lower-cased, or {@code null}. */
        public String ownType() {
            String type = null;
            for (Entry e : entries) {
                if (e.is("type")) {
                    type = e.value().toLowerCase(Locale.ROOT);
                }
            }
            return type;
        }

        public String value(String key) {
            String value = null;
            for (Entry e : entries) {
                if (e.is(key)) {
                    value = e.value();
                }
            }
            return value;
        }
    }

    private static List<Line> split(String text) {
        List<Line> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        while (start < n) {
            int i = start;
            while (i < n && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                i++;
            }
            String eol;
            if (i >= n) {
                eol = "";
            } else if (text.charAt(i) == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                eol = "\r\n";
            } else {
                eol = String.valueOf(text.charAt(i));
            }
            out.add(new Line(out.size(), text.substring(start, i), eol, null));
            start = i + eol.length();
        }
        return out;
    }

    private void parse(List<Section> found, List<String> inc) {
        int depth = 0;
        SectionBuilder current = null;
        for (int idx = 0; idx < lines.size(); idx++) {
            Line raw = lines.get(idx);
            StringBuilder active = new StringBuilder();
            String t = raw.text();
            int i = 0;
            while (i < t.length()) {
                char c = t.charAt(i);
                if (depth > 0) {
                    if (t.startsWith("--;", i)) {
                        depth--;
                        i += 3;
                    } else if (t.startsWith(";--", i)) {
                        depth++;
                        i += 3;
                    } else {
                        i++;
                    }
                    continue;
                }
                if (c == '\\' && i + 1 < t.length() && t.charAt(i + 1) == ';') {
                    active.append("\\;");
                    i += 2;
                } else if (c == ';') {
                    if (t.startsWith(";--", i)) {
                        depth++;
                        i += 3;
                    } else {
                        break;
                    }
                } else {
                    active.append(c);
                    i++;
                }
            }
            String content = active.toString().strip();
            lines.set(idx, new Line(raw.index(), raw.text(), raw.eol(), content));
            if (content.isEmpty()) {
                continue;
            }
            if (content.charAt(0) == '[') {
                int close = content.indexOf(']');
                if (close > 0) {
                    if (current != null) {
                        found.add(current.build(idx));
                    }
                    current = new SectionBuilder(content.substring(1, close).strip(), content.substring(close + 1).strip(), idx);
                    continue;
                }
            }
            if (content.charAt(0) == '#') {
                String directive = content.substring(1).strip();
                for (String kind : List.of("include", "tryinclude")) {
                    if (directive.regionMatches(true, 0, kind, 0, kind.length())
                            && directive.length() > kind.length()
                            && Character.isWhitespace(directive.charAt(kind.length()))) {
                        inc.add(unquote(directive.substring(kind.length()).strip()));
                    }
                }
                continue;
            }
            int eq = content.indexOf('=');
            if (eq > 0 && current != null) {
                String value = content.substring(eq + 1);
                if (value.startsWith(">")) {
                    value = value.substring(1);
                }
                current.entries.add(new Entry(idx, content.substring(0, eq).strip(), value.strip()));
            }
        }
        if (current != null) {
            found.add(current.build(lines.size()));
        }
    }

    private static String unquote(String target) {
        if (target.length() >= 2 && (target.startsWith("\"") && target.endsWith("\"")
                || target.startsWith("<") && target.endsWith(">"))) {
            return target.substring(1, target.length() - 1);
        }
        return target;
    }

    private static final class SectionBuilder {
        final String name;
        final boolean template;
        final boolean append;
        final List<String> inherits = new ArrayList<>();
        final int header;
        final List<Entry> entries = new ArrayList<>();

        SectionBuilder(String name, String options, int header) {
            this.name = name;
            this.header = header;
            boolean tpl = false;
            boolean add = false;
            if (options.startsWith("(") && options.endsWith(")")) {
                for (String opt : options.substring(1, options.length() - 1).split(",")) {
                    String o = opt.strip();
                    if (o.equals("!")) {
                        tpl = true;
                    } else if (o.equals("+")) {
                        add = true;
                    } else if (!o.isEmpty()) {
                        inherits.add(o);
                    }
                }
            }
            this.template = tpl;
            this.append = add;
        }

        Section build(int end) {
            return new Section(name, template, append, List.copyOf(inherits), header, end, List.copyOf(entries));
        }
    }
}
