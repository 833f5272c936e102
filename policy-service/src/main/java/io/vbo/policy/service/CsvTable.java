package io.vbo.policy.service;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * CSV documents (RFC 4180 quoting by jackson-dataformat-csv) whose text cells cannot run as spreadsheet formulas:
 * a cell starting with {@code = + - @}, TAB or CR gets a leading apostrophe (OWASP "CSV injection").
 */
public final class CsvTable {
    private static final CsvMapper MAPPER = new CsvMapper();

    private CsvTable() {
    }

    /** The header line, then one line per row; {@code null} cells are empty, text cells neutralised. */
    public static String write(List<String> header, List<Object[]> rows) {
        CsvSchema.Builder schema = CsvSchema.builder();
        header.forEach(schema::addColumn);
        StringWriter out = new StringWriter();
        try (SequenceWriter writer = MAPPER.writer(schema.build().withHeader()).writeValues(out)) {
            for (Object[] row : rows) {
                Object[] cells = new Object[row.length];
                for (int i = 0; i < row.length; i++) {
                    cells[i] = row[i] instanceof CharSequence text ? neutralise(text.toString()) : row[i];
                }
                writer.write(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String neutralise(String cell) {
        return !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    }
}
