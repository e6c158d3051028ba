import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import {
  type Deps,
  deleteSlackInstallation,
  loadSlackInstallation,
  saveSlackInstallation,
} from "../../handlers/index.ts";

/** Where a Slack workspace's installation is: an org-wide install by its Enterprise Grid id, else by team id. */
export interface WorkspaceRef {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

/** "E:<enterpriseId>" for org-wide installs, else "T:<teamId>". */
export function installationKey(ref: WorkspaceRef): string {
  if (ref.isEnterpriseInstall && ref.enterpriseId) return `E:${ref.enterpriseId}`;
  if (ref.teamId) return `T:${ref.teamId}`;
  throw new Error("a Slack installation needs a team id or an enterprise id");
}

/** The key of a configured workspace id (SUPPORT_SLACK_TEAM_ID may be a team T… or an org E…). */
export function keyOfWorkspaceId(id: string): string {
  return id.startsWith("E") ? `E:${id}` : `T:${id}`;
}

export interface SlackInstallationStore extends InstallationStore {
  fetchByKey(key: string): Promise<Installation | undefined>;
  deleteByKey(key: string): Promise<void>;
}

/**
 * Bolt's installation store over the database (through the use cases'
 * storage functions). `onStored` runs after an installation was saved.
 */
export function createInstallationStore(deps: Deps, onStored?: (key: string) => void): SlackInstallationStore {
  const fetchByKey = async (key: string): Promise<Installation | undefined> => {
    const raw = await loadSlackInstallation(deps, key);
    return raw ? (JSON.parse(raw) as Installation) : undefined;
  };
  return {
    async storeInstallation(installation) {
      const key = installationKey({
        teamId: installation.team?.id,
        enterpriseId: installation.enterprise?.id,
        isEnterpriseInstall: installation.isEnterpriseInstall,
      });
      await saveSlackInstallation(deps, key, {
        teamId: installation.team?.id,
        enterpriseId: installation.enterprise?.id,
        installation: JSON.stringify(installation),
      });
      deps.logger.info({ key }, "Slack installation stored");
      onStored?.(key);
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const key = installationKey(query);
      const found = await fetchByKey(key);
      if (!found) throw new Error(`no Slack installation for ${key}`);
      return found;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      const key = installationKey(query);
      await deleteSlackInstallation(deps, key);
      deps.logger.info({ key }, "Slack installation deleted");
    },
    fetchByKey,
    deleteByKey: async (key) => await deleteSlackInstallation(deps, key),
  };
}
