import { connect } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CSV_BOM, csvCell, csvRecord, parseCsv } from "../../src/domain/csv.ts";
import { EXPORT_PAGE_SIZE } from "../../src/handlers/export-csv.ts";
import {
  type Actor,
  createExportLink,
  type Deps,
  EXPORT_TTL_MS,
  openExport,
  resolveFirm,
} from "../../src/handlers/index.ts";
import { redactText } from "../../src/logger.ts";
import { advisor, startTestApp, type TestApp, tempDir, testDeps } from "../support/app.ts";

describe("CSV for Excel (src/domain/csv.ts)", () => {
  it("puts a ' before what a spreadsheet would read as a formula", () => {
    for (const start of ["=", "+", "-", "@", "\t"]) expect(csvCell(`${start}1+1`)).toBe(`'${start}1+1`);
    // A carriage return is a line break as well: quoted too.
    expect(csvCell("\r=1")).toBe(`"'\r=1"`);
    expect(csvCell("a=1")).toBe("a=1");
    expect(csvCell("")).toBe("");
  });

  it("quotes cells with ';', '\"' or line breaks, doubling quotes; records end in CRLF", () => {
    expect(csvCell("Gómez; Hermanos")).toBe('"Gómez; Hermanos"');
    expect(csvCell('Dicho "así"')).toBe('"Dicho ""así"""');
    expect(csvCell("dos\nlíneas")).toBe('"dos\nlíneas"');
    expect(csvCell("=a;b")).toBe(`"'=a;b"`);
    expect(csvCell("a,b")).toBe("a,b");
    expect(csvRecord(["a", "b;c", ""])).toBe('a;"b;c";\r\n');
    expect(CSV_BOM).toBe("\uFEFF");
  });

  it("reads back as written with the project's own reader", () => {
    const cells = ['x"y', "a;b", "l1\r\nl2", "=SUM(A1)", "plain", "", "-5"];
    const parsed = parseCsv(csvRecord(cells) + csvRecord(["2"]), ";");
    expect(parsed.records.map((r) => r.fields)).toEqual([
      ['x"y', "a;b", "l1\r\nl2", "'=SUM(A1)", "plain", "", "'-5"],
      ["2"],
    ]);
  });
});

/** Clients of a firm, straight into the database (faster than the use cases for thousands). */
function seedClients(dbPath: string, firmId: number, count: number, name: (i: number) => string): void {
  const sqlite = new Database(dbPath);
  try {
    const insert = sqlite.prepare(
      "insert into clients (firm_id, tax_id, name, created_at, updated_at) values (?, ?, ?, ?, ?)",
    );
    sqlite.transaction(() => {
      for (let i = 0; i < count; i++) insert.run(firmId, `TAX${firmId}-${i}`, name(i), 0, 0);
    })();
  } finally {
    sqlite.close();
  }
}

function tokenOf(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}

