CREATE TABLE `activation_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`firm_id` integer NOT NULL,
	`platform` text NOT NULL,
	`requester_id` text NOT NULL,
	`requester_name` text,
	`requester_locale` text DEFAULT 'es' NOT NULL,
	`message` text NOT NULL,
	`status` text NOT NULL,
	`decided_by` text,
	`decided_by_name` text,
	`decided_by_platform` text,
	`decided_at` integer,
	`reason` text,
	`support_ref` text,
	`requester_ref` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`firm_id`) REFERENCES `firms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `activation_requests_one_pending` ON `activation_requests` (`firm_id`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `activation_requests_status` ON `activation_requests` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`firm_id` integer NOT NULL,
	`action` text NOT NULL,
	`licence_id` integer,
	`client_id` integer,
	`request_id` integer,
	`actor_platform` text NOT NULL,
	`actor_id` text NOT NULL,
	`details` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`firm_id`) REFERENCES `firms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_licence` ON `audit_events` (`licence_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_client` ON `audit_events` (`client_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_firm` ON `audit_events` (`firm_id`,`id`);--> statement-breakpoint
CREATE TABLE `clients` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`firm_id` integer NOT NULL,
	`tax_id` text NOT NULL,
	`name` text NOT NULL,
	`contact_person` text,
	`email` text,
	`phone` text,
	`notes` text,
	`self_managed` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`firm_id`) REFERENCES `firms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clients_firm_tax_id` ON `clients` (`firm_id`,`tax_id`);--> statement-breakpoint
CREATE INDEX `clients_firm_name` ON `clients` (`firm_id`,`name`);--> statement-breakpoint
CREATE TABLE `firms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`activation_state` text DEFAULT 'not_requested' NOT NULL,
	`activation_changed_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `installations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`licence_id` integer NOT NULL,
	`installation_key` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer,
	`unlinked_at` integer,
	FOREIGN KEY (`licence_id`) REFERENCES `licences`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `installations_token_hash_unique` ON `installations` (`token_hash`);--> statement-breakpoint
CREATE INDEX `installations_licence` ON `installations` (`licence_id`);--> statement-breakpoint
CREATE TABLE `licences` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`firm_id` integer NOT NULL,
	`client_id` integer NOT NULL,
	`number` text NOT NULL,
	`state` text DEFAULT 'active' NOT NULL,
	`installation_id` integer,
	`linked_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`firm_id`) REFERENCES `firms`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `licences_number_unique` ON `licences` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `licences_one_per_client` ON `licences` (`client_id`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `licences_firm_id` ON `licences` (`firm_id`,`id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`firm_id` integer NOT NULL,
	`client_id` integer NOT NULL,
	`external_id` text NOT NULL,
	`organismo` text NOT NULL,
	`asunto` text NOT NULL,
	`fecha_puesta_disposicion` integer NOT NULL,
	`fecha_max_lectura` integer,
	`estado` text NOT NULL,
	`self_managed` integer DEFAULT false NOT NULL,
	`handled_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`firm_id`) REFERENCES `firms`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_firm_external` ON `notifications` (`firm_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `notifications_firm_client` ON `notifications` (`firm_id`,`client_id`,`fecha_puesta_disposicion`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `slack_installations` (
	`key` text PRIMARY KEY NOT NULL,
	`team_id` text,
	`enterprise_id` text,
	`installation` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stored_refs` (
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`kind`, `key`)
);
--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`firm_id` integer NOT NULL,
	`platform` text NOT NULL,
	`external_id` text NOT NULL,
	`name` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`firm_id`) REFERENCES `firms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspaces_platform_external` ON `workspaces` (`platform`,`external_id`);