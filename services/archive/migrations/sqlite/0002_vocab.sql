-- 0002: for related() at scale. How many items hold each indexed word (fts5vocab over
-- items_text; no storage of its own), so that a query can keep its rarest terms; and
-- each item's date in a narrow index, so that the date bound and the recency factor
-- of thousands of full-text matches read it without reading their rows.
CREATE VIRTUAL TABLE items_vocab USING fts5vocab(items_text, 'row');
CREATE INDEX items_day ON items (id, published);
