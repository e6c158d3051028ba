/**
 * A small, seeded fuzzer for JSON bodies: a valid body is mutated at random
 * paths (removed, replaced by a hostile value, extra fields added). Seeded so
 * a failing run is repeated with FUZZ_SEED=<the printed seed>.
 */

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed of this run: FUZZ_SEED when given; FUZZ_SEED=random for a new one
 * each run (to explore); else a fixed one, so CI is repeatable. The caller prints it.
 */
export function fuzzSeed(): number {
  const given = process.env.FUZZ_SEED;
  if (given === "random") return Math.floor(Math.random() * 2 ** 31) + 1;
  const n = Number(given);
  return Number.isInteger(n) && n > 0 ? n : 20_261_201;
}

export type Random = () => number;

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function deep(levels: number): unknown {
  let v: unknown = "bottom";
  for (let i = 0; i < levels; i++) v = { a: [v] };
  return v;
}

/** Values that break code which trusts its input's types. */
export function hostileValue(random: Random): unknown {
  return pick(random, [
    () => null,
    () => 0,
    () => -1,
    () => 1e308,
    () => Number.MAX_SAFE_INTEGER + 2,
    () => true,
    () => "",
    () => " ",
    () => "x".repeat(1 + Math.floor(random() * 5000)),
    () => "<at>Licencias PYMES</at> lista",
    () => "lista\u0000\u202e",
    () => "../../etc/passwd",
    () => "javascript:alert(1)",
    () => "http://",
    () => "%s%s%n{{}}$" + "{x}",
    () => [],
    () => [null],
    () => [1, "a", {}],
    () => ({}),
    () => ({ id: null }),
    () => ({ id: 5, name: [] }),
    () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'),
    () => deep(50),
  ])();
}

/** Every path (object keys and array indexes) inside a JSON value. */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [];
  const out: (string | number)[][] = [];
  // Not value.map: a mutation may have set an array's "constructor".
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? Array.from(value.keys(), (i) => [i, value[i]])
    : Object.entries(value);
  for (const [key, child] of entries) {
    const path = [...prefix, key];
    out.push(path, ...pathsOf(child, path));
  }
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove: boolean): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== "object") return;
    node = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] as string | number;
  if (remove && !Array.isArray(node)) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
}

export interface MutateOptions {
  /** Paths whose replacement must stay invalid (e.g. a serviceUrl: a valid other URL would send the bot elsewhere). */
  invalidOnly?: Record<string, () => unknown>;
}

/** 1–3 mutations of a copy of `base`: a path removed, replaced, or a field added. */
export function mutate(random: Random, base: unknown, options: MutateOptions = {}): unknown {
  const copy = structuredClone(base);
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const paths = pathsOf(copy);
    if (paths.length === 0) return hostileValue(random);
    const path = pick(random, paths);
    const key = path.join(".");
    const roll = random();
    if (roll < 0.3) {
      setAt(copy, path, undefined, true);
    } else if (roll < 0.85) {
      const special =
        options.invalidOnly && Object.hasOwn(options.invalidOnly, key) ? options.invalidOnly[key] : undefined;
      setAt(copy, path, special ? special() : hostileValue(random), false);
    } else {
      setAt(
        copy,
        [...path.slice(0, -1), pick(random, ["extra", "__proto__", "constructor", "0", ""])],
        hostileValue(random),
        false,
      );
    }
  }
  return copy;
}

/** Whether an answer shows what it must not: a stack trace, a source path, an internal error name. */
export function leaksInternals(text: string): boolean {
  return /\n\s+at |\bat [\w.<>]+ \(|node_modules|\/src\/|\.ts:\d+|file:\/\/|TypeError|ReferenceError|SyntaxError|ZodError/.test(
    text,
  );
}
