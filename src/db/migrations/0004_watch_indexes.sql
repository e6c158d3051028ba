CREATE INDEX `clients_self_managed` ON `clients` (`firm_id`,`id`) WHERE self_managed = 1;--> statement-breakpoint
CREATE INDEX `licences_unactivated` ON `licences` (`firm_id`,`details_sent_at`) WHERE deleted_at IS NULL AND installation_id IS NULL AND state = 'active';--> statement-breakpoint
CREATE INDEX `licences_deactivated` ON `licences` (`firm_id`) WHERE deleted_at IS NULL AND state = 'deactivated';--> statement-breakpoint
CREATE INDEX `notifications_open_deadline` ON `notifications` (`firm_id`,`fecha_max_lectura`) WHERE handled_at IS NULL;