package io.vbo.writer.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.vbo.events.SiteLimit;
import io.vbo.writer.editor.AdmissionDialplan;
import io.vbo.writer.editor.AdmissionDialplan.Site;
import io.vbo.writer.editor.ConfigFile;
import io.vbo.writer.files.SafeFileWriter;
import io.vbo.writer.pbx.PbxClient;
import io.vbo.writer.pbx.PbxException;
import io.vbo.writer.pbx.PbxUnreachableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import org.jboss.logging.Logger;

/**
 * Applies a batch of site limits to the writer's own dialplan file: the sites already in the file plus the batch
 * (latest per site wins; an empty change removes the site) give the new file, the removed sites and unmapped
 * endpoints cleared ({@link AdmissionDialplan.Cleared}); with the marker block added to extensions.conf when missing, that is
 * one write per changed file, one {@code dialplan reload}, and a read-back (the subroutine in
 * {@code dialplan show}, every limit and every endpoint's site through {@link PbxClient#global}); when the reload
 * or the read-back fails, the previous files are put back and reloaded. Files equal to what is there: no write,
 * no reload.
 */
public final class AdmissionApplier {
    private static final Logger LOG = Logger.getLogger(AdmissionApplier.class);
    private static final int ATTEMPTS = 5;

    /** What a batch did. */
    public enum Status { APPLIED, UNCHANGED, ROLLED_BACK, FAILED }

    /**
     * @param status  what happened
     * @param sites   the batch's sites, each described with its limit
     * @param detail  why, for logs and readiness
     */
    public record Result(Status status, List<String> sites, String detail) {
    }

    private final String pbxId;
    private final Path file;
    private final Path extensions;
    private final Optional<String> announcement;
    private final SafeFileWriter writer;
    private final PbxClient pbx;
    private final Lock lock;
    private final MeterRegistry meters;
    private final AtomicInteger sitesGauge = new AtomicInteger();
    /** Each site's limit as loaded by Asterisk (held here: a gauge keeps only a weak reference). */
    private final Map<String, AtomicInteger> siteGauges = new java.util.concurrent.ConcurrentHashMap<>();
    private long writes;
    private long reloads;
    private volatile Result last;

    public AdmissionApplier(String pbxId, Path file, Path extensions, Optional<String> announcement, SafeFileWriter writer,
            PbxClient pbx, Lock lock, MeterRegistry meters) {
        this.pbxId = pbxId;
        this.file = file;
        this.extensions = extensions;
        this.announcement = announcement.map(AdmissionDialplan::announcement);
        this.writer = writer;
        this.pbx = pbx;
        this.lock = lock;
        this.meters = meters;
        meters.gauge("vbo.writer.admission.sites", List.of(Tag.of("pbx", pbxId)), sitesGauge);
        try {
            if (Files.exists(file)) {
                sitesGauge.set(AdmissionDialplan.parse(Files.readAllBytes(file)).size());
            }
        } catch (IOException e) {
            LOG.warnf("pbx %s: admission: cannot read %s: %s", pbxId, file, e.getMessage());
        }
    }

    public synchronized long writes() {
        return writes;
    }

    public synchronized long reloads() {
        return reloads;
    }

    /** The last batch's result, or null before the first. */
    public Result last() {
        return last;
    }

    /** Sites in the file now. */
    public int sites() {
        return sitesGauge.get();
    }

    public Result apply(List<SiteLimit> limits) {
        Map<String, Optional<SiteLimit>> changes = new LinkedHashMap<>();
        limits.forEach(l -> changes.put(l.site(), Optional.of(l)));
        return applyChanges(changes);
    }

