package io.vbo.policy.model;

import java.util.List;
import java.util.TreeSet;

/**
 * What a decision for one endpoint must respect besides the link.
 *
 * @param ceiling            the endpoint's own allowed codecs, {@code null} while unknown
 * @param ceilingSource      who set the ceiling ({@code FILE}, {@code USERS}, {@code ADMIN}), {@code null} while unknown
 * @param transcodable       the PBX's transcodable codecs, sorted
 * @param assumed            whether {@code transcodable} is the configured default (no capabilities received yet)
 * @param transcodableOrigin where the set comes from, for the reason text
 * @param passThrough        codecs the administrator lets through untranscoded on this PBX
 */
public record Inputs(List<String> ceiling, String ceilingSource, List<String> transcodable, boolean assumed,
        String transcodableOrigin, List<String> passThrough) {
    public Inputs {
        ceiling = ceiling == null ? null : List.copyOf(ceiling);
        transcodable = List.copyOf(transcodable);
        passThrough = passThrough == null ? List.of() : List.copyOf(passThrough);
    }

    /** Whether a call on this codec can be bridged: transcodable, or passed through by the administrator's choice. */
    public boolean usable(String codec) {
        return transcodable.contains(codec) || passThrough.contains(codec);
    }

    /** The transcodable set used for the decision: transcodable ∪ pass-through, sorted. */
    public List<String> used() {
        TreeSet<String> all = new TreeSet<>(transcodable);
        all.addAll(passThrough);
        return List.copyOf(all);
    }
}
