/**
 * The PostgreSQL schema: table for table, column for column and index for
 * index the same as the SQLite one (src/db/schema.ts), so one store interface
 * reads the same rows from either (docs/architecture.md, "Two schemas").
 * Types: ms timestamps are bigint read as numbers, ids are identity columns,
 * booleans are booleans; enums stay text, as in SQLite. What drizzle-kit
 * cannot express is hand-written in migration 0001: the `firms.live_licences`
 * triggers and the accent- and case-folding search (`fold()`, trigram indexes).
 * Change both schemas together; `test/pg/schema-parity.test.ts` compares them.
 */
import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

/** Milliseconds since the epoch: a 64-bit integer, read as a JS number (exact up to 2^53), as in SQLite. */
const ms = (name: string) => bigint(name, { mode: "number" });

/**
 * A row id. "By default" rather than "always", so `db:copy` can insert the
 * SQLite ids as they are (then moves each sequence past the largest id).
 */
const id = () => integer("id").primaryKey().generatedByDefaultAsIdentity();

export const firms = pgTable(
  "firms",
  {
    id: id(),
    name: text("name").notNull(),
    /** not_requested | pending | active | rejected | revoked */
    activationState: text("activation_state", {
      enum: ["not_requested", "pending", "active", "rejected", "revoked"],
    })
      .notNull()
      .default("not_requested"),
    activationChangedAt: ms("activation_changed_at"),
    createdAt: ms("created_at").notNull(),
    /**
     * How many live (not deleted) licences the firm has, kept by triggers on
     * `licences` in the same transaction as the change (PL/pgSQL, migration 0001), so a
     * list page never counts a whole firm.
     */
    liveLicences: integer("live_licences").notNull().default(0),
  },
  (t) => [index("firms_name").on(t.name)],
);

