package io.vbo.writer.users;

import io.vbo.writer.files.SafeFileWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The original {@code initFiles.sh}: creates the base files that user management relies on, only when absent —
 * an existing file is never overwritten. Mode 0640, owner {@code asterisk:asterisk} when that user exists.
 */
public final class BaseFiles {
    static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r-----");
    private static final String OWNER = "asterisk";

    private BaseFiles() {
    }

    /** What init did. */
    public record Result(List<String> created, List<String> kept) {
    }

    /** The files and their initial content, in creation order. */
    static Map<String, String> contents() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("pjsip.conf", """
                ; pjsip.conf - created by VBO init. Users live in the three included files (./vbo users ...).
                [transport-udp]
                type = transport
                protocol = udp
                bind = 0.0.0.0:5060

                ; Inclusion of the other files
                #include pjsip_endpoints.conf
                #include pjsip_aor.conf
                #include pjsip_auth.conf
                """);
        files.put(UserManager.ENDPOINTS, """
                ; pjsip_endpoints.conf - one [EXT] endpoint per user (managed by VBO: ./vbo users add|edit|del).
                ;[1001]
                ;type=endpoint
                ;context=from-internal
                ;disallow=all
                ;allow=ulaw,alaw,opus,g729,gsm
                ;aors=1001
                ;auth=1001-auth
                ;direct_media=no
                """);
        files.put(UserManager.AORS, """
                ; pjsip_aor.conf - one [EXT] AOR per user (managed by VBO).
                ;[1001]
                ;type=aor
                ;max_contacts=1
                ;qualify_frequency=60
                """);
        files.put(UserManager.AUTHS, """
                ; pjsip_auth.conf - one [EXT-auth] auth per user (managed by VBO).
                ;[1001-auth]
                ;type=auth
                ;auth_type=userpass
                ;username=1001
                ;password=change-me
                """);
        files.put(UserManager.DIALPLAN, """
                ; extensions.conf - created by VBO init. VBO keeps one Dial line per user between the markers.
                ;EBANDI
                [from-internal]
                ;FIN_EBANDI
                """);
        return files;
    }

    /** Creates every absent base file in {@code dir} (created if needed); never touches an existing one. */
    public static Result create(Path dir, SafeFileWriter writer) throws IOException {
        Files.createDirectories(dir);
        UserPrincipal owner = null;
        GroupPrincipal group = null;
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        try {
            owner = lookup.lookupPrincipalByName(OWNER);
            group = lookup.lookupPrincipalByGroupName(OWNER);
        } catch (UserPrincipalNotFoundException e) {
            // No asterisk user on this host (a local run): the files keep the writer's own user.
        }
        List<String> created = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, String> f : contents().entrySet()) {
            Path target = dir.resolve(f.getKey());
            if (Files.exists(target)) {
                kept.add(f.getKey());
                continue;
            }
            try {
                writer.create(target, f.getValue().getBytes(StandardCharsets.UTF_8), MODE, owner, group);
                created.add(f.getKey());
            } catch (SafeFileWriter.ChangedOnDiskException e) {
                kept.add(f.getKey());
            }
        }
        return new Result(created, kept);
    }
}