describe("the export, page by page (src/handlers/export-csv.ts)", () => {
  let deps: Awaited<ReturnType<typeof testDeps>> | undefined;
  afterEach(async () => await deps?.dispose());

  it("reads a page only when the reader asks for more, and every client exactly once across pages", async () => {
    deps = await testDeps();
    const actor: Actor = advisor("T0EXPORTCORE");
    const { url } = await createExportLink(deps, actor);
    const firm = await resolveFirm(deps, "slack", actor.workspaceId, undefined);
    // Many equal names: the pages must follow (name, id), not the name alone.
    const count = EXPORT_PAGE_SIZE * 2 + 37;
    seedClients(deps.dbPath, firm.id, count, (i) => (i % 3 === 0 ? "Mismo Nombre SL" : `Cliente ${i}`));
    let pages = 0;
    const counted: Deps = {
      ...deps,
      store: {
        ...deps.store,
        exportPage: async (...args) => {
          pages++;
          return (await deps?.store.exportPage(...args)) ?? [];
        },
      },
    };
    const download = await openExport(counted, tokenOf(url));
    if (download.status !== "ready") throw new Error(`not ready: ${download.status}`);
    const chunks = download.chunks[Symbol.asyncIterator]();
    const header = await chunks.next();
    expect(header.value).toMatch(/^\uFEFFNIF;Razón social;/);
    expect(pages).toBe(0);
    const first = (await chunks.next()).value as string;
    expect(pages).toBe(1);
    const rest: string[] = [first];
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) rest.push(next.value);
    expect(pages).toBe(3);
    expect(rest).toHaveLength(3);
    const rows = parseCsv(rest.join(""), ";").records.map((r) => r.fields);
    expect(rows).toHaveLength(count);
    expect(new Set(rows.map((r) => r[0])).size).toBe(count);
    expect(rows.every((r) => r.length === 12 && r[6] === "Sin licencia" && r[7] === "")).toBe(true);
    expect(rows[0]?.[8]).toBe("01/01/1970");
  });

  it("a token of the wrong shape is unknown without a lookup; the link's clock is the deps' clock", async () => {
    let now = Date.UTC(2026, 11, 1, 10, 0, 0);
    deps = await testDeps({ now: () => now });
    for (const bad of ["", "short", "A".repeat(44), `${"A".repeat(42)}=`, "../../etc/passwd"]) {
      expect(await openExport(deps, bad)).toEqual({ status: "unknown" });
    }
    const link = await createExportLink(deps, advisor("T0EXPORTCLK", { locale: "en" }));
    expect(link.expiresAt).toBe(now + EXPORT_TTL_MS);
    // Without a base URL (no server), the link is the path.
    expect(link.url).toMatch(/^\/export\/[A-Za-z0-9_-]{43}$/);
    now += EXPORT_TTL_MS;
    expect(await openExport(deps, tokenOf(link.url))).toEqual({ status: "expired", locale: "en" });
  });

  it("names the file after the day in Madrid", async () => {
    // 23:30 UTC on 31 December is already 1 January in Madrid.
    deps = await testDeps({ now: () => Date.UTC(2026, 11, 31, 23, 30, 0) });
    const link = await createExportLink(deps, advisor("T0EXPORTDAY"));
    const download = await openExport(deps, tokenOf(link.url));
    expect(download.status === "ready" && download.filename).toBe("licencias-pymes-2027-01-01.csv");
  });
});

describe("the export route under load", () => {
  let app: TestApp | undefined;
  const tmp = tempDir();
  afterEach(async () => {
    await app?.dispose();
    tmp.remove();
  });

  it("streams with backpressure: a reader that stops makes the server stop reading pages; the server serves on", async () => {
    const dbPath = join(tmp.dir, "big.db");
    app = await startTestApp({ DATABASE_PATH: dbPath });
    const running = app;
    const actor = advisor("T0EXPORTBIG");
    const { url } = await createExportLink(running.deps, actor);
    expect(url.startsWith(`${running.url}/export/`)).toBe(true);
    const firm = await resolveFirm(running.deps, "slack", actor.workspaceId, undefined);
    // About 20 MB of CSV: far more than the sockets' buffers hold.
    const pagesInAll = 100;
    seedClients(
      dbPath,
      firm.id,
      EXPORT_PAGE_SIZE * pagesInAll,
      (i) => `Cliente ${String(i).padStart(6, "0")} ${"x".repeat(400)}`,
    );
    // The route reads the store through the app's deps: count the pages it reads.
    let pages = 0;
    const store = running.deps.store;
    running.deps.store = {
      ...store,
      exportPage: async (...args) => {
        pages++;
        return await store.exportPage(...args);
      },
    };
    const { host, hostname, port, pathname } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port) });
    socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    const head = await new Promise<string>((resolve) => socket.once("data", (chunk: Buffer) => resolve(String(chunk))));
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    // The reader goes away after its first bytes.
    socket.destroy();
    await vi.waitFor(() => expect(running.logLines.join("")).toContain("export download closed by the client"));
    expect(pages).toBeGreaterThan(0);
    expect(pages).toBeLessThan(pagesInAll / 2);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    expect(running.logLines.join("")).not.toContain("export download failed");
  });

  it("the redactor removes whatever follows /export/ in a logged URL", () => {
    expect(
      redactText("GET https://licencias.example.com/export/abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq done"),
    ).toBe("GET https://licencias.example.com/export/[REDACTED_TOKEN] done");
    expect(redactText("/export/short")).toBe("/export/[REDACTED_TOKEN]");
  });
});
