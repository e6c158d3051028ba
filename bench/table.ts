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

export interface Row {
  measure: string;
  unit: string;
  /** SQLite's value: what the targets judge (absent when the run is on PostgreSQL only). */
  value?: Spread | undefined;
  /** The same measure of the peer, from the same run. */
  peer?: Spread | undefined;
  peerName?: string;
  /** Targets: the value at most / the ratio to the peer at most or at least. */
  max?: number;
  maxRatio?: number;
  minRatio?: number;
  /** Requests that failed during the measure: any is a miss. */
  errors?: number;
  /** The same measure on PostgreSQL, same run: reported, not judged. */
  postgres?: Spread | undefined;
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
  const lines = rows.map((r) => {
    const ratio = r.value && r.peer ? r.value.median / r.peer.median : undefined;
    const targets: string[] = [];
    const fails: boolean[] = [];
    if (r.value) {
      if (r.max !== undefined) {
        targets.push(`≤ ${num(r.max)} ${r.unit}`);
        fails.push(!(r.value.median <= r.max));
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
    if (r.postgresErrors) {
      targets.push(`${r.postgresErrors} failed on PostgreSQL`);
      fails.push(true);
    }
    const judged = fails.length > 0;
    const ok = fails.every((f) => !f);
    if (judged && !ok) missed++;
    const pgRatio = r.value && r.postgres ? r.postgres.median / r.value.median : undefined;
    return [
      r.measure,
      r.value ? spread(r.value, r.unit) : "",
      r.peer ? `${spread(r.peer, r.unit)} (${r.peerName ?? "peer"})` : "",
      ratio === undefined ? "" : `${ratio.toFixed(2)}×`,
      targets.join(", "),
      judged ? (ok ? "ok" : "MISS") : "",
      r.postgres ? spread(r.postgres, r.unit) : "",
      pgRatio === undefined ? "" : `${pgRatio.toFixed(2)}×`,
    ];
  });
  const header = ["measure", "SQLite", "peer", "ratio", "target", "ok", "PostgreSQL", "PostgreSQL/SQLite"];
  const shown = header.map((_, i) => i === 0 || lines.some((l) => (l[i] ?? "") !== ""));
  const pick = (l: string[]) => l.filter((_, i) => shown[i]);
  const all = [header, ...lines].map(pick);
  const widths = (all[0] ?? []).map((_, i) => Math.max(...all.map((l) => (l[i] ?? "").length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const [head = [], ...body] = all;
  const text = [fmt(head), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...body.map(fmt)].join("\n");
  return { text, missed };
}
