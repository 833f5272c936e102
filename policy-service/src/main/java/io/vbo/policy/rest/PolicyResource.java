package io.vbo.policy.rest;

import io.vbo.policy.config.PolicyConfig;
import io.vbo.policy.rest.Views.CodecView;
import io.vbo.policy.rest.Views.PolicyView;
import io.vbo.policy.rest.Views.TierView;
import io.vbo.policy.service.PolicyRuntime;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The policy in force. */
@Path("/api/v1/policy")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "policy")
public class PolicyResource {
    @Inject
    PolicyRuntime runtime;

    @GET
    @RolesAllowed({ "viewer", "admin" })
    @Operation(summary = "The active policy: preset, codec table with what each codec needs, quality order, "
            + "assumed transcodable set, pass-through codecs, hysteresis (tiers: seed-compatible only)")
    @APIResponse(responseCode = "200", description = "the policy")
    @APIResponse(responseCode = "401", description = "no or wrong credentials")
    public PolicyView policy() {
        PolicyConfig c = runtime.config();
        List<TierView> tiers = runtime.seedTiers() == null ? List.of() : runtime.seedTiers().tiers().stream()
                .map(t -> new TierView(t.name(), t.rank(), t.codecs(), t.thresholdBps(),
                        t.thresholdBps() == 0 && !t.strict() ? "always" : t.strict() ? ">" : ">="))
                .toList();
        return new PolicyView(runtime.preset(), c.utilisation(), c.expectedConcurrentCalls(), c.layer2Bytes(),
                c.estimator().window(), c.hysteresis().upgradeAfter(), c.hysteresis().margin(),
                c.hysteresis().unmeasuredAfter(), c.emodel().jitterBufferFactor(), c.retention().days(), tiers,
                runtime.codecs().all().values().stream().map(p -> new CodecView(p.name(), p.payloadBps(),
                        p.packetizationMs(), p.wireBps(c.layer2Bytes()), runtime.overhead().need(p), p.ie(), p.bpl()))
                        .toList(),
                runtime.overhead().qualityOrder(), runtime.assumedTranscodable(), runtime.passThrough());
    }
}
