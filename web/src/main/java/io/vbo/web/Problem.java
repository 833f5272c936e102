package io.vbo.web;

import jakarta.ws.rs.core.Response;

/**
 * RFC 9457 problem details, the body of every 4xx/5xx answer of the VBO APIs, served as
 * {@code application/problem+json}.
 *
 * @param type   {@code urn:vbo:problem:<kind>}, the kind being a lower-case word such as {@code bad-request}
 * @param title  the HTTP reason phrase of the status
 * @param status HTTP status
 * @param detail what exactly was wrong with this request, in one line
 */
public record Problem(String type, String title, int status, String detail) {
    public static final String MEDIA_TYPE = "application/problem+json";
    /** Prefix of every {@link #type()}; a URN because nothing is served at the address. */
    public static final String TYPE_PREFIX = "urn:vbo:problem:";

    /** A problem of the given kind with the status' reason phrase as title. */
    public static Problem of(int status, String kind, String detail) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return new Problem(TYPE_PREFIX + kind, title, status, detail);
    }

    /** The kind derived from a status: its reason phrase in lower case with dashes, {@code server-error} for 5xx. */
    public static String kindOf(int status) {
        if (status >= 500) {
            return "server-error";
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "client-error"
                : known.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
    }

    /** The answer carrying this problem. */
    public static Response response(int status, String kind, String detail) {
        return Response.status(status).type(MEDIA_TYPE).entity(of(status, kind, detail)).build();
    }

    /** The answer carrying a problem whose kind follows from the status. */
    public static Response response(Response.Status status, String detail) {
        return response(status.getStatusCode(), kindOf(status.getStatusCode()), detail);
    }
}
