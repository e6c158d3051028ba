CREATE TABLE `export_links` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`firm_id` integer NOT NULL,
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`locale` text DEFAULT 'es' NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`firm_id`) REFERENCES `firms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `watch_items` (
	`firm_id` integer NOT NULL,
	`item_key` text NOT NULL,
	`signature` text NOT NULL,
	`last_sent_at` integer NOT NULL,
	`muted_at` integer,
	`muted_by` text,
	PRIMARY KEY(`firm_id`, `item_key`),
	FOREIGN KEY (`firm_id`) REFERENCES `firms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `watch_runs` (
	`firm_id` integer NOT NULL,
	`day` text NOT NULL,
	`claimed_at` integer NOT NULL,
	`sent` integer,
	PRIMARY KEY(`firm_id`, `day`),
	FOREIGN KEY (`firm_id`) REFERENCES `firms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `clients` ADD `self_managed_at` integer;--> statement-breakpoint
ALTER TABLE `licences` ADD `details_sent_at` integer;--> statement-breakpoint
-- Hand-written backfill: what the audit trail already knows (docs/architecture.md, "The handover").
UPDATE `licences` SET `details_sent_at` = (SELECT max(`created_at`) FROM `audit_events` WHERE `audit_events`.`licence_id` = `licences`.`id` AND `audit_events`.`action` = 'licence.detailsSent');--> statement-breakpoint
UPDATE `clients` SET `self_managed_at` = coalesce((SELECT max(`created_at`) FROM `audit_events` WHERE `audit_events`.`client_id` = `clients`.`id` AND `audit_events`.`action` = 'client.selfManagedSet'), `updated_at`) WHERE `self_managed` = 1;
