import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ALPHABET,
  formatLicenceNumber,
  generateLicenceNumber,
  parseLicenceNumber,
} from "../../src/domain/licence-number.ts";

const random = (n: number) => randomBytes(n);

describe("licence numbers", () => {
  it("have 19 random characters and a check character, grouped XXXXX-XXXXX-XXXXX-XXXXX", () => {
    for (let i = 0; i < 200; i++) {
      const n = generateLicenceNumber(random);
      expect(n).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}$/);
      expect(formatLicenceNumber(n)).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
      expect(parseLicenceNumber(formatLicenceNumber(n))).toBe(n);
    }
  });

  it("use an alphabet without I, L, O, U", () => {
    expect(ALPHABET).toHaveLength(32);
    expect(ALPHABET).not.toMatch(/[ILOU]/);
  });

  it("spread over the whole alphabet (no bias towards some characters)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      for (const ch of generateLicenceNumber(random).slice(0, 19)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    const expected = (2000 * 19) / 32;
    for (const c of counts.values()) expect(Math.abs(c - expected) / expected).toBeLessThan(0.2);
  });

  it("catch every single mistyped character", () => {
    for (let k = 0; k < 30; k++) {
      const n = generateLicenceNumber(random);
      for (let pos = 0; pos < n.length; pos++) {
        for (const ch of ALPHABET) {
          if (ch === n[pos]) continue;
          const typo = n.slice(0, pos) + ch + n.slice(pos + 1);
          expect(parseLicenceNumber(typo), `${pos}:${ch}`).toBeUndefined();
        }
      }
    }
  });

  it("are read in any case, with or without hyphens or spaces, with I/L as 1 and O as 0", () => {
    const n = generateLicenceNumber(() => new Uint8Array(19).fill(1)); // 1111…1 + check
    expect(n.startsWith("1111111111111111111")).toBe(true);
    const typed = formatLicenceNumber(n)
      .toLowerCase()
      .replace(/1/g, (_m, i: number) => (i % 2 ? "l" : "I"));
    expect(parseLicenceNumber(typed)).toBe(n);
    const zeros = generateLicenceNumber(() => new Uint8Array(19));
    expect(
      parseLicenceNumber(
        ` ${zeros
          .replace(/0/g, "o")
          .match(/.{1,5}/g)
          ?.join(" ")} `,
      ),
    ).toBe(zeros);
  });

  it("refuse wrong lengths and foreign characters", () => {
    const n = generateLicenceNumber(random);
    expect(parseLicenceNumber(n.slice(1))).toBeUndefined();
    expect(parseLicenceNumber(`${n}0`)).toBeUndefined();
    expect(parseLicenceNumber(`${n.slice(0, 19)}U`)).toBeUndefined();
    expect(parseLicenceNumber(`${n.slice(0, 19)}*`)).toBeUndefined();
    expect(parseLicenceNumber("")).toBeUndefined();
  });
});
