/** The bench's one table: measure, value, peer, ratio, target, ok. */

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface Row {
  measure: string;
  value: Spread;
  unit: string;
  /** The same measure of the peer, from the same run. */
  peer?: Spread;
  peerName?: string;
  /** Targets: the value at most / the ratio to the peer at most or at least. */
  max?: number;
  maxRatio?: number;
  minRatio?: number;
  /** Requests that failed during the measure: any is a miss. */
  errors?: number;
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
    const ratio = r.peer ? r.value.median / r.peer.median : undefined;
    const targets: string[] = [];
    const fails: boolean[] = [];
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
    if (r.errors) {
      targets.push(`${r.errors} failed`);
      fails.push(true);
    }
    const judged = fails.length > 0;
    const ok = fails.every((f) => !f);
    if (judged && !ok) missed++;
    return [
      r.measure,
      spread(r.value, r.unit),
      r.peer ? `${spread(r.peer, r.unit)} (${r.peerName ?? "peer"})` : "",
      ratio === undefined ? "" : `${ratio.toFixed(2)}×`,
      targets.join(", "),
      judged ? (ok ? "ok" : "MISS") : "",
    ];
  });
  const header = ["measure", "value", "peer", "ratio", "target", "ok"];
  const all = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...all.map((l) => (l[i] ?? "").length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const text = [fmt(header), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...lines.map(fmt)].join("\n");
  return { text, missed };
}
