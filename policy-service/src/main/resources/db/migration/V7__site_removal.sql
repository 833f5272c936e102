-- A site that lost its last member (docs/sites.md): its limit row stays, marked, until the broker took the tombstone
-- (null value) for its key on vbo.site-limits; then the row is deleted.
alter table site_limit add column removed boolean not null default false;
