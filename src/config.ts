import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { z } from "zod";

/** Empty strings in the environment mean "not set". */
const optional = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** TRUST_PROXY: off, how many proxy hops to trust, or which proxy addresses (Express's `trust proxy`). */
export type TrustProxy = false | number | string[];

const TRUST_EVERY_HOP =
  "trusting every hop lets any client choose its address: use a hop count (1, 2…) or the proxies' addresses (e.g. 127.0.0.1, 10.0.0.0/8, loopback, uniquelocal)";

/** The names Express's `trust proxy` (proxy-addr) knows for address ranges. */
const NAMED_RANGES = ["loopback", "linklocal", "uniquelocal"];

function isContiguousMask(mask: string): boolean {
  const bits = mask.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
  const inverted = 0xffffffff - bits;
  return (inverted & (inverted + 1)) === 0;
}

/** An address, a subnet (`10.0.0.0/8`, `10.0.0.0/255.0.0.0`) or a named range, as proxy-addr accepts them. */
function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.includes(entry.toLowerCase())) return true;
  const [address = "", range, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(range) === 4 && isContiguousMask(range);
}

/** A range with no fixed bits (`/0`, or the mask 0.0.0.0): it holds every address. */
function isEveryAddress(entry: string): boolean {
  const [address = "", range, ...rest] = entry.split("/");
  if (isIP(address) === 0 || rest.length > 0 || range === undefined) return false;
  return (/^\d{1,3}$/.test(range) && Number(range) === 0) || range === "0.0.0.0";
}

const trustProxy = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx): TrustProxy => {
    const value = (v ?? "").toLowerCase();
    if (["", "0", "false", "off", "no"].includes(value)) return false;
    if (["true", "on", "yes"].includes(value)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: TRUST_EVERY_HOP });
      return z.NEVER;
    }
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    // 0.0.0.0/0 or ::/0 trusts every address, so every hop: the same as `true`.
    if (entries.some(isEveryAddress)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: TRUST_EVERY_HOP });
      return z.NEVER;
    }
    const wrong = entries.filter((e) => !isProxyAddress(e));
    if (wrong.length > 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `expected a hop count (1, 2…) or proxy addresses and subnets (e.g. 127.0.0.1, 10.0.0.0/8, loopback); not understood: ${wrong.join(", ")}`,
      });
      return z.NEVER;
    }
    return entries;
  });

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  DATABASE_PATH: z.string().trim().min(1).default("./data/licencias.db"),
  DATABASE_URL: optional.pipe(
    z
      .string()
      .refine(
        (v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v),
        "must be a PostgreSQL URL (postgres://user:password@host:5432/database)",
      )
      .optional(),
  ),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PUBLIC_URL: optional.pipe(
    z
      .string()
      .url()
      .refine((v) => v.startsWith("https://"), "must be an https URL (Slack and Teams only call https)")
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optional,
  SLACK_BOT_TOKEN: optional.pipe(z.string().startsWith("xoxb-", "must start with xoxb-").optional()),
  SLACK_CLIENT_ID: optional,
  SLACK_CLIENT_SECRET: optional,
  SLACK_STATE_SECRET: optional,
  BOT_ID: optional,
  BOT_PASSWORD: optional,
  BOT_TYPE: optional.pipe(z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).optional()),
  BOT_TENANT_ID: optional,
  SUPPORT_SLACK_CHANNEL_ID: optional.pipe(
    z
      .string()
      .regex(/^[CG][A-Z0-9]{6,}$/, "must be a Slack channel id such as C0123456789")
      .optional(),
  ),
  SUPPORT_SLACK_TEAM_ID: optional.pipe(
    z
      .string()
      .regex(/^[TE][A-Z0-9]{6,}$/, "must be a Slack team id such as T0123456789")
      .optional(),
  ),
  SUPPORT_TEAMS_CHANNEL_ID: optional.pipe(
    z
      .string()
      .regex(/^19:.+@thread\.(tacv2|skype)$/, "must look like 19:…@thread.tacv2")
      .optional(),
  ),
  SUPPORT_USER_IDS: optional,
  INSTALLER_URL: optional.pipe(z.string().url().optional()),
  DEFAULT_LOCALE: z.enum(["es", "en"]).default("es"),
  WATCH_HOUR: z.coerce.number().int().min(0).max(23).default(8),
  WATCH_UNACTIVATED_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  WATCH_SILENT_DAYS: z.coerce.number().int().min(1).max(365).default(3),
  WATCH_DEADLINE_DAYS: z.coerce.number().int().min(1).max(30).default(3),
  TRUST_PROXY: trustProxy,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: optional.pipe(z.enum(["json", "pretty"]).optional()),
});

