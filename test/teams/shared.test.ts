import { describe, expect, it } from "vitest";
import { notice } from "../../src/bot/screen.ts";
import { activationQuestionScreen } from "../../src/bot/screens/activation.ts";
import { describeError, fieldMessages } from "../../src/bot/screens/common.ts";
import { renderMessage } from "../../src/bot/slack/render/index.ts";
import { renderScreen } from "../../src/bot/teams/render.ts";
import { invalid, ServiceError } from "../../src/errors.ts";
import { captureLogger } from "../support/app.ts";
import { cardText } from "./cards.ts";

describe("the command layer's texts on Teams", () => {
  const { logger } = captureLogger("silent");

  it("asks a rejected or revoked firm to request the activation again, with the same text on both platforms", () => {
    for (const state of ["rejected", "revoked"] as const) {
      const screen = activationQuestionScreen("es", state);
      expect(cardText(renderScreen(screen, "es"))).toContain("¿Quieres volver a solicitar");
      expect(renderMessage("es", screen).text).toContain("¿Quieres volver a solicitar");
    }
    expect(cardText(renderScreen(activationQuestionScreen("en", "not_requested"), "en"))).toContain(
      "does not have the SME Solution yet",
    );
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
    expect(plain).toContain("[Ana](https://evil.example) *x*");
    expect(cardText(renderScreen(notice(plain, "attention"), "es"))).toContain(
      "\\[Ana\\](https://evil.example) \\*x\\*",
    );
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
});
