package io.vbo.policy.repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Binds column arrays to an {@code unnest(?::type[], …)} statement: one statement for a whole batch of rows. */
final class SqlArrays {
    private SqlArrays() {
    }

    /** Binds {@code columns[i]} as an SQL array of {@code types[i]} to parameter {@code i + 1}. */
    static void bind(Connection c, PreparedStatement ps, String[] types, Object[][] columns) throws SQLException {
        for (int i = 0; i < types.length; i++) {
            Array array = c.createArrayOf(types[i], columns[i]);
            ps.setArray(i + 1, array);
        }
    }

    /** Transposes rows into the columns {@link #bind} takes. */
    static Object[][] columns(int width, List<Object[]> rows) {
        Object[][] cols = new Object[width][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Object[] row = rows.get(i);
            for (int col = 0; col < width; col++) {
                cols[col][i] = row[col];
            }
        }
        return cols;
    }
}
