/**
 * Seeds the bench's database fast: the project's own migrations make the
 * schema (indexes included), then plain INSERTs through prepared statements,
 * a few thousand rows per transaction. No ANALYZE: the app gets the
 * statistics a production database has, i.e. those it gathers itself.
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { openDatabase } from "../src/db/open.ts";
import { generateLicenceNumber } from "../src/domain/licence-number.ts";
import { prng } from "../test/support/fuzz.ts";

export interface Scale {
  /** Licences of the largest firm. */
  big: number;
  /** Licences of the second firm (the 10k point of the flatness check). */
  mid: number;
  /** How many ordinary firms, and licences each (the 1k point). */
  smallFirms: number;
  small: number;
  /** Installations with a known token, in the largest firm (the client app's traffic). */
  tokens: number;
}

export const FULL: Scale = { big: 100_000, mid: 10_000, smallFirms: 890, small: 1000, tokens: 2000 };
export const QUICK: Scale = { big: 5000, mid: 1000, smallFirms: 20, small: 100, tokens: 200 };

/** The workspaces the bench acts from. */
export const WORKSPACES = {
  big: "T0BIG00001",
  mid: "T0MID00001",
  small: "T0SMALL001",
  /** The firm the Slack traffic comes from: its team id is what the fake auth.test answers. */
  slack: "T0BENCH001",
  slackName: "Asesoría Bench",
  /** The firm of the Teams traffic (emulator mode). */
  teams: "bench-tenant-0000-0000-000000000000",
  /** Licences of the Slack and Teams firms: what `/licencias lista` shows. */
  chatLicences: 50,
} as const;

export interface Seeded {
  licences: number;
  firms: number;
  /** Installation tokens of the largest firm, valid. */
  tokens: string[];
  /** A client of the largest firm with the oldest audit trail (its tax id). */
  historyTaxId: string;
  /** A client of an ordinary firm (its tax id), for the same query at 1k. */
  smallHistoryTaxId: string;
  ms: number;
}

const LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
/** A valid DNI from a number (mod 23 check letter). */
export function dni(n: number): string {
  return `${String(n).padStart(8, "0")}${LETTERS[n % 23]}`;
}

const SURNAMES = [
  "García",
  "Fernández",
  "González",
  "Rodríguez",
  "López",
  "Martínez",
  "Sánchez",
  "Pérez",
  "Gómez",
  "Martín",
  "Jiménez",
  "Ruiz",
  "Hernández",
  "Díaz",
  "Moreno",
  "Álvarez",
  "Muñoz",
  "Romero",
  "Alonso",
  "Gutiérrez",
  "Navarro",
  "Torres",
  "Domínguez",
  "Vázquez",
];
const KINDS = ["SL", "SA", "SLU", "SCP", "CB", "Asesores", "Consultores", "Hermanos"];

/** The token of installation i: 43 base64url characters, like the real ones. */
export function benchToken(i: number): string {
  return createHash("sha256").update(`bench-installation-${i}`).digest("base64url");
}

