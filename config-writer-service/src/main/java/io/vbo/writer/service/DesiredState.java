package io.vbo.writer.service;

import io.vbo.events.CodecDecision;
import io.vbo.events.ConfigApplied;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The desired state of this writer's PBX: the latest decision per endpoint (an administrator's pin is one), from the
 * start-up read of the compacted decisions topic and every live decision since. Drift is measured against it. A
 * decision Asterisk did not take (ROLLED_BACK) is left out of drift repairs until a newer decision replaces it:
 * applying it again would only reload and roll back once more.
 */
final class DesiredState {
    private final Map<String, CodecDecision> latest = new LinkedHashMap<>();
    private final Set<UUID> refused = new HashSet<>();

    /** Keeps each decision unless a later one (by {@code decidedAt}) is known; returns the latest of the given endpoints. */
    synchronized List<CodecDecision> merge(Collection<CodecDecision> decisions) {
        for (CodecDecision d : decisions) {
            CodecDecision known = latest.get(d.endpoint());
            if (known == null || !d.decidedAt().isBefore(known.decidedAt())) {
                latest.put(d.endpoint(), d);
            }
        }
        List<CodecDecision> current = new ArrayList<>();
        decisions.stream().map(CodecDecision::endpoint).distinct().forEach(e -> current.add(latest.get(e)));
        return current;
    }

    /** Notes which decisions Asterisk refused (and which it took since). */
    synchronized void record(Collection<ConfigApplied> results) {
        for (ConfigApplied r : results) {
            if (r.status() == ConfigApplied.Status.ROLLED_BACK) {
                refused.add(r.decisionId());
            } else if (r.status() == ConfigApplied.Status.APPLIED || r.status() == ConfigApplied.Status.DRIFT_REPAIRED) {
                refused.remove(r.decisionId());
            }
        }
    }

    /** The decisions a drift repair re-applies: the latest per endpoint, less those Asterisk refused. */
    synchronized List<CodecDecision> toRepair() {
        return latest.values().stream().filter(d -> !refused.contains(d.decisionId())).toList();
    }
}
