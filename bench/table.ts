/**
 * The bench's one table: measure, SQLite's value, peer, ratio, target, ok,
 * and PostgreSQL's value beside it with the ratio PostgreSQL/SQLite. Columns
 * empty on every row (a run on one storage) are left out.
 */

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** A measure that could not be taken: what it threw. A miss, whatever the storage. */
export interface Failed {
  failed: string;
}

export type Figure = Spread | Failed;

const isFailed = (f: Figure | undefined): f is Failed => f !== undefined && "failed" in f;
const spreadOf = (f: Figure | undefined): Spread | undefined => (f === undefined || isFailed(f) ? undefined : f);

export interface Row {
  measure: string;
  unit: string;
  /** SQLite's value: what the targets judge (absent when the run is on PostgreSQL only). */
  value?: Figure | undefined;
  /** The same measure of the peer, from the same run. */
  peer?: Figure | undefined;
  peerName?: string;
  /** Targets: the value at most / the ratio to the peer at most or at least. */
  max?: number;
  maxRatio?: number;
  minRatio?: number;
  /** Requests that failed during the measure: any is a miss. */
  errors?: number;
  /** The same measure on PostgreSQL, same run: reported, not judged. */
  postgres?: Figure | undefined;
  /** Requests that failed on PostgreSQL: any is a miss there too. */
  postgresErrors?: number;
}

function num(n: number): string {
  if (!Number.isFinite(n)) return "–";
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString("en");
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

function spread(s: Spread, unit: string): string {
  return s.min === s.max ? `${num(s.median)} ${unit}` : `${num(s.median)} ${unit} [${num(s.min)}–${num(s.max)}]`;
}

export function table(rows: Row[]): { text: string; missed: number } {
  let missed = 0;
  /** Each distinct failure once, with the measures it took down. */
  const failures = new Map<string, string[]>();
  const lines = rows.map((r) => {
    const value = spreadOf(r.value);
    const postgres = spreadOf(r.postgres);
    const peer = spreadOf(r.peer);
    const ratio = value && peer ? value.median / peer.median : undefined;
    const targets: string[] = [];
    const fails: boolean[] = [];
    let postgresMissed = false;
    for (const [storage, figure] of [
      ["SQLite", r.value],
      ["PostgreSQL", r.postgres],
    ] as const) {
      if (!isFailed(figure)) continue;
      if (storage === "SQLite") fails.push(true);
      else postgresMissed = true;
      const key = `${storage}: ${figure.failed}`;
      failures.set(key, [...(failures.get(key) ?? []), r.measure.trim()]);
    }
    if (value) {
      if (r.max !== undefined) {
        targets.push(`≤ ${num(r.max)} ${r.unit}`);
        fails.push(!(value.median <= r.max));
      }
      if (r.maxRatio !== undefined) {
        targets.push(`≤ ${r.maxRatio}× peer`);
        fails.push(ratio === undefined || !(ratio <= r.maxRatio));
      }
      if (r.minRatio !== undefined) {
        targets.push(`≥ ${r.minRatio}× peer`);
        fails.push(ratio === undefined || !(ratio >= r.minRatio));
      }
    }
    if (r.errors) {
      targets.push(`${r.errors} failed`);
      fails.push(true);
    }
    const judged = fails.length > 0;
    const ok = fails.every((f) => !f);
    // The ok column is SQLite's verdict; a failure on PostgreSQL shows in its own cell, and is a miss too.
    if (r.postgresErrors) postgresMissed = true;
    if ((judged && !ok) || postgresMissed) missed++;
    const pgRatio = value && postgres ? postgres.median / value.median : undefined;
    const cell = (f: Figure | undefined) => (f === undefined ? "" : isFailed(f) ? "failed" : spread(f, r.unit));
    const postgresCell = r.postgresErrors ? `${cell(r.postgres)}, ${r.postgresErrors} failed` : cell(r.postgres);
    return [
      r.measure,
      cell(r.value),
      r.peer ? `${cell(r.peer)} (${r.peerName ?? "peer"})` : "",
      ratio === undefined ? "" : `${ratio.toFixed(2)}×`,
      targets.join(", "),
      judged ? (ok ? "ok" : "MISS") : "",
      postgresCell,
      pgRatio === undefined || !Number.isFinite(pgRatio) ? "" : `${pgRatio.toFixed(2)}×`,
    ];
  });
  const header = ["measure", "SQLite", "peer", "ratio", "target", "ok", "PostgreSQL", "PostgreSQL/SQLite"];
  const shown = header.map((_, i) => i === 0 || lines.some((l) => (l[i] ?? "") !== ""));
  const pick = (l: string[]) => l.filter((_, i) => shown[i]);
  const all = [header, ...lines].map(pick);
  const widths = (all[0] ?? []).map((_, i) => Math.max(...all.map((l) => (l[i] ?? "").length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const [head = [], ...body] = all;
  const text = [
    fmt(head),
    `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`,
    ...body.map(fmt),
    ...(failures.size > 0 ? ["", "failed:"] : []),
    ...[...failures].map(
      ([failure, measures]) => `- ${failure} (${measures.length === 1 ? measures[0] : `${measures.length} measures`})`,
    ),
  ].join("\n");
  return { text, missed };
}
