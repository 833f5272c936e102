package io.vbo.probe;

import io.vbo.lab.netns.Phone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches one lab phone's link while something runs on it: a ping every 100 ms to the phone (the probed address, in
 * its namespace; iputils {@code ping -s 16 -i 0.1}, the smallest echo that carries its timestamp — 58-byte frames,
 * 4.6 kbit/s each way, which a thin link's steps share —, in its own process: it sends on time whatever the answers, and its echoes
 * carry its own identifier, so the probe's own echoes from this JVM ({@code EchoWatch}) are never taken for its
 * answers; {@code -w 900}: it ends on its own should this JVM die), and both directions' qdisc byte counters every
 * 250 ms. Test and benchmark code only.
 */
public final class LinkMonitor implements AutoCloseable {
    private static final Pattern SENT = Pattern.compile("Sent (\\d+) bytes");
    private static final long SAMPLE_MS = 250;

    private final Phone phone;
    private final long downBps;
    private final long upBps;
    private static final Pattern TIME = Pattern.compile("time=([0-9.]+) ms");

    private final Process pinger;
    private final Thread reader;
    private final List<Double> rtts = new ArrayList<>();
    private final List<long[]> counters = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean running = true;

    private LinkMonitor(Phone phone, long downBps, long upBps) throws IOException {
        this.phone = phone;
        this.downBps = downBps;
        this.upBps = upBps;
        pinger = new ProcessBuilder("ping", "-n", "-s", "16", "-i", "0.1", "-W", "5", "-w", "900",
                phone.address()).redirectErrorStream(true)
                .start();
        reader = new Thread(this::read, "ping-" + phone.name());
        reader.start();
        sampler = new Thread(this::sample, "tc-" + phone.name());
        sampler.start();
    }

    /** Starts watching {@code phone}, whose link is shaped to {@code downBps}/{@code upBps}. */
    public static LinkMonitor start(Phone phone, long downBps, long upBps) {
        try {
            return new LinkMonitor(phone, downBps, upBps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What was seen between start and {@link #close()}. */
    public record Report(List<Double> rttsMs, long bytes, int secondsAbove80Percent) {
        public double p95() {
            if (rttsMs.isEmpty()) {
                return Double.NaN;
            }
            double[] sorted = rttsMs.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(sorted);
            return sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
        }
    }

    /**
     * Stops the pings (SIGINT: an answer still on its way is not counted) and the sampler; the report covers all seen.
     */
    public Report stop() {
        running = false;
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pinger.pid())).start().waitFor(5, TimeUnit.SECONDS);
            if (!pinger.waitFor(7, TimeUnit.SECONDS)) {
                pinger.destroyForcibly();
            }
            reader.join(3000);
            sampler.join(3000);
        } catch (IOException e) {
            pinger.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            long bytes = counters.size() < 2 ? 0 : counters.get(counters.size() - 1)[0] - counters.get(0)[0]
                    + counters.get(counters.size() - 1)[1] - counters.get(0)[1];
            return new Report(List.copyOf(rtts), bytes, busySeconds());
        }
    }

    @Override
    public void close() {
        if (running) {
            stop();
        }
    }

    /** Whole seconds (from the first sample) in which either direction carried more than 80 % of its rate. */
    private int busySeconds() {
        int perSecond = (int) (1000 / SAMPLE_MS);
        int busy = 0;
        for (int i = 0; i + perSecond < counters.size(); i += perSecond) {
            long[] a = counters.get(i);
            long[] b = counters.get(i + perSecond);
            double seconds = (b[2] - a[2]) / 1000.0;
            if ((b[0] - a[0]) * 8 / seconds > 0.8 * downBps || (b[1] - a[1]) * 8 / seconds > 0.8 * upBps) {
                busy++;
            }
        }
        return busy;
    }

    private void read() {
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(pinger.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null;) {
                Matcher m = TIME.matcher(line);
                if (m.find()) {
                    synchronized (this) {
                        rtts.add(Double.parseDouble(m.group(1)));
                    }
                }
            }
        } catch (IOException e) {
            // ping ended
        }
    }

    private void sample() {
        while (running) {
            long down = sent(List.of("tc", "-s", "qdisc", "show", "dev", phone.hostDevice()));
            long up = sent(List.of("ip", "netns", "exec", phone.namespace(), "tc", "-s", "qdisc", "show", "dev",
                    phone.phoneDevice()));
            synchronized (this) {
                counters.add(new long[] { down, up, System.currentTimeMillis() });
            }
            try {
                Thread.sleep(SAMPLE_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long sent(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            Matcher m = SENT.matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
