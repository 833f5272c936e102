package io.vbo.writer.users;

/** A user-management request refused before any file was touched; {@link #kind()} maps to the HTTP status. */
public class UserException extends RuntimeException {
    /** Why it was refused. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, NOT_INITIALISED }

    private final Kind kind;

    public UserException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
