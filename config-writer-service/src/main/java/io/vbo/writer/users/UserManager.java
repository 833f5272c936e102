package io.vbo.writer.users;

import io.vbo.events.Codecs;
import io.vbo.events.InvalidEventException;
import io.vbo.writer.editor.ConfigFile;
import io.vbo.writer.editor.ConfigFile.Entry;
import io.vbo.writer.editor.ConfigFile.Line;
import io.vbo.writer.editor.ConfigFile.Section;
import io.vbo.writer.editor.PjsipConfig;
import io.vbo.writer.files.SafeFileWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The original {@code pjsip_manager}: add, edit, delete and show PJSIP users in the same files and sections
 * ({@code pjsip_endpoints.conf} {@code [EXT]}, {@code pjsip_aor.conf} {@code [EXT]}, {@code pjsip_auth.conf}
 * {@code [EXT-auth]}, and {@code exten => EXT,1,Dial(PJSIP/EXT)} between {@code ;EBANDI} and {@code ;FIN_EBANDI}
 * in {@code extensions.conf}), but byte-preserving, atomic, and refusing anything that could inject config.
 *
 * <p>Every input is validated before a file is read for writing; a refused request leaves every file untouched.
 */
public final class UserManager {
    /** Shortest password accepted for a new or changed user (a SIP password is guessed online, at line rate). */
    public static final int MIN_PASSWORD_LENGTH = 8;
    /** Asterisk context names are at most 79 characters; no character that means something in a config line. */
    public static final Pattern CONTEXT = Pattern.compile("[A-Za-z0-9_-]{1,79}");
    public static final List<String> DEFAULT_CODECS = List.of("ulaw", "alaw", "opus", "g729", "gsm");
    public static final String DEFAULT_CONTEXT = "from-internal";
    public static final String ENDPOINTS = "pjsip_endpoints.conf";
    public static final String AORS = "pjsip_aor.conf";
    public static final String AUTHS = "pjsip_auth.conf";
    public static final String DIALPLAN = "extensions.conf";
    public static final String BEGIN_MARKER = ";EBANDI";
    public static final String END_MARKER = ";FIN_EBANDI";
    private static final int ATTEMPTS = 5;

    private final Path dir;
    private final SafeFileWriter writer;

    public UserManager(Path dir, SafeFileWriter writer) {
        this.dir = dir;
        this.writer = writer;
    }

    /**
     * Files written by one change: what to reload, and the backups to restore if the reload fails.
     *
     * @param codecs the allow list the change set on the endpoint, or null when it set none
     */
    public record Change(String summary, Map<Path, Path> backups, List<String> codecs) {
    }

    public List<User> show() throws IOException {
        PjsipConfig config = load();
        List<User> users = new ArrayList<>();
        String dialplan = dialplanText();
        for (String name : config.names("endpoint")) {
            users.add(user(config, name, dialplan));
        }
        return users;
    }

