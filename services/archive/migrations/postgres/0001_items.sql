-- 0001: what the desk has briefed, and its full-text index (tsvector, GIN).
CREATE TABLE items (
    id BIGSERIAL PRIMARY KEY,
    published DATE NOT NULL,
    added TIMESTAMPTZ NOT NULL DEFAULT now(),
    headline TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    english TEXT NOT NULL,
    original TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    source TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    entities JSONB NOT NULL DEFAULT '[]',
    tsv TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', headline), 'A')
        || setweight(to_tsvector('simple', english), 'B')
        || setweight(to_tsvector('simple', entities::text), 'A')
    ) STORED
);
CREATE INDEX items_published ON items (published);
CREATE INDEX items_tsv ON items USING GIN (tsv);
