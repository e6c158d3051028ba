/**
 * The paths Slack calls (manifests/slack/manifest.json names them), apart
 * from the rest of the Slack bot so the server can route by them without
 * loading Bolt.
 */
export const PATHS = { events: "/slack/events", install: "/slack/install", redirect: "/slack/oauth_redirect" } as const;
