DROP INDEX `audit_licence`;--> statement-breakpoint
DROP INDEX `audit_client`;--> statement-breakpoint
CREATE INDEX `audit_licence_trail` ON `audit_events` (`licence_id`,`firm_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_client_trail` ON `audit_events` (`client_id`,`firm_id`,`id`);--> statement-breakpoint
DROP INDEX `notifications_firm_client`;--> statement-breakpoint
CREATE INDEX `notifications_firm_date` ON `notifications` (`firm_id`,`fecha_puesta_disposicion`);--> statement-breakpoint
CREATE INDEX `notifications_client_date` ON `notifications` (`client_id`,`firm_id`,`fecha_puesta_disposicion`);--> statement-breakpoint
ALTER TABLE `firms` ADD `live_licences` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `firms_name` ON `firms` (`name`);--> statement-breakpoint
CREATE INDEX `activation_requests_firm` ON `activation_requests` (`firm_id`,`status`);--> statement-breakpoint
CREATE INDEX `licences_client` ON `licences` (`client_id`);--> statement-breakpoint
CREATE INDEX `workspaces_firm` ON `workspaces` (`firm_id`);--> statement-breakpoint
-- Hand-written (drizzle-kit knows no triggers): firms.live_licences follows every change of a licence's
-- deleted_at, in the transaction of the change, whoever writes it (see docs/architecture.md, Storage).
UPDATE `firms` SET `live_licences` = (SELECT count(*) FROM `licences` WHERE `licences`.`firm_id` = `firms`.`id` AND `licences`.`deleted_at` IS NULL);--> statement-breakpoint
CREATE TRIGGER `licences_live_insert` AFTER INSERT ON `licences` WHEN NEW.`deleted_at` IS NULL
BEGIN
	UPDATE `firms` SET `live_licences` = `live_licences` + 1 WHERE `id` = NEW.`firm_id`;
END;--> statement-breakpoint
CREATE TRIGGER `licences_live_delete` AFTER DELETE ON `licences` WHEN OLD.`deleted_at` IS NULL
BEGIN
	UPDATE `firms` SET `live_licences` = `live_licences` - 1 WHERE `id` = OLD.`firm_id`;
END;--> statement-breakpoint
CREATE TRIGGER `licences_live_update` AFTER UPDATE OF `deleted_at`, `firm_id` ON `licences`
WHEN (OLD.`deleted_at` IS NULL) <> (NEW.`deleted_at` IS NULL) OR OLD.`firm_id` <> NEW.`firm_id`
BEGIN
	UPDATE `firms` SET `live_licences` = `live_licences` - 1 WHERE `id` = OLD.`firm_id` AND OLD.`deleted_at` IS NULL;
	UPDATE `firms` SET `live_licences` = `live_licences` + 1 WHERE `id` = NEW.`firm_id` AND NEW.`deleted_at` IS NULL;
END;
