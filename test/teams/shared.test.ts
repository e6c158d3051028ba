import { describe, expect, it } from "vitest";
import { describeError, fieldMessages } from "../../src/bot/describe-error.ts";
import { activationQuestionScreen } from "../../src/bot/screens/activation.ts";
import { parseFirmId } from "../../src/bot/shared/firms.ts";
import { renderMessage } from "../../src/bot/slack/render/index.ts";
import { activationQuestionCard } from "../../src/bot/teams/cards/activation.ts";
import { md } from "../../src/bot/teams/cards/ui.ts";
import { invalid, ServiceError } from "../../src/errors.ts";
import { captureLogger } from "../support/app.ts";
import { cardText } from "./cards.ts";

describe("what the Slack and Teams apps share", () => {
  const { logger } = captureLogger("silent");

  it("asks a rejected or revoked firm to request the activation again, on both platforms", () => {
    for (const state of ["rejected", "revoked"] as const) {
      expect(cardText(activationQuestionCard("es", state))).toContain("¿Quieres volver a solicitar");
      expect(renderMessage("es", activationQuestionScreen("es", state)).text).toContain("¿Quieres volver a solicitar");
    }
    expect(cardText(activationQuestionCard("en", "not_requested"))).toContain("does not have the SME Solution yet");
  });

  it("escapes the name of who decided when the text goes into Teams markdown", () => {
    const err = new ServiceError("ALREADY_DECIDED", "activation.alreadyDecided", {
      details: {
        status: "approved",
        decidedByName: "[Ana](https://evil.example) *x*",
        decidedAt: Date.UTC(2026, 0, 2),
      },
    });
    const plain = describeError(err, "es", logger);
    const escaped = describeError(err, "es", logger, md);
    expect(plain).toContain("[Ana](https://evil.example) *x*");
    expect(escaped).toContain("\\[Ana\\](https://evil.example) \\*x\\*");
  });

  it("keeps the first message of each field", () => {
    const err = invalid([
      { field: "taxId", message: "field.taxId.required" },
      { field: "taxId", message: "error.invalid" },
      { field: "name", message: "field.name.required" },
    ]);
    const messages = fieldMessages(err, "es");
    expect(Object.keys(messages)).toEqual(["taxId", "name"]);
    expect(messages.taxId).toBe(describeError(err, "es", logger));
  });

  it("reads a firm id as digits only", () => {
    expect(parseFirmId(" 12 ")).toBe(12);
    for (const bad of ["", "0", "-3", "1.5", "0x10", "1e3", "12 13", "9".repeat(16)]) {
      expect(parseFirmId(bad)).toBeUndefined();
    }
  });
});
