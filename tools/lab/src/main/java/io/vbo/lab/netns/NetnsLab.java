package io.vbo.lab.netns;

import io.vbo.lab.Processes;
import io.vbo.lab.FixtureDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Simulated phones behind shaped links, for tests, benchmarks and the demo (needs root, {@code ip}, {@code tc},
 * {@code iperf3}).
 * <p>
 * Each phone is a network namespace joined to the root namespace by a veth pair on {@code 10.231.N.0/24}: the root
 * side ({@code .1}) plays the PBX, the namespace side ({@code .2}) the phone. Each direction is shaped on its egress
 * with {@code tc ... tbf}: the root-side device carries the downlink (PBX → phone), the phone-side device the uplink.
 * The namespace has no default route, so nothing sent from it can leave the machine.
 * <p>
 * {@link #addSite} builds a branch office instead: a router namespace behind one shaped uplink, and several phone
 * namespaces on a bridge behind it (see {@link Site}); its phones route only to the uplink's subnet.
 * <p>
 * Everything is named with a random per-lab prefix and recorded in the lab's state folder before it is created, so
 * {@link #close()}, a JVM shutdown hook, the next test run (for labs of killed JVMs, by their owner PID) and
 * {@code NetnsLab down --state DIR} can all remove exactly what was made. Subnets are allocated under a machine-wide
 * file lock by looking at which {@code 10.231.N.} addresses exist, so parallel JVMs never collide.
 */
public final class NetnsLab implements AutoCloseable {
    /** Default iperf3 port of the phones' servers (iperf3's own default). */
    public static final int IPERF_PORT = 5201;
    private static final String MANIFEST = "created";
    private static final String PHONES = "phones";
    private static final String SERVER_MARKER = "iperf3";
    private static final ReentrantLock JVM_LOCK = new ReentrantLock();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path state;
    private final boolean ownsFolder;
    private final String prefix;
    private final Map<String, Phone> phones = new LinkedHashMap<>();
    private final Map<String, Site> sites = new LinkedHashMap<>();
    private final Map<String, Long> servers = new LinkedHashMap<>();
    private final Thread shutdownHook;
    private boolean closed;

    private NetnsLab(Path state, boolean ownsFolder, String prefix, boolean hook) {
        this.state = state;
        this.ownsFolder = ownsFolder;
        this.prefix = prefix;
        this.shutdownHook = hook ? new Thread(this::close, "netns-lab-cleanup") : null;
        if (hook) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * A new lab whose state lives under {@code .vbo/netns/run-*}, owned by this JVM: removed by {@link #close()}, on
     * JVM shutdown, or by the next lab opened after this JVM died.
     */
    public static NetnsLab open() {
        Path dir = FixtureDirs.create("netns", NetnsLab::removeRecorded);
        return new NetnsLab(dir, true, newPrefix(), true);
    }

    /**
     * A lab whose state lives in {@code stateDir} and outlives this JVM (for scripts): remove it with
     * {@link #down(Path)}.
     */
    public static NetnsLab detached(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
            if (Files.exists(stateDir.resolve(MANIFEST))) {
                throw new IllegalStateException(stateDir + " already holds a lab; run 'NetnsLab down --state "
                        + stateDir + "' first");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new NetnsLab(stateDir, false, newPrefix(), false);
    }

    /** Re-opens a detached lab from its state folder (to reshape its links from another process). */
    public static NetnsLab attach(Path stateDir) {
        NetnsLab lab = new NetnsLab(stateDir, false, "", false);
        try {
            for (String line : Files.readAllLines(stateDir.resolve(PHONES))) {
                if (!line.isBlank()) {
                    Phone phone = Phone.fromLine(line);
                    lab.phones.put(phone.name(), phone);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("no lab in " + stateDir, e);
        }
        return lab;
    }

    /** Removes everything a lab recorded in {@code stateDir} (its servers, namespaces and devices). */
    public static void down(Path stateDir) {
        removeRecorded(stateDir);
        try {
            Files.deleteIfExists(stateDir.resolve(MANIFEST));
            Files.deleteIfExists(stateDir.resolve(PHONES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a phone whose downlink (PBX → phone) and uplink are shaped to the given bits per second. */
    public synchronized Phone addPhone(long downBps, long upBps) {
        requireOpen();
        String name = "phone" + (phones.size() + 1);
        int k = phones.size() + 1;
        Phone phone;
        JVM_LOCK.lock();
        try (FileChannel channel = FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            int subnet = freeSubnet();
            phone = new Phone(name, subnet, "vbo-" + prefix + "-" + k, "vb" + prefix + "h" + k, "vb" + prefix + "p" + k,
                    "10.231." + subnet + ".1", "10.231." + subnet + ".2", IPERF_PORT);
            record("netns " + phone.namespace());
            record("link " + phone.hostDevice());
            Shell.run("ip", "netns", "add", phone.namespace());
            Shell.run("ip", "link", "add", phone.hostDevice(), "type", "veth", "peer", "name", phone.phoneDevice(),
                    "netns", phone.namespace());
            Shell.run("ip", "addr", "add", phone.pbxAddress() + "/24", "dev", phone.hostDevice());
            Shell.run("ip", "-n", phone.namespace(), "addr", "add", phone.address() + "/24", "dev", phone.phoneDevice());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            JVM_LOCK.unlock();
        }
        Shell.run("ip", "link", "set", phone.hostDevice(), "up");
        Shell.run("ip", "-n", phone.namespace(), "link", "set", "lo", "up");
        Shell.run("ip", "-n", phone.namespace(), "link", "set", phone.phoneDevice(), "up");
        shape(phone, downBps, upBps);
        phones.put(name, phone);
        appendPhone(phone);
        startServer(phone);
        return phone;
    }

    /**
     * Adds a site: {@code phoneCount} phones behind one uplink shaped to the given bits per second each way (see
     * {@link Site}). Its phones are in {@link #phones()} too, named on from the lab's other phones.
     */
    public synchronized Site addSite(long downBps, long upBps, int phoneCount) {
        requireOpen();
        if (phoneCount < 1 || phoneCount > 200) {
            throw new IllegalArgumentException("a site has 1 to 200 phones, not " + phoneCount);
        }
        int k = sites.size() + 1;
        String base = "vb" + prefix + "s" + k;
        String router = "vbo-" + prefix + "-s" + k;
        String hostDevice = base + "w";
        String routerDevice = base + "r";
        String bridge = base + "b";
        int wan;
        int lan;
        JVM_LOCK.lock();
        try (FileChannel channel = FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            wan = freeSubnet();
            record("netns " + router);
            record("link " + hostDevice);
            Shell.run("ip", "netns", "add", router);
            Shell.run("ip", "link", "add", hostDevice, "type", "veth", "peer", "name", routerDevice, "netns", router);
            Shell.run("ip", "addr", "add", "10.231." + wan + ".1/24", "dev", hostDevice);
            Shell.run("ip", "-n", router, "addr", "add", "10.231." + wan + ".2/24", "dev", routerDevice);
            Shell.run("ip", "link", "set", hostDevice, "up");
            lan = freeSubnet();
            // The route makes the phones' subnet visible to freeSubnet() in other labs, and leaves with the device.
            Shell.run("ip", "route", "add", "10.231." + lan + ".0/24", "via", "10.231." + wan + ".2", "dev", hostDevice);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            JVM_LOCK.unlock();
        }
        Shell.run("ip", "-n", router, "link", "set", "lo", "up");
        Shell.run("ip", "-n", router, "link", "set", routerDevice, "up");
        Shell.run("ip", "-n", router, "link", "add", bridge, "type", "bridge");
        Shell.run("ip", "-n", router, "addr", "add", "10.231." + lan + ".1/24", "dev", bridge);
        Shell.run("ip", "-n", router, "link", "set", bridge, "up");
        Shell.run("ip", "netns", "exec", router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        Shell.run(tbf(List.of("tc"), hostDevice, downBps));
        Shell.run(tbf(List.of("ip", "netns", "exec", router, "tc"), routerDevice, upBps));
        List<Phone> sitePhones = new ArrayList<>();
        for (int i = 1; i <= phoneCount; i++) {
            Phone phone = new Phone("phone" + (phones.size() + 1), lan, router + "-" + i, base + "q" + i,
                    base + "p" + i, "10.231." + wan + ".1", "10.231." + lan + "." + (i + 1), IPERF_PORT);
            record("netns " + phone.namespace());
            Shell.run("ip", "netns", "add", phone.namespace());
            Shell.run("ip", "-n", router, "link", "add", phone.hostDevice(), "type", "veth", "peer", "name",
                    phone.phoneDevice(), "netns", phone.namespace());
            Shell.run("ip", "-n", router, "link", "set", phone.hostDevice(), "master", bridge);
            Shell.run("ip", "-n", router, "link", "set", phone.hostDevice(), "up");
            Shell.run("ip", "-n", phone.namespace(), "addr", "add", phone.address() + "/24", "dev", phone.phoneDevice());
            Shell.run("ip", "-n", phone.namespace(), "link", "set", "lo", "up");
            Shell.run("ip", "-n", phone.namespace(), "link", "set", phone.phoneDevice(), "up");
            Shell.run("ip", "-n", phone.namespace(), "route", "add", "10.231." + wan + ".0/24", "via",
                    "10.231." + lan + ".1");
            phones.put(phone.name(), phone);
            sitePhones.add(phone);
            startServer(phone);
        }
        Site site = new Site("site" + k, router, hostDevice, routerDevice, "10.231." + wan + ".1",
                "10.231." + wan + ".2", lan, sitePhones);
        sites.put(site.name(), site);
        return site;
    }

    /** Changes a site's uplink rates in place. */
    public synchronized void reshape(Site site, long downBps, long upBps) {
        requireOpen();
        Shell.run(tbf(List.of("tc"), site.hostDevice(), downBps));
        Shell.run(tbf(List.of("ip", "netns", "exec", site.routerNamespace(), "tc"), site.routerDevice(), upBps));
    }

    /** Changes a phone's link rates in place (live: running transfers see the new rate at once). */
    public synchronized void reshape(Phone phone, long downBps, long upBps) {
        requireOpen();
        if (sites.values().stream().anyMatch(site -> site.phones().contains(phone))) {
            throw new IllegalArgumentException(phone.name() + " is behind a site's uplink: reshape the site");
        }
        shape(phone, downBps, upBps);
    }

    /** Starts the phone's {@code iperf3 -s} again after {@link #stopServer}. */
    public synchronized void startServer(Phone phone) {
        requireOpen();
        if (servers.containsKey(phone.name())) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(Shell.resolve("ip"), "netns", "exec", phone.namespace(),
                Shell.resolve("iperf3"), "-s", "-B", phone.address(), "-p", Integer.toString(phone.iperfPort()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve("iperf3-" + phone.name() + ".log").toFile()));
        try {
            // `ip netns exec` execs in place, so this PID is the server's own.
            long pid = builder.start().pid();
            record("server " + pid);
            servers.put(phone.name(), pid);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start iperf3 -s in " + phone.namespace(), e);
        }
        awaitListening(phone);
    }

    /** Stops the phone's {@code iperf3 -s} (by the PID this lab recorded). */
    public synchronized void stopServer(Phone phone) {
        Long pid = servers.remove(phone.name());
        if (pid != null) {
            stopProcess(pid);
        }
    }

    /** PID of the phone's running server, if this lab started one. */
    public synchronized Optional<Long> serverPid(Phone phone) {
        return Optional.ofNullable(servers.get(phone.name()));
    }

    public synchronized List<Phone> phones() {
        return List.copyOf(phones.values());
    }

    public synchronized Phone phone(String name) {
        Phone phone = phones.get(name);
        if (phone == null) {
            throw new IllegalArgumentException("no phone '" + name + "' in this lab (have " + phones.keySet() + ")");
        }
        return phone;
    }

    public Path stateDir() {
        return state;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to; close() is idempotent
            }
        }
        if (ownsFolder) {
            removeRecorded(state);
            FixtureDirs.delete(state);
        }
    }

    private void shape(Phone phone, long downBps, long upBps) {
        Shell.run(tbf(List.of("tc"), phone.hostDevice(), downBps));
        Shell.run(tbf(List.of("ip", "netns", "exec", phone.namespace(), "tc"), phone.phoneDevice(), upBps));
    }

    /**
     * A token bucket at {@code bps}: a burst of one MTU-sized frame or 50 ms of traffic (smaller bursts lose tokens
     * whenever a busy CPU delays the qdisc, and fast links then read 20-60 % low), and a queue of about 100 ms but at
     * least three full frames (fewer starves TCP on very slow links and makes it read low).
     */
    static List<String> tbf(List<String> command, String device, long bps) {
        long burst = Math.max(1600, bps / 8 / 20);
        long limit = burst + Math.max(3 * 1514, bps / 8 / 10);
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("qdisc", "replace", "dev", device, "root", "tbf", "rate", bps + "bit",
                "burst", Long.toString(burst), "limit", Long.toString(limit)));
        return args;
    }

    private void awaitListening(Phone phone) {
        try {
            Awaitility.await("iperf3 -s in " + phone.namespace() + " listening").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        Long pid = servers.get(phone.name());
                        if (pid == null || ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                            throw new IllegalStateException("iperf3 -s in " + phone.namespace() + " exited; see "
                                    + state.resolve("iperf3-" + phone.name() + ".log"));
                        }
                        return !Shell.run("ip", "netns", "exec", phone.namespace(), "ss", "-Hltn", "sport", "=",
                                ":" + phone.iperfPort()).isBlank();
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("iperf3 -s in " + phone.namespace() + " is not listening after 10 s", e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("lab is closed");
        }
    }

    private void record(String line) {
        append(state.resolve(MANIFEST), line);
    }

    private void appendPhone(Phone phone) {
        append(state.resolve(PHONES), phone.toLine());
    }

    private static void append(Path file, String line) {
        try {
            Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops recorded servers, then deletes recorded namespaces (which takes their veth ends along) and devices. */
    static void removeRecorded(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.exists(manifest)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines) {
            if (line.startsWith("server ")) {
                stopProcess(Long.parseLong(line.substring(7).strip()));
            }
        }
        for (String line : lines) {
            if (line.startsWith("netns ")) {
                Shell.runQuietly("ip", "netns", "delete", line.substring(6).strip());
            }
        }
        for (String line : lines) {
            if (line.startsWith("link ")) {
                Shell.runQuietly("ip", "link", "delete", line.substring(5).strip());
            }
        }
    }

    /** Stops a recorded server by PID, but only if that PID still runs iperf3 (PIDs get reused). */
    private static void stopProcess(long pid) {
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> commandLine(pid).contains(SERVER_MARKER))
                .ifPresent(p -> Processes.stop(p, java.time.Duration.ofSeconds(3)));
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** A {@code 10.231.N.0/24} no address and no route (a site's phones, see {@link #addSite}) uses yet. */
    private static int freeSubnet() {
        String addresses = Shell.run("ip", "-4", "-o", "addr", "show");
        String routes = "\n" + Shell.run("ip", "-4", "route", "show");
        for (int n = 1; n <= 254; n++) {
            if (!addresses.contains(" 10.231." + n + ".") && !routes.contains("\n10.231." + n + ".")) {
                return n;
            }
        }
        throw new IllegalStateException("all 254 subnets 10.231.N.0/24 are in use");
    }

    private static Path lockFile() {
        Path runLock = Path.of("/run/lock");
        return (Files.isDirectory(runLock) ? runLock : Path.of(System.getProperty("java.io.tmpdir")))
                .resolve("vbo-netns.lock");
    }

    private static String newPrefix() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /**
     * {@code NetnsLab up --phones "40k/40k,150k/150k,2m/2m" --state DIR} creates phones (rates down/up) and prints
     * one line per phone; {@code NetnsLab reshape --state DIR --phone phone2 --rates 64k/32k};
     * {@code NetnsLab down --state DIR} removes everything.
     */
    public static void main(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String verb = args.length == 0 ? "" : args[0].toLowerCase(Locale.ROOT);
        if (!options.containsKey("--state")) {
            usage();
        }
        Path state = Path.of(options.get("--state")).toAbsolutePath();
        switch (verb) {
            case "up" -> {
                NetnsLab lab = detached(state);
                try {
                    for (String pair : options.getOrDefault("--phones", "").split(",")) {
                        if (!pair.isBlank()) {
                            long[] rates = Rates.parsePair(pair);
                            Phone phone = lab.addPhone(rates[0], rates[1]);
                            System.out.printf("%s %s down=%d up=%d port=%d pbx=%s netns=%s%n", phone.name(),
                                    phone.address(), rates[0], rates[1], phone.iperfPort(), phone.pbxAddress(),
                                    phone.namespace());
                        }
                    }
                } catch (RuntimeException e) {
                    down(state);
                    throw e;
                }
            }
            case "reshape" -> {
                long[] rates = Rates.parsePair(required(options, "--rates"));
                NetnsLab lab = attach(state);
                lab.reshape(lab.phone(required(options, "--phone")), rates[0], rates[1]);
            }
            case "down" -> down(state);
            default -> usage();
        }
    }

    private static String required(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            usage();
        }
        return value;
    }

    private static void usage() {
        System.err.println("""
                usage: NetnsLab up --phones "40k/40k,150k/150k,2m/2m" --state DIR
                       NetnsLab reshape --state DIR --phone phone2 --rates 64k/32k
                       NetnsLab down --state DIR""");
        System.exit(2);
    }
}
