package io.vbo.writer.pbx;

/** Asterisk answered, but with an error (a failed reload, an unknown endpoint). */
public class PbxException extends Exception {
    public PbxException(String message) {
        super(message);
    }

    public PbxException(String message, Throwable cause) {
        super(message, cause);
    }
}
