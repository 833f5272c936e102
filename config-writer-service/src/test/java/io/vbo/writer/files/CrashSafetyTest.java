package io.vbo.writer.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vbo.writer.editor.PjsipConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writer JVM (SIGKILL) at random moments of its apply loop, many times: each time every config file and
 * every backup must be exactly the old or the new content, never a mix or a truncation.
 */
class CrashSafetyTest {
    private static final int KILLS = 25;
    private static final int ENDPOINTS = 1500;

    @TempDir
    Path dir;

    @Test
    void everyFileIsAlwaysOldOrNew() throws Exception {
        StringBuilder eps = new StringBuilder("; endpoints\n");
        StringBuilder aors = new StringBuilder();
        for (int i = 0; i < ENDPOINTS; i++) {
            eps.append("[").append(2000 + i).append("]\ntype=endpoint\ncontext=from-internal\ndisallow=all\n")
                    .append("allow=ulaw\naors=").append(2000 + i).append("\n\n");
            aors.append("[").append(2000 + i).append("]\ntype=aor\nmax_contacts=1\n\n");
        }
        Files.writeString(dir.resolve("pjsip.conf"), "[transport-udp]\ntype=transport\nprotocol=udp\nbind=0.0.0.0:5060\n\n"
                + "#include pjsip_endpoints.conf\n#include pjsip_aor.conf\n");
        Files.writeString(dir.resolve("pjsip_endpoints.conf"), eps);
        Files.writeString(dir.resolve("pjsip_aor.conf"), aors);
        byte[] initial = Files.readAllBytes(dir.resolve("pjsip_endpoints.conf"));
        byte[] stateA = render(CrashWriterMain.STATE_A);
        byte[] stateB = render(CrashWriterMain.STATE_B);
        byte[] main = Files.readAllBytes(dir.resolve("pjsip.conf"));
        byte[] aor = Files.readAllBytes(dir.resolve("pjsip_aor.conf"));
        List<byte[]> allowed = List.of(initial, stateA, stateB);

        Random random = new Random();
        int[] seen = new int[3];
        for (int kill = 0; kill < KILLS; kill++) {
            Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    CrashWriterMain.class.getName(), dir.toString())
                    .redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
                // Odd kills land before or during the first write, even ones during a later write (a loaded machine
                // can take longer than any fixed delay for the first one).
                assertEquals("ready", line(out), "writer did not start");
                if (kill % 2 == 1) {
                    assertEquals("wrote", line(out), "writer did not finish its first write");
                }
                Thread.sleep(random.nextInt(400));
            } finally {
                writer.destroyForcibly();
                assertTrue(writer.waitFor(20, TimeUnit.SECONDS));
            }
            byte[] now = Files.readAllBytes(dir.resolve("pjsip_endpoints.conf"));
            int which = indexOf(allowed, now);
            if (which < 0) {
                fail("after kill " + kill + " pjsip_endpoints.conf is neither old nor new (" + now.length + " bytes)");
            }
            seen[which]++;
            assertTrue(Arrays.equals(main, Files.readAllBytes(dir.resolve("pjsip.conf"))), "pjsip.conf untouched");
            assertTrue(Arrays.equals(aor, Files.readAllBytes(dir.resolve("pjsip_aor.conf"))), "pjsip_aor.conf untouched");
            try (var backups = Files.list(dir.resolve(".vbo-backups"))) {
                for (Path b : backups.filter(p -> p.getFileName().toString().endsWith(".bak")).toList()) {
                    assertTrue(indexOf(allowed, Files.readAllBytes(b)) >= 0, "backup " + b + " is partial");
                }
            } catch (java.nio.file.NoSuchFileException ignored) {
                // killed before its first write: no backup folder yet
            }
        }
        assertTrue(seen[1] + seen[2] >= KILLS / 2, "kills after a completed write left a new state: "
                + Arrays.toString(seen));
    }

    /** The writer's next line, within a deadline (its first write of 1,500 endpoints takes well under a second idle). */
    private static String line(BufferedReader out) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(60, TimeUnit.SECONDS);
    }

    private byte[] render(List<String> codecs) throws Exception {
        PjsipConfig config = PjsipConfig.load(dir, "pjsip.conf");
        Map<String, List<String>> want = new LinkedHashMap<>();
        config.names("endpoint").forEach(e -> want.put(e, codecs));
        return config.planCodecs(want).changed().get(dir.resolve("pjsip_endpoints.conf").toAbsolutePath().normalize());
    }

    private static int indexOf(List<byte[]> candidates, byte[] bytes) {
        for (int i = 0; i < candidates.size(); i++) {
            if (Arrays.equals(candidates.get(i), bytes)) {
                return i;
            }
        }
        return -1;
    }
}
