package io.vbo.writer.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.vbo.events.CodecDecision;
import io.vbo.events.ConfigApplied;
import io.vbo.events.ConfigApplied.Status;
import io.vbo.events.Validate;
import io.vbo.writer.editor.OfferPrefs;
import io.vbo.writer.editor.PjsipConfig;
import io.vbo.writer.files.SafeFileWriter;
import io.vbo.writer.pbx.LoadedEndpoint;
import io.vbo.writer.pbx.PbxClient;
import io.vbo.writer.pbx.PbxException;
import io.vbo.writer.pbx.PbxUnreachableException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import org.jboss.logging.Logger;

/**
 * Applies a batch of codec decisions: one write per changed file (the codecs and the offer preferences of each
 * endpoint), one reload, a check that Asterisk reports the new codecs and offer preferences, and a rollback to the
 * backups when the reload fails or a check does not match. Every decision gets one {@link ConfigApplied}. Before an
 * endpoint is first edited, its allow list is recorded as its ceiling.
 */
public final class CodecApplier {
    private static final Logger LOG = Logger.getLogger(CodecApplier.class);
    private static final int ATTEMPTS = 5;

    private final String pbxId;
    private final Path dir;
    private final String mainFile;
    private final SafeFileWriter writer;
    private final OfferPrefs prefs;
    private final Ceilings ceilings;
    private final PbxClient pbx;
    private final Lock lock;
    private final MeterRegistry meters;
    private final Clock clock;
    private long writes;
    private long reloads;

    public CodecApplier(String pbxId, Path dir, String mainFile, SafeFileWriter writer, OfferPrefs prefs, Ceilings ceilings,
            PbxClient pbx, Lock lock, MeterRegistry meters, Clock clock) {
        this.pbxId = pbxId;
        this.dir = dir;
        this.mainFile = mainFile;
        this.writer = writer;
        this.prefs = prefs;
        this.ceilings = ceilings;
        this.pbx = pbx;
        this.lock = lock;
        this.meters = meters;
        this.clock = clock;
    }

    /** Files written and reloads sent since start (for tests, benchmarks and logs). */
    public synchronized long writes() {
        return writes;
    }

    public synchronized long reloads() {
        return reloads;
    }

