package io.vbo.policy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import io.vbo.policy.model.EndpointState;
import io.vbo.policy.model.Inputs;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.policy.repository.EndpointStateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/** Administrators' pins and on-request republishing; each change stores a decision and publishes it. */
@ApplicationScoped
public class PinService {
    private static final Logger LOG = Logger.getLogger(PinService.class);
    public static final String PINNED_TIER = "pinned";

    @Inject
    EndpointStates states;
    @Inject
    EndpointStateRepository repository;
    @Inject
    PolicyRuntime runtime;
    @Inject
    DecisionPublisher publisher;
    @Inject
    CapabilityService capabilities;

    /** Thrown for an endpoint that never sent a result. */
    public static class UnknownEndpointException extends RuntimeException {
        public UnknownEndpointException(String key) {
            super("no endpoint " + key + " has been measured");
        }
    }

    /** Pins the codecs; returns the decision. */
    public DecisionEntity pin(String pbxId, String endpoint, List<String> codecs, String by) {
        DecisionEntity d = change(pbxId, endpoint, s -> {
            String previous = s.pinned() ? PINNED_TIER : s.tier;
            s.pinCodecs = List.copyOf(codecs);
            return Optional.of(Decisions.create(pbxId, endpoint, PINNED_TIER, codecs, previous,
                    DecisionEntity.Cause.PIN, "pin", s.estimateBps, Map.of(), null,
                    "pinned by " + by + ": the policy leaves this endpoint alone until the pin is removed",
                    pinned(s)));
        }, by).orElseThrow();
        LOG.infof("%s pinned %s/%s to %s", by, pbxId, endpoint, codecs);
        return d;
    }

    /** Removes the pin; returns the policy's decision that replaces it, empty when there was no pin or no policy tier yet. */
    public Optional<DecisionEntity> unpin(String pbxId, String endpoint, String by) {
        Optional<DecisionEntity> d = change(pbxId, endpoint, s -> {
            if (!s.pinned()) {
                return Optional.empty();
            }
            s.pinCodecs = null;
            if (s.tier == null || s.codecs == null) {
                return Optional.empty();
            }
            return Optional.of(Decisions.create(pbxId, endpoint, s.tier, s.codecs, PINNED_TIER,
                    DecisionEntity.Cause.UNPIN, runtime.preset(), s.estimateBps, thresholds(s), s.mos,
                    "pin removed by " + by + ": back to the policy's tier " + s.tier, Decisions.Detail.of(s)));
        }, by);
        LOG.infof("%s unpinned %s/%s", by, pbxId, endpoint);
        return d;
    }

    /** Publishes the endpoint's current decision again, as a new decision; empty when nothing was decided yet. */
    public Optional<DecisionEntity> republish(String pbxId, String endpoint, String by) {
        return change(pbxId, endpoint, s -> {
            if (s.pinned()) {
                return Optional.of(Decisions.create(pbxId, endpoint, PINNED_TIER, s.pinCodecs, PINNED_TIER,
                        DecisionEntity.Cause.REQUEST, "pin", s.estimateBps, Map.of(), null,
                        "republished on request by " + by, pinned(s)));
            }
            if (s.tier == null || s.codecs == null) {
                return Optional.empty();
            }
            return Optional.of(Decisions.create(pbxId, endpoint, s.tier, s.codecs, s.tier,
                    DecisionEntity.Cause.REQUEST, runtime.preset(), s.estimateBps, thresholds(s), s.mos,
                    "republished on request by " + by, Decisions.Detail.of(s)));
        }, by);
    }

    /** A pin overrides the ceiling: none is reported, nothing is excluded. */
    private Decisions.Detail pinned(EndpointState s) {
        return new Decisions.Detail(List.of(), capabilities.inputs(s).used(), List.of(), false);
    }

    /** What the policy's tiers (seed) or the endpoint's candidate codecs (overhead-aware) need. */
    private Map<String, Long> thresholds(EndpointState s) {
        if (runtime.seedTiers() != null) {
            return runtime.seedTiers().thresholds();
        }
        Inputs in = capabilities.inputs(s);
        return in.ceiling() == null ? Map.of() : runtime.overhead().levels(in).needs();
    }

    private interface Mutation {
        Optional<DecisionEntity> apply(EndpointState s);
    }

    private Optional<DecisionEntity> change(String pbxId, String endpoint, Mutation mutation, String by) {
        String key = pbxId + "/" + endpoint;
        Optional<DecisionEntity> decision;
        states.lock().lock();
        try {
            decision = QuarkusTransaction.requiringNew().call(() -> {
                EndpointState s = states.get(Set.of(key), false).get(key);
                if (s == null) {
                    throw new UnknownEndpointException(key);
                }
                List<String> pinBefore = s.pinCodecs;
                Optional<DecisionEntity> d = mutation.apply(s);
                if (!Objects.equals(pinBefore, s.pinCodecs)) {
                    repository.setPin(pbxId, endpoint, s.pinCodecs, by);
                }
                d.ifPresent(made -> made.persist());
                return d;
            });
        } catch (RuntimeException e) {
            states.evict(List.of(key));
            throw e instanceof QuarkusTransactionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            states.lock().unlock();
        }
        decision.ifPresent(d -> publisher.publish(List.of(d)));
        return decision;
    }
}
