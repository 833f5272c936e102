package io.vbo.writer.pbx;

/** Asterisk could not be reached (connection refused, login failed, timeout): nothing was done there. */
public class PbxUnreachableException extends PbxException {
    public PbxUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
