import { z } from "zod";

/**
 * The shape of a Bot Framework activity as far as botbuilder, teams-ai and
 * our routes read it. Checked before the adapter sees the body: a field
 * they would dereference (conversation.id, from.id, value.data…) that is
 * missing or of the wrong type is refused with 400, instead of a 500 before
 * authentication or a 501 after it. Unknown fields pass through untouched.
 */

/** Bot Framework ids are printable ASCII; botbuilder puts the conversation's in an HTTP header. */
const id = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[!-~]+$/);
/** An optional string field; Bot Framework clients send null for some absent ones. */
const optionalText = (max: number) => z.string().max(max).nullish();
/** A JSON object (not an array, not null). */
const object = z.record(z.unknown());

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

const account = z
  .object({
    id,
    name: optionalText(1024),
    aadObjectId: optionalText(1024),
    role: optionalText(64),
  })
  .passthrough();

const conversation = z
  .object({
    id,
    tenantId: optionalText(1024),
    conversationType: optionalText(64),
    isGroup: z.boolean().nullish(),
    name: optionalText(1024),
  })
  .passthrough();

const reference = z.object({ id: z.string().max(1024), name: optionalText(1024) }).passthrough();

const channelData = z
  .object({
    tenant: reference.nullish(),
    channel: reference.nullish(),
    team: reference.nullish(),
    eventType: optionalText(128),
  })
  .passthrough();

const entity = z
  .object({ type: z.string().max(128) })
  .passthrough()
  .superRefine((e, ctx) => {
    // TurnContext.removeRecipientMention reads mentioned.id and text of every mention.
    if (e.type.toLowerCase() !== "mention") return;
    if (!account.safeParse(e.mentioned).success) ctx.addIssue({ code: "custom", path: ["mentioned"], message: "" });
    if (typeof e.text !== "string") ctx.addIssue({ code: "custom", path: ["text"], message: "" });
  });

const attachment = z.object({ contentType: z.string().max(256), name: optionalText(1024) }).passthrough();

export const activitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: optionalText(1024),
    name: optionalText(256),
    serviceUrl: z.string().max(2048).refine(isHttpUrl),
    channelId: z.string().min(1).max(64),
    from: account,
    recipient: account,
    conversation,
    text: optionalText(100_000),
    locale: optionalText(64),
    replyToId: optionalText(1024),
    timestamp: optionalText(64),
    entities: z.array(entity).max(256).nullish(),
    attachments: z.array(attachment).max(64).nullish(),
    membersAdded: z.array(account).max(1024).nullish(),
    membersRemoved: z.array(account).max(1024).nullish(),
    channelData: channelData.nullish(),
    value: z.unknown(),
  })
  .passthrough()
  .superRefine((a, ctx) => {
    const problem = (path: (string | number)[]) => ctx.addIssue({ code: "custom", path, message: "" });
    // Card selectors read value[verb] after `typeof value === "object"`, which null passes.
    if (a.value === null) problem(["value"]);
    if (a.type === "message" && a.entities?.some((e) => e.type.toLowerCase() === "mention") && a.text == null) {
      problem(["text"]);
    }
    if (a.type !== "invoke" || a.value === undefined) return;
    const value = object.safeParse(a.value);
    if (!value.success) return problem(["value"]);
    // Dialog selectors read value.data[verb] after the same typeof test.
    if (value.data.data === null) problem(["value", "data"]);
  });

/**
 * How deeply an activity may nest. Teams' own are a few levels deep (an
 * Adaptive Card's data inside an invoke's value: under 20). JSON.parse takes
 * any depth, but recursive code after it (JSON.stringify in a trace line,
 * botbuilder's and teams-ai's copies) overflows the stack on a body of
 * 100,000 nested brackets.
 */
export const MAX_ACTIVITY_DEPTH = 64;

/**
 * Keys that change an object's prototype when code copies them with
 * assignment or spread (botbuilder, teams-ai and zod all copy activities):
 * `{"conversation": {"__proto__": {"name": []}}}` would give every copy an
 * inherited `name` that no check saw. No Bot Framework activity has them.
 */
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Whether a parsed JSON value nests deeper than `max`, or holds a prototype
 * key at any depth (without recursion, so any depth is measured).
 */
export function unsafeShape(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== "object") continue;
    if (depth >= max) return true;
    for (const [key, child] of Object.entries(current)) {
      if (PROTOTYPE_KEYS.has(key)) return true;
      stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Where an activity is malformed (field paths only: never the values, which may be personal data). */
export function activityProblems(body: unknown): string[] | undefined {
  if (unsafeShape(body, MAX_ACTIVITY_DEPTH)) return ["(depth or prototype key)"];
  const parsed = activitySchema.safeParse(body);
  if (parsed.success) return undefined;
  return [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(body)"))].slice(0, 10);
}
