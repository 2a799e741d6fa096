-- 0001: what the desk has briefed, and its full-text index (FTS5, BM25 ranking).
CREATE TABLE items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused after a delete (as BIGSERIAL)
    published TEXT NOT NULL,          -- ISO date the story is dated
    added TEXT NOT NULL,              -- ISO timestamp it was stored
    headline TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    english TEXT NOT NULL,
    original TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    source TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    entities TEXT NOT NULL DEFAULT '[]'  -- JSON list of names, where known
);
CREATE INDEX items_published ON items (published);
CREATE VIRTUAL TABLE items_text USING fts5(
    headline, english, entities, content='items', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
    INSERT INTO items_text (rowid, headline, english, entities)
    VALUES (new.id, new.headline, new.english, new.entities);
END;
CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
    INSERT INTO items_text (items_text, rowid, headline, english, entities)
    VALUES ('delete', old.id, old.headline, old.english, old.entities);
END;
