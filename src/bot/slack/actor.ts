import type { Context } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Locale } from "../../config.ts";
import type { Actor } from "../../handlers/index.ts";
import { pickLocale } from "../../i18n/index.ts";
import type { Logger } from "../../logger.ts";
import { TtlCache } from "../cache.ts";

/** What a verified request tells about who acts and where. */
export interface ActorSource {
  /** The request's Web API client (the installation's token). */
  client: WebClient;
  /** Bolt's context: team and enterprise come from the verified request and the installation, never from a value. */
  context: Context;
  userId: string;
  /** Interactivity payloads: the clicking user's own team. */
  userTeamId?: string | undefined;
  channelId?: string | undefined;
  /** The org's name, when the payload carries it (org-wide installs). */
  enterpriseName?: string | undefined;
}

interface Profile {
  locale?: string | undefined;
  name?: string | undefined;
  restricted: boolean;
  stranger: boolean;
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  teams: string[];
}

export interface ActorResolver {
  resolve(source: ActorSource): Promise<Actor>;
}

const USER_TTL_MS = 10 * 60_000;
const TEAM_TTL_MS = 60 * 60_000;

/**
 * Builds the Actor of a Slack request: the firm is the org (org-wide
 * installs) or the team; locale, name and guest status come from users.info
 * (include_locale), cached in memory for a few minutes.
 */
export function createActorResolver(options: { defaultLocale: Locale; logger: Logger }): ActorResolver {
  const users = new TtlCache<Profile>(USER_TTL_MS, 5000);
  const teams = new TtlCache<string | null>(TEAM_TTL_MS, 1000);

  async function profile(client: WebClient, workspaceId: string, userId: string): Promise<Profile> {
    const key = `${workspaceId}:${userId}`;
    const cached = users.get(key);
    if (cached) return cached;
    const res = await client.users.info({ user: userId, include_locale: true });
    const u = res.user;
    if (!u) throw new Error("users.info returned no user");
    const p: Profile = {
      locale: u.locale,
      name: u.profile?.display_name || u.real_name || u.name,
      restricted: Boolean(u.is_restricted || u.is_ultra_restricted),
      stranger: Boolean(u.is_stranger),
      teamId: u.team_id,
      enterpriseId: u.enterprise_user?.enterprise_id,
      teams: u.enterprise_user?.teams ?? [],
    };
    users.set(key, p);
    return p;
  }

  async function teamName(client: WebClient, teamId: string): Promise<string | undefined> {
    const cached = teams.get(teamId);
    if (cached !== undefined) return cached ?? undefined;
    try {
      const res = await client.team.info({ team: teamId });
      const name = res.team?.name ?? null;
      teams.set(teamId, name);
      return name ?? undefined;
    } catch (err) {
      options.logger.warn({ err }, "team.info failed: the firm keeps its current name");
      return undefined;
    }
  }

  return {
    async resolve(source) {
      const { context } = source;
      const org = Boolean(context.isEnterpriseInstall && context.enterpriseId);
      const workspaceId = org ? context.enterpriseId : context.teamId;
      if (!workspaceId) throw new Error("the request has no team or enterprise id");
      const p = await profile(source.client, workspaceId, source.userId);
      // Slack Connect: "determining whether a user is external must be done implicitly".
      let external = p.stranger;
      if (org) {
        if (p.enterpriseId && p.enterpriseId !== context.enterpriseId) external = true;
      } else {
        const home = p.teamId === context.teamId || p.teams.includes(context.teamId ?? "");
        if (p.teamId && !home) external = true;
        if (source.userTeamId && source.userTeamId !== context.teamId && !p.teams.includes(source.userTeamId)) {
          external = true;
        }
      }
      const workspaceName = org ? source.enterpriseName : await teamName(source.client, workspaceId);
      return {
        platform: "slack",
        workspaceId,
        workspaceName,
        userId: source.userId,
        userName: p.name,
        locale: pickLocale(p.locale, options.defaultLocale),
        channelId: source.channelId,
        guest: p.restricted,
        external,
      };
    },
  };
}
