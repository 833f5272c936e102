package io.vbo.lab.ami;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code core show translation} tables: the captured stock one, and SYNTHETIC variants derived from it (never
 * captured) for a PBX with one more translator module, e.g. {@code codec_opus}.
 */
public final class TranslationTables {
    /** A table row: a format name, then one cost or {@code -} per column. */
    private static final Pattern ROW = Pattern.compile("^\\s*[a-z0-9]+(\\s+(-|\\d+))+\\s*$");

    private TranslationTables() {
    }

    /** The captured table of a stock Asterisk 22.10.1 (no opus, no g729), as the CLI prints it. */
    public static List<String> stock() {
        return Transcripts.lines("cli-core-show-translation.txt");
    }

    /**
     * SYNTHETIC: {@code table} with a column and a row for {@code format}, every path to and from it costing
     * {@code cost} (and {@code -} to itself), as a PBX that loaded the format's translator would print it.
     */
    public static List<String> withFormat(List<String> table, String format, int cost) {
        List<String> lines = new ArrayList<>();
        int columns = -1;
        for (int i = 0; i < table.size(); i++) {
            String line = table.get(i);
            boolean header = columns < 0 && i + 1 < table.size() && ROW.matcher(table.get(i + 1)).matches()
                    && !ROW.matcher(line).matches();
            if (header) {
                columns = line.strip().split("\\s+").length;
                lines.add(line + " " + pad(format));
            } else if (columns >= 0 && ROW.matcher(line).matches()) {
                lines.add(line + " " + pad(Integer.toString(cost)));
            } else {
                lines.add(line);
            }
        }
        if (columns < 0) {
            throw new IllegalArgumentException("no translation table in the given lines");
        }
        StringBuilder row = new StringBuilder(String.format("%9s", format));
        for (int c = 0; c < columns; c++) {
            row.append(' ').append(pad(Integer.toString(cost)));
        }
        lines.add(row.append(' ').append(pad("-")).toString());
        return lines;
    }

    private static String pad(String cell) {
        return String.format("%5s", cell);
    }
}
