-- What each direction's capacity window holds (model.CapacityKind): ladder estimates and TCP capacities are never
-- mixed in one median. Null for rows saved before: their windows hold TCP values (the only kind there was).
alter table endpoint_state add column downlink_kind text, add column uplink_kind text;

-- A ladder's steps (ProbeResult.ladder: K, every run's codecs, rate, loss, jitter, delay growth and verdict, and the
-- highest rate that passed), so the history shows why a ladder decided what it did. Null for every other protocol.
alter table measurement add column ladder jsonb;