    public Optional<User> show(String extension) throws IOException {
        validExtension(extension);
        PjsipConfig config = load();
        if (config.find(extension, "endpoint").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(user(config, extension, dialplanText()));
    }

    public Change add(String extension, String password, List<String> codecs, String context) throws IOException {
        validExtension(extension);
        String pw = validPassword(password);
        List<String> list = codecs == null ? DEFAULT_CODECS : validCodecs(codecs);
        String ctx = context == null ? DEFAULT_CONTEXT : validContext(context);
        return retry(() -> {
            PjsipConfig config = load();
            if (!config.find(extension, "endpoint").isEmpty() || !config.find(extension, "aor").isEmpty()
                    || !config.find(extension + "-auth", "auth").isEmpty()) {
                throw new UserException(UserException.Kind.CONFLICT, "user " + extension + " already exists");
            }
            Map<Path, byte[]> out = new LinkedHashMap<>();
            ConfigFile eps = included(config, ENDPOINTS);
            ConfigFile aors = included(config, AORS);
            ConfigFile auths = included(config, AUTHS);
            out.put(eps.path(), eps.withEdits(Map.of(), section(eps, "[" + extension + "]", List.of(
                    "type=endpoint", "context=" + ctx, "disallow=all", "allow=" + String.join(",", list),
                    "aors=" + extension, "auth=" + extension + "-auth", "direct_media=no"))));
            out.put(aors.path(), aors.withEdits(Map.of(), section(aors, "[" + extension + "]", List.of(
                    "type=aor", "max_contacts=1", "qualify_frequency=60"))));
            out.put(auths.path(), auths.withEdits(Map.of(), section(auths, "[" + extension + "-auth]", List.of(
                    "type=auth", "auth_type=userpass", "username=" + extension, "password=" + pw))));
            ConfigFile dialplan = dialplanFile();
            int[] block = markers(dialplan);
            if (dialplanLine(dialplan, block, extension) < 0) {
                Line end = dialplan.lines().get(block[1]);
                String eol = end.eol().isEmpty() ? dialplan.dominantEol() : end.eol();
                out.put(dialplan.path(), dialplan.withEdits(
                        Map.of(block[1], dialDirective(extension) + eol + end.text() + end.eol()), ""));
            }
            return new Change("added " + extension, write(config, dialplan, out), list);
        });
    }

    public Change edit(String extension, String password, List<String> codecs) throws IOException {
        validExtension(extension);
        String pw = password == null ? null : validPassword(password);
        List<String> list = codecs == null ? null : validCodecs(codecs);
        if (pw == null && list == null) {
            throw new UserException(UserException.Kind.INVALID, "nothing to change: give a password and/or codecs");
        }
        return retry(() -> {
            PjsipConfig config = load();
            if (config.find(extension, "endpoint").isEmpty()) {
                throw new UserException(UserException.Kind.NOT_FOUND, "user " + extension + " does not exist");
            }
            Map<Path, TreeMap<Integer, String>> edits = new LinkedHashMap<>();
            if (list != null) {
                config.codecEdits(Map.of(extension, list), edits);
            }
            if (pw != null) {
                String authName = Optional.ofNullable(value(config, extension, "endpoint", "auth")).orElse(extension + "-auth");
                List<Integer> auth = config.find(authName, "auth");
                if (auth.isEmpty()) {
                    throw new UserException(UserException.Kind.NOT_FOUND, "user " + extension + " has no auth section " + authName);
                }
                PjsipConfig.Placed placed = config.sections().get(auth.get(auth.size() - 1));
                ConfigFile file = placed.file();
                TreeMap<Integer, String> fileEdits = edits.computeIfAbsent(file.path(), k -> new TreeMap<>());
                boolean done = false;
                Entry last = null;
                for (Entry e : placed.section().entries()) {
                    if (e.is("password")) {
                        Line line = file.lines().get(e.line());
                        fileEdits.put(e.line(), done ? "" : PjsipConfig.setting(line.text(), e.key(), pw) + eolOf(file, line));
                        done = true;
                    }
                    last = e;
                }
                if (!done) {
                    Line after = file.lines().get(last == null ? placed.section().header() : last.line());
                    String like = last == null ? "password=" : after.text();
                    fileEdits.put(after.index(), after.text() + eolOf(file, after)
                            + PjsipConfig.setting(like, "password", pw) + eolOf(file, after));
                }
            }
            Map<Path, byte[]> out = config.render(edits);
            return new Change("edited " + extension, write(config, null, out), list);
        });
    }

    public Change delete(String extension) throws IOException {
        validExtension(extension);
        return retry(() -> {
            PjsipConfig config = load();
            List<Integer> endpoint = config.find(extension, "endpoint");
            if (endpoint.isEmpty()) {
                throw new UserException(UserException.Kind.NOT_FOUND, "user " + extension + " does not exist");
            }
            String authName = Optional.ofNullable(value(config, extension, "endpoint", "auth")).orElse(extension + "-auth");
            List<Integer> doomed = new ArrayList<>(endpoint);
            doomed.addAll(config.find(extension, "aor"));
            doomed.addAll(config.find(authName, "auth"));
            Map<Path, TreeMap<Integer, String>> edits = new LinkedHashMap<>();
            for (int i : doomed) {
                PjsipConfig.Placed p = config.sections().get(i);
                TreeMap<Integer, String> fileEdits = edits.computeIfAbsent(p.file().path(), k -> new TreeMap<>());
                Section s = p.section();
                int last = s.entries().isEmpty() ? s.header() : s.entries().get(s.entries().size() - 1).line();
                // The section's own lines, and the blank lines after it; comments after it describe what follows.
                while (last + 1 < s.end() && p.file().lines().get(last + 1).text().isBlank()) {
                    last++;
                }
                int first = s.header();
                if (nothingAfter(p.file(), last)) {
                    // Last in its file: also the blank line(s) that separated it, so add + delete restores the bytes.
                    while (first > 0 && p.file().lines().get(first - 1).text().isBlank()) {
                        first--;
                    }
                }
                for (int line = first; line <= last; line++) {
                    fileEdits.put(line, "");
                }
            }
            Map<Path, byte[]> out = new LinkedHashMap<>();
            for (Map.Entry<Path, TreeMap<Integer, String>> e : edits.entrySet()) {
                out.put(e.getKey(), config.files().get(e.getKey()).withEdits(e.getValue(), ""));
            }
            ConfigFile dialplan = Files.exists(dir.resolve(DIALPLAN)) ? ConfigFile.read(dir.resolve(DIALPLAN)) : null;
            if (dialplan != null) {
                int[] block = markersOrNull(dialplan);
                int line = block == null ? -1 : dialplanLine(dialplan, block, extension);
                if (line >= 0) {
                    out.put(dialplan.path(), dialplan.withEdits(Map.of(line, ""), ""));
                }
            }
            return new Change("deleted " + extension, write(config, dialplan, out), null);
        });
    }

    private static boolean nothingAfter(ConfigFile file, int line) {
        for (int i = line + 1; i < file.lines().size(); i++) {
            if (!file.lines().get(i).text().isBlank()) {
                return false;
            }
        }
        return true;
    }

    private interface Attempt {
        Change run() throws IOException;
    }

    /** Someone edited a file between our read and our write: read again and redo, a few times. */
    private static Change retry(Attempt attempt) throws IOException {
        for (int i = 1; ; i++) {
            try {
                return attempt.run();
            } catch (SafeFileWriter.ChangedOnDiskException e) {
                if (i >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Map<Path, Path> write(PjsipConfig config, ConfigFile dialplan, Map<Path, byte[]> out) throws IOException {
        Map<Path, Path> backups = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, byte[]> e : out.entrySet()) {
                ConfigFile before = config.files().get(e.getKey());
                if (before == null && dialplan != null && dialplan.path().equals(e.getKey())) {
                    before = dialplan;
                }
                backups.put(e.getKey(), writer.replace(e.getKey(), before.bytes(), e.getValue()));
            }
        } catch (IOException | RuntimeException e) {
            // All or nothing: put back what this change already wrote.
            for (Map.Entry<Path, Path> done : backups.entrySet()) {
                writer.restore(done.getValue(), done.getKey());
            }
            throw e;
        }
        return backups;
    }

    private PjsipConfig load() throws IOException {
        try {
            return PjsipConfig.load(dir, "pjsip.conf");
        } catch (NoSuchFileException e) {
            throw new UserException(UserException.Kind.NOT_INITIALISED, "no " + e.getFile() + ": run init first");
        }
    }

    private ConfigFile included(PjsipConfig config, String name) {
        Path path = dir.resolve(name).toAbsolutePath().normalize();
        ConfigFile file = config.files().get(path);
        if (file == null) {
            throw new UserException(UserException.Kind.NOT_INITIALISED,
                    "pjsip.conf does not #include " + name + ": run init or add the #include");
        }
        return file;
    }

    private ConfigFile dialplanFile() throws IOException {
        Path path = dir.resolve(DIALPLAN).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new UserException(UserException.Kind.NOT_INITIALISED, "no " + path + ": run init first");
        }
        ConfigFile file = ConfigFile.read(path);
        markers(file);
        return file;
    }

    private String dialplanText() throws IOException {
        Path path = dir.resolve(DIALPLAN);
        return Files.exists(path) ? new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1) : "";
    }

    private static int[] markers(ConfigFile file) {
        int[] block = markersOrNull(file);
        if (block == null) {
            throw new UserException(UserException.Kind.NOT_INITIALISED, file.path() + " has no " + BEGIN_MARKER + " ... "
                    + END_MARKER + " block for the dialplan lines: run init or add the two marker lines");
        }
        return block;
    }

    private static int[] markersOrNull(ConfigFile file) {
        int begin = -1;
        for (Line line : file.lines()) {
            String t = line.text().strip();
            if (begin < 0 && t.equals(BEGIN_MARKER)) {
                begin = line.index();
            } else if (begin >= 0 && t.equals(END_MARKER)) {
                return new int[] {begin, line.index()};
            }
        }
        return null;
    }

    private static int dialplanLine(ConfigFile file, int[] block, String extension) {
        Pattern mine = Pattern.compile("exten\\s*=>?\\s*" + Pattern.quote(extension) + "\\s*,.*");
        for (int i = block[0] + 1; i < block[1]; i++) {
            if (mine.matcher(file.lines().get(i).content()).matches()) {
                return i;
            }
        }
        return -1;
    }

    private static String dialDirective(String extension) {
        return "exten => " + extension + ",1,Dial(PJSIP/" + extension + ")";
    }

    private static String eolOf(ConfigFile file, Line line) {
        return line.eol().isEmpty() ? file.dominantEol() : line.eol();
    }

    /** A new section at the end of {@code file}, separated by a blank line, with the file's line endings. */
    private static String section(ConfigFile file, String header, List<String> settings) {
        String eol = file.dominantEol();
        StringBuilder text = new StringBuilder();
        List<Line> lines = file.lines();
        if (!lines.isEmpty() && !lines.get(lines.size() - 1).text().isBlank()) {
            text.append(eol);
        }
        text.append(header).append(eol);
        for (String s : settings) {
            text.append(s).append(eol);
        }
        return text.toString();
    }

    private User user(PjsipConfig config, String name, String dialplan) {
        Section own = config.sections().get(config.find(name, "endpoint").get(0)).section();
        String context = Optional.ofNullable(config.effectiveValue(name, "endpoint", "context")).orElse("");
        String auth = Optional.ofNullable(own.value("auth")).orElse("");
        String username = "";
        String password = "";
        for (int i : config.find(auth, "auth")) {
            Section s = config.sections().get(i).section();
            username = Optional.ofNullable(s.value("username")).orElse(username);
            password = s.value("password") != null ? User.MASK : password;
        }
        boolean inDialplan = Pattern.compile("(?m)^\\s*exten\\s*=>?\\s*" + Pattern.quote(name) + "\\s*,").matcher(dialplan).find();
        return new User(name, context, config.effectiveAllow(name), Optional.ofNullable(own.value("aors")).orElse(""),
                auth, username, password, inDialplan);
    }

    /** {@code key} of the concrete {@code type} section(s) named {@code name}, the last one written winning. */
    private static String value(PjsipConfig config, String name, String type, String key) {
        String value = null;
        for (int i : config.find(name, type)) {
            String v = config.sections().get(i).section().value(key);
            value = v != null ? v : value;
        }
        return value;
    }

    /** The contracts' rule for endpoint names ({@link io.vbo.events.Validate#extension}), so every user can be decided. */
    public static void validExtension(String extension) {
        try {
            io.vbo.events.Validate.extension("extension", extension);
        } catch (InvalidEventException e) {
            throw new UserException(UserException.Kind.INVALID, e.getMessage());
        }
    }

    static String validContext(String context) {
        if (!CONTEXT.matcher(context).matches()) {
            throw new UserException(UserException.Kind.INVALID, "context must match " + CONTEXT.pattern()
                    + ", got '" + io.vbo.events.Validate.printable(context) + "'");
        }
        return context;
    }

    static List<String> validCodecs(List<String> codecs) {
        try {
            return Codecs.parseList("codecs", String.join(",", codecs));
        } catch (InvalidEventException e) {
            throw new UserException(UserException.Kind.INVALID, e.getMessage());
        }
    }

    /**
     * A password as it goes into {@code password=}: no control character (a newline would start a new setting),
     * no leading/trailing space (Asterisk strips it), {@value #MIN_PASSWORD_LENGTH} to 128 characters; {@code ;} is
     * escaped as {@code \;}, which
     * Asterisk reads back as {@code ;}, and non-ASCII is kept as its UTF-8 bytes.
     */
    static String validPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new UserException(UserException.Kind.INVALID, "password is required");
        }
        if (password.codePoints().anyMatch(cp -> Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029)) {
            throw new UserException(UserException.Kind.INVALID, "password must not contain control characters or newlines");
        }
        if (!password.strip().equals(password)) {
            throw new UserException(UserException.Kind.INVALID, "password must not start or end with spaces");
        }
        if (password.codePointCount(0, password.length()) < MIN_PASSWORD_LENGTH) {
            throw new UserException(UserException.Kind.INVALID, "password must have at least " + MIN_PASSWORD_LENGTH
                    + " characters");
        }
        if (password.length() > 128) {
            throw new UserException(UserException.Kind.INVALID, "password is longer than 128 characters");
        }
        String escaped = password.replace(";", "\\;");
        return new String(escaped.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
