ALTER TABLE `activation_requests` ADD `support_claimed_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `installations_one_live` ON `installations` (`licence_id`) WHERE unlinked_at IS NULL;