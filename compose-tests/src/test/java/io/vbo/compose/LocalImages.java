package io.vbo.compose;

import io.vbo.lab.FixtureDirs;
import io.vbo.lab.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The images docker-compose.yml would pull, built on this machine instead (no registry is reachable from it): a
 * Debian base from {@code debootstrap} (cached by name: built only when missing), a JRE image on it for the
 * services' {@code BASE_IMAGE}, Kafka from the broker jars {@code bin/kafka fetch} resolves, and PostgreSQL from
 * Debian. The last three are rebuilt every run from podman's layer cache, so an edited Dockerfile takes effect.
 */
record LocalImages(String jre, String kafka, String postgres) {
    static final String SUITE = "bookworm";
    static final String DEBIAN = "localhost/vbo-test/debian:" + SUITE;
    private static final Pattern KAFKA_JAR = Pattern.compile("kafka_2\\.13-([0-9][0-9.]*)\\.jar");

    static LocalImages build(Podman podman) {
        Path sources = ProjectRoot.get().resolve("compose-tests/src/test/images");
        if (!podman.imageExists(DEBIAN)) {
            debootstrap(podman);
        }
        Map<String, String> onDebian = Map.of("DEBIAN_IMAGE", DEBIAN);
        Path libs = kafkaLibs();
        LocalImages images = new LocalImages("localhost/vbo-test/jre:17", "localhost/vbo-test/kafka:" + kafkaVersion(libs),
                "localhost/vbo-test/postgres:15");
        podman.build(images.jre(), sources.resolve("jre"), onDebian);
        podman.build(images.postgres(), sources.resolve("postgres"), onDebian);
        Path kafkaContext = podman.dir().resolve("kafka-image");
        copyTree(sources.resolve("kafka"), kafkaContext);
        copyTree(libs, kafkaContext.resolve("libs"));
        podman.build(images.kafka(), kafkaContext, Map.of("JRE_IMAGE", images.jre()));
        FixtureDirs.delete(kafkaContext);
        return images;
    }

    /** {@code debootstrap --variant=minbase} from this machine's Debian mirror, imported as {@link #DEBIAN}. */
    private static void debootstrap(Podman podman) {
        Path rootfs = podman.dir().resolve("rootfs");
        String mirror = mirror(aptSources());
        System.out.println("compose: building " + DEBIAN + " with debootstrap from " + mirror + " (once; cached by name)");
        try {
            Cmd.run(List.of("debootstrap", "--variant=minbase", SUITE, rootfs.toString(), mirror), Map.of(),
                    Duration.ofMinutes(15)).check();
            Cmd.run(List.of("sh", "-c", "tar -C \"$0\" -c . | podman import - \"$1\"", rootfs.toString(), DEBIAN),
                    podman.clientEnv(), Duration.ofMinutes(5)).check();
        } finally {
            FixtureDirs.delete(rootfs);
        }
    }

    /** The Debian archive of {@link #SUITE} in apt's sources, one-line ({@code deb URI suite ...}) or deb822 form. */
    static String mirror(String sources) {
        Matcher oneLine = Pattern.compile("(?m)^deb\\s+(?:\\[[^]]*]\\s+)?(\\S+)\\s+" + SUITE + "\\s").matcher(sources);
        if (oneLine.find()) {
            return oneLine.group(1);
        }
        for (String stanza : sources.split("\\n\\s*\\n")) {
            Matcher uris = Pattern.compile("(?mi)^URIs:\\s*(\\S+)").matcher(stanza);
            Matcher suites = Pattern.compile("(?mi)^Suites:(.*)$").matcher(stanza);
            if (uris.find() && suites.find() && List.of(suites.group(1).trim().split("\\s+")).contains(SUITE)) {
                return uris.group(1);
            }
        }
        throw new AssertionError("no Debian " + SUITE + " archive in /etc/apt/sources.list*; debootstrap needs one");
    }

    private static String aptSources() {
        StringBuilder all = new StringBuilder();
        List<Path> files = new ArrayList<>(List.of(Path.of("/etc/apt/sources.list")));
        try {
            Path dir = Path.of("/etc/apt/sources.list.d");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> listed = Files.list(dir)) {
                    listed.sorted().forEach(files::add);
                }
            }
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    all.append(Files.readString(file)).append("\n\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    /** {@code .vbo/kafka/libs}, resolved by {@code bin/kafka fetch} when missing. */
    private static Path kafkaLibs() {
        Path root = ProjectRoot.get();
        Cmd.run(List.of(root.resolve("bin/kafka").toString(), "fetch"), Map.of(), Duration.ofMinutes(10)).check();
        return root.resolve(".vbo/kafka/libs");
    }

    private static String kafkaVersion(Path libs) {
        try (Stream<Path> jars = Files.list(libs)) {
            return jars.map(p -> KAFKA_JAR.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> m.group(1)).findFirst()
                    .orElseThrow(() -> new AssertionError("no kafka_2.13-*.jar in .vbo/kafka/libs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.getFileName().toString().startsWith(".")) {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
