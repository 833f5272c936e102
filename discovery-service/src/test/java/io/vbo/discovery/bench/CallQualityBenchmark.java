package io.vbo.discovery.bench;

import io.vbo.lab.FreePorts;
import io.vbo.lab.KafkaBroker;
import io.vbo.lab.Processes;
import io.vbo.lab.ami.AmiCall;
import io.vbo.lab.ami.AmiTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * One packaged discovery-service against AMI test servers holding 10,000 live calls in all (10 PBXs × 1,000), each call
 * reporting RTCP both ways every 5 s: 4,000 {@code RTCPReceived}/{@code RTCPSent} events per second, built from the
 * captured shapes. Measures the {@code vbo.call-quality} samples per second the service publishes (broker timestamps),
 * how long after the last event the last sample is out (falling behind shows as a growing tail), and the service's CPU
 * and RSS. Not part of the normal test run; {@code bin/bench/discovery-calls.sh} packages the service and runs it.
 */
class CallQualityBenchmark {
    private static final int PBXS = Integer.getInteger("bench.pbxs", 10);
    private static final int CALLS = Integer.getInteger("bench.calls", 1000);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    /** Load before measuring: JIT, topic creation, and the codec reads of every channel found at login. */
    private static final int WARMUP = Integer.getInteger("bench.warmup.seconds", 30);
    private static final String JVM_OPTIONS = System.getProperty("bench.jvm", "");
    /** Each call sends one pair of reports every 5 s; the drivers emit a slice of them every 50 ms. */
    private static final Duration REPORT_INTERVAL = Duration.ofSeconds(5);
    private static final Duration TICK = Duration.ofMillis(50);

    @Test
    void tenThousandCallsReportingEveryFiveSeconds() throws Exception {
        Path jar = ServiceProcess.jar("bin/bench/discovery-calls.sh");
        Path work = Files.createDirectories(Path.of("target/bench").toAbsolutePath());
        List<AmiTestServer> servers = new ArrayList<>();
        List<List<String>> pairs = new ArrayList<>();
        Process service = null;
        List<Thread> drivers = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start()) {
            Files.writeString(work.resolve("secret"), "vbo-secret\n");
            int httpPort = FreePorts.next();
            List<String> command = ServiceProcess.java(JVM_OPTIONS);
            command.addAll(List.of("-Dkafka.bootstrap.servers=" + broker.bootstrapServers(), "-Dquarkus.http.port=" + httpPort,
                    "-Dvbo.discovery.interval=60s"));
            AmiCall.Report report = AmiCall.steady(1, 1, 5, 40, 8000).get(0);
            for (int p = 0; p < PBXS; p++) {
                AmiTestServer server = AmiTestServer.start();
                List<String> rendered = new ArrayList<>();
                for (int c = 0; c < CALLS; c++) {
                    AmiCall call = AmiCall.of("ph" + (10_000 + c), c + 1, "ulaw");
                    server.startCall(call);
                    rendered.add(call.rtcpReceived(report) + call.rtcpSent(report));
                }
                servers.add(server);
                pairs.add(rendered);
                String prefix = "-Dvbo.discovery.pbx[" + p + "].";
                command.add(prefix + "id=pbx-" + p);
                command.add(prefix + "port=" + server.port());
                command.add(prefix + "secret-file=" + work.resolve("secret"));
            }
            command.addAll(List.of("-jar", jar.toString()));
            service = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve("service-calls.log").toFile()).start();
            ServiceProcess.awaitReady(httpPort, service, work.resolve("service-calls.log"));
            for (AmiTestServer server : servers) {
                server.awaitEventSessions(1, Duration.ofSeconds(60));
            }