/** Every setting the server reads, by name: .env.example and the README's table list exactly these. */
export const SETTING_NAMES = Object.keys(envSchema.shape) as ReadonlyArray<keyof typeof envSchema.shape>;

export type Locale = "es" | "en";

export interface SlackConfig {
  signingSecret: string;
  /** One-workspace mode. */
  botToken?: string;
  /** Many-workspace mode (OAuth install). */
  oauth?: { clientId: string; clientSecret: string; stateSecret: string };
}

export interface TeamsConfig {
  appId?: string;
  appPassword?: string;
  appType: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
  tenantId?: string;
}

export interface SupportConfig {
  slackChannelId?: string;
  slackTeamId?: string;
  teamsChannelId?: string;
  /** Empty means: anyone in the support channel may decide. */
  userIds: string[];
}

/** The daily watch of the handover (docs/architecture.md, "The daily watch"). */
export interface WatchConfig {
  /** The hour of the day (Europe/Madrid) at which the watch runs. */
  hour: number;
  /** Details sent this many days ago or more and never activated. */
  unactivatedDays: number;
  /** A self-managed client's app silent for this many days. */
  silentDays: number;
  /** A notification whose fecha máxima de lectura is within this many days. */
  deadlineDays: number;
}

/** The watch's settings when none is given (WATCH_HOUR and the others). */
export const WATCH_DEFAULTS: WatchConfig = { hour: 8, unactivatedDays: 7, silentDays: 3, deadlineDays: 3 };

export interface Config {
  port: number;
  host: string;
  databasePath: string;
  /** PostgreSQL instead of SQLite (docs/architecture.md, "Storage"); DATABASE_PATH is then unused. */
  database?: { url: string; poolSize: number };
  publicUrl?: string;
  slack?: SlackConfig;
  teams: TeamsConfig;
  support: SupportConfig;
  watch: WatchConfig;
  installerUrl?: string;
  defaultLocale: Locale;
  /** Express's `trust proxy`: false (the connection's address), a hop count or proxy addresses. */
  trustProxy: TrustProxy;
  logLevel: string;
  /** Unset: pretty on a terminal, else JSON lines. */
  logFormat?: "json" | "pretty";
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** An empty (or blank) value means "not set", for every setting: the default applies. */
function withoutEmpty(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
}

/**
 * The environment with the `.env` file of `dir` (when there is one) under it:
 * a setting the environment gives a value wins; an empty one counts as not
 * set, so the file's value applies.
 */
export function withEnvFile(env: Env, dir: string): Env {
  const file = resolve(dir, ".env");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = err instanceof Error && "code" in err ? String(err.code) : "";
    if (code === "ENOENT") return env;
    throw new ConfigError([`.env: ${file} cannot be read (${code || String(err)})`]);
  }
  return { ...withoutEmpty(parseEnv(text)), ...withoutEmpty(env) };
}

/** DATABASE_PATH alone, for commands that need nothing else (db:backup). */
export function loadDatabasePath(env: Env): string {
  const parsed = envSchema.shape.DATABASE_PATH.safeParse(withoutEmpty(env).DATABASE_PATH);
  if (!parsed.success) throw new ConfigError([`DATABASE_PATH: ${parsed.error.issues[0]?.message ?? "invalid"}`]);
  return parsed.data;
}

