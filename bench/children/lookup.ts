import { createHash } from "node:crypto";
import Database from "better-sqlite3";

/**
 * The validation's lookup as a minimal app would write it: one prepared
 * statement over the same database, the token hashed as the app stores it.
 */
export function validationLookup(
  path: string,
): (authorization: string | undefined) => { status: number; code: string } {
  const db = new Database(path);
  db.pragma("busy_timeout = 5000");
  const find = db.prepare<
    [string],
    { unlinked: number | null; bound: number; id: number; deleted: number | null; state: string; firm: string }
  >(
    `select i.id, i.unlinked_at as unlinked, l.installation_id as bound, l.deleted_at as deleted, l.state, f.activation_state as firm
       from installations i join licences l on l.id = i.licence_id join firms f on f.id = l.firm_id
      where i.token_hash = ?`,
  );
  return (authorization) => {
    const token = /^Bearer +(\S+) *$/i.exec(authorization ?? "")?.[1];
    if (!token) return { status: 401, code: "UNAUTHORIZED" };
    const row = find.get(createHash("sha256").update(token, "utf8").digest("hex"));
    if (!row || row.deleted !== null) return { status: 200, code: "NOT_FOUND" };
    if (row.unlinked !== null || row.bound !== row.id) return { status: 200, code: "UNLINKED" };
    if (row.firm !== "active") return { status: 200, code: "FEATURE_DISABLED" };
    return { status: 200, code: row.state === "deactivated" ? "DEACTIVATED" : "VALID" };
  };
}
