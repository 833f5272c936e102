package io.vbo.writer.rest;

/**
 * Body of POST (add) and PATCH (edit) /api/v1/users.
 *
 * @param extension extension / endpoint name (add only; the contracts' endpoint rule, {@link io.vbo.events.Validate#extension})
 * @param password  SIP password (required for add)
 * @param codecs    comma-separated codec list, e.g. {@code "opus,g729"}; default for add: ulaw,alaw,opus,g729,gsm
 * @param context   dialplan context (add only; default from-internal)
 */
public record UserRequest(String extension, String password, String codecs, String context) {
}
