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

  it("finds personal data at the start of lines and after tabs in JSON-escaped bodies (SDK debug output)", () => {
    const body = JSON.stringify({
      text: "Hola\n12345678Z\n7k3mx-4q9tb-zr2wn-8hjpa\tX1234567L\r\nana@example.com\u00a0B12345674",
      notes: "línea\n7K3MX4Q9TBZR2WN8HJPA",
    });
    // Bolt and botbuilder log bodies as JSON; a body logged inside a JSON string is escaped twice.
    for (const text of [body, JSON.stringify(body), `body=${encodeURIComponent(body)}`]) {
      const out = redactText(text);
      expect(out).not.toMatch(/12345678Z|7k3mx|7K3MX|X1234567L|ana@|B12345674/i);
      expect(out).toContain("Hola");
    }
    const { logger, lines } = captureLogger("trace");
    logger.trace(`incoming ${body}`);
    expect(lines.join("")).not.toMatch(/12345678Z|7k3mx|X1234567L|ana@example|B12345674/i);
  });

  it("sees through form encoding (+ for spaces, %0A for line breaks) and \\u escapes", () => {
    const form = "text=Hola+Soporte%0A12345678Z%0Ab-1234567+4%0D%0A7K3MX-4Q9TB-ZR2WN-8HJPA+ana%40example.com";
    expect(redactText(form)).not.toMatch(/12345678Z|1234567|7K3MX|ana@/);
    expect(redactText(String.raw`\u000a12345678Z and \u00e97K3MX4Q9TBZR2WN8HJPA`)).not.toMatch(/12345678Z|7K3MX/);
    // A Latin-1 form body does not decode as UTF-8: the run stays, and still bounds what follows.
    expect(redactText("obs=%E912345678Z")).not.toContain("12345678Z");
  });

  it("finds an e-mail at the end of a long form-encoded line, in linear time", () => {
    const words = "Hola+Soporte+queremos+activar+la+Solucion+para+PYMES+cuanto+antes+por+favor";
    expect(redactText(`text=${words}+escribid+a+ana.lopez@example.com&x=1`)).not.toContain("ana.lopez");
    expect(redactText(`text=${words}+ana.lopez%40example.com`)).not.toContain("ana.lopez");
    // A stranger's long line without an "@" (or with one at the end) costs little.
    for (const line of ["a".repeat(200_000), `${"a".repeat(200_000)}@example.com`, "ABCDE-".repeat(40_000)]) {
      const started = performance.now();
      redactText(line);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });

  it("redacts tax ids as people type them (lower case, hyphens, spaces, ES prefix)", () => {
    for (const typed of ["b-1234567 4", "12.345.678-z", "x-1234567-l", "ES12345678Z", "b12345674"]) {
      expect(redactText(`NIF ${typed}.`)).toBe("NIF [REDACTED_TAX_ID].");
    }
  });

  it("redacts tokens wherever they are: bearer, Slack, JWTs and long random secrets", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl";
    const installation = "Xq3_4bZ9kLmN0pQrStUvWxYz12345678AbCdEfGhIj";
    const out = redactText(
      `Authorization: Bearer ${installation}\nauthorization=Bearer+abc.def xoxp-1-2-3 xapp-1-A0-99 xoxe.xoxp-1-abc id_token=${jwt} t=${installation}`,
    );
    for (const secret of [installation, "abc.def", "xoxp-1", "xapp-1", jwt, "eyJ"]) expect(out).not.toContain(secret);
  });

  it("finds tokens at the start of JSON-escaped lines too", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl";
    const body = JSON.stringify({ text: `a\nxoxb-1234-secret\nBearer abc.def\n${jwt}` });
    for (const text of [body, JSON.stringify(body)]) {
      expect(redactText(text)).not.toMatch(/xoxb-1234|abc\.def|eyJ/);
    }
  });

  it("does not mangle its own words: a bearer token is a token, 'bearer token' is a phrase", () => {
    for (const line of [
      "refused a Teams activity without a bearer token",
      "refused a Teams activity with a bad bearer token.",
      "Basic authentication is not supported",
    ]) {
      expect(redactText(line)).toBe(line);
    }
    expect(redactText("Authorization: Bearer abc.def.ghi")).toBe("Authorization: Bearer [REDACTED]");
  });

  it("leaves Teams channel and chat ids readable: they are not e-mails", () => {
    for (const id of [
      "19:a1b2c3d4e5f6@thread.tacv2",
      "19:AbCdEfGhIjKlMnOpQrStUvWxYz012345@thread.tacv2",
      "19:support-desk@thread.skype",
      "19:meeting_MjA5@thread.v2",
      "19:a1b2c3_d4e5@unq.gbl.spaces",
    ]) {
      expect(redactText(`posted to ${id};messageid=1700`)).toBe(`posted to ${id};messageid=1700`);
      expect(redactText(JSON.stringify({ conversation: { id: `${id}\n` } }))).toContain(id);
    }
    expect(redactText("ana@thread.example.com")).toBe("[REDACTED_EMAIL]");
  });

  it("leaves ordinary words, ids and numbers alone", () => {
    for (const line of [
      "request 42 from T0123ABCD in C0SUPPORT1 at 2026-11-29",
      "ts 1700000000.000123 in conversation a:personal-29:user-1",
      "tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 internationalization",
      "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ]) {
      expect(redactText(line)).toBe(line);
    }
  });
});
