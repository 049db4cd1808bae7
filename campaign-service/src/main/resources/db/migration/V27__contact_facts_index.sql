-- Audience counts (issue 15, BENCHMARKS.md "Audiences"): a filter driven by a tag, an attribute or a
-- campaign's recipients finds contact ids in those tables' indexes, then has to read each contact's
-- opt-in, country and number hash. Read from the clustered row that is one random page per contact
-- (rows carry names and attribute JSON; 1M contacts are ~220 MB). This narrow covering index holds the
-- same facts in id order, ~4x smaller, so those probes and a scan of all contacts stay in memory.
-- AudienceQuery names it (FORCE INDEX) where the contacts are reached by id: for a unique id MariaDB
-- and MySQL otherwise always probe the primary key.
ALTER TABLE contacts ADD KEY ix_contacts_facts (id, opt_in_source, country, phone_hash);
