-- Hand-written (drizzle-kit knows no triggers, functions or extensions); see docs/architecture.md, "Two schemas".
-- Both extensions ship in Debian's postgresql-15 package (postgresql-contrib is only an alias of it) and are
-- "trusted": a database owner without superuser may create them.
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;--> statement-breakpoint
-- SQLite's fold() (src/db/search.ts): accents and case ignored, "García" = "garcia". unaccent() itself is only
-- STABLE (its dictionary could change); naming the dictionary makes this wrapper safe to mark IMMUTABLE, so an
-- expression index may use it. unaccent runs first: lower() then sees plain letters, in any collation.
CREATE FUNCTION public.fold(value text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;--> statement-breakpoint
-- buscar: `fold(column) LIKE '%text%'` on the client's name, e-mail and NIF, served by trigram indexes.
CREATE INDEX "clients_name_fold" ON "clients" USING gin (public.fold("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_email_fold" ON "clients" USING gin (public.fold(coalesce("email", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "clients_tax_id_fold" ON "clients" USING gin (public.fold("tax_id") gin_trgm_ops);--> statement-breakpoint
-- firms.live_licences follows every change of a licence's deleted_at (or firm), in the transaction of the
-- change, whoever writes it: SQLite's triggers of its migration 0002, in PL/pgSQL. The firm's row is locked
-- by the UPDATE until the transaction ends (docs/architecture.md, "Lock order").
CREATE FUNCTION public.licences_live_count() RETURNS trigger
	LANGUAGE plpgsql
	AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		IF OLD.deleted_at IS NULL THEN
			UPDATE firms SET live_licences = live_licences - 1 WHERE id = OLD.firm_id;
		END IF;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		IF NEW.deleted_at IS NULL THEN
			UPDATE firms SET live_licences = live_licences + 1 WHERE id = NEW.firm_id;
		END IF;
	END IF;
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "licences_live_insert" AFTER INSERT ON "licences"
	FOR EACH ROW WHEN (NEW.deleted_at IS NULL) EXECUTE FUNCTION public.licences_live_count();--> statement-breakpoint
CREATE TRIGGER "licences_live_delete" AFTER DELETE ON "licences"
	FOR EACH ROW WHEN (OLD.deleted_at IS NULL) EXECUTE FUNCTION public.licences_live_count();--> statement-breakpoint
CREATE TRIGGER "licences_live_update" AFTER UPDATE OF "deleted_at", "firm_id" ON "licences"
	FOR EACH ROW WHEN ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) OR OLD.firm_id <> NEW.firm_id)
	EXECUTE FUNCTION public.licences_live_count();--> statement-breakpoint
UPDATE "firms" SET "live_licences" = (SELECT count(*) FROM "licences" WHERE "licences"."firm_id" = "firms"."id" AND "licences"."deleted_at" IS NULL);
