package io.vbo.ami;

import io.vbo.events.Codecs;
import io.vbo.events.PbxCapabilities;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which codecs a PBX can transcode, from the text of {@code core show translation} or, failing that,
 * {@code module show like codec_} (Asterisk 22; the same lines from {@code asterisk -rx} and from AMI {@code Output:}).
 *
 * <p>A codec is transcodable when the translator table has a path from it to {@code slin8} and from {@code slin8} to
 * it. Asterisk prints {@code -} both on the diagonal (a format to itself) and where there is no path; a format
 * without any translator (stock {@code opus}, {@code g729}) has no row and no column at all. Asterisk <em>format</em>
 * names become the names {@code allow=} uses ({@code slin8} → {@code slin}, {@code speex8} → {@code speex}); only
 * names in {@link Codecs#KNOWN} come out, so {@code slin12}, {@code slin48} and the like are dropped.
 */
public final class CodecCapabilities {
    /** The CLI command read first. */
    public static final String TRANSLATION_COMMAND = "core show translation";
    /** The fallback CLI command. */
    public static final String MODULES_COMMAND = "module show like codec_";

    private static final String SLIN = "slin8";
    private static final Map<String, String> ALLOW_NAME = Map.of("slin8", "slin", "speex8", "speex");
    private static final Pattern CELL = Pattern.compile("-|\\d+");
    /** {@code codec_gsm.so   GSM Coder/Decoder   0   Running   core}. */
    private static final Pattern MODULE = Pattern.compile("^\\s*(codec_[A-Za-z0-9_]+)\\.so\\s.*\\s\\d+\\s+Running\\s+\\S+\\s*$");
    /** The codecs each stock or commonly added {@code codec_*} module translates to and from slin. */
    private static final Map<String, List<String>> MODULE_CODECS = Map.ofEntries(
            Map.entry("codec_adpcm", List.of("adpcm")),
            Map.entry("codec_alaw", List.of("alaw")),
            Map.entry("codec_ulaw", List.of("ulaw")),
            Map.entry("codec_g722", List.of("g722")),
            Map.entry("codec_g726", List.of("g726", "g726aal2")),
            Map.entry("codec_gsm", List.of("gsm")),
            Map.entry("codec_ilbc", List.of("ilbc")),
            Map.entry("codec_lpc10", List.of("lpc10")),
            Map.entry("codec_resample", List.of("slin16")),
            Map.entry("codec_speex", List.of("speex", "speex16", "speex32")),
            Map.entry("codec_opus", List.of("opus")),
            Map.entry("codec_g729", List.of("g729")),
            Map.entry("codec_g729a", List.of("g729")),
            Map.entry("codec_g723", List.of("g723")),
            Map.entry("codec_siren7", List.of("siren7")),
            Map.entry("codec_siren14", List.of("siren14")),
            Map.entry("codec_g719", List.of("g719")),
            Map.entry("codec_codec2", List.of("codec2")));

    private CodecCapabilities() {
    }

    /**
     * What was read and from where.
     *
     * @param transcodable sorted {@code allow=} names
     * @param source       {@link PbxCapabilities#SOURCE_TRANSLATION} or {@link PbxCapabilities#SOURCE_MODULES}
     * @param note         why the fallback was used, {@code null} when the table answered
     */
    public record Reading(List<String> transcodable, String source, String note) {
        public Reading {
            transcodable = List.copyOf(transcodable);
        }
    }

    /**
     * The transcodable codecs of a {@code core show translation} output; empty when the lines hold no table (an error
     * text, an empty output).
     *
     * @throws IllegalArgumentException a table whose rows do not have one cell per column
     */
    public static List<String> fromTranslation(List<String> lines) {
        List<String> columns = null;
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            List<String> tokens = tokens(lines.get(i));
            if (columns == null) {
                // The header is the line just above the first row: a row is a name followed by cells only.
                if (i + 1 < lines.size() && isRow(tokens(lines.get(i + 1))) && !tokens.isEmpty()
                        && tokens.stream().noneMatch(t -> CELL.matcher(t).matches())) {
                    columns = tokens;
                }
                continue;
            }
            if (tokens.isEmpty()) {
                continue;
            }
            if (!isRow(tokens) || tokens.size() != columns.size() + 1) {
                throw new IllegalArgumentException("translation table row '" + AmiConnection.printable(lines.get(i).strip())
                        + "' has " + (tokens.size() - 1) + " cells for " + columns.size() + " columns");
            }
            rows.put(tokens.get(0), tokens.subList(1, tokens.size()));
        }
        if (columns == null || !rows.containsKey(SLIN) || !columns.contains(SLIN)) {
            return List.of();
        }
        int slinColumn = columns.indexOf(SLIN);
        List<String> slinRow = rows.get(SLIN);
        Set<String> transcodable = new TreeSet<>();
        for (Map.Entry<String, List<String>> row : rows.entrySet()) {
            String format = row.getKey();
            int column = columns.indexOf(format);
            boolean toSlin = format.equals(SLIN) || isPath(row.getValue().get(slinColumn));
            boolean fromSlin = format.equals(SLIN) || (column >= 0 && isPath(slinRow.get(column)));
            if (toSlin && fromSlin) {
                allowName(format).ifPresent(transcodable::add);
            }
        }
        return List.copyOf(transcodable);
    }

    /**
     * The transcodable codecs of a {@code module show like codec_} output: the codecs of each {@code Running} codec
     * module, plus {@code slin} (the core's own format, which needs none). Empty when no codec module runs.
     */
    public static List<String> fromModules(List<String> lines) {
        Set<String> transcodable = new TreeSet<>();
        for (String line : lines) {
            Matcher module = MODULE.matcher(line);
            if (module.matches()) {
                transcodable.addAll(MODULE_CODECS.getOrDefault(module.group(1), List.of()));
            }
        }
        if (transcodable.isEmpty()) {
            return List.of();
        }
        transcodable.add("slin");
        return List.copyOf(transcodable);
    }

    /**
     * Runs {@link #TRANSLATION_COMMAND} through {@code cli}, and {@link #MODULES_COMMAND} when the table failed or
     * yielded nothing. Fails when neither gives a codec. {@code cli} returns a command's output lines (AMI
     * {@link AmiConnection#command}, or {@code asterisk -rx} wrapped in a future).
     */
    public static Future<Reading> read(Function<String, Future<List<String>>> cli) {
        return attempt(cli, TRANSLATION_COMMAND, CodecCapabilities::fromTranslation).transform(table -> {
            if (table.succeeded() && !table.result().isEmpty()) {
                return Future.succeededFuture(new Reading(table.result(), PbxCapabilities.SOURCE_TRANSLATION, null));
            }
            String why = table.succeeded() ? "'" + TRANSLATION_COMMAND + "' listed no codec with a path to and from slin"
                    : table.cause().getMessage();
            return attempt(cli, MODULES_COMMAND, CodecCapabilities::fromModules).transform(modules -> {
                if (modules.succeeded() && !modules.result().isEmpty()) {
                    return Future.succeededFuture(new Reading(modules.result(), PbxCapabilities.SOURCE_MODULES, why));
                }
                String also = modules.succeeded() ? "'" + MODULES_COMMAND + "' listed no running codec module"
                        : modules.cause().getMessage();
                return Future.failedFuture(new AmiException("no transcodable codec read: " + why + "; " + also));
            });
        });
    }

    private static Future<List<String>> attempt(Function<String, Future<List<String>>> cli, String command,
            Function<List<String>, List<String>> parser) {
        Future<List<String>> output;
        try {
            output = cli.apply(command);
        } catch (RuntimeException e) {
            output = Future.failedFuture(e);
        }
        return output.compose(lines -> {
            try {
                return Future.succeededFuture(parser.apply(lines));
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(new AmiException("'" + command + "': " + e.getMessage()));
            }
        });
    }

    private static boolean isRow(List<String> tokens) {
        return tokens.size() >= 2 && !CELL.matcher(tokens.get(0)).matches()
                && tokens.subList(1, tokens.size()).stream().allMatch(t -> CELL.matcher(t).matches());
    }

    /** A cell with a cost; {@code -} off the diagonal is Asterisk's "no path". */
    private static boolean isPath(String cell) {
        return !cell.equals("-");
    }

    private static Optional<String> allowName(String format) {
        String name = ALLOW_NAME.getOrDefault(format, format);
        return Codecs.isKnown(name) ? Optional.of(name) : Optional.empty();
    }

    private static List<String> tokens(String line) {
        String stripped = line.strip();
        return stripped.isEmpty() ? List.of() : new ArrayList<>(List.of(stripped.split("\\s+")));
    }
}