    /**
     * Applies {@code decisions} (latest per endpoint wins; an earlier one in the same batch is reported
     * SUPERSEDED). Decisions whose codecs are already in the file cause no write and no reload; they are reported
     * (checked against Asterisk) only when {@code reportUnchanged}.
     */
    public synchronized List<ConfigApplied> apply(List<CodecDecision> decisions, boolean reportUnchanged) {
        List<ConfigApplied> results = new ArrayList<>();
        Map<String, CodecDecision> latest = new LinkedHashMap<>();
        for (CodecDecision d : decisions) {
            CodecDecision earlier = latest.remove(d.endpoint());
            if (earlier != null) {
                results.add(result(earlier, Status.SUPERSEDED, List.of(),
                        "superseded by decision " + d.decisionId() + " in the same batch"));
            }
            latest.put(d.endpoint(), d);
        }
        if (latest.isEmpty()) {
            return results;
        }
        lock.lock();
        try {
            round(new ArrayList<>(latest.values()), reportUnchanged, true, false, results);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "pbx %s: applying %d decisions failed", pbxId, latest.size());
            String error = "config files could not be read or written: " + e.getMessage();
            for (CodecDecision d : latest.values()) {
                if (results.stream().noneMatch(r -> r.decisionId().equals(d.decisionId()))) {
                    results.add(result(d, Status.FAILED, List.of(), error));
                }
            }
        } finally {
            lock.unlock();
        }
        results.forEach(r -> meters.counter("vbo.writer.applies", "pbx", pbxId, "status", r.status().name()).increment());
        return results;
    }

    /** @param reloadInPlace reload and verify decisions already in the files too (Asterisk may have loaded others) */
    private void round(List<CodecDecision> batch, boolean reportUnchanged, boolean firstRound, boolean reloadInPlace,
            List<ConfigApplied> results) throws IOException {
        Map<String, List<String>> want = new LinkedHashMap<>();
        batch.forEach(d -> want.put(d.endpoint(), d.codecs()));
        Map<Path, Path> backups = new LinkedHashMap<>();
        List<CodecDecision> written = new ArrayList<>();
        List<CodecDecision> inPlace = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            PjsipConfig config = PjsipConfig.load(dir, mainFile);
            PjsipConfig.Plan plan = config.planEndpoints(want, prefs);
            written.clear();
            inPlace.clear();
            List<CodecDecision> missing = new ArrayList<>();
            for (CodecDecision d : batch) {
                if (plan.missing().contains(d.endpoint())) {
                    missing.add(d);
                } else if (!reloadInPlace && backups.isEmpty() && config.alreadyApplied(d.endpoint(), d.codecs(), prefs)) {
                    inPlace.add(d);
                } else {
                    written.add(d);
                }
            }
            if (attempt == 1) {
                for (CodecDecision d : missing) {
                    results.add(result(d, Status.FAILED, List.of(), "endpoint " + d.endpoint() + " is not defined in "
                            + mainFile + " or the files it includes"));
                }
                if (!plan.isEmpty() && pbx.configured()) {
                    try {
                        pbx.ping();
                    } catch (PbxException e) {
                        LOG.errorf("pbx %s: Asterisk unreachable, %d decisions not written: %s", pbxId, written.size(), e.getMessage());
                        written.forEach(d -> results.add(result(d, Status.FAILED, List.of(), "Asterisk unreachable: " + e.getMessage())));
                        report(inPlace, reportUnchanged, results);
                        return;
                    }
                }
            }
            // Saved before the first write: after a crash the writer's own edit is never taken for the ceiling.
            List<String> found = new ArrayList<>(want.keySet());
            found.removeAll(plan.missing());
            ceilings.recordFirst(config, found);
            try {
                for (Map.Entry<Path, byte[]> f : plan.changed().entrySet()) {
                    Path backup = writer.replace(f.getKey(), config.files().get(f.getKey()).bytes(), f.getValue());
                    backups.putIfAbsent(f.getKey(), backup);
                    writes++;
                }
                break;
            } catch (SafeFileWriter.ChangedOnDiskException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                LOG.infof("pbx %s: %s; reading it again", pbxId, e.getMessage());
            }
        }
        if (written.isEmpty()) {
            report(inPlace, reportUnchanged, results);
            return;
        }
        LOG.infof("pbx %s: wrote %d file(s) for %d endpoint(s)", pbxId, backups.size(), written.size());
        // One sample per write + reload: the endpoints it carried (the dashboard's "decisions per reload").
        meters.summary("vbo.writer.batch.size", "pbx", pbxId).record(written.size());
        if (!pbx.configured()) {
            written.forEach(d -> results.add(result(d, Status.APPLIED, List.of(), "written; not reloaded: no Asterisk configured")));
            report(inPlace, reportUnchanged, results);
            return;
        }
        try {
            reload();
        } catch (PbxException e) {
            String restored = restore(backups);
            Status status = e instanceof PbxUnreachableException ? Status.FAILED : Status.ROLLED_BACK;
            LOG.errorf("pbx %s: reload failed (%s); %s", pbxId, e.getMessage(), restored);
            written.forEach(d -> results.add(result(d, status, List.of(), "reload failed: " + e.getMessage() + "; " + restored)));
            report(inPlace, reportUnchanged, results);
            return;
        }
        Map<CodecDecision, List<String>> reported = new LinkedHashMap<>();
        List<CodecDecision> mismatched = new ArrayList<>();
        Map<CodecDecision, String> why = new LinkedHashMap<>();
        for (CodecDecision d : written) {
            try {
                LoadedEndpoint loaded = pbx.endpoint(d.endpoint());
                reported.put(d, loaded.codecs());
                String differs = differs(loaded, d);
                if (differs != null) {
                    mismatched.add(d);
                    why.put(d, "Asterisk reports " + differs + " after the reload");
                }
            } catch (PbxException e) {
                mismatched.add(d);
                why.put(d, "could not verify: " + e.getMessage());
            }
        }
        if (mismatched.isEmpty()) {
            written.forEach(d -> results.add(result(d, Status.APPLIED, reported.get(d), null)));
            report(inPlace, reportUnchanged, results);
            return;
        }
        String restored = restore(backups);
        LOG.warnf("pbx %s: %d of %d endpoint(s) did not verify (first: %s); %s", pbxId, mismatched.size(), written.size(),
                why.get(mismatched.get(0)), restored);
        mismatched.forEach(d -> results.add(result(d, Status.ROLLED_BACK, reported.getOrDefault(d, List.of()),
                why.get(d) + "; " + restored)));
        List<CodecDecision> rest = new ArrayList<>(written);
        rest.removeAll(mismatched);
        if (firstRound && !rest.isEmpty()) {
            // The others verified: apply them again without the endpoints Asterisk did not take.
            round(rest, false, false, reloadInPlace, results);
        } else {
            rest.forEach(d -> results.add(result(d, Status.ROLLED_BACK, reported.get(d), "rolled back with its batch; " + restored)));
        }
        report(inPlace, reportUnchanged, results);
    }

    /**
     * Reconciliation: compares each of {@code desired} (the latest decision per endpoint) with the files and with what
     * Asterisk reports, and applies the ones that differ again in one batch (one write per file, one reload, then the
     * usual verification and rollback). Each repaired endpoint is reported {@code DRIFT_REPAIRED} with what was found
     * ({@link ConfigApplied.Drift}); endpoints no longer in the files are not managed any more and are skipped. An
     * unreachable Asterisk ends the check: the next (re)connect starts another.
     */
    public synchronized List<ConfigApplied> repair(List<CodecDecision> desired, String trigger) {
        if (desired.isEmpty()) {
            return List.of();
        }
        List<ConfigApplied> results = new ArrayList<>();
        lock.lock();
        try {
            Map<UUID, ConfigApplied.Drift> drift = new LinkedHashMap<>();
            List<CodecDecision> drifted = new ArrayList<>();
            PjsipConfig config = PjsipConfig.load(dir, mainFile);
            for (CodecDecision d : desired) {
                if (config.find(d.endpoint(), "endpoint").isEmpty()) {
                    continue;
                }
                boolean filesRight = config.alreadyApplied(d.endpoint(), d.codecs(), prefs);
                List<String> loaded = List.of();
                boolean asteriskRight = true;
                if (pbx.configured()) {
                    try {
                        LoadedEndpoint endpoint = pbx.endpoint(d.endpoint());
                        loaded = PjsipConfig.audioOnly(endpoint.codecs());
                        asteriskRight = differs(endpoint, d) == null;
                    } catch (PbxUnreachableException e) {
                        throw e;
                    } catch (PbxException e) {
                        // Defined in the files but not loaded: applying it again is the repair.
                        asteriskRight = false;
                    }
                }
                if (!filesRight || !asteriskRight) {
                    List<String> inFiles = config.audioAllow(d.endpoint());
                    LOG.warnf("pbx %s: drift on endpoint %s (found on %s): files %s, Asterisk %s, desired %s (decision %s); "
                            + "applying it again", pbxId, d.endpoint(), trigger, inFiles, pbx.configured() ? loaded : "not asked",
                            d.codecs(), d.decisionId());
                    drift.put(d.decisionId(), new ConfigApplied.Drift(inFiles, loaded, d.codecs(), trigger));
                    drifted.add(d);
                }
            }
            if (drifted.isEmpty()) {
                return List.of();
            }
            round(drifted, false, true, true, results);
            List<ConfigApplied> reported = new ArrayList<>();
            for (ConfigApplied r : results) {
                meters.counter("vbo.writer.applies", "pbx", pbxId, "status", r.status().name()).increment();
                boolean repaired = r.status() == Status.APPLIED;
                if (repaired) {
                    meters.counter("vbo.writer.drift.repaired", "pbx", pbxId).increment();
                }
                reported.add(new ConfigApplied(r.schema(), r.decisionId(), r.pbxId(), r.endpoint(),
                        repaired ? Status.DRIFT_REPAIRED : r.status(), r.codecsReported(),
                        repaired ? r.error() : "drift repair: " + r.error(), r.appliedAt(), drift.get(r.decisionId())));
            }
            return reported;
        } catch (PbxUnreachableException e) {
            LOG.warnf("pbx %s: drift check (%s) stopped: %s", pbxId, trigger, e.getMessage());
            return results;
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "pbx %s: drift check (%s) failed", pbxId, trigger);
            return results;
        } finally {
            lock.unlock();
        }
    }

    private void reload() throws PbxException {
        reloads++;
        try {
            String words = pbx.reloadPjsip();
            meters.counter("vbo.writer.reloads", "pbx", pbxId, "outcome", "ok").increment();
            LOG.infof("pbx %s: %s: %s", pbxId, PbxClient.RELOAD_COMMAND, words);
        } catch (PbxException e) {
            meters.counter("vbo.writer.reloads", "pbx", pbxId, "outcome",
                    e instanceof PbxUnreachableException ? "unreachable" : "error").increment();
            throw e;
        }
    }

    /** Puts every backup back and reloads once more; returns what happened, for the report. */
    private String restore(Map<Path, Path> backups) {
        try {
            for (Map.Entry<Path, Path> b : backups.entrySet()) {
                writer.restore(b.getValue(), b.getKey());
            }
        } catch (IOException e) {
            LOG.errorf(e, "pbx %s: RESTORING THE BACKUPS FAILED; backups are in %s", pbxId, backups.values());
            return "restoring the backups failed: " + e.getMessage();
        }
        try {
            reload();
            return "old files restored and reloaded";
        } catch (PbxException e) {
            return "old files restored, but the reload after restoring failed: " + e.getMessage();
        }
    }

    /** Decisions already in the files: nothing written or reloaded; checked against Asterisk when asked to report. */
    private void report(List<CodecDecision> inPlace, boolean reportUnchanged, List<ConfigApplied> results) {
        if (!reportUnchanged) {
            return;
        }
        for (CodecDecision d : inPlace) {
            if (!pbx.configured()) {
                results.add(result(d, Status.APPLIED, List.of(), "already in the files; no Asterisk configured"));
                continue;
            }
            try {
                LoadedEndpoint loaded = pbx.endpoint(d.endpoint());
                String differs = differs(loaded, d);
                results.add(differs == null ? result(d, Status.APPLIED, loaded.codecs(), null)
                        : result(d, Status.FAILED, loaded.codecs(), "in the files, but Asterisk reports " + differs));
            } catch (PbxException e) {
                results.add(result(d, Status.FAILED, List.of(), "in the files; could not verify: " + e.getMessage()));
            }
        }
    }

    /**
     * What Asterisk reports differently from what was written, or null. Video codecs kept on the endpoint are not
     * the decision's: only the audio part is compared.
     */
    private String differs(LoadedEndpoint loaded, CodecDecision d) {
        List<String> audio = PjsipConfig.audioOnly(loaded.codecs());
        if (!audio.equals(d.codecs())) {
            return audio + ", expected " + d.codecs();
        }
        if (!loaded.outgoingCallOfferPref().equals(prefs.outgoing())) {
            return OfferPrefs.OUTGOING_KEY + "=" + loaded.outgoingCallOfferPref() + ", expected " + prefs.outgoing();
        }
        if (!loaded.incomingCallOfferPref().equals(prefs.incoming())) {
            return OfferPrefs.INCOMING_KEY + "=" + loaded.incomingCallOfferPref() + ", expected " + prefs.incoming();
        }
        return null;
    }

    private ConfigApplied result(CodecDecision d, Status status, List<String> codecs, String error) {
        return new ConfigApplied(ConfigApplied.SCHEMA, d.decisionId(), pbxId, d.endpoint(), status, codecs,
                Validate.clip(error, Validate.MAX_TEXT), clock.instant());
    }
}
