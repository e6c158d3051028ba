import { describe, expect, it } from "vitest";
import { ConfigError, isTeamsEmulatorMode, loadConfig } from "../../src/config.ts";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("configuration", () => {
  it("has the documented defaults with no settings at all", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3978,
      host: "127.0.0.1",
      databasePath: "./data/licencias.db",
      defaultLocale: "es",
      trustProxy: false,
      logLevel: "info",
      support: { userIds: [] },
    });
    expect(c.slack).toBeUndefined();
    expect(isTeamsEmulatorMode(c)).toBe(true);
  });

  it("treats empty values as unset, as .env.example leaves them", () => {
    const c = loadConfig({ SLACK_SIGNING_SECRET: "", BOT_ID: "", PUBLIC_URL: "", INSTALLER_URL: "" });
    expect(c.slack).toBeUndefined();
    expect(c.teams.appId).toBeUndefined();
  });

  it("names every wrong setting", () => {
    const p = problems({
      PORT: "http",
      DEFAULT_LOCALE: "fr",
      PUBLIC_URL: "not a url",
      SUPPORT_SLACK_CHANNEL_ID: "general",
    });
    expect(p.join("\n")).toMatch(/PORT/);
    expect(p.join("\n")).toMatch(/DEFAULT_LOCALE/);
    expect(p.join("\n")).toMatch(/PUBLIC_URL/);
    expect(p.join("\n")).toMatch(/SUPPORT_SLACK_CHANNEL_ID/);
  });

  it("knows which Slack mode is meant, and refuses half a configuration", () => {
    expect(loadConfig({ SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "xoxb-1" }).slack?.botToken).toBe("xoxb-1");
    const oauth = loadConfig({
      SLACK_SIGNING_SECRET: "s",
      SLACK_CLIENT_ID: "1",
      SLACK_CLIENT_SECRET: "2",
      SLACK_STATE_SECRET: "3",
    });
    expect(oauth.slack?.oauth).toEqual({ clientId: "1", clientSecret: "2", stateSecret: "3" });
    expect(problems({ SLACK_SIGNING_SECRET: "s" })[0]).toMatch(/SLACK_BOT_TOKEN/);
    expect(problems({ SLACK_BOT_TOKEN: "xoxb-1" })[0]).toMatch(/SLACK_SIGNING_SECRET/);
    expect(problems({ SLACK_SIGNING_SECRET: "s", SLACK_CLIENT_ID: "1" }).join()).toMatch(/together/);
    expect(
      problems({
        SLACK_SIGNING_SECRET: "s",
        SLACK_CLIENT_ID: "1",
        SLACK_CLIENT_SECRET: "2",
        SLACK_STATE_SECRET: "3",
        SUPPORT_SLACK_CHANNEL_ID: "C0123456789",
      }).join(),
    ).toMatch(/SUPPORT_SLACK_TEAM_ID/);
  });

  it("turns the Teams emulator off with a bot id or a non-loopback host", () => {
    expect(isTeamsEmulatorMode(loadConfig({ BOT_ID: "id", BOT_PASSWORD: "pw" }))).toBe(false);
    expect(isTeamsEmulatorMode(loadConfig({ HOST: "0.0.0.0" }))).toBe(false);
    expect(isTeamsEmulatorMode(loadConfig({ HOST: "::1" }))).toBe(true);
    expect(problems({ BOT_ID: "id" })[0]).toMatch(/BOT_PASSWORD/);
    expect(problems({ BOT_ID: "id", BOT_PASSWORD: "pw", BOT_TYPE: "SingleTenant" })[0]).toMatch(/BOT_TENANT_ID/);
  });

  it("reads the support allow-list", () => {
    const c = loadConfig({ SUPPORT_USER_IDS: "U01, U02 ,aad-guid" });
    expect(c.support.userIds).toEqual(["U01", "U02", "aad-guid"]);
  });

  it("reads TRUST_PROXY as a hop count or the proxies' addresses, and off by default", () => {
    for (const off of ["", "false", "off", "0"]) expect(loadConfig({ TRUST_PROXY: off }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(
      loadConfig({ TRUST_PROXY: "127.0.0.1, 10.0.0.0/8,loopback, UniqueLocal, fd00::/8, 192.168.0.0/255.255.0.0" })
        .trustProxy,
    ).toEqual(["127.0.0.1", "10.0.0.0/8", "loopback", "uniquelocal", "fd00::/8", "192.168.0.0/255.255.0.0"]);
  });

  it("refuses TRUST_PROXY=true (every hop) and what is not a hop count or an address", () => {
    for (const every of ["true", "TRUE", "yes", "on", "0.0.0.0/0", "10.0.0.5, ::/0", "1.2.3.4/0.0.0.0"]) {
      const [problem] = problems({ TRUST_PROXY: every });
      expect(problem).toMatch(/^TRUST_PROXY: /);
      expect(problem).toMatch(/hop count/);
      expect(problem).toMatch(/addresses/);
    }
    for (const wrong of ["maybe", "10.0.0.0/33", "300.1.1.1", "10.0.0.0/255.0.255.0", "127.0.0.1/8/8", "-1"]) {
      expect(problems({ TRUST_PROXY: wrong })[0]).toMatch(/^TRUST_PROXY: .*not understood/);
    }
  });
});
