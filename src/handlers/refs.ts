import type { Deps } from "./context.ts";

/**
 * Opaque references the adapters keep to reach a person or a conversation
 * later (Teams conversation references, the support channel), and Slack
 * OAuth installations. The adapters own their content; handlers only store it.
 */
export async function saveRef(deps: Deps, kind: string, key: string, value: string): Promise<void> {
  await deps.store.putRef(kind, key, value, deps.now());
}

export async function loadRef(deps: Deps, kind: string, key: string): Promise<string | undefined> {
  return await deps.store.getRef(kind, key);
}

export async function deleteRef(deps: Deps, kind: string, key: string): Promise<void> {
  await deps.store.deleteRef(kind, key);
}

export async function saveSlackInstallation(
  deps: Deps,
  key: string,
  value: { teamId?: string | undefined; enterpriseId?: string | undefined; installation: string },
): Promise<void> {
  await deps.store.saveSlackInstallation(key, value, deps.now());
}

export async function loadSlackInstallation(deps: Deps, key: string): Promise<string | undefined> {
  return await deps.store.getSlackInstallation(key);
}

export async function deleteSlackInstallation(deps: Deps, key: string): Promise<void> {
  await deps.store.deleteSlackInstallation(key);
}

/** The database answers (for /healthz). */
export async function checkHealth(deps: Deps): Promise<boolean> {
  try {
    await deps.store.ping();
    return true;
  } catch (err) {
    deps.logger.error({ err }, "health check: the database does not answer");
    return false;
  }
}
