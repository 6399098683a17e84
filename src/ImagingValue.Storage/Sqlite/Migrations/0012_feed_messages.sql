-- Messages of order and result feeds (HL7 v2). Every message is kept with its bytes, so each stored order can be
-- traced to the messages that made it: 'stored' (applied, or holding nothing for the workspace), 'refused' (content
-- wrong, kept for `hl7 replay`). A sender's control id is stored once: a resent message is acknowledged, not applied.
CREATE TABLE feed_messages (
    message_id   INTEGER PRIMARY KEY,
    sender       TEXT NOT NULL,
    control_id   TEXT NOT NULL,
    message_type TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('stored', 'refused')),
    reason       TEXT,
    raw          BLOB NOT NULL,
    import_id    INTEGER
);

CREATE UNIQUE INDEX feed_messages_one_per_control_id ON feed_messages (sender, control_id, outcome);

-- Order columns a feed gave only by a fallback (an order time taken from the message time), ';'-separated: a
-- message that gives a real value replaces them. Null for orders imported from files.
ALTER TABLE orders ADD COLUMN provisional TEXT;

-- Settings every command and service reads from the workspace: the site's time zone (`init --time-zone`).
CREATE TABLE workspace_settings (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
