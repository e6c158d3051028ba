import { describe, expect, it } from "vitest";
import { redactText } from "../../src/logger.ts";
import { captureLogger } from "../support/app.ts";

describe("the logger", () => {
  it("never writes tax ids, e-mails, licence numbers or tokens", () => {
    const { logger, lines } = captureLogger();
    logger.info(
      {
        body: {
          text: "cliente 12345678Z con correo ana@example.com y licencia 7K3MX-4Q9TB-ZR2WN-8HJPA",
          nested: [{ nif: "B12345674" }, "X1234567L"],
          headers: { authorization: "Bearer abc.def.ghi" },
        },
        token: "xoxb-1234-secret",
        email: "whatever",
      },
      "payload for B12345674 and 7K3MX4Q9TBZR2WN8HJPA from ana@example.com, xoxb-999-aaa",
    );
    const out = lines.join("");
    for (const secret of [
      "12345678Z",
      "ana@example.com",
      "7K3MX-4Q9TB-ZR2WN-8HJPA",
      "7K3MX4Q9TBZR2WN8HJPA",
      "B12345674",
      "X1234567L",
      "abc.def.ghi",
      "xoxb-",
      "whatever",
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("REDACTED");
    expect(out).toContain("payload for");
  });

  it("sees through percent-encoding (mailto: drafts in SDK debug output)", () => {
    const out = redactText("mailto:ana%40example.com?body=N%C3%BAmero%3A%207K3MX-4Q9TB-ZR2WN-8HJPA%20NIF%2012345678Z");
    expect(out).not.toMatch(/ana|7K3MX|12345678Z/);
  });

  it("keeps stack traces readable (scoped package paths are not e-mails)", () => {
    const line = "at WebClient.apiCall (/app/node_modules/@slack/web-api/dist/WebClient.js:12:3)";
    expect(redactText(line)).toBe(line);
  });

  it("leaves ordinary words, ids and numbers alone", () => {
    expect(redactText("request 42 from T0123ABCD in C0SUPPORT1 at 2026-11-29")).toBe(
      "request 42 from T0123ABCD in C0SUPPORT1 at 2026-11-29",
    );
  });
});
