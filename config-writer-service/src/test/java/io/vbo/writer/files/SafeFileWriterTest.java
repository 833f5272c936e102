package io.vbo.writer.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeFileWriterTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void replaceKeepsModeAndBacksUpTheOldBytes() throws Exception {
        Path file = dir.resolve("pjsip.conf");
        Files.write(file, b("old\n"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        SafeFileWriter writer = new SafeFileWriter(dir.resolve("backups"), 10);
        Path backup = writer.replace(file, b("old\n"), b("new\n"));
        assertArrayEquals(b("new\n"), Files.readAllBytes(file));
        assertArrayEquals(b("old\n"), Files.readAllBytes(backup));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(Files.getOwner(backup), Files.getOwner(file));
        try (var left = Files.list(dir)) {
            assertEquals(List.of("backups", "pjsip.conf"), left.map(p -> p.getFileName().toString()).sorted().toList());
        }
        writer.restore(backup, file);
        assertArrayEquals(b("old\n"), Files.readAllBytes(file));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void replaceKeepsAnotherUsersOwnership() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root (CI runs as root)");
        Path file = dir.resolve("pjsip_auth.conf");
        Files.write(file, b("old\n"));
        var lookup = dir.getFileSystem().getUserPrincipalLookupService();
        var view = Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class);
        view.setOwner(lookup.lookupPrincipalByName("nobody"));
        view.setGroup(lookup.lookupPrincipalByGroupName("nogroup"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        new SafeFileWriter(dir.resolve("backups"), 10).replace(file, b("old\n"), b("new\n"));
        var after = Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class);
        assertEquals("nobody", after.owner().getName());
        assertEquals("nogroup", after.group().getName());
        assertEquals("rw-r-----", PosixFilePermissions.toString(after.permissions()));
    }

    @Test
    void refusesWhenTheFileChangedSinceItWasRead() throws Exception {
        Path file = dir.resolve("pjsip.conf");
        Files.write(file, b("edited by hand\n"));
        SafeFileWriter writer = new SafeFileWriter(dir.resolve("backups"), 10);
        assertThrows(SafeFileWriter.ChangedOnDiskException.class, () -> writer.replace(file, b("what we read\n"), b("new\n")));
        assertArrayEquals(b("edited by hand\n"), Files.readAllBytes(file));
        assertThrows(SafeFileWriter.ChangedOnDiskException.class, () -> writer.replace(dir.resolve("absent.conf"), b("x"), b("y")));
    }

    @Test
    void createsANewFileWithoutBackup() throws Exception {
        SafeFileWriter writer = new SafeFileWriter(dir.resolve("backups"), 10);
        assertNull(writer.replace(dir.resolve("new.conf"), null, b("x\n")));
        assertArrayEquals(b("x\n"), Files.readAllBytes(dir.resolve("new.conf")));
    }

    @Test
    void keepsOnlyTheLastNBackups() throws Exception {
        Path file = dir.resolve("pjsip.conf");
        Files.write(file, b("v0"));
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        SafeFileWriter writer = new SafeFileWriter(dir.resolve("backups"), 3, clock);
        for (int i = 1; i <= 6; i++) {
            now[0] = now[0].plusSeconds(1);
            writer.replace(file, b("v" + (i - 1)), b("v" + i));
        }
        List<Path> backups = writer.backups("pjsip.conf");
        assertEquals(3, backups.size());
        assertArrayEquals(b("v5"), Files.readAllBytes(backups.get(0)));
        assertArrayEquals(b("v3"), Files.readAllBytes(backups.get(2)));
    }

    @Test
    void staleTemporariesAreRemoved() throws Exception {
        Files.write(dir.resolve(SafeFileWriter.TEMP_PREFIX + "pjsip.conf-1"), b("half"));
        Files.write(dir.resolve("pjsip.conf"), b("keep"));
        assertEquals(1, SafeFileWriter.removeStaleTemporaries(dir));
        assertArrayEquals(b("keep"), Files.readAllBytes(dir.resolve("pjsip.conf")));
    }
}
