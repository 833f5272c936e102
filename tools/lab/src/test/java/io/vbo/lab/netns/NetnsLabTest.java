package io.vbo.lab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs root, iproute2 and iperf3 (as the CI runs it). */
class NetnsLabTest {
    private static final Pattern RECEIVED = Pattern.compile(
            "\"sum_received\":\\s*\\{[^}]*?\"bits_per_second\":\\s*([0-9.eE+]+)");

    @Test
    void shapesEachDirectionSeparatelyAndReshapesLive() throws Exception {
        try (NetnsLab lab = NetnsLab.open()) {
            Phone phone = lab.addPhone(1_000_000, 300_000);
            assertTrue(phone.address().matches("10\\.231\\.\\d+\\.2"), phone.address());
            assertWithin(1_000_000, iperf(phone, false), "downlink");
            assertWithin(300_000, iperf(phone, true), "uplink");

            lab.reshape(phone, 300_000, 1_000_000);
            assertWithin(300_000, iperf(phone, false), "downlink after reshape");
        }
    }

    @Test
    void closeRemovesNamespacesDevicesAndServers() {
        Phone phone;
        long pid;
        Path state;
        try (NetnsLab lab = NetnsLab.open()) {
            phone = lab.addPhone(2_000_000, 2_000_000);
            Phone second = lab.addPhone(2_000_000, 2_000_000);
            assertNotEquals(phone.subnet(), second.subnet(), "each phone gets its own /24");
            pid = lab.serverPid(phone).orElseThrow();
            state = lab.stateDir();
        }
        assertGone(phone, pid);
        assertFalse(Files.exists(state));
    }

    @Test
    void phonesOfASiteShareOneShapedUplinkAndCloseRemovesAll() throws Exception {
        Site site;
        long pid;
        try (NetnsLab lab = NetnsLab.open()) {
            Phone alone = lab.addPhone(2_000_000, 2_000_000);
            site = lab.addSite(400_000, 200_000, 3);
            assertEquals(List.of("phone2", "phone3", "phone4"), site.phones().stream().map(Phone::name).toList());
            String lan = "10.231." + site.lanSubnet() + ".";
            assertEquals(List.of(lan + "2", lan + "3", lan + "4"), site.phones().stream().map(Phone::address).toList());
            assertNotEquals(alone.subnet(), site.lanSubnet());
            Phone first = site.phones().get(0);
            Phone third = site.phones().get(2);
            assertEquals(site.pbxAddress(), third.pbxAddress(), "every phone of the site is reached over the uplink");
            assertWithin(400_000, iperf(first, false), "downlink through the router");
            assertWithin(200_000, iperf(third, true), "uplink through the router");

            // Two phones sending at once share the one uplink: together far below two links' 400 kbit/s (a little
            // above 200 kbit/s, as the two tests do not start at the same instant).
            var a = java.util.concurrent.CompletableFuture.supplyAsync(() -> uncheckedIperf(first, true, 5));
            var b = java.util.concurrent.CompletableFuture.supplyAsync(() -> uncheckedIperf(third, true, 5));
            double together = a.get() + b.get();
            assertTrue(together < 300_000, "two phones' uplinks together: " + together);

            assertThrows(IllegalArgumentException.class, () -> lab.reshape(first, 100_000, 100_000));
            lab.reshape(site, 150_000, 150_000);
            // TCP reads up to ≈ 28 % low on links this thin (issue 12's measurements); what matters is that the new
            // rate holds: far below the 400 kbit/s before, never above 150 kbit/s.
            double reshaped = iperf(first, false);
            assertTrue(reshaped >= 100_000 && reshaped <= 1.15 * 150_000, "downlink after reshaping the site: " + reshaped);
            pid = lab.serverPid(third).orElseThrow();
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "iperf3 -s must be stopped");
        String namespaces = Shell.run("ip", "netns", "list");
        assertFalse(namespaces.contains(site.routerNamespace()), namespaces);
        assertFalse(Shell.run("ip", "-o", "link").contains(site.hostDevice() + "@"), "the uplink must be deleted");
        assertFalse(Shell.run("ip", "-4", "route", "show").contains("10.231." + site.lanSubnet() + ".0/24"),
                "the route to the phones leaves with the uplink");
    }

