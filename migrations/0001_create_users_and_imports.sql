CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`password_salt` text NOT NULL,
	`password_iterations` integer NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `s3_imports` (
	`source` text NOT NULL,
	`source_key` text NOT NULL,
	`source_etag` text NOT NULL,
	`size_bytes` integer,
	`r2_key` text NOT NULL,
	`ingestion_id` text,
	`imported_at` integer NOT NULL,
	PRIMARY KEY(`source`, `source_key`, `source_etag`)
);
--> statement-breakpoint
CREATE INDEX `s3_imports_time_idx` ON `s3_imports` (`imported_at`);