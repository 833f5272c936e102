-- Sites (docs/sites.md): phones sharing one uplink share one budget.

-- Which site discovery placed an endpoint in (EndpointObserved.site); an endpoint without a row is a site of its own.
create table site_member (
    pbx_id      text        not null,
    endpoint    text        not null,
    site        text        not null,
    observed_at timestamptz not null,
    constraint site_member_pk primary key (pbx_id, endpoint)
);
create index site_member_site on site_member (pbx_id, site);

-- The call-admission limit last decided per site (the latest SiteLimit, as published on vbo.site-limits).
create table site_limit (
    pbx_id            text        not null,
    site              text        not null,
    endpoints         text        not null,
    tier              text        not null,
    codec             text        not null,
    per_call_bps      bigint      not null,
    capacity_bps      bigint      not null,
    max_calls         integer     not null,
    concurrent_calls  integer     not null,
    concurrent_source text        not null,
    decided_at        timestamptz not null,
    published_at      timestamptz,
    constraint site_limit_pk primary key (pbx_id, site)
);

-- History: a decision made for a site's shared uplink names the site.
alter table decision add column site text;
