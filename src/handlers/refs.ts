import type { Deps } from "./context.ts";

/**
 * Opaque references the adapters keep to reach a person or a conversation
 * later (Teams conversation references, the support channel), and Slack
 * OAuth installations. The adapters own their content; handlers only store it.
 */
export function saveRef(deps: Deps, kind: string, key: string, value: string): void {
  deps.store.putRef(kind, key, value, deps.now());
}

export function loadRef(deps: Deps, kind: string, key: string): string | undefined {
  return deps.store.getRef(kind, key);
}

export function deleteRef(deps: Deps, kind: string, key: string): void {
  deps.store.deleteRef(kind, key);
}

export function saveSlackInstallation(
  deps: Deps,
  key: string,
  value: { teamId?: string | undefined; enterpriseId?: string | undefined; installation: string },
): void {
  deps.store.saveSlackInstallation(key, value, deps.now());
}

export function loadSlackInstallation(deps: Deps, key: string): string | undefined {
  return deps.store.getSlackInstallation(key);
}

export function deleteSlackInstallation(deps: Deps, key: string): void {
  deps.store.deleteSlackInstallation(key);
}

/** The database answers (for /healthz). */
export function checkHealth(deps: Deps): boolean {
  try {
    deps.store.ping();
    return true;
  } catch (err) {
    deps.logger.error({ err }, "health check: the database does not answer");
    return false;
  }
}