/** The chat workspaces (Slack team / Grid org, Teams tenant) that identify a firm. */
export const workspaces = pgTable(
  "workspaces",
  {
    id: id(),
    firmId: integer("firm_id")
      .notNull()
      .references(() => firms.id),
    platform: text("platform", { enum: ["slack", "teams"] }).notNull(),
    externalId: text("external_id").notNull(),
    name: text("name"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("workspaces_platform_external").on(t.platform, t.externalId),
    index("workspaces_firm").on(t.firmId),
  ],
);

export const activationRequests = pgTable(
  "activation_requests",
  {
    id: id(),
    firmId: integer("firm_id")
      .notNull()
      .references(() => firms.id),
    platform: text("platform", { enum: ["slack", "teams"] }).notNull(),
    requesterId: text("requester_id").notNull(),
    requesterName: text("requester_name"),
    requesterLocale: text("requester_locale").notNull().default("es"),
    message: text("message").notNull(),
    status: text("status", { enum: ["pending", "approved", "rejected"] }).notNull(),
    decidedBy: text("decided_by"),
    decidedByName: text("decided_by_name"),
    decidedByPlatform: text("decided_by_platform", { enum: ["slack", "teams"] }),
    decidedAt: ms("decided_at"),
    reason: text("reason"),
    /** Opaque reference of the message in the support channel (JSON). */
    supportRef: text("support_ref"),
    /** Opaque reference to reach the requester where they asked (JSON). */
    requesterRef: text("requester_ref"),
    /**
     * When an instance took the job of posting this request to support (a
     * lease, so that several instances never post it twice; docs/architecture.md,
     * "Several instances"). Null once posted, or never claimed.
     */
    supportClaimedAt: ms("support_claimed_at"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("activation_requests_one_pending").on(t.firmId).where(sql`status = 'pending'`),
    index("activation_requests_status").on(t.status, t.id),
    index("activation_requests_firm").on(t.firmId, t.status),
  ],
);

export const clients = pgTable(
  "clients",
  {
    id: id(),
    firmId: integer("firm_id")
      .notNull()
      .references(() => firms.id),
    taxId: text("tax_id").notNull(),
    name: text("name").notNull(),
    contactPerson: text("contact_person"),
    email: text("email"),
    phone: text("phone"),
    notes: text("notes"),
    selfManaged: boolean("self_managed").notNull().default(false),
    /** When "gestiona sus propias notificaciones" was last ticked (null while it is not). */
    selfManagedAt: ms("self_managed_at"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  // Search also has trigram indexes on fold(name) and fold(email), hand-written in migration 0001.
  (t) => [
    uniqueIndex("clients_firm_tax_id").on(t.firmId, t.taxId),
    index("clients_firm_name").on(t.firmId, t.name),
    index("clients_self_managed").on(t.firmId, t.id).where(sql`self_managed = true`),
  ],
);

export const licences = pgTable(
  "licences",
  {
    id: id(),
    firmId: integer("firm_id")
      .notNull()
      .references(() => firms.id),
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id),
    /** Canonical form, 20 characters without hyphens; never reused. */
    number: text("number").notNull().unique(),
    state: text("state", { enum: ["active", "deactivated"] })
      .notNull()
      .default("active"),
    installationId: integer("installation_id"),
    linkedAt: ms("linked_at"),
    /** When the licence details were last sent ("Enviar datos de licencia"); the watch counts from it. */
    detailsSentAt: ms("details_sent_at"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
    deletedAt: ms("deleted_at"),
  },
  (t) => [
    uniqueIndex("licences_one_per_client").on(t.clientId).where(sql`deleted_at IS NULL`),
    // A partial index cannot serve the foreign-key checks on client_id: this one does.
    index("licences_client").on(t.clientId),
    index("licences_firm_id").on(t.firmId, t.id),
    index("licences_unactivated")
      .on(t.firmId, t.detailsSentAt)
      .where(sql`deleted_at IS NULL AND installation_id IS NULL AND state = 'active'`),
    index("licences_deactivated").on(t.firmId).where(sql`deleted_at IS NULL AND state = 'deactivated'`),
  ],
);

export const installations = pgTable(
  "installations",
  {
    id: id(),
    licenceId: integer("licence_id")
      .notNull()
      .references(() => licences.id),
    /** The hash the desktop app computes for its machine. */
    installationKey: text("installation_key").notNull(),
    /** SHA-256 of the secret token handed to the app. */
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: ms("created_at").notNull(),
    lastSeenAt: ms("last_seen_at"),
    unlinkedAt: ms("unlinked_at"),
  },
  (t) => [
    index("installations_licence").on(t.licenceId),
    // An installation binds once: at most one live installation per licence, whatever the storage.
    uniqueIndex("installations_one_live").on(t.licenceId).where(sql`unlinked_at IS NULL`),
  ],
);

export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    firmId: integer("firm_id")
      .notNull()
      .references(() => firms.id),
    clientId: integer("client_id")
      .notNull()
      .references(() => clients.id),
    /** The administration's reference. */
    externalId: text("external_id").notNull(),
    organismo: text("organismo").notNull(),
    asunto: text("asunto").notNull(),
    fechaPuestaDisposicion: ms("fecha_puesta_disposicion").notNull(),
    fechaMaxLectura: ms("fecha_max_lectura"),
    estado: text("estado").notNull(),
    /** Handled by the client itself (autogestionada). */
    selfManaged: boolean("self_managed").notNull().default(false),
    handledAt: ms("handled_at"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("notifications_firm_external").on(t.firmId, t.externalId),
    // The list, newest first (walked backwards); one client's list (firm_id in the key so the planner
    // prefers it to the firm's), which also serves the foreign-key check on client_id.
    index("notifications_firm_date").on(t.firmId, t.fechaPuestaDisposicion),
    index("notifications_client_date").on(t.clientId, t.firmId, t.fechaPuestaDisposicion),
    index("notifications_open_deadline").on(t.firmId, t.fechaMaxLectura).where(sql`handled_at IS NULL`),
  ],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: id(),
    firmId: integer("firm_id")
      .notNull()
      .references(() => firms.id),
    action: text("action").notNull(),
    licenceId: integer("licence_id"),
    clientId: integer("client_id"),
    requestId: integer("request_id"),
    actorPlatform: text("actor_platform").notNull(),
    actorId: text("actor_id").notNull(),
    details: text("details"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    // History by (licence, time) and (client, time); firm_id in the key makes it the index a
    // history query (which filters by firm too) is sure to use, rather than the firm's whole trail.
    index("audit_licence_trail").on(t.licenceId, t.firmId, t.id),
    index("audit_client_trail").on(t.clientId, t.firmId, t.id),
    index("audit_firm").on(t.firmId, t.id),
  ],
);

/** Opaque references to reach a person or a conversation later (e.g. Teams conversation references). */
export const storedRefs = pgTable(
  "stored_refs",
  {
    kind: text("kind").notNull(),
    key: text("key").notNull(),
    value: text("value").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.key] })],
);

