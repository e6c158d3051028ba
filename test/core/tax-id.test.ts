import { describe, expect, it } from "vitest";
import { isValidTaxId, normaliseTaxId, taxIdKind } from "../../src/domain/tax-id.ts";

describe("tax ids", () => {
  it.each([
    ["12345678Z", "DNI"],
    ["00000000T", "DNI"],
    ["99999999R", "DNI"],
    ["X1234567L", "NIE"],
    ["Y1234567X", "NIE"],
    ["Z1234567R", "NIE"],
    ["K1234567D", "NIF_KLM"],
    ["L1234567D", "NIF_KLM"],
    ["M1234567D", "NIF_KLM"],
    ["B12345674", "ENTITY"],
    ["A58818501", "ENTITY"],
    ["B65410011", "ENTITY"],
    ["Q2826000H", "ENTITY"],
    ["P2807900B", "ENTITY"],
    ["S2833002E", "ENTITY"],
    ["G12345674", "ENTITY"],
    ["G1234567D", "ENTITY"],
    ["N0032484H", "ENTITY"],
    ["W0184081H", "ENTITY"],
  ])("%s is a valid %s", (id, kind) => {
    expect(taxIdKind(id)).toBe(kind);
  });

  it.each([
    ["12345678A", "wrong DNI letter"],
    ["1234567Z", "seven digits"],
    ["X1234567A", "wrong NIE letter"],
    ["K1234567A", "wrong K letter"],
    ["B12345675", "wrong entity digit"],
    ["B1234567D", "B takes a digit, not a letter"],
    ["Q28260008", "Q takes a letter, not a digit"],
    ["I12345674", "I is not an entity letter"],
    ["", "empty"],
    ["ABCDEFGHI", "letters only"],
    ["123456789", "digits only"],
  ])("%s is refused (%s)", (id) => {
    expect(isValidTaxId(id)).toBe(false);
  });

  it("normalises case, spaces, hyphens, dots and the ES prefix", () => {
    expect(normaliseTaxId(" 12.345.678-z ")).toBe("12345678Z");
    expect(normaliseTaxId("b-1234567 4")).toBe("B12345674");
    expect(normaliseTaxId("ESB12345674")).toBe("B12345674");
    expect(isValidTaxId("x-1234567-l")).toBe(true);
  });
});
