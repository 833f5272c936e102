package io.vbo.writer.users;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.writer.editor.PjsipConfig;
import io.vbo.writer.files.SafeFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.vbo.lab.Fixtures;
import io.vbo.writer.editor.ConfigCopies;

class UserManagerTest {
    @TempDir
    Path tmp;
    Path dir;
    UserManager users;
    SafeFileWriter writer;

    @BeforeEach
    void init() throws IOException {
        dir = tmp.resolve("asterisk");
        writer = new SafeFileWriter(tmp.resolve("backups"), 10);
        BaseFiles.Result result = BaseFiles.create(dir, writer);
        assertEquals(List.of("pjsip.conf", "pjsip_endpoints.conf", "pjsip_aor.conf", "pjsip_auth.conf", "extensions.conf"),
                result.created());
        users = new UserManager(dir, writer);
    }

    @Test
    void initCreatesOnlyAbsentFilesWithMode0640() throws IOException {
        Files.writeString(dir.resolve("pjsip_aor.conf"), "; mine\n");
        Files.delete(dir.resolve("pjsip_auth.conf"));
        BaseFiles.Result again = BaseFiles.create(dir, writer);
        assertEquals(List.of("pjsip_auth.conf"), again.created());
        assertEquals("; mine\n", Files.readString(dir.resolve("pjsip_aor.conf")));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("pjsip_auth.conf"))));
        PjsipConfig config = PjsipConfig.load(dir, "pjsip.conf");
        assertEquals(4, config.files().size());
        assertEquals(List.of("transport-udp"), config.sections().stream().map(PjsipConfig.Placed::name).toList());
        assertEquals("transport", config.typeOf(0));
    }

    @Test
    void addWritesTheOriginalsSectionsAndDialplanLine() throws IOException {
        UserManager.Change change = users.add("1001", "s3cret;xyz", List.of("opus", "g729"), null);
        assertEquals(4, change.backups().size());
        String eps = Files.readString(dir.resolve("pjsip_endpoints.conf"));
        assertTrue(eps.endsWith(";direct_media=no\n\n[1001]\ntype=endpoint\ncontext=from-internal\ndisallow=all\nallow=opus,g729\n"
                + "aors=1001\nauth=1001-auth\ndirect_media=no\n"), eps);
        assertTrue(Files.readString(dir.resolve("pjsip_aor.conf")).endsWith("\n[1001]\ntype=aor\nmax_contacts=1\nqualify_frequency=60\n"));
        assertTrue(Files.readString(dir.resolve("pjsip_auth.conf")).endsWith(
                "\n[1001-auth]\ntype=auth\nauth_type=userpass\nusername=1001\npassword=s3cret\\;xyz\n"));
        assertEquals("; extensions.conf - created by VBO init. VBO keeps one Dial line per user between the markers.\n"
                + ";EBANDI\n[from-internal]\nexten => 1001,1,Dial(PJSIP/1001)\n;FIN_EBANDI\n", Files.readString(dir.resolve("extensions.conf")));

        User shown = users.show("1001").orElseThrow();
        assertEquals(new User("1001", "from-internal", List.of("opus", "g729"), "1001", "1001-auth", "1001", User.MASK, true), shown);
        assertFalse(shown.toString().contains("s3cret"));
    }

    @Test
    void editChangesOnlyItsLinesAndDeleteRemovesEverything() throws IOException {
        users.add("1001", "password-1", null, "office");
        users.add("1002", "password-2", null, null);
        byte[] aorsBefore = Files.readAllBytes(dir.resolve("pjsip_aor.conf"));
        users.edit("1001", "password-1-new", List.of("gsm"));
        assertArrayEquals(aorsBefore, Files.readAllBytes(dir.resolve("pjsip_aor.conf")));
        assertTrue(Files.readString(dir.resolve("pjsip_auth.conf")).contains("username=1001\npassword=password-1-new\n\n[1002-auth]"));
        assertEquals(List.of("gsm"), users.show("1001").orElseThrow().codecs());
        assertEquals(UserManager.DEFAULT_CODECS, users.show("1002").orElseThrow().codecs());
        assertEquals("office", users.show("1001").orElseThrow().context());

        Map<String, byte[]> init = snapshotOf(tmp.resolve("fresh"));
        users.delete("1001");
        users.delete("1002");
        assertEquals(List.of(), users.show());
        for (String f : init.keySet()) {
            assertArrayEquals(init.get(f), Files.readAllBytes(dir.resolve(f)), f + " is back to its initial bytes");
        }
    }

    @Test
    void refusalsLeaveEveryFileUntouched() throws IOException {
        users.add("1001", "password", null, null);
        Map<String, byte[]> before = snapshot();
        List<Runnable> attempts = new ArrayList<>(List.of(
                () -> call(() -> users.add("1001]\n[evil", "password", null, null)),
                () -> call(() -> users.add("10 01", "password", null, null)),
                () -> call(() -> users.add("x".repeat(81), "password", null, null)),
                () -> call(() -> users.add("-R", "password", null, null)),
                () -> call(() -> users.add("_X.", "password", null, null)),
                () -> call(() -> users.add("1002", "password", List.of("ulaw\n#include /etc/passwd"), null)),
                () -> call(() -> users.add("1002", "password", List.of("g711"), null)),
                () -> call(() -> users.add("1002", "password\nallow=all", null, null)),
                () -> call(() -> users.add("1002", "password\r", null, null)),
                () -> call(() -> users.add("1002", "passwor", null, null)),
                () -> call(() -> users.add("1002", "password", null, "ctx]\n[evil")),
                () -> call(() -> users.add("1002", "password", null, "a;b")),
                () -> call(() -> users.add("1001", "password", null, null)),
                () -> call(() -> users.edit("1003", "password", null)),
                () -> call(() -> users.edit("1001", "bad\npassword", null)),
                () -> call(() -> users.edit("1001", "p", null)),
                () -> call(() -> users.edit("1001", null, List.of("nope"))),
                () -> call(() -> users.delete("1003"))));
        List<UserException.Kind> kinds = new ArrayList<>();
        for (Runnable attempt : attempts) {
            UserException e = assertThrows(UserException.class, attempt::run);
            assertFalse(e.getMessage().contains("\n"), "message is one line: " + e.getMessage());
            kinds.add(e.kind());
            assertSnapshot(before);
        }
        UserException.Kind invalid = UserException.Kind.INVALID;
        assertEquals(List.of(invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid,
                invalid, UserException.Kind.CONFLICT, UserException.Kind.NOT_FOUND, invalid, invalid, invalid,
                UserException.Kind.NOT_FOUND), kinds);
    }

    @Test
    void namesFollowTheContractsAndPasswordsHaveAMinimumLength() {
        assertEquals("extension: must match [A-Za-z0-9_][A-Za-z0-9_.+-]{0,79}, got '-R'",
                assertThrows(UserException.class, () -> users.add("-R", "password", null, null)).getMessage());
        assertEquals("password must have at least 8 characters",
                assertThrows(UserException.class, () -> users.add("1002", "1234567", null, null)).getMessage());
    }

    @Test
    void usersOfAnExistingConfigAreShownWithMaskedPasswords() throws IOException {
        Path existing = ConfigCopies.copy(Fixtures.configUsed(), tmp.resolve("lab"));
        UserManager lab = new UserManager(existing, writer);
        List<User> all = lab.show();
        assertEquals(List.of("1001", "1002", "1003"), all.stream().map(User::extension).toList());
        assertEquals(new User("1002", "from-internal", List.of("ulaw", "alaw", "g722", "gsm"), "1002", "1002-auth", "1002",
                User.MASK, false), all.get(1));
        UserException noMarkers = assertThrows(UserException.class, () -> lab.add("1004", "password", null, null));
        assertEquals(UserException.Kind.NOT_INITIALISED, noMarkers.kind());
        lab.edit("1002", "new-password", null);
        assertTrue(Files.readString(existing.resolve("pjsip_auth.conf")).contains("username=1002\npassword=new-password\n"));
    }

    @Test
    void sameNameSectionsOfDifferentTypesInOneFile() throws IOException {
        Path pbx = ConfigCopies.copy(Fixtures.samples(), tmp.resolve("pbx"));
        Files.move(pbx.resolve("basic-pbx-pjsip.conf"), pbx.resolve("pjsip.conf"));
        UserManager basic = new UserManager(pbx, writer);
        User u = basic.show("1107").orElseThrow();
        assertEquals(new User("1107", "Long-Distance", List.of("g722", "ulaw"), "1107", "1107", "0019159BF771", User.MASK, false), u);
        basic.edit("1107", "n3w-password", List.of("gsm"));
        String text = Files.readString(pbx.resolve("pjsip.conf"));
        assertTrue(text.contains("[1107](auth-userpass)\npassword = n3w-password\nusername = 0019159BF771\n"), text);
        assertTrue(text.contains("callerid = Lindsey Freddie <1107>\ndisallow = all\nallow = gsm\n"), text);
    }

    private Map<String, byte[]> snapshotOf(Path fresh) throws IOException {
        BaseFiles.create(fresh, new SafeFileWriter(tmp.resolve("b2"), 1));
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String f : BaseFiles.contents().keySet()) {
            out.put(f, Files.readAllBytes(fresh.resolve(f)));
        }
        return out;
    }

    private Map<String, byte[]> snapshot() throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                out.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }

    private void assertSnapshot(Map<String, byte[]> before) {
        try {
            Map<String, byte[]> now = snapshot();
            assertEquals(before.keySet(), now.keySet());
            before.forEach((k, v) -> assertArrayEquals(v, now.get(k), k));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private interface Io {
        void run() throws IOException;
    }

    private static void call(Io io) {
        try {
            io.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
