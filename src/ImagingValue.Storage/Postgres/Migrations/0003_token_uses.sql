-- JWT ids of accepted CDS Hooks calls, shared by every instance serving the workspace: a token is accepted once.
-- Kept until the token expires (expires_at, an instant as text like the other tables' instants), then purged.
CREATE TABLE cds_token_uses (
    issuer     text NOT NULL,
    jti        text NOT NULL,
    expires_at text COLLATE "C" NOT NULL,
    PRIMARY KEY (issuer, jti)
);

CREATE INDEX cds_token_uses_expiry ON cds_token_uses (expires_at);
