package io.vbo.lab.ami;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dialplan a {@code dialplan reload} of Asterisk 22 loads from {@code extensions.conf} and the files it
 * {@code #include}s: the {@code [globals]} variables and the contexts with their extensions, priorities and labels.
 * Only what the test server must answer is modelled: {@code dialplan show <context>} and {@code Getvar} of a global.
 *
 * <p>No capture of these commands exists in fixtures/asterisk-transcripts: the texts are built from the format
 * strings of Asterisk 22.10.1's source — {@code pbx/pbx_config.c} ({@code handle_cli_dialplan_reload}:
 * {@code "Dialplan reloaded.\n"}; {@code pbx_load_config}: every {@code [globals]} category is read, the file of an
 * extension is the basename of the (included) file, priorities {@code n}/{@code n(label)}/numbers) and
 * {@code main/pbx.c} ({@code handle_show_dialplan}, {@code show_dialplan_helper}, {@code print_ext}).
 */
final class Dialplan {
    /** One priority of an extension, as {@code print_ext} and {@code show_dialplan_helper} print it. */
    record Priority(String extension, int priority, String label, String app, String data, String file, int line) {
    }

    private final Map<String, String> globals;
    private final Map<String, List<Priority>> contexts;
    private final boolean clearGlobals;

    private Dialplan(Map<String, String> globals, Map<String, List<Priority>> contexts, boolean clearGlobals) {
        this.globals = globals;
        this.contexts = contexts;
        this.clearGlobals = clearGlobals;
    }

    static Dialplan empty() {
        return new Dialplan(new LinkedHashMap<>(), new LinkedHashMap<>(), false);
    }

    /**
     * What {@code dialplan reload} loads from {@code main}: the globals are set over the previous ones (kept unless
     * {@code clearglobalvars=yes}, as in Asterisk), the contexts replace the previous ones.
     */
    Dialplan reload(Path main) {
        Loader loader = new Loader();
        loader.load(main);
        Map<String, String> vars = loader.clearGlobals ? new LinkedHashMap<>() : new LinkedHashMap<>(globals);
        vars.putAll(loader.globals);
        return new Dialplan(vars, loader.contexts, loader.clearGlobals);
    }

    /** A global variable's value, {@code ""} when unset (Getvar answers {@code Value: } then). */
    String global(String name) {
        return globals.getOrDefault(name, "");
    }

    boolean clearGlobals() {
        return clearGlobals;
    }

    /** {@code dialplan show <context>}: the CLI lines and whether the command succeeded. */
    CommandReply show(String context) {
        List<Priority> priorities = contexts.get(context);
        if (priorities == null) {
            return CommandReply.error("There is no existence of '" + context + "' context");
        }
        List<String> out = new ArrayList<>();
        out.add("[ Context '" + context + "' created by 'pbx_config' ]");
        // pbx.c keeps a context's extensions sorted (ext_cmp): names before patterns; patterns here stay in file order.
        List<Priority> sorted = new ArrayList<>(priorities);
        sorted.sort((a, b) -> {
            boolean pa = a.extension().startsWith("_");
            boolean pb = b.extension().startsWith("_");
            return pa != pb ? (pa ? 1 : -1) : pa ? 0 : a.extension().compareTo(b.extension());
        });
        String previous = null;
        int extensions = 0;
        for (Priority p : sorted) {
            String first;
            if (!p.extension().equals(previous)) {
                first = "'" + p.extension() + "' =>";
                extensions++;
                previous = p.extension();
            } else {
                first = p.label() == null ? "" : "   [" + p.label() + "]";
            }
            String ext = p.priority() + ". " + p.app() + "(" + p.data() + ")";
            out.add(String.format(Locale.ROOT, "  %-17s %-45s [%s:%d]", first, ext, p.file(), p.line()));
        }
        out.add("");
        out.add(String.format(Locale.ROOT, "-= %d %s (%d %s) in 1 context. =-", extensions,
                extensions == 1 ? "extension" : "extensions", priorities.size(),
                priorities.size() == 1 ? "priority" : "priorities"));
        return new CommandReply(true, out);
    }

    /** Reads the files as Asterisk's config parser does, for what pbx_config uses. */
    private static final class Loader {
        final Map<String, String> globals = new LinkedHashMap<>();
        final Map<String, List<Priority>> contexts = new LinkedHashMap<>();
        boolean clearGlobals;
        private String category;
        private String lastExtension;
        private int lastPriority;

        void load(Path file) {
            if (!Files.exists(file)) {
                // Asterisk loads nothing from a missing extensions.conf and skips a missing #include (with a warning).
                return;
            }
            List<String> lines;
            try {
                lines = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).lines().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("dialplan: cannot read " + file, e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = uncommented(lines.get(i)).strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("#include")) {
                    String name = line.substring("#include".length()).strip().replaceAll("^[\"<]|[\">]$", "");
                    load(file.resolveSibling(name));
                } else if (line.startsWith("[")) {
                    category = line.substring(1, line.indexOf(']'));
                    lastExtension = null;
                    lastPriority = -2;
                    if (!isGeneral() && !"globals".equalsIgnoreCase(category)) {
                        contexts.putIfAbsent(category, new ArrayList<>());
                    }
                } else if (category != null) {
                    entry(line, file.getFileName().toString(), i + 1);
                }
            }
        }

        private boolean isGeneral() {
            return "general".equalsIgnoreCase(category);
        }

        private void entry(String line, String file, int lineNo) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                return;
            }
            String name = line.substring(0, eq).strip();
            String value = line.substring(eq + 1);
            if (value.startsWith(">")) {
                value = value.substring(1);
            }
            value = value.strip();
            if ("globals".equalsIgnoreCase(category)) {
                globals.put(name, value);
            } else if (isGeneral()) {
                if (name.equalsIgnoreCase("clearglobalvars")) {
                    clearGlobals = value.equalsIgnoreCase("yes") || value.equalsIgnoreCase("true") || value.equals("1");
                }
            } else if (name.equalsIgnoreCase("exten")) {
                int comma = value.indexOf(',');
                lastExtension = value.substring(0, comma).strip();
                priority(value.substring(comma + 1), file, lineNo);
            } else if (name.equalsIgnoreCase("same") && lastExtension != null) {
                priority(value, file, lineNo);
            }
        }

        /** {@code pri[(label)],App(data)} as pbx_load_config splits it. */
        private void priority(String rest, String file, int lineNo) {
            int comma = rest.indexOf(',');
            String pri = rest.substring(0, comma).strip();
            String label = null;
            int open = pri.indexOf('(');
            if (open >= 0) {
                label = pri.substring(open + 1, pri.indexOf(')'));
                pri = pri.substring(0, open);
            }
            int number = pri.equals("n") ? lastPriority + 1 : Integer.parseInt(pri);
            lastPriority = number;
            String application = rest.substring(comma + 1).strip();
            String app = application;
            String data = "";
            int paren = application.indexOf('(');
            if (paren >= 0) {
                app = application.substring(0, paren);
                int close = application.lastIndexOf(')');
                data = application.substring(paren + 1, close > paren ? close : application.length());
            }
            contexts.get(category).add(new Priority(lastExtension, number, label, app.strip(), data, file, lineNo));
        }

        /** The line without its comment: {@code ;} starts one unless escaped as {@code \;}. */
        private static String uncommented(String line) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == ';') {
                    out.append(';');
                    i++;
                } else if (c == ';') {
                    break;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
