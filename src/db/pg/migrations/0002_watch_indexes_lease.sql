ALTER TABLE "activation_requests" ADD COLUMN "support_claimed_at" bigint;--> statement-breakpoint
CREATE INDEX "clients_self_managed" ON "clients" USING btree ("firm_id","id") WHERE self_managed = true;--> statement-breakpoint
CREATE UNIQUE INDEX "installations_one_live" ON "installations" USING btree ("licence_id") WHERE unlinked_at IS NULL;--> statement-breakpoint
CREATE INDEX "licences_unactivated" ON "licences" USING btree ("firm_id","details_sent_at") WHERE deleted_at IS NULL AND installation_id IS NULL AND state = 'active';--> statement-breakpoint
CREATE INDEX "licences_deactivated" ON "licences" USING btree ("firm_id") WHERE deleted_at IS NULL AND state = 'deactivated';--> statement-breakpoint
CREATE INDEX "notifications_open_deadline" ON "notifications" USING btree ("firm_id","fecha_max_lectura") WHERE handled_at IS NULL;