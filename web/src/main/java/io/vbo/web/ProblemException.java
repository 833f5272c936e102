package io.vbo.web;

import jakarta.ws.rs.core.Response;

/** A request error answered with a problem document by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {
    private final Response.Status status;
    private final String kind;

    public ProblemException(Response.Status status, String kind, String detail) {
        super(detail);
        this.status = status;
        this.kind = kind;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Response.Status.BAD_REQUEST, "bad-request", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Response.Status.NOT_FOUND, "not-found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Response.Status.CONFLICT, "conflict", detail);
    }

    public Response.Status status() {
        return status;
    }

    public String kind() {
        return kind;
    }
}
