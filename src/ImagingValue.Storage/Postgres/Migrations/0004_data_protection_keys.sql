-- The web host's data-protection keys (cookies, antiforgery), shared by every serve instance on the database. The
-- XML is encrypted by the host when it is given a certificate (--key-certificate), else stored as made.
CREATE TABLE data_protection_keys (
    key_seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name    text NOT NULL UNIQUE,
    xml     text NOT NULL
);