    /** Applies each site's new limit, or removes the site when its change is empty. */
    public synchronized Result applyChanges(Map<String, Optional<SiteLimit>> changes) {
        Map<String, Optional<Site>> batch = new LinkedHashMap<>();
        changes.forEach((site, l) -> batch.put(site, l.map(Site::of)));
        List<String> described = batch.entrySet().stream()
                .map(e -> e.getValue().map(Site::describe).orElse(e.getKey() + ": removed")).toList();
        Result result;
        lock.lock();
        try {
            result = round(batch, described);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "pbx %s: admission: %d site limit(s) not applied", pbxId, batch.size());
            result = new Result(Status.FAILED, described, "dialplan files could not be read or written: " + e.getMessage());
        } finally {
            lock.unlock();
        }
        meters.counter("vbo.writer.admission.applies", "pbx", pbxId, "status", result.status().name()).increment();
        last = result;
        return result;
    }

    private Result round(Map<String, Optional<Site>> batch, List<String> described) throws IOException {
        Map<Path, Path> backups = new LinkedHashMap<>();
        Map<Path, byte[]> before = new LinkedHashMap<>();
        Map<String, Site> sites;
        AdmissionDialplan.Cleared cleared;
        for (int attempt = 1; ; attempt++) {
            if (!Files.exists(extensions)) {
                return new Result(Status.FAILED, described, extensions + " does not exist: run init or create it; nothing written");
            }
            byte[] own = Files.exists(file) ? Files.readAllBytes(file) : null;
            Map<String, Site> was = own == null ? Map.of() : AdmissionDialplan.parse(own);
            Map<String, Site> now = new TreeMap<>(was);
            batch.forEach((site, change) -> change.ifPresentOrElse(s -> now.put(site, s), () -> now.remove(site)));
            sites = now;
            cleared = (own == null ? AdmissionDialplan.Cleared.NONE : AdmissionDialplan.parseCleared(own))
                    .next(was.values(), sites.values());
            byte[] wantOwn = AdmissionDialplan.render(pbxId, sites.values(), cleared, announcement)
                    .getBytes(StandardCharsets.ISO_8859_1);
            ConfigFile main = ConfigFile.read(extensions);
            byte[] wantMain = AdmissionDialplan.withInclude(main, file.getFileName().toString());
            Map<Path, byte[]> changed = new LinkedHashMap<>();
            if (!Arrays.equals(own, wantOwn)) {
                changed.put(file, wantOwn);
            }
            if (!Arrays.equals(main.bytes(), wantMain)) {
                changed.put(extensions, wantMain);
            }
            if (changed.isEmpty()) {
                sitesGauge.set(sites.size());
                LOG.debugf("pbx %s: admission: %s already in %s", pbxId, described, file);
                return new Result(Status.UNCHANGED, described, "already in " + file.getFileName());
            }
            if (attempt == 1 && pbx.configured()) {
                try {
                    pbx.ping();
                } catch (PbxException e) {
                    LOG.errorf("pbx %s: admission: Asterisk unreachable, %s not written: %s", pbxId, described, e.getMessage());
                    return new Result(Status.FAILED, described, "Asterisk unreachable: " + e.getMessage());
                }
            }
            try {
                before.put(file, own);
                before.put(extensions, main.bytes());
                for (Map.Entry<Path, byte[]> f : changed.entrySet()) {
                    Path backup = writer.replace(f.getKey(), before.get(f.getKey()), f.getValue());
                    backups.put(f.getKey(), backup);
                    writes++;
                }
                break;
            } catch (SafeFileWriter.ChangedOnDiskException e) {
                if (attempt >= ATTEMPTS || !backups.isEmpty()) {
                    restore(backups, false);
                    throw e;
                }
                LOG.infof("pbx %s: admission: %s; reading it again", pbxId, e.getMessage());
            }
        }
        described.forEach(d -> LOG.infof("pbx %s: admission: wrote site %s", pbxId, d));
        if (!pbx.configured()) {
            sitesGauge.set(sites.size());
            return new Result(Status.APPLIED, described, "written; not reloaded: no Asterisk configured");
        }
        try {
            reload();
        } catch (PbxException e) {
            String restored = restore(backups, true);
            LOG.errorf("pbx %s: admission: %s failed (%s); %s", pbxId, PbxClient.DIALPLAN_RELOAD_COMMAND, e.getMessage(), restored);
            return new Result(e instanceof PbxUnreachableException ? Status.FAILED : Status.ROLLED_BACK, described,
                    PbxClient.DIALPLAN_RELOAD_COMMAND + " failed: " + e.getMessage() + "; " + restored);
        }
        String wrong = readBack(sites, cleared);
        if (wrong != null) {
            String restored = restore(backups, true);
            LOG.warnf("pbx %s: admission: read-back after %s failed: %s; %s", pbxId, PbxClient.DIALPLAN_RELOAD_COMMAND, wrong,
                    restored);
            return new Result(Status.ROLLED_BACK, described, "read-back failed: " + wrong + "; " + restored);
        }
        sitesGauge.set(sites.size());
        cleared.sites().forEach(site -> {
            if (siteGauges.remove(site) != null) {
                meters.find("vbo.writer.admission.max.calls").tags("pbx", pbxId, "site", site).meters()
                        .forEach(meters::remove);
            }
        });
        sites.values().forEach(s -> siteGauges.computeIfAbsent(s.site(), site -> meters.gauge("vbo.writer.admission.max.calls",
                List.of(Tag.of("pbx", pbxId), Tag.of("site", site)), new AtomicInteger())).set(s.maxCalls()));
        described.forEach(d -> LOG.infof("pbx %s: admission: site %s loaded by Asterisk", pbxId, d));
        return new Result(Status.APPLIED, described, null);
    }

    /**
     * What Asterisk reports differently from {@code sites}, {@code cleared} (empty) and the subroutine, or null when
     * everything matches.
     */
    private String readBack(Map<String, Site> sites, AdmissionDialplan.Cleared cleared) {
        try {
            String subroutine = shows(AdmissionDialplan.CONTEXT, AdmissionDialplan.CONTEXT_PRIORITIES);
            if (subroutine == null) {
                subroutine = shows(AdmissionDialplan.SITE_CONTEXT, AdmissionDialplan.SITE_CONTEXT_PRIORITIES);
            }
            if (subroutine != null) {
                return subroutine;
            }
            for (Site s : sites.values()) {
                String limit = pbx.global(AdmissionDialplan.LIMIT_VAR + s.site());
                if (!Integer.toString(s.maxCalls()).equals(limit)) {
                    return AdmissionDialplan.LIMIT_VAR + s.site() + " is '" + limit + "', expected " + s.maxCalls();
                }
            }
            Map<String, String> siteOf = new LinkedHashMap<>();
            sites.values().forEach(s -> s.endpoints().forEach(e -> siteOf.put(e, s.site())));
            for (Map.Entry<String, String> e : siteOf.entrySet()) {
                String site = pbx.global(AdmissionDialplan.SITE_VAR + e.getKey());
                if (!e.getValue().equals(site)) {
                    return AdmissionDialplan.SITE_VAR + e.getKey() + " is '" + site + "', expected " + e.getValue();
                }
            }
            List<String> empty = new java.util.ArrayList<>();
            cleared.sites().forEach(site -> empty.add(AdmissionDialplan.LIMIT_VAR + site));
            cleared.endpoints().forEach(endpoint -> empty.add(AdmissionDialplan.SITE_VAR + endpoint));
            for (String name : empty) {
                String value = pbx.global(name);
                if (!value.isEmpty()) {
                    return name + " is '" + value + "', expected empty (cleared)";
                }
            }
            return null;
        } catch (PbxException e) {
            return "could not read back: " + e.getMessage();
        }
    }

    /**
     * Null when {@code dialplan show <context>} lists the context with {@code priorities} priorities (its last line,
     * pbx.c: {@code -= N extension(s) (M priorities) in 1 context. =-}).
     */
    private String shows(String context, int priorities) throws PbxException {
        List<String> out;
        try {
            out = pbx.command("dialplan show " + context);
        } catch (PbxUnreachableException e) {
            throw e;
        } catch (PbxException e) {
            return "context " + context + " not loaded (" + e.getMessage() + ")";
        }
        String expected = "(" + priorities + " priorities) in 1 context. =-";
        if (out.stream().noneMatch(l -> l.startsWith("-= ") && l.endsWith(expected))) {
            return "dialplan show " + context + " does not list " + priorities + " priorities: "
                    + (out.isEmpty() ? "no output" : out.get(out.size() - 1));
        }
        return null;
    }

    private void reload() throws PbxException {
        reloads++;
        try {
            String words = pbx.reloadDialplan();
            meters.counter("vbo.writer.admission.reloads", "pbx", pbxId, "outcome", "ok").increment();
            LOG.infof("pbx %s: %s: %s", pbxId, PbxClient.DIALPLAN_RELOAD_COMMAND, words);
        } catch (PbxException e) {
            meters.counter("vbo.writer.admission.reloads", "pbx", pbxId, "outcome",
                    e instanceof PbxUnreachableException ? "unreachable" : "error").increment();
            throw e;
        }
    }

    /**
     * Puts the files back as they were (the writer's own file removed when there was none) and, when asked, reloads
     * once more; returns what happened, for the report.
     */
    private String restore(Map<Path, Path> backups, boolean reloadAfter) {
        try {
            for (Map.Entry<Path, Path> b : backups.entrySet()) {
                if (b.getValue() == null) {
                    Files.deleteIfExists(b.getKey());
                } else {
                    writer.restore(b.getValue(), b.getKey());
                }
            }
        } catch (IOException e) {
            LOG.errorf(e, "pbx %s: admission: RESTORING THE BACKUPS FAILED; backups are in %s", pbxId, backups.values());
            return "restoring the backups failed: " + e.getMessage();
        }
        if (!reloadAfter) {
            return "previous files restored";
        }
        try {
            reload();
            return "previous files restored and reloaded";
        } catch (PbxException e) {
            return "previous files restored, but the reload after restoring failed: " + e.getMessage();
        }
    }
}
