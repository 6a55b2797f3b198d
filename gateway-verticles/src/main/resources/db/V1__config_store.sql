-- Tollgate config store, schema version 1 (docs/control-plane.md).
-- The global config version: one row; every write takes its lock (SELECT ... FOR UPDATE), so writes are
-- serialised and versions commit in order.
CREATE TABLE tollgate_config_version (
  id         smallint    PRIMARY KEY CHECK (id = 1),
  version    bigint      NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  -- hash of the newest audit entry, written with it: removing entries from the end is detectable
  audit_hash text        NOT NULL DEFAULT repeat('0', 64)
);
INSERT INTO tollgate_config_version (id, version) VALUES (1, 0);

-- Managed entities (services, routes, limits, consumers, apiKeys) as the JSON documents the Admin API takes.
-- position keeps declaration order (routes: specificity ties are broken by it).
CREATE TABLE tollgate_config_entity (
  kind     text   NOT NULL,
  id       text   NOT NULL,
  position bigserial,
  document jsonb  NOT NULL,
  version  bigint NOT NULL,
  PRIMARY KEY (kind, id)
);

-- Append-only audit log: each entry's hash is sha256(prev_hash || '\n' || entry), chained from 64 zeros.
CREATE TABLE tollgate_audit (
  seq       bigserial PRIMARY KEY,
  entry     text      NOT NULL,
  prev_hash text      NOT NULL,
  hash      text      NOT NULL
);

-- Transactional outbox: one row per config version, written in the same transaction as the change; the relay
-- publishes unsent rows in version order and marks them sent.
CREATE TABLE tollgate_outbox (
  version    bigint      PRIMARY KEY,
  payload    text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at    timestamptz
);
CREATE INDEX tollgate_outbox_unsent ON tollgate_outbox (version) WHERE sent_at IS NULL;
