/**
 * A strict Block Kit checker: what Slack refuses (unknown block or element
 * types, missing required fields, Slack's length and count limits) is an
 * error here too, so a view Slack would reject fails the test.
 * Only the block and element types this app may use are known.
 */

type Json = Record<string, unknown>;
export type Surface = "message" | "modal" | "home";

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function len(s: string): number {
  return Array.from(s).length;
}

class Checker {
  readonly errors: string[] = [];

  err(path: string, msg: string): void {
    this.errors.push(`${path}: ${msg}`);
  }

  keys(obj: Json, path: string, allowed: string[]): void {
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) this.err(path, `unknown field "${k}"`);
  }

  str(v: unknown, path: string, max: number, required = true): void {
    if (v === undefined) {
      if (required) this.err(path, "is required");
      return;
    }
    if (typeof v !== "string") {
      this.err(path, "must be a string");
      return;
    }
    if (required && v.length === 0) {
      this.err(path, "must not be empty");
      return;
    }
    if (len(v) > max) this.err(path, `longer than ${max} characters (${len(v)})`);
  }

  text(v: unknown, path: string, max: number, plainOnly = false): void {
    if (!isObj(v)) {
      this.err(path, "must be a text object");
      return;
    }
    if (v.type !== "plain_text" && v.type !== "mrkdwn") {
      this.err(path, `bad text type ${String(v.type)}`);
      return;
    }
    if (plainOnly && v.type !== "plain_text") this.err(path, "must be plain_text");
    this.keys(v, path, v.type === "plain_text" ? ["type", "text", "emoji"] : ["type", "text", "verbatim"]);
    if (typeof v.text !== "string" || v.text.length === 0) {
      this.err(`${path}.text`, "must be a non-empty string");
      return;
    }
    if (len(v.text) > max) this.err(`${path}.text`, `longer than ${max} characters (${len(v.text)})`);
  }

  confirm(v: unknown, path: string): void {
    if (!isObj(v)) {
      this.err(path, "must be a confirmation dialog");
      return;
    }
    this.keys(v, path, ["title", "text", "confirm", "deny", "style"]);
    this.text(v.title, `${path}.title`, 100, true);
    this.text(v.text, `${path}.text`, 300);
    this.text(v.confirm, `${path}.confirm`, 30, true);
    this.text(v.deny, `${path}.deny`, 30, true);
    if (v.style !== undefined && v.style !== "primary" && v.style !== "danger") this.err(`${path}.style`, "bad style");
  }

  option(v: unknown, path: string): void {
    if (!isObj(v)) {
      this.err(path, "must be an option");
      return;
    }
    this.keys(v, path, ["text", "value", "description", "url"]);
    this.text(v.text, `${path}.text`, 75);
    this.str(v.value, `${path}.value`, 150);
    if (v.description !== undefined) this.text(v.description, `${path}.description`, 75);
  }

  actionId(v: unknown, path: string, required: boolean): void {
    this.str(v, path, 255, required);
  }

  element(v: unknown, path: string, allowed: string[]): void {
    if (!isObj(v)) {
      this.err(path, "must be an element");
      return;
    }
    const type = String(v.type);
    if (!allowed.includes(type)) {
      this.err(path, `element type "${type}" not allowed here`);
      return;
    }
    switch (type) {
      case "button":
        this.keys(v, path, ["type", "text", "action_id", "value", "url", "style", "confirm", "accessibility_label"]);
        this.text(v.text, `${path}.text`, 75, true);
        this.actionId(v.action_id, `${path}.action_id`, false);
        if (v.value !== undefined) this.str(v.value, `${path}.value`, 2000);
        if (v.url !== undefined) {
          this.str(v.url, `${path}.url`, 3000);
          if (typeof v.url === "string" && !/^https?:\/\//.test(v.url)) this.err(`${path}.url`, "must be http(s)");
        }
        if (v.style !== undefined && v.style !== "primary" && v.style !== "danger")
          this.err(`${path}.style`, "bad style");
        if (v.confirm !== undefined) this.confirm(v.confirm, `${path}.confirm`);
        break;
      case "plain_text_input": {
        this.keys(v, path, [
          "type",
          "action_id",
          "initial_value",
          "multiline",
          "min_length",
          "max_length",
          "placeholder",
          "dispatch_action_config",
          "focus_on_load",
        ]);
        this.actionId(v.action_id, `${path}.action_id`, false);
        const max = typeof v.max_length === "number" ? v.max_length : 3000;
        if (max < 1 || max > 3000) this.err(`${path}.max_length`, "must be 1..3000");
        if (v.min_length !== undefined && (typeof v.min_length !== "number" || v.min_length > 3000))
          this.err(`${path}.min_length`, "must be ≤ 3000");
        if (v.initial_value !== undefined) this.str(v.initial_value, `${path}.initial_value`, max, false);
        if (v.multiline !== undefined && typeof v.multiline !== "boolean") this.err(`${path}.multiline`, "boolean");
        if (v.placeholder !== undefined) this.text(v.placeholder, `${path}.placeholder`, 150, true);
        break;
      }
      case "checkboxes": {
        this.keys(v, path, ["type", "action_id", "options", "initial_options", "confirm", "focus_on_load"]);
        this.actionId(v.action_id, `${path}.action_id`, false);
        if (!Array.isArray(v.options) || v.options.length < 1 || v.options.length > 10) {
          this.err(`${path}.options`, "needs 1..10 options");
          break;
        }
        v.options.forEach((o, i) => {
          this.option(o, `${path}.options[${i}]`);
        });
        if (v.initial_options !== undefined) {
          if (!Array.isArray(v.initial_options)) this.err(`${path}.initial_options`, "must be an array");
          else {
            const known = v.options.map((o) => JSON.stringify(o));
            v.initial_options.forEach((o, i) => {
              if (!known.includes(JSON.stringify(o)))
                this.err(`${path}.initial_options[${i}]`, "must be one of options");
            });
          }
        }
        if (v.confirm !== undefined) this.confirm(v.confirm, `${path}.confirm`);
        break;
      }
    }
  }

  block(b: unknown, path: string, surface: Surface, blockIds: Set<string>): void {
    if (!isObj(b)) {
      this.err(path, "must be a block");
      return;
    }
    if (b.block_id !== undefined) {
      this.str(b.block_id, `${path}.block_id`, 255);
      if (typeof b.block_id === "string") {
        if (blockIds.has(b.block_id)) this.err(`${path}.block_id`, `duplicate block_id ${b.block_id}`);
        blockIds.add(b.block_id);
      }
    }
    switch (b.type) {
      case "section": {
        this.keys(b, path, ["type", "block_id", "text", "fields", "accessory", "expand"]);
        if (b.text === undefined && b.fields === undefined) this.err(path, "needs text or fields");
        if (b.text !== undefined) this.text(b.text, `${path}.text`, 3000);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length > 10) this.err(`${path}.fields`, "at most 10 fields");
          else
            b.fields.forEach((f, i) => {
              this.text(f, `${path}.fields[${i}]`, 2000);
            });
        }
        if (b.accessory !== undefined) this.element(b.accessory, `${path}.accessory`, ["button", "checkboxes"]);
        break;
      }
      case "actions": {
        this.keys(b, path, ["type", "block_id", "elements"]);
        if (!Array.isArray(b.elements) || b.elements.length < 1 || b.elements.length > 25) {
          this.err(`${path}.elements`, "needs 1..25 elements");
          break;
        }
        const ids = new Set<string>();
        b.elements.forEach((e, i) => {
          this.element(e, `${path}.elements[${i}]`, ["button", "checkboxes"]);
          const id = isObj(e) ? e.action_id : undefined;
          if (typeof id === "string") {
            if (ids.has(id)) this.err(`${path}.elements[${i}]`, `duplicate action_id ${id} in the block`);
            ids.add(id);
          }
        });
        break;
      }
      case "context": {
        this.keys(b, path, ["type", "block_id", "elements"]);
        if (!Array.isArray(b.elements) || b.elements.length < 1 || b.elements.length > 10) {
          this.err(`${path}.elements`, "needs 1..10 elements");
          break;
        }
        b.elements.forEach((e, i) => {
          this.text(e, `${path}.elements[${i}]`, 3000);
        });
        break;
      }
      case "divider":
        this.keys(b, path, ["type", "block_id"]);
        break;
      case "header":
        this.keys(b, path, ["type", "block_id", "text"]);
        this.text(b.text, `${path}.text`, 150, true);
        break;
      case "input":
        if (surface !== "modal") this.err(path, "input blocks belong in modals");
        this.keys(b, path, ["type", "block_id", "label", "element", "hint", "optional", "dispatch_action"]);
        this.text(b.label, `${path}.label`, 2000, true);
        if (b.hint !== undefined) this.text(b.hint, `${path}.hint`, 2000, true);
        if (b.optional !== undefined && typeof b.optional !== "boolean") this.err(`${path}.optional`, "boolean");
        if (b.element === undefined) this.err(`${path}.element`, "is required");
        else this.element(b.element, `${path}.element`, ["plain_text_input", "checkboxes"]);
        break;
      default:
        this.err(path, `unknown block type "${String(b.type)}"`);
    }
  }

  blocks(blocks: unknown, path: string, surface: Surface): void {
    if (!Array.isArray(blocks)) {
      this.err(path, "must be an array");
      return;
    }
    const max = surface === "message" ? 50 : 100;
    if (blocks.length > max) this.err(path, `more than ${max} blocks (${blocks.length})`);
    const ids = new Set<string>();
    blocks.forEach((b, i) => {
      this.block(b, `${path}[${i}]`, surface, ids);
    });
  }
}

