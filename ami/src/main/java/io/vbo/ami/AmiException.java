package io.vbo.ami;

/** An AMI action that could not be answered: connection down, closed while waiting, or timed out. */
public class AmiException extends RuntimeException {
    public AmiException(String message) {
        super(message);
    }
}