export function seed(path: string, scale: Scale): Seeded {
  const started = performance.now();
  // The schema is the project's own: open (and migrate) as the app does, then close.
  openDatabase(path).close();
  const db = new Database(path);
  // A bench database: nothing to recover after a crash, so no journal while seeding.
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");
  db.pragma("foreign_keys = OFF");

  const random = prng(13);
  const bytes = (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256);
    return out;
  };
  const name = () =>
    `${SURNAMES[Math.floor(random() * SURNAMES.length)]} ${SURNAMES[Math.floor(random() * SURNAMES.length)]} ${Math.floor(random() * 1000)} ${KINDS[Math.floor(random() * KINDS.length)]}`;
  const base = Date.UTC(2025, 0, 1);

  const firm = db.prepare(
    "insert into firms (id, name, activation_state, activation_changed_at, created_at) values (?, ?, 'active', ?, ?)",
  );
  const workspace = db.prepare(
    "insert into workspaces (firm_id, platform, external_id, name, created_at) values (?, ?, ?, ?, ?)",
  );
  const client = db.prepare(
    "insert into clients (id, firm_id, tax_id, name, contact_person, email, phone, notes, self_managed, created_at, updated_at) values (?, ?, ?, ?, null, ?, null, null, 0, ?, ?)",
  );
  const licence = db.prepare(
    "insert into licences (id, firm_id, client_id, number, state, installation_id, linked_at, created_at, updated_at, deleted_at) values (?, ?, ?, ?, 'active', null, null, ?, ?, null)",
  );
  const auditEvent = db.prepare(
    "insert into audit_events (firm_id, action, licence_id, client_id, request_id, actor_platform, actor_id, details, created_at) values (?, ?, ?, ?, null, 'slack', 'U0BENCH001', null, ?)",
  );
  const notification = db.prepare(
    "insert into notifications (firm_id, client_id, external_id, organismo, asunto, fecha_puesta_disposicion, fecha_max_lectura, estado, self_managed, handled_at, created_at) values (?, ?, ?, ?, ?, ?, ?, 'pendiente', ?, null, ?)",
  );
  const installation = db.prepare(
    "insert into installations (id, licence_id, installation_key, token_hash, created_at, last_seen_at, unlinked_at) values (?, ?, ?, ?, ?, null, null)",
  );
  const link = db.prepare("update licences set installation_id = ?, linked_at = ? where id = ?");

  let nextFirm = 1;
  let nextRow = 1;
  let firms = 0;
  const CHUNK = 20_000;

  /** One firm with n licences (a client each); `full` adds the audit trail and notifications. */
  const addFirm = (external: string, wsName: string, n: number, full: boolean): { firmId: number; first: number } => {
    const firmId = nextFirm++;
    firms++;
    const first = nextRow;
    db.transaction(() => {
      firm.run(firmId, wsName, base, base);
      workspace.run(firmId, external.startsWith("T") ? "slack" : "teams", external, wsName, base);
    })();
    for (let done = 0; done < n; done += CHUNK) {
      db.transaction(() => {
        for (let k = done; k < Math.min(n, done + CHUNK); k++) {
          const id = nextRow++;
          const at = base + id * 1000;
          client.run(id, firmId, dni(id), name(), `c${id}@example.com`, at, at);
          licence.run(id, firmId, id, generateLicenceNumber(bytes), at, at);
          if (full) {
            auditEvent.run(firmId, "client.created", null, id, at);
            auditEvent.run(firmId, "licence.created", id, id, at);
            notification.run(
              firmId,
              id,
              `N-${id}`,
              k % 2 ? "AEAT" : "DEHú",
              `Notificación ${id}`,
              at,
              at + 10 * 86_400_000,
              k % 3 === 0 ? 1 : 0,
              at,
            );
          }
        }
      })();
    }
    return { firmId, first };
  };

  const big = addFirm(WORKSPACES.big, "Asesoría Grande", scale.big, true);
  // The oldest client's trail: a few more events, then the firm's whole trail is newer.
  db.transaction(() => {
    for (const action of ["licence.detailsSent", "installation.bound", "licence.unlinked", "licence.deactivated"]) {
      auditEvent.run(big.firmId, action, big.first, big.first, base + big.first * 1000 + 1);
    }
  })();
  addFirm(WORKSPACES.mid, "Asesoría Mediana", scale.mid, true);
  const small = addFirm(WORKSPACES.small, "Asesoría Pequeña", scale.small, true);
  for (let f = 1; f < scale.smallFirms; f++)
    addFirm(`T0FIRM${String(f).padStart(4, "0")}`, `Asesoría ${f}`, scale.small, false);
  addFirm(WORKSPACES.slack, WORKSPACES.slackName, WORKSPACES.chatLicences, true);
  addFirm(WORKSPACES.teams, "Asesoría Teams", WORKSPACES.chatLicences, true);

  const tokens: string[] = [];
  db.transaction(() => {
    for (let i = 0; i < Math.min(scale.tokens, scale.big); i++) {
      const token = benchToken(i);
      const licenceId = big.first + i;
      const id = i + 1;
      installation.run(id, licenceId, `machine-${i}`, createHash("sha256").update(token).digest("hex"), base);
      link.run(id, base, licenceId);
      tokens.push(token);
    }
  })();
  db.close();
  // Back to the app's own settings (WAL), checked by opening it as the app does.
  openDatabase(path).close();
  return {
    licences: nextRow - 1,
    firms,
    tokens,
    historyTaxId: dni(big.first),
    smallHistoryTaxId: dni(small.first),
    ms: performance.now() - started,
  };
}