/** Parses the environment once; throws a ConfigError naming every wrong setting. */
export function loadConfig(env: Env): Config {
  const parsed = envSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];

  let slack: SlackConfig | undefined;
  const oauthParts = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET];
  const oauthCount = oauthParts.filter(Boolean).length;
  if (oauthCount > 0 && oauthCount < 3) {
    problems.push(
      "SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET must be set together (many-workspace mode)",
    );
  }
  if (e.SLACK_SIGNING_SECRET) {
    if (!e.SLACK_BOT_TOKEN && oauthCount !== 3) {
      problems.push(
        "SLACK_SIGNING_SECRET is set but neither SLACK_BOT_TOKEN nor the OAuth settings (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET) are",
      );
    }
    if (e.SLACK_BOT_TOKEN && oauthCount === 3) {
      problems.push("set either SLACK_BOT_TOKEN (one workspace) or the SLACK_CLIENT_* settings (OAuth), not both");
    }
    slack = {
      signingSecret: e.SLACK_SIGNING_SECRET,
      ...(e.SLACK_BOT_TOKEN ? { botToken: e.SLACK_BOT_TOKEN } : {}),
      ...(oauthCount === 3
        ? {
            oauth: {
              clientId: e.SLACK_CLIENT_ID as string,
              clientSecret: e.SLACK_CLIENT_SECRET as string,
              stateSecret: e.SLACK_STATE_SECRET as string,
            },
          }
        : {}),
    };
  } else if (e.SLACK_BOT_TOKEN || oauthCount > 0) {
    problems.push("SLACK_SIGNING_SECRET is required to switch Slack on");
  }
  if (slack?.oauth && e.SUPPORT_SLACK_CHANNEL_ID && !e.SUPPORT_SLACK_TEAM_ID) {
    problems.push("SUPPORT_SLACK_TEAM_ID is required with SUPPORT_SLACK_CHANNEL_ID in many-workspace mode");
  }
  if (e.BOT_ID && !e.BOT_PASSWORD && e.BOT_TYPE !== "UserAssignedMSI") {
    problems.push("BOT_PASSWORD is required with BOT_ID");
  }
  if (e.BOT_TYPE === "SingleTenant" && !e.BOT_TENANT_ID) {
    problems.push("BOT_TENANT_ID is required when BOT_TYPE is SingleTenant");
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port: e.PORT,
    host: e.HOST,
    databasePath: e.DATABASE_PATH,
    ...(e.DATABASE_URL ? { database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE } } : {}),
    ...(e.PUBLIC_URL ? { publicUrl: e.PUBLIC_URL.replace(/\/+$/, "") } : {}),
    ...(slack ? { slack } : {}),
    teams: {
      ...(e.BOT_ID ? { appId: e.BOT_ID } : {}),
      ...(e.BOT_PASSWORD ? { appPassword: e.BOT_PASSWORD } : {}),
      appType: e.BOT_TYPE ?? "MultiTenant",
      ...(e.BOT_TENANT_ID ? { tenantId: e.BOT_TENANT_ID } : {}),
    },
    support: {
      ...(e.SUPPORT_SLACK_CHANNEL_ID ? { slackChannelId: e.SUPPORT_SLACK_CHANNEL_ID } : {}),
      ...(e.SUPPORT_SLACK_TEAM_ID ? { slackTeamId: e.SUPPORT_SLACK_TEAM_ID } : {}),
      ...(e.SUPPORT_TEAMS_CHANNEL_ID ? { teamsChannelId: e.SUPPORT_TEAMS_CHANNEL_ID } : {}),
      userIds: (e.SUPPORT_USER_IDS ?? "")
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    },
    watch: {
      hour: e.WATCH_HOUR,
      unactivatedDays: e.WATCH_UNACTIVATED_DAYS,
      silentDays: e.WATCH_SILENT_DAYS,
      deadlineDays: e.WATCH_DEADLINE_DAYS,
    },
    ...(e.INSTALLER_URL ? { installerUrl: e.INSTALLER_URL } : {}),
    defaultLocale: e.DEFAULT_LOCALE,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    ...(e.LOG_FORMAT ? { logFormat: e.LOG_FORMAT } : {}),
  };
}

/** Teams local emulator mode: no BOT_ID and listening on loopback only. */
export function isTeamsEmulatorMode(config: Config): boolean {
  return !config.teams.appId && isLoopbackHost(config.host);
}

export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
