-- JWT ids of accepted CDS Hooks calls, shared by every instance serving the workspace: a token is accepted once.
-- Kept until the token expires (expires_at, an instant as text), then purged.
CREATE TABLE cds_token_uses (
    issuer     TEXT NOT NULL,
    jti        TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (issuer, jti)
) WITHOUT ROWID;

CREATE INDEX cds_token_uses_expiry ON cds_token_uses (expires_at);
