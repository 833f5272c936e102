package io.vbo.writer.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Replaces a config file so that a crash at any moment leaves either the old or the new file: the new bytes go to
 * a temporary file in the same folder (same file system, so the rename is atomic), are fsynced, get the old file's
 * owner, group and mode, and are renamed over it; then the folder is fsynced so the rename itself is durable.
 * Before that, the old bytes are kept as a backup (the last {@code keep} per file).
 */
public final class SafeFileWriter {
    /** Temporary files start with this; leftovers of a crash are removed by {@link #removeStaleTemporaries}. */
    public static final String TEMP_PREFIX = ".vbo-tmp-";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path backupDir;
    private final int keep;
    private final Clock clock;

    public SafeFileWriter(Path backupDir, int keep) {
        this(backupDir, keep, Clock.systemUTC());
    }

    SafeFileWriter(Path backupDir, int keep, Clock clock) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one backup, got " + keep);
        }
        this.backupDir = backupDir;
        this.keep = keep;
        this.clock = clock;
    }

    /** The file changed on disk since it was read: the caller re-reads and redoes its edit. */
    public static final class ChangedOnDiskException extends IOException {
        public ChangedOnDiskException(Path path) {
            super(path + " changed on disk since it was read");
        }
    }

    /**
     * Writes {@code content} to {@code target} if the file still holds {@code expected} (what the caller read;
     * {@code null} = the file must not exist). Returns the backup of the old content, or {@code null} for a new file.
     */
    public Path replace(Path target, byte[] expected, byte[] content) throws IOException {
        byte[] current = Files.exists(target) ? Files.readAllBytes(target) : null;
        if (!Arrays.equals(current, expected)) {
            throw new ChangedOnDiskException(target);
        }
        Path backup = current == null ? null : backup(target, current);
        atomicWrite(target, content, () -> {
            // Last check, as close to the rename as possible: an edit by hand in between must not be lost.
            byte[] again = Files.exists(target) ? Files.readAllBytes(target) : null;
            if (!Arrays.equals(again, expected)) {
                throw new ChangedOnDiskException(target);
            }
        });
        return backup;
    }

    /** Writes the writer's own state file atomically (temporary file, fsync, rename, fsync of the folder); no backup. */
    public void write(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        atomicWrite(target, content, () -> { });
    }

    /** Puts a backup taken by {@link #replace} back in place, atomically. */
    public void restore(Path backup, Path target) throws IOException {
        atomicWrite(target, Files.readAllBytes(backup), () -> { });
    }

    /**
     * Creates {@code target} with {@code content}, {@code mode} and, when given, {@code owner}/{@code group}
     * (set on the temporary file, so the file never appears with other permissions). Refuses to overwrite.
     */
    public void create(Path target, byte[] content, Set<PosixFilePermission> mode, UserPrincipal owner, GroupPrincipal group)
            throws IOException {
        atomicWrite(target, content, temp -> {
            PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
            view.setPermissions(mode);
            if (owner != null) {
                view.setOwner(owner);
            }
            if (group != null) {
                view.setGroup(group);
            }
        }, () -> { }, false);
    }

    private interface Step {
        void run() throws IOException;
    }

    private interface Prepare {
        void on(Path temp) throws IOException;
    }

    private static void atomicWrite(Path target, byte[] content, Step beforeRename) throws IOException {
        atomicWrite(target, content, temp -> {
            if (Files.exists(target)) {
                copyOwnership(target, temp);
            }
        }, beforeRename, true);
    }

    private static void atomicWrite(Path target, byte[] content, Prepare prepare, Step beforeRename, boolean replace)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            prepare.on(temp);
            beforeRename.run();
            if (replace) {
                move(temp, target);
            } else {
                try {
                    // A hard link never replaces: a file created meanwhile by someone else is kept.
                    Files.createLink(target, temp);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    throw new ChangedOnDiskException(target);
                }
            }
            fsyncDir(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Removes temporary files a killed writer left in {@code dir}; they never replaced anything. */
    public static int removeStaleTemporaries(Path dir) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
                removed++;
            }
        }
        return removed;
    }

    /** Backups of {@code fileName}, newest first. */
    public List<Path> backups(String fileName) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(backupDir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(backupDir, fileName + ".*.bak")) {
            ds.forEach(out::add);
        }
        out.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        return out;
    }

    private Path backup(Path target, byte[] current) throws IOException {
        Files.createDirectories(backupDir);
        String name = target.getFileName().toString();
        Path backup = backupDir.resolve(name + "." + STAMP.format(clock.instant()) + ".bak");
        for (int n = 1; Files.exists(backup); n++) {
            backup = backupDir.resolve(name + "." + STAMP.format(clock.instant()) + "-" + n + ".bak");
        }
        atomicWrite(backup, current, () -> { });
        copyOwnership(target, backup);
        List<Path> all = backups(name);
        for (int i = keep; i < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
        }
        return backup;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + to + " atomically (temporary file on another file system?)", e);
        }
    }

    private static void copyOwnership(Path from, Path to) throws IOException {
        PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        PosixFileAttributeView dest = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (source == null || dest == null) {
            return;
        }
        PosixFileAttributes attrs = source.readAttributes();
        Set<PosixFilePermission> mode = attrs.permissions();
        UserPrincipal owner = attrs.owner();
        GroupPrincipal group = attrs.group();
        dest.setPermissions(mode);
        if (!owner.equals(Files.getOwner(to))) {
            dest.setOwner(owner);
        }
        if (!group.equals(dest.readAttributes().group())) {
            dest.setGroup(group);
        }
    }

    private static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
