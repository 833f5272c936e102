package io.vbo.discovery.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vbo.ami.AmiConnection;
import io.vbo.discovery.cli.CliRunner;
import io.vbo.discovery.config.DiscoveryConfig;
import io.vbo.discovery.config.SitesConfig;
import io.vbo.events.Validate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Starts one {@link PbxWatch} per configured PBX and drives the listing cycle. */
@ApplicationScoped
public class DiscoveryService {
    private static final Logger LOG = Logger.getLogger(DiscoveryService.class);

    @Inject
    DiscoveryConfig config;

    @Inject
    SitesConfig sitesConfig;

    @Inject
    Vertx vertx;

    @Inject
    EventPublisher publisher;

    @Inject
    MeterRegistry registry;

    private final Map<String, PbxWatch> watches = new LinkedHashMap<>();
    private Sites sites;

    void onStart(@Observes StartupEvent startup) {
        sites = Sites.from(sitesConfig);
        sitesConfig.sites().forEach(s -> LOG.infof("site %s: contacts in %s", s.name(), String.join(", ", s.cidrs())));
        List<DiscoveryConfig.Pbx> targets = config.pbx();
        if (targets.isEmpty()) {
            LOG.info("No PBX configured (vbo.discovery.pbx is empty): nothing to discover; readiness stays UP");
            return;
        }
        for (DiscoveryConfig.Pbx pbx : targets) {
            if (!Validate.PBX_ID.matcher(pbx.id()).matches()) {
                throw new IllegalArgumentException("vbo.discovery.pbx id '" + Validate.printable(pbx.id()) + "' must match "
                        + Validate.PBX_ID.pattern());
            }
            if (watches.containsKey(pbx.id())) {
                throw new IllegalArgumentException("vbo.discovery.pbx id '" + pbx.id() + "' is configured twice");
            }
            watches.put(pbx.id(), watch(pbx));
        }
        LOG.infof("Watching %d PBX(s) every %s: %s", watches.size(), config.interval(), watches.keySet());
    }

    void onStop(@Observes ShutdownEvent shutdown) {
        List<Future<Void>> stops = new ArrayList<>();
        watches.values().forEach(w -> stops.add(w.stop()));
        Future.join(stops).toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }

    /** Starts a listing of every PBX; returns at once (the listings run on the PBXs' event loops or workers). */
    public void pollAll() {
        watches.values().forEach(PbxWatch::poll);
    }

    public Collection<PbxWatch> watches() {
        return watches.values();
    }

    private PbxWatch watch(DiscoveryConfig.Pbx pbx) {
        Tags tags = Tags.of("pbx", pbx.id());
        Timer cycle = Timer.builder("vbo.discovery.cycle").description("one listing of a PBX's endpoints and contacts")
                .tags(tags).register(registry);
        PbxDiscovery discovery = new PbxDiscovery(pbx.id(), publisher::publish, Clock.systemUTC(), sites);
        CapabilityTracker capabilities = new CapabilityTracker(pbx.id(), publisher::publish, Clock.systemUTC());
        PbxWatch watch = new PbxWatch(pbx.id(), discovery, capabilities, vertx, cycle::record);
        registry.gauge("vbo.ami.connected", tags, watch, w -> w.up() ? 1 : 0);
        registry.gauge("vbo.discovery.contacts", tags, watch, PbxWatch::contacts);
        if (pbx.mode() == DiscoveryConfig.Mode.CLI) {
            LOG.infof("PBX %s: CLI mode, running '%s -rx' on this host", pbx.id(), pbx.asteriskBinary());
            watch.useCli(new CliRunner(pbx.asteriskBinary(), config.cliTimeout()));
            return watch;
        }
        Optional<String> secret;
        try {
            secret = secret(pbx);
        } catch (IOException e) {
            secret = Optional.empty();
            LOG.errorf("PBX %s: cannot read the AMI secret file %s: %s", pbx.id(), pbx.secretFile().orElseThrow(), e.getMessage());
        }
        if (secret.isEmpty()) {
            String why = "no AMI secret: set vbo.discovery.pbx[].secret-env to a set environment variable or secret-file to a readable file";
            LOG.errorf("PBX %s: %s", pbx.id(), why);
            watch.disable(why);
            return watch;
        }
        DiscoveryConfig.Ami ami = config.ami();
        LOG.infof("PBX %s: AMI %s@%s:%d (events: %s)", pbx.id(), pbx.username(), pbx.host(), pbx.port(), pbx.events());
        if (!receives(pbx.events(), "system")) {
            LOG.warnf("PBX %s: events '%s' exclude 'system': ContactStatus, Reload and FullyBooted will not arrive, so"
                    + " contacts change only at each listing and the transcodable codecs are read only at connect",
                    pbx.id(), pbx.events());
        }
        CallTracker calls = null;
        if (receives(pbx.events(), "call")) {
            DiscoveryConfig.Calls settings = config.calls();
            calls = new CallTracker(pbx.id(), publisher::publish, discovery::activeCalls, watch::codecOf,
                    Clock.systemUTC(), new CallTracker.Settings(settings.jitterBufferFactor(), settings.g711Plc()));
            registry.gauge("vbo.discovery.calls", tags, watch, PbxWatch::liveChannels);
            if (!receives(pbx.events(), "reporting")) {
                LOG.warnf("PBX %s: events '%s' exclude 'reporting': no RTCP, so no call quality", pbx.id(), pbx.events());
            }
        } else {
            LOG.warnf("PBX %s: events '%s' exclude 'call': active calls change only at each listing and no call quality"
                    + " is measured", pbx.id(), pbx.events());
        }
        watch.useAmi(new AmiConnection(vertx, AmiConnection.Settings.of(pbx.id(), pbx.host(), pbx.port(), pbx.username(),
                secret.get()).withEvents(pbx.events()).withTimeouts(ami.connectTimeout(), ami.actionTimeout())
                .withBackoff(ami.initialBackoff(), ami.maxBackoff(), ami.authFailureRetry()), watch), calls);
        return watch;
    }

    /** Whether a login's {@code Events:} value brings the class {@code eventClass}. */
    private static boolean receives(String events, String eventClass) {
        for (String value : events.split(",")) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (v.equals("on") || v.equals(eventClass) || v.equals("all")) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> secret(DiscoveryConfig.Pbx pbx) throws IOException {
        if (pbx.secretEnv().isPresent()) {
            String value = System.getenv(pbx.secretEnv().get());
            if (value != null && !value.isEmpty()) {
                return Optional.of(value);
            }
        }
        if (pbx.secretFile().isPresent()) {
            String value = Files.readString(pbx.secretFile().get()).strip();
            if (!value.isEmpty()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
