import { describe, expect, it } from "vitest";
import { VERBS } from "../../src/bot/commands.ts";
import { FORM_IDS } from "../../src/bot/forms.ts";
import { BUTTON_ACTIONS, buttonActionId, isFormCallback, parseActionId } from "../../src/bot/slack/ids.ts";

describe("Slack's button and modal ids come from the command and form tables", () => {
  it("names every verb and every form, also the second button of a block", () => {
    for (const verb of VERBS) {
      for (const index of [0, 1, 12]) {
        const id = buttonActionId({ kind: "run", verb }, index);
        expect(parseActionId(id), id).toEqual({ kind: "run", verb });
        expect(BUTTON_ACTIONS.test(id), id).toBe(true);
      }
    }
    for (const form of FORM_IDS) {
      const id = buttonActionId({ kind: "form", form });
      expect(parseActionId(id)).toEqual({ kind: "form", form });
      expect(isFormCallback(form)).toBe(true);
    }
    expect(parseActionId(buttonActionId({ kind: "link" }, 2))).toEqual({ kind: "link" });
  });

  it("knows a button of ours whose verb or form is gone (stale: answered as such), and names nothing else", () => {
    for (const id of ["run:nope", "run:constructor", "form:toString", "form:valueOf"]) {
      expect(parseActionId(id), id).toEqual({ kind: "stale" });
    }
    for (const id of ["run:__proto__", "run:list:123", "list", "run:", "other_app_button"]) {
      expect(parseActionId(id), id).toBeUndefined();
    }
    for (const id of ["screen", "__proto__", "hasOwnProperty", "licence_form"])
      expect(isFormCallback(id), id).toBe(false);
  });
});
