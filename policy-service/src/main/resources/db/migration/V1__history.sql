-- Every probe result, failures included. A redelivered result repeats its probe_id with the same endpoint and start
-- time, so the one key below both makes storing idempotent and orders an endpoint's history (keyset order
-- started_at, probe_id); one b-tree instead of two halves the index work of the ingest path.
create table measurement (
    probe_id        uuid             not null,
    pbx_id          text             not null,
    endpoint        text             not null,
    address         text             not null,
    direction       text             not null,
    protocol        text             not null,
    outcome         text             not null,
    bits_per_second bigint,
    retransmits     integer,
    jitter_ms       double precision,
    loss_percent    double precision,
    rtt_micros      bigint,
    duration_ms     bigint           not null,
    error           text,
    started_at      timestamptz      not null,
    stored_at       timestamptz      not null default now(),
    constraint measurement_pk primary key (pbx_id, endpoint, started_at, probe_id)
);
-- Rows arrive roughly in time order: a BRIN index serves retention and per-PBX time ranges for almost no write cost.
create index measurement_started_brin on measurement using brin (started_at);

-- The policy's view of each endpoint; the windows let a restart resume the estimator exactly.
create table endpoint_state (
    pbx_id               text             not null,
    endpoint             text             not null,
    status               text             not null,
    tier                 text,
    codecs               text,
    streak               integer          not null default 0,
    streak_tier          text,
    consecutive_failures integer          not null default 0,
    estimate_bps         bigint,
    downlink_bps         bigint,
    uplink_bps           bigint,
    loss_percent         double precision,
    jitter_ms            double precision,
    rtt_micros           bigint,
    mos                  double precision,
    downlink_window      double precision[] not null default '{}',
    uplink_window        double precision[] not null default '{}',
    loss_window          double precision[] not null default '{}',
    jitter_window        double precision[] not null default '{}',
    last_result_at       timestamptz,
    last_outcome         text,
    last_success_at      timestamptz,
    pin_codecs           text,
    pinned_by            text,
    pinned_at            timestamptz,
    updated_at           timestamptz      not null default now(),
    primary key (pbx_id, endpoint)
) with (fillfactor = 50);
-- Rewritten on nearly every result: free space in each page and no index on changing columns let PostgreSQL update
-- rows in place (HOT) instead of touching the index.

-- Every decision with its reason, whether it reached Kafka, and what the config writer reported.
create table decision (
    decision_id     uuid             not null primary key,
    pbx_id          text             not null,
    endpoint        text             not null,
    tier            text             not null,
    codecs          text             not null,
    previous_tier   text,
    cause           text             not null,
    preset          text             not null,
    estimate_bps    bigint,
    thresholds      text             not null,
    mos             double precision,
    reason          text             not null,
    decided_at      timestamptz      not null,
    published_at    timestamptz,
    applied_status  text,
    applied_at      timestamptz,
    applied_codecs  text,
    applied_error   text
);
create index decision_endpoint_time on decision (pbx_id, endpoint, decided_at desc);
create index decision_unpublished on decision (decided_at) where published_at is null;
