/**
 * `npm run build`: compiles src/ to dist/ (tsconfig.build.json) and copies
 * the SQL migrations (SQLite and PostgreSQL) next to the compiled database code, where it looks for
 * them. `npm run start:prod` then runs dist/main.js with plain node.
 */
import { execFileSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const dist = join(root, "dist");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
cpSync(join(root, "src/db/migrations"), join(dist, "db/migrations"), { recursive: true });
cpSync(join(root, "src/db/pg/migrations"), join(dist, "db/pg/migrations"), { recursive: true });
process.stdout.write(`built ${dist}\n`);
