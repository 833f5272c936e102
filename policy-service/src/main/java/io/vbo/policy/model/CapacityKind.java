package io.vbo.policy.model;

/**
 * What one direction's capacity window holds, from the last capacity result in that direction. A ladder answers the
 * policy's question (does the link carry K calls of a tier's codec) and TCP measures the link's capacity, reading
 * 10–28 % low on thin links: the two are never mixed in one median. A TCP result right after a ladder is a capacity
 * figure (an operator's on-demand probe, or {@code ladder,tcp} profiles): stored in the history, not used to decide.
 * A second TCP result in a row means the probe profile is TCP now, and TCP decides again.
 */
public enum CapacityKind {
    /** The window holds ladder estimates. */
    LADDER,
    /** The window holds ladder estimates; the last result was a TCP figure kept out of it. */
    LADDER_THEN_TCP,
    /** The window holds TCP capacities. */
    TCP
}
