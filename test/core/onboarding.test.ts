import { describe, expect, it } from "vitest";
import { DAY_MS, type HandoverFacts, onboarding } from "../../src/domain/onboarding.ts";

const NOW = Date.UTC(2026, 11, 5, 9, 0);
const ago = (days: number) => NOW - days * DAY_MS;
const opts = { now: NOW, silentDays: 3 };

const facts = (extra: Partial<HandoverFacts> = {}): HandoverFacts => ({
  state: "active",
  createdAt: ago(20),
  detailsSentAt: null,
  linkedAt: null,
  selfManagedAt: null,
  lastContactAt: null,
  ...extra,
});

describe("the onboarding status of a licence", () => {
  it("walks the handover: to send, to install, installed, self-managed", () => {
    expect(onboarding(facts(), opts)).toMatchObject({ state: "toSend", next: "send" });
    expect(onboarding(facts({ detailsSentAt: ago(8) }), opts)).toMatchObject({ state: "toInstall", next: "install" });
    const installed = facts({ detailsSentAt: ago(8), linkedAt: ago(6), lastContactAt: ago(1) });
    expect(onboarding(installed, opts)).toMatchObject({ state: "installed", next: "selfManage" });
    expect(onboarding({ ...installed, selfManagedAt: ago(5) }, opts)).toMatchObject({
      state: "selfManaged",
      next: "none",
    });
  });

  it("gives each step its date, and the notifications only when they were counted", () => {
    const f = facts({ detailsSentAt: ago(8), linkedAt: ago(6), lastContactAt: ago(1) });
    const { steps } = onboarding(f, opts);
    expect(steps.map((s) => [s.id, s.done, s.at])).toEqual([
      ["created", true, ago(20)],
      ["detailsSent", true, ago(8)],
      ["activated", true, ago(6)],
      ["selfManaged", false, null],
      ["lastContact", true, ago(1)],
    ]);
    const counted = onboarding({ ...f, notifications: { count: 2, latestAt: ago(2) } }, opts).steps.at(-1);
    expect(counted).toEqual({ id: "notifications", done: true, at: ago(2), count: 2 });
    const none = onboarding({ ...f, notifications: { count: 0, latestAt: null } }, opts).steps.at(-1);
    expect(none).toMatchObject({ id: "notifications", done: false });
  });

  it("is silent when a self-managed client's app has not been in contact for silentDays", () => {
    const selfManaged = facts({ detailsSentAt: ago(9), linkedAt: ago(8), selfManagedAt: ago(8) });
    // Counted from the last contact...
    const silent = onboarding({ ...selfManaged, lastContactAt: ago(4) }, opts);
    expect(silent).toMatchObject({ state: "silent", silentSince: ago(4), next: "checkApp" });
    expect(onboarding({ ...selfManaged, lastContactAt: ago(2) }, opts).state).toBe("selfManaged");
    // ...exactly silentDays is silent; a moment less is not.
    expect(onboarding({ ...selfManaged, lastContactAt: ago(3) }, opts).state).toBe("silent");
    expect(onboarding({ ...selfManaged, lastContactAt: ago(3) + 1 }, opts).state).toBe("selfManaged");
    // ...else from the activation, else from the tick (ticked, never installed).
    expect(onboarding(selfManaged, opts)).toMatchObject({ state: "silent", silentSince: ago(8) });
    const neverInstalled = facts({ detailsSentAt: ago(9), selfManagedAt: ago(5) });
    expect(onboarding(neverInstalled, opts)).toMatchObject({ state: "silent", silentSince: ago(5) });
    expect(onboarding({ ...neverInstalled, selfManagedAt: ago(1) }, opts).state).toBe("toInstall");
  });

  it("says deactivated before anything else", () => {
    const f = facts({ state: "deactivated", detailsSentAt: ago(9), linkedAt: ago(8), lastContactAt: ago(30) });
    expect(onboarding(f, opts)).toMatchObject({ state: "deactivated", next: "reactivate" });
  });
});
