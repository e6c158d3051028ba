import { parse as parseQuery } from "node:querystring";
import { z } from "zod";
import { COMMAND, isFormCallback, parseActionId } from "./ids.ts";

/**
 * The shapes of what Slack posts to /slack/events, checked after the
 * signature and before Bolt dispatches (see docs/architecture.md, Slack edge). Only the
 * fields Bolt and the listeners read are checked; everything else passes
 * through. Pure functions: the fuzz tests feed them anything.
 */

/** What to do with a parsed body. */
export type PayloadVerdict =
  /** Bolt handles it (a listener, url_verification or ssl_check). */
  | { kind: "dispatch"; eventId?: string | undefined }
  /** A well-formed request nobody listens to: a harmless 200 (Slack retries errors). */
  | { kind: "ignore" }
  /** Malformed: 400. */
  | { kind: "invalid" };

const id = z.string().min(1).max(255);
const optionalText = z.string().max(10_000).optional();

const user = z.object({ id, team_id: id.optional() }).passthrough();
const team = z.object({ id, enterprise_id: id.nullish(), enterprise_name: optionalText.nullable() }).passthrough();
const enterprise = z.object({ id, name: optionalText.nullable() }).passthrough();

/** The acting user and where the app is installed: a team, or an org (org-wide installs send team null). */
const actor = {
  user,
  team: team.nullable(),
  enterprise: enterprise.nullish(),
  is_enterprise_install: z.boolean().optional(),
  api_app_id: id.optional(),
};
const hasWorkspace = (b: { team: unknown; enterprise?: unknown }) => b.team !== null || Boolean(b.enterprise);

const inputValue = z
  .object({
    type: z.string().optional(),
    value: z.string().nullish(),
    selected_options: z.array(z.object({ value: z.string() }).passthrough()).nullish(),
  })
  .passthrough();

const view = z
  .object({
    id,
    type: z.string().optional(),
    callback_id: z.string().max(255),
    private_metadata: z.string().optional(),
    blocks: z.array(z.object({ block_id: z.string().optional() }).passthrough()),
    // Slack always sends it with a submission; the listeners cope without it.
    state: z
      .object({ values: z.record(z.record(inputValue)) })
      .passthrough()
      .optional(),
    app_installed_team_id: id.nullish(),
    team_id: id.nullish(),
  })
  .passthrough();

const blockActions = z
  .object({
    type: z.literal("block_actions"),
    ...actor,
    trigger_id: id,
    actions: z
      .array(
        z
          .object({
            type: z.string(),
            action_id: z.string().min(1).max(255),
            block_id: z.string().optional(),
            value: z.string().max(2000).optional(),
          })
          .passthrough(),
      )
      .min(1)
      .max(25),
    container: z
      .object({
        type: z.string(),
        channel_id: id.optional(),
        message_ts: z.string().optional(),
        view_id: id.optional(),
      })
      .passthrough(),
    channel: z.object({ id }).passthrough().optional(),
    view: view.optional(),
    response_url: z.string().url().optional(),
  })
  .passthrough()
  .refine(hasWorkspace)
  // A click is on a message (its channel and response_url) or in a modal (its view).
  .refine((b) => b.view !== undefined || (b.channel !== undefined && b.response_url !== undefined));

const viewSubmission = z
  .object({ type: z.literal("view_submission"), ...actor, view, trigger_id: id.optional() })
  .passthrough()
  .refine(hasWorkspace);

const viewClosed = z
  .object({ type: z.literal("view_closed"), ...actor, view: view.partial({ blocks: true }) })
  .passthrough()
  .refine(hasWorkspace);

/** A slash command's form fields (querystring values are strings; a repeated field is an array and refused). */
const slashCommand = z
  .object({
    command: z.string().min(1).max(255),
    text: z.string().max(10_000).optional(),
    user_id: id,
    team_id: id,
    channel_id: id,
    trigger_id: id,
    response_url: z.string().url(),
    enterprise_id: id.optional(),
    enterprise_name: optionalText,
    is_enterprise_install: z.enum(["true", "false"]).optional(),
  })
  .passthrough();

const authorization = z
  .object({ team_id: id.nullable(), enterprise_id: id.nullable(), is_enterprise_install: z.boolean().optional() })
  .passthrough();

const eventCallback = z
  .object({
    type: z.literal("event_callback"),
    team_id: id,
    enterprise_id: id.nullish(),
    api_app_id: id.optional(),
    event_id: id.optional(),
    // Bolt looks into these for the channel and the user: when present they must be what Slack sends.
    event: z
      .object({
        type: z.string().min(1).max(255),
        user: z.union([z.string(), z.object({}).passthrough()]).optional(),
        channel: z.union([z.string(), z.object({}).passthrough()]).optional(),
        subteam: z.object({}).passthrough().optional(),
        item: z.object({}).passthrough().optional(),
      })
      .passthrough(),
    authorizations: z.array(authorization).optional(),
  })
  .passthrough();

