package io.vbo.events;

/** An event, or one of its fields, is malformed. The message always names the offending field. */
public class InvalidEventException extends RuntimeException {
    private final String field;

    public InvalidEventException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public InvalidEventException(String field, String problem, Throwable cause) {
        super(field + ": " + problem, cause);
        this.field = field;
    }

    /** Name of the offending field ({@code "$"} for the document as a whole). */
    public String field() {
        return field;
    }
}
