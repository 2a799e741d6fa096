-- 0002: for related() at scale. The planner's statistics keep the 10,000 most common
-- lexemes of the tsvector (stats target 1000; the default keeps 1,000), from which a
-- query estimates how many items each of its terms matches and keeps its rarest terms.
ALTER TABLE items ALTER COLUMN tsv SET STATISTICS 1000;
