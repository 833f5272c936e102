package io.vbo.writer.users;

import java.util.List;

/**
 * A PJSIP user as {@code show} prints it. The password is never returned: {@code password} is a mask.
 *
 * @param extension endpoint name
 * @param context   dialplan context of the endpoint
 * @param codecs    codecs Asterisk would allow (templates applied)
 * @param aors      the endpoint's {@code aors=}
 * @param auth      the endpoint's {@code auth=}
 * @param username  the auth section's {@code username=}
 * @param password  {@code "********"} when a password is set, empty otherwise
 * @param dialplan  whether {@code extensions.conf} has its line between {@code ;EBANDI} and {@code ;FIN_EBANDI}
 */
public record User(String extension, String context, List<String> codecs, String aors, String auth, String username,
        String password, boolean dialplan) {
    public static final String MASK = "********";
}