const tokenList = z.array(z.string()).optional();

/** The events the app listens to (listeners/events), each with what its listener reads. */
const HANDLED_EVENTS: ReadonlyMap<string, z.ZodTypeAny> = new Map<string, z.ZodTypeAny>([
  // The Home tab opened (listeners/events/app-home-opened.ts): who, and which tab.
  ["app_home_opened", z.object({ user: z.string().min(1).max(64), tab: z.string().max(64).optional() }).passthrough()],
  ["app_uninstalled", z.object({}).passthrough()],
  ["tokens_revoked", z.object({ tokens: z.object({ oauth: tokenList, bot: tokenList }).passthrough() }).passthrough()],
]);

const urlVerification = z.object({ type: z.literal("url_verification"), challenge: z.string().min(1).max(500) });

/**
 * What listeners/ registers, derived like it from the command and form
 * tables (ids.ts): anything else would never be acknowledged by Bolt (Slack
 * would see a 404 after 3 seconds), so it is acknowledged here.
 */
const isHandledAction = (actionId: string) => parseActionId(actionId) !== undefined;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The body as Bolt's ExpressReceiver parses it: a form's `payload` field is
 * JSON, other forms (slash commands, ssl_check) are their fields, anything
 * else is JSON. Throws on what Bolt could not parse either.
 */
export function parseSlackBody(raw: string, contentType: string | undefined): unknown {
  if (contentType === "application/x-www-form-urlencoded") {
    const fields = parseQuery(raw);
    if (typeof fields.payload === "string") return JSON.parse(fields.payload);
    return { ...fields };
  }
  return JSON.parse(raw);
}

/** Bolt answers through `response_url`, or else the first of `response_urls`, whatever the kind of request. */
const responseUrls = z
  .object({
    response_url: z.string().optional(),
    response_urls: z.array(z.object({ response_url: z.string() }).passthrough()).optional(),
  })
  .passthrough();

const verdict = (ok: boolean, then: PayloadVerdict = { kind: "dispatch" }): PayloadVerdict =>
  ok ? then : { kind: "invalid" };

/**
 * Decides on a parsed body, following Bolt's own order (ssl_check,
 * url_verification, then event, command, options, action, shortcut, view),
 * so that what is checked here is exactly what Bolt would dispatch.
 */
export function checkSlackPayload(body: unknown): PayloadVerdict {
  if (!isRecord(body)) return { kind: "invalid" };
  if (body.ssl_check) return { kind: "dispatch" };
  if (body.type === "url_verification") return verdict(urlVerification.safeParse(body).success);
  if (!responseUrls.safeParse(body).success) return { kind: "invalid" };
  if (body.event !== undefined) {
    const parsed = eventCallback.safeParse(body);
    if (!parsed.success) return { kind: "invalid" };
    // A Map: an event type such as "__proto__" or "constructor" must not find anything.
    const schema = HANDLED_EVENTS.get(parsed.data.event.type);
    if (!schema) return { kind: "ignore" };
    return verdict(schema.safeParse(parsed.data.event).success, { kind: "dispatch", eventId: parsed.data.event_id });
  }
  if (body.command !== undefined) {
    const parsed = slashCommand.safeParse(body);
    if (!parsed.success) return { kind: "invalid" };
    return parsed.data.command === COMMAND ? { kind: "dispatch" } : { kind: "ignore" };
  }
  // Options (external selects), shortcuts, legacy attachments and dialogs: none is registered.
  if (body.name !== undefined || body.type === "block_suggestion") return { kind: "ignore" };
  if (body.actions !== undefined || body.type === "dialog_submission") {
    if (body.type !== "block_actions") return { kind: "ignore" };
    const parsed = blockActions.safeParse(body);
    if (!parsed.success) return { kind: "invalid" };
    return isHandledAction(parsed.data.actions[0]?.action_id ?? "") ? { kind: "dispatch" } : { kind: "ignore" };
  }
  if (body.type === "shortcut" || body.type === "message_action") return { kind: "ignore" };
  if (body.type === "view_submission") {
    const parsed = viewSubmission.safeParse(body);
    if (!parsed.success) return { kind: "invalid" };
    return isFormCallback(parsed.data.view.callback_id) ? { kind: "dispatch" } : { kind: "ignore" };
  }
  // No modal asks to be told when it is closed.
  if (body.type === "view_closed") return verdict(viewClosed.safeParse(body).success, { kind: "ignore" });
  // Another kind of request Slack may send (app_rate_limited…): acknowledged, not dispatched.
  if (typeof body.type === "string" && body.type.length > 0) return { kind: "ignore" };
  return { kind: "invalid" };
}
