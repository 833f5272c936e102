package io.vbo.policy.repository;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Tells a database's refusal of the data itself (SQLState class 22, data exception: out-of-range value, bad encoding;
 * class 23, integrity constraint) from every other failure (unreachable, overloaded, a missing table), which is the
 * database's state and worth retrying.
 */
public final class DataErrors {
    private DataErrors() {
    }

    /** The SQL exception in {@code e}'s causes whose state is of class 22 or 23, if any. */
    public static Optional<SQLException> refusedData(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return Optional.of(sql);
            }
        }
        return Optional.empty();
    }

    /** One line for a log or a dead-letter reason: state and the first line of the message. */
    public static String describe(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return "SQLState " + e.getSQLState() + ": " + message;
    }
}
