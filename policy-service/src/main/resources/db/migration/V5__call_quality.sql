-- Real calls (vbo.call-quality, issue 11). Both tables are keyed by the contract's idempotency key
-- (uniqueId#sequence, per PBX since Asterisk unique ids are only unique within one PBX): a redelivered message is
-- stored once.

-- One RTCP report of one phone's leg; the bulk of the topic (≈ one every 5 s per call and direction).
create table call_sample (
    pbx_id           text             not null,
    unique_id        text             not null,
    sequence         bigint           not null,
    endpoint         text             not null,
    call_id          text             not null,
    channel          text             not null,
    codec            text,
    direction        text             not null,
    fraction_lost    integer          not null,
    cumulative_lost  bigint           not null,
    highest_sequence bigint           not null,
    packets          bigint,
    jitter_rtp       bigint           not null,
    jitter_ms        double precision,
    rtt_ms           double precision,
    mes              double precision,
    at               timestamptz      not null,
    stored_at        timestamptz      not null default now(),
    constraint call_sample_pk primary key (pbx_id, unique_id, sequence)
);
-- Rows arrive in time order: BRIN serves retention for almost no write cost.
create index call_sample_at_brin on call_sample using brin (at);

-- One finished call on the phone's leg, with the policy's verdict on it (GOOD, BAD, NEUTRAL) and the MOS it computed.
create table call_summary (
    pbx_id                text             not null,
    unique_id             text             not null,
    sequence              bigint           not null,
    endpoint              text             not null,
    call_id               text             not null,
    channel               text             not null,
    codec                 text,
    duration_ms           bigint           not null,
    media_path            text             not null,
    reports               integer          not null,
    packets               bigint,
    downlink_loss_percent double precision,
    uplink_loss_percent   double precision,
    loss_percent          double precision,
    mean_jitter_ms        double precision,
    max_jitter_ms         double precision,
    rtt_ms                double precision,
    mos                   double precision,
    hangup_cause          integer,
    verdict               text             not null,
    policy_mos            double precision,
    ended_at              timestamptz      not null,
    stored_at             timestamptz      not null default now(),
    constraint call_summary_pk primary key (pbx_id, unique_id, sequence)
);
-- An endpoint's calls in keyset order (ended_at, unique_id), and per-PBX time ranges / retention.
create index call_summary_endpoint_time on call_summary (pbx_id, endpoint, ended_at, unique_id);
create index call_summary_ended_brin on call_summary using brin (ended_at);

-- What calls say about an endpoint's tier (see docs/decisions.md, "Call evidence").
alter table endpoint_state
    add column passive    boolean not null default false,
    add column bad_calls  integer not null default 0,
    add column good_calls integer not null default 0,
    add column call_tier  text,
    add column call_cap   text;
