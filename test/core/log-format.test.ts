import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { createLogger, type LogFormat, type Logger, resolveLogFormat } from "../../src/logger.ts";

/** What a logger in that format writes for the lines logged by `log`. */
function written(format: LogFormat | undefined, log: (logger: Logger) => void): string {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  log(createLogger({ level: "debug", format, destination }));
  return chunks.join("");
}

describe("LOG_FORMAT", () => {
  it("is json, pretty or unset; anything else names the setting", () => {
    expect(loadConfig({}).logFormat).toBeUndefined();
    expect(loadConfig({ LOG_FORMAT: "" }).logFormat).toBeUndefined();
    expect(loadConfig({ LOG_FORMAT: "pretty" }).logFormat).toBe("pretty");
    expect(loadConfig({ LOG_FORMAT: "json" }).logFormat).toBe("json");
    expect(() => loadConfig({ LOG_FORMAT: "yaml" })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_FORMAT: "yaml" })).toThrow(/LOG_FORMAT/);
  });

  it("unset means pretty on a terminal and JSON lines otherwise", () => {
    expect(resolveLogFormat(undefined, true)).toBe("pretty");
    expect(resolveLogFormat(undefined, false)).toBe("json");
    expect(resolveLogFormat("json", true)).toBe("json");
    expect(resolveLogFormat("pretty", false)).toBe("pretty");
  });

  it("writes one JSON object a line by default", () => {
    const out = written(undefined, (l) => l.info({ firmId: "T0FIRM0001" }, "licence created"));
    const line = JSON.parse(out.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, msg: "licence created", firmId: "T0FIRM0001" });
  });

  it("writes for a person when pretty, synchronously, and still redacts", () => {
    const out = written("pretty", (l) => {
      l.warn({ firmId: "T0FIRM0001", note: "NIF\n12345678Z" }, "rejected 7K3MX-4Q9TB-ZR2WN-8HJPA from ana@example.com");
    });
    // Written by the time the call returns: no worker thread in between.
    expect(out).toContain("WARN");
    expect(out).toContain("rejected [REDACTED_LICENCE] from [REDACTED_EMAIL]");
    expect(out).toContain('firmId: "T0FIRM0001"');
    expect(out).not.toMatch(/^\{/);
    expect(out).not.toMatch(/12345678Z|7K3MX|ana@example/);
  });

  it("keeps every field of the start line when pretty, the pid too", () => {
    const out = written("pretty", (l) =>
      l.info({ version: "0.1.0", pid: 4242, url: "http://bot.example.com", slack: "off" }, "Licencias PYMES listening"),
    );
    expect(out).toContain("INFO (4242): Licencias PYMES listening");
    expect(out).toContain('version: "0.1.0"');
    expect(out).toContain('slack: "off"');
  });
});