/** Slack OAuth installations (many-workspace mode). */
export const slackInstallations = pgTable("slack_installations", {
  /** "E:<enterprise id>" for org-wide installs, else "T:<team id>". */
  key: text("key").primaryKey(),
  teamId: text("team_id"),
  enterpriseId: text("enterprise_id"),
  installation: text("installation").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

/** Failed-attempt counters of the client API, shared by every instance. */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: ms("window_start").notNull(),
  count: integer("count").notNull(),
});

/**
 * Slack requests already seen (signatures, event ids), so that the same
 * signed bytes are processed once by every instance. Rows expire with the
 * signature's 5-minute window; expired ones are purged on the next insert.
 */
export const seenRequests = pgTable(
  "seen_requests",
  {
    key: text("key").primaryKey(),
    expiresAt: ms("expires_at").notNull(),
  },
  (t) => [index("seen_requests_expires").on(t.expiresAt)],
);

/**
 * What the daily watch told a firm about (docs/architecture.md, "The daily
 * watch"): one row per item, so an item is not repeated unless it changed
 * (`signature`), and a firm can mute it.
 */
export const watchItems = pgTable(
  "watch_items",
  {
    firmId: integer("firm_id")
      .notNull()
      .references(() => firms.id),
    /** "unactivated:<licence id>", "silent:<licence id>", "deadline:<notification id>". */
    itemKey: text("item_key").notNull(),
    /** What the item said when last sent (e.g. the days left); a change sends it again. */
    signature: text("signature").notNull(),
    lastSentAt: ms("last_sent_at").notNull(),
    mutedAt: ms("muted_at"),
    mutedBy: text("muted_by"),
  },
  (t) => [primaryKey({ columns: [t.firmId, t.itemKey] })],
);

/** One watch per firm and day (Europe/Madrid): the row is claimed before anything is sent. */
export const watchRuns = pgTable(
  "watch_runs",
  {
    firmId: integer("firm_id")
      .notNull()
      .references(() => firms.id),
    /** YYYY-MM-DD in Europe/Madrid. */
    day: text("day").notNull(),
    claimedAt: ms("claimed_at").notNull(),
    /** How many messages were sent; null while the run is under way. */
    sent: integer("sent"),
  },
  (t) => [primaryKey({ columns: [t.firmId, t.day] })],
);

/** Single-use links to a firm's CSV export, valid for a few minutes. */
export const exportLinks = pgTable("export_links", {
  /** SHA-256 of the secret in the link. */
  tokenHash: text("token_hash").primaryKey(),
  firmId: integer("firm_id")
    .notNull()
    .references(() => firms.id),
  platform: text("platform", { enum: ["slack", "teams"] }).notNull(),
  userId: text("user_id").notNull(),
  locale: text("locale").notNull().default("es"),
  expiresAt: ms("expires_at").notNull(),
  usedAt: ms("used_at"),
  createdAt: ms("created_at").notNull(),
});