/** Errors Slack would give for a message (chat.postMessage, chat.update, response_url…). */
export function checkMessage(msg: Json): string[] {
  const c = new Checker();
  const blocks = typeof msg.blocks === "string" ? JSON.parse(msg.blocks) : msg.blocks;
  if (blocks === undefined && (typeof msg.text !== "string" || msg.text === "")) c.err("message", "no_text");
  if (msg.text !== undefined) c.str(msg.text, "text", 40_000, false);
  if (blocks !== undefined) c.blocks(blocks, "blocks", "message");
  return c.errors;
}

/** Errors Slack would give for a modal view (views.open / push / update, response_action update / push). */
export function checkModal(view: unknown): string[] {
  const c = new Checker();
  if (!isObj(view)) return ["view: must be an object"];
  c.keys(view, "view", [
    "type",
    "title",
    "blocks",
    "close",
    "submit",
    "private_metadata",
    "callback_id",
    "clear_on_close",
    "notify_on_close",
    "external_id",
    "submit_disabled",
  ]);
  if (view.type !== "modal") c.err("view.type", "must be modal");
  c.text(view.title, "view.title", 24, true);
  if (view.close !== undefined) c.text(view.close, "view.close", 24, true);
  if (view.submit !== undefined) c.text(view.submit, "view.submit", 24, true);
  if (view.private_metadata !== undefined) c.str(view.private_metadata, "view.private_metadata", 3000, false);
  if (view.callback_id !== undefined) c.str(view.callback_id, "view.callback_id", 255);
  if (view.external_id !== undefined) c.str(view.external_id, "view.external_id", 255);
  c.blocks(view.blocks, "view.blocks", "modal");
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === "input");
  if (hasInput && view.submit === undefined) c.err("view.submit", "required when the view has input blocks");
  return c.errors;
}

/** Errors Slack would give for an App Home view (views.publish): up to 100 blocks, no title, no inputs. */
export function checkHome(view: unknown): string[] {
  const c = new Checker();
  if (!isObj(view)) return ["view: must be an object"];
  c.keys(view, "view", ["type", "blocks", "private_metadata", "callback_id", "external_id"]);
  if (view.type !== "home") c.err("view.type", "must be home");
  if (view.private_metadata !== undefined) c.str(view.private_metadata, "view.private_metadata", 3000, false);
  if (view.callback_id !== undefined) c.str(view.callback_id, "view.callback_id", 255);
  c.blocks(view.blocks, "view.blocks", "home");
  return c.errors;
}

/** Every text object of a payload with its type, to check how user text is shown. */
export function textObjects(
  value: unknown,
  out: { type: string; text: string }[] = [],
): { type: string; text: string }[] {
  if (Array.isArray(value)) {
    for (const v of value) textObjects(v, out);
  } else if (isObj(value)) {
    if ((value.type === "plain_text" || value.type === "mrkdwn") && typeof value.text === "string") {
      out.push({ type: value.type, text: value.text });
    }
    for (const v of Object.values(value)) textObjects(v, out);
  }
  return out;
}
