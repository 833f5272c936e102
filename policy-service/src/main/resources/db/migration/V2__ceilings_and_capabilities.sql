-- What each PBX can transcode (the latest vbo.pbx-capabilities message per PBX).
create table pbx_capabilities (
    pbx_id       text        not null primary key,
    transcodable text        not null,
    source       text        not null,
    reported_by  text        not null,
    observed_at  timestamptz not null,
    received_at  timestamptz not null default now()
);

-- Each endpoint's ceiling: the most it may be allowed (its own allow list, or what an administrator set).
create table endpoint_ceiling (
    pbx_id      text        not null,
    endpoint    text        not null,
    codecs      text        not null,
    source      text        not null,
    recorded_at timestamptz not null,
    recorded_by text,
    updated_at  timestamptz not null default now(),
    primary key (pbx_id, endpoint)
);

-- Every change of a ceiling, with who made it and when; never updated.
create table ceiling_history (
    id              bigint generated always as identity primary key,
    pbx_id          text        not null,
    endpoint        text        not null,
    codecs          text        not null,
    previous_codecs text,
    source          text        not null,
    recorded_at     timestamptz not null,
    recorded_by     text,
    received_at     timestamptz not null default now()
);
create index ceiling_history_endpoint on ceiling_history (pbx_id, endpoint, id desc);

-- What the last evaluation of an endpoint used and left out, and why nothing may be published.
alter table endpoint_state
    add column no_codec_fits boolean not null default false,
    add column transcodable  text,
    add column excluded      text    not null default '[]',
    add column note          text;

-- Decisions carry the ceiling, the transcodable set and the exclusions (JSON) they were made with.
alter table decision
    add column ceiling       text,
    add column transcodable  text,
    add column excluded      text    not null default '[]',
    add column no_codec_fits boolean not null default false;
