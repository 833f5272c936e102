package io.vbo.policy.rest;

/**
 * RFC 9457 problem details, served as {@code application/problem+json}.
 *
 * @param type   URI naming the problem kind
 * @param title  short summary of the kind
 * @param status HTTP status
 * @param detail what exactly was wrong with this request
 */
public record Problem(String type, String title, int status, String detail) {
    public static final String MEDIA_TYPE = "application/problem+json";
}