    @Test
    void aLabLeftByADeadJvmIsRemovedByTheNextOne() throws Exception {
        Phone orphanPhone;
        long orphanPid;
        NetnsLab orphan = NetnsLab.open();
        orphanPhone = orphan.addPhone(1_000_000, 1_000_000);
        orphanPid = orphan.serverPid(orphanPhone).orElseThrow();
        // Simulate a killed JVM: its folder now names an owner that no longer exists.
        Files.writeString(orphan.stateDir().resolve("owner.pid"), Long.toString(deadPid()));
        try (NetnsLab next = NetnsLab.open()) {
            assertGone(orphanPhone, orphanPid);
            assertFalse(Files.exists(orphan.stateDir()));
        } finally {
            orphan.close();
        }
    }

    @Test
    void commandLineUpReshapeDown(@TempDir Path tmp) throws Exception {
        Path state = tmp.resolve("lab");
        NetnsLab.main(new String[] { "up", "--phones", "150k/40k,2m/2m", "--state", state.toString() });
        NetnsLab attached = NetnsLab.attach(state);
        List<Phone> phones = attached.phones();
        assertEquals(2, phones.size());
        Phone slow = attached.phone("phone1");
        assertTrue(tc(slow.hostDevice(), null).contains("rate 150Kbit"), tc(slow.hostDevice(), null));
        assertTrue(tc(slow.phoneDevice(), slow.namespace()).contains("rate 40Kbit"));

        NetnsLab.main(new String[] { "reshape", "--state", state.toString(), "--phone", "phone1", "--rates", "64k/32k" });
        assertTrue(tc(slow.hostDevice(), null).contains("rate 64Kbit"), tc(slow.hostDevice(), null));
        assertTrue(tc(slow.phoneDevice(), slow.namespace()).contains("rate 32Kbit"));

        NetnsLab.main(new String[] { "down", "--state", state.toString() });
        for (Phone phone : phones) {
            assertFalse(Shell.run("ip", "netns", "list").contains(phone.namespace()));
            assertFalse(Shell.run("ip", "-o", "link").contains(phone.hostDevice() + "@"));
        }
    }

    @Test
    void ratesParseLikeTc() {
        assertEquals(40_000, Rates.parse("40k"));
        assertEquals(1_500_000, Rates.parse("1.5m"));
        assertEquals(64_000, Rates.parse("64000"));
        assertEquals(2_000_000, Rates.parse("2mbit"));
        assertEquals(List.of(150_000L, 40_000L), List.of(Rates.parsePair("150k/40k")[0], Rates.parsePair("150k/40k")[1]));
        assertThrows(IllegalArgumentException.class, () -> Rates.parse("fast"));
        assertThrows(IllegalArgumentException.class, () -> Rates.parse("1"));
    }

    private static void assertGone(Phone phone, long pid) {
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "iperf3 -s must be stopped");
        assertFalse(Shell.run("ip", "netns", "list").contains(phone.namespace()), "namespace must be deleted");
        assertFalse(Shell.run("ip", "-o", "link").contains(phone.hostDevice() + "@"), "veth must be deleted");
        assertFalse(Shell.run("ip", "-4", "-o", "addr", "show").contains(" " + phone.pbxAddress() + "/"));
    }

    private static String tc(String device, String namespace) {
        return namespace == null ? Shell.run("tc", "qdisc", "show", "dev", device)
                : Shell.run("ip", "netns", "exec", namespace, "tc", "qdisc", "show", "dev", device);
    }

    private static double iperf(Phone phone, boolean reverse) throws Exception {
        return iperf(phone, reverse, 2);
    }

    private static double iperf(Phone phone, boolean reverse, int seconds) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(Shell.resolve("iperf3"), "-c", phone.address(), "-p",
                Integer.toString(phone.iperfPort()), "-t", Integer.toString(seconds), "--json", "--connect-timeout", "2000"));
        if (reverse) {
            args.add("-R");
        }
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String json = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher m = RECEIVED.matcher(json);
        assertTrue(m.find(), json);
        return Double.parseDouble(m.group(1));
    }

    private static double uncheckedIperf(Phone phone, boolean reverse, int seconds) {
        try {
            return iperf(phone, reverse, seconds);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertWithin(double expected, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= 0.15 * expected,
                what + ": expected " + expected + " ±15 %, measured " + actual);
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