            try (KafkaConsumer<byte[], byte[]> consumer = consumer(broker.bootstrapServers())) {
                AtomicLong emitted = new AtomicLong();
                long warmEnd = System.currentTimeMillis() + WARMUP * 1000L;
                long end = warmEnd + SECONDS * 1000L;
                for (int p = 0; p < PBXS; p++) {
                    AmiTestServer server = servers.get(p);
                    List<String> rendered = pairs.get(p);
                    Thread driver = new Thread(() -> drive(server, rendered, end, warmEnd, emitted), "driver-" + p);
                    driver.setDaemon(true);
                    driver.start();
                    drivers.add(driver);
                }
                long cpuBefore = -1;
                TreeMap<Long, Integer> perSecond = new TreeMap<>();
                long lastRecord = 0;
                long counted = 0;
                while (System.currentTimeMillis() < end + 15_000) {
                    if (cpuBefore < 0 && System.currentTimeMillis() >= warmEnd) {
                        cpuBefore = cpuTicks(service.pid());
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.timestamp() >= warmEnd) {
                            perSecond.merge((r.timestamp() - warmEnd) / 1000, 1, Integer::sum);
                            lastRecord = Math.max(lastRecord, r.timestamp());
                            counted++;
                        }
                    }
                    if (System.currentTimeMillis() > end + 3_000 && counted >= 2 * emitted.get()) {
                        break;
                    }
                }
                long cpuAfter = cpuTicks(service.pid());
                drivers.forEach(Thread::interrupt);
                long rssKb = ServiceProcess.status(service.pid(), "VmRSS:");
                List<Integer> steady = perSecond.headMap((long) SECONDS).values().stream().toList();
                int min = steady.stream().mapToInt(Integer::intValue).min().orElse(0);
                int max = steady.stream().mapToInt(Integer::intValue).max().orElse(0);
                StringBuilder table = new StringBuilder();
                table.append(String.format(Locale.ROOT, "Setup: %d PBXs x %d live calls, one RTCPReceived + RTCPSent per call"
                        + " every %d s (%d events/s offered), %d s measured after %d s warm-up, %d cores, Java %s, service JVM"
                        + " options: %s%n%n", PBXS, CALLS, REPORT_INTERVAL.toSeconds(),
                        PBXS * CALLS * 2 / REPORT_INTERVAL.toSeconds(), SECONDS, WARMUP, Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.version"), JVM_OPTIONS.isEmpty() ? "(none)" : JVM_OPTIONS));
                table.append("| RTCP events emitted | samples published | published/s (mean) | per-second min–max | "
                        + "last sample after the last event | service CPU | RSS |\n|---|---|---|---|---|---|---|\n");
                table.append(String.format(Locale.ROOT, "| %d | %d | %.0f | %d–%d | %d ms | %.0f %% of one core | %d MB |%n",
                        2 * emitted.get(), counted, counted * 1000.0 / Math.max(1, lastRecord - warmEnd), min, max,
                        lastRecord - end, (cpuAfter - cpuBefore) * 100.0 / (Math.max(1, lastRecord - warmEnd) / 10.0),
                        rssKb / 1024));
                System.out.println(table);
                Files.writeString(work.resolve("discovery-calls.md"), table);
            }
        } finally {
            drivers.forEach(Thread::interrupt);
            if (service != null) {
                Processes.stop(service.toHandle(), Duration.ofSeconds(15));
            }
            servers.forEach(AmiTestServer::close);
        }
    }

    /** Emits every call's pair of reports once per interval, spread over the interval's ticks. */
    private static void drive(AmiTestServer server, List<String> rendered, long end, long countFrom, AtomicLong emitted) {
        int ticks = (int) (REPORT_INTERVAL.toMillis() / TICK.toMillis());
        int perTick = (rendered.size() + ticks - 1) / ticks;
        int next = 0;
        long tick = System.currentTimeMillis();
        while (System.currentTimeMillis() < end && !Thread.currentThread().isInterrupted()) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < perTick; i++) {
                batch.append(rendered.get(next));
                next = (next + 1) % rendered.size();
            }
            server.emitEvent(batch.toString());
            if (System.currentTimeMillis() >= countFrom) {
                emitted.addAndGet(perTick);
            }
            tick += TICK.toMillis();
            long sleep = tick - System.currentTimeMillis();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of("vbo.call-quality"));
        return consumer;
    }

    /** utime + stime of a process, in clock ticks (100 per second). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
