import { describe, expect, it } from "vitest";
import { activationQuestion, activationRequestModal } from "../../src/bot/slack/views/activation.ts";
import type { SlackMessage } from "../../src/bot/slack/views/blocks.ts";
import { clientFormModal } from "../../src/bot/slack/views/client-form.ts";
import { clientListMessage } from "../../src/bot/slack/views/client-list.ts";
import { helpMessage } from "../../src/bot/slack/views/help.ts";
import { historyMessage } from "../../src/bot/slack/views/history.ts";
import { errorModal, infoModal, messageModal } from "../../src/bot/slack/views/info.ts";
import { licenceChangedMessage, licenceChangePrompt } from "../../src/bot/slack/views/licence-change.ts";
import { licenceDetailsMessage } from "../../src/bot/slack/views/licence-details.ts";
import { licenceCreatedModal, licenceFormModal } from "../../src/bot/slack/views/licence-form.ts";
import { licenceListMessage } from "../../src/bot/slack/views/licence-list.ts";
import { notificationListMessage } from "../../src/bot/slack/views/notification-list.ts";
import {
  decisionMessage,
  firmListMessage,
  pendingListMessage,
  rejectModal,
  revokePrompt,
  supportDecidedMessage,
  supportRequestMessage,
} from "../../src/bot/slack/views/support.ts";
import type { Locale } from "../../src/config.ts";
import {
  type ActivationRequest,
  type AuditEvent,
  buildLicenceDetails,
  type ClientRow,
  type LicenceRecord,
  MESSAGE_MAX,
  type NotificationRow,
  PAGE_SIZE,
  REASON_MAX,
} from "../../src/handlers/index.ts";
import { checkMessage, checkModal } from "./block-kit.ts";

const LOCALES: Locale[] = ["es", "en"];
// Wide characters and Slack markup: the longest names the forms accept.
const long = (n: number, seed = "Ñ<*é>") => seed.repeat(Math.ceil(n / seed.length)).slice(0, n);
const NOW = Date.UTC(2026, 0, 15, 10, 30);

function licence(i: number, extra: Partial<LicenceRecord> = {}): LicenceRecord {
  return {
    id: 1_000_000 + i,
    firmId: 7,
    number: "ABCDE0123456789ABCDE",
    state: i % 2 === 0 ? "active" : "deactivated",
    linked: i % 3 === 0,
    linkedAt: i % 3 === 0 ? NOW : null,
    createdAt: NOW,
    client: {
      id: 500 + i,
      firmId: 7,
      taxId: "B12345674",
      name: long(200),
      contactPerson: long(200),
      email: `${"a".repeat(240)}@example.com`,
      phone: "+34 600 000 000",
      notes: long(1000),
      selfManaged: i % 2 === 0,
    },
    ...extra,
  };
}

function request(i: number, extra: Partial<ActivationRequest> = {}): ActivationRequest {
  return {
    id: i,
    firmId: i,
    firmName: long(200),
    firmWorkspaces: [
      { platform: "slack", externalId: "E0123456789" },
      { platform: "teams", externalId: "0f0f0f0f-1111-2222-3333-444444444444" },
    ],
    platform: "slack",
    requesterId: "U0123456789",
    requesterName: long(200),
    requesterLocale: "es-ES",
    message: long(MESSAGE_MAX),
    status: "pending",
    decidedBy: null,
    decidedByName: null,
    decidedByPlatform: null,
    decidedAt: null,
    reason: null,
    supportRef: null,
    requesterRef: null,
    createdAt: NOW,
    ...extra,
  };
}

const cursor = "x".repeat(400);

function expectMessage(msg: SlackMessage): void {
  expect(checkMessage({ text: msg.text, blocks: msg.blocks })).toEqual([]);
  expect(msg.blocks.length).toBeLessThanOrEqual(50);
}

function expectModal(view: unknown): void {
  expect(checkModal(view)).toEqual([]);
  // Titles fit without being cut.
  const title = (view as { title: { text: string } }).title.text;
  expect(title.endsWith("…")).toBe(false);
}

describe.each(LOCALES)("every Slack view stays inside Slack's limits (%s)", (locale) => {
  it("messages: lists with long names and full pages", () => {
    const page = Array.from({ length: PAGE_SIZE }, (_, i) => licence(i));
    expectMessage(licenceListMessage(locale, { items: page, next: cursor, total: 123_456 }));
    expectMessage(licenceListMessage(locale, { items: [], total: 0 }));
    // Even a page far longer than PAGE_SIZE cannot exceed 50 blocks.
    expectMessage(licenceListMessage(locale, { items: Array.from({ length: 60 }, (_, i) => licence(i)), total: 60 }));

    const clients: ClientRow[] = page.map((l, i) => ({
      ...l.client,
      licence: i % 4 === 0 ? null : { id: l.id, number: l.number, state: l.state, linked: l.linked },
    }));
    expectMessage(clientListMessage(locale, { items: clients, next: cursor }));

    const notifications: NotificationRow[] = Array.from({ length: PAGE_SIZE }, (_, i) => ({
      id: i,
      externalId: long(200),
      clientId: 1,
      clientName: long(200),
      clientTaxId: "B12345674",
      organismo: long(200),
      asunto: long(1000),
      fechaPuestaDisposicion: NOW,
      fechaMaxLectura: i % 2 ? NOW : null,
      estado: long(100),
      selfManaged: i % 2 === 0,
      handledAt: null,
    }));
    expectMessage(
      notificationListMessage(locale, { items: notifications, next: cursor, clientName: long(200) }, "B12345674"),
    );

    const events: AuditEvent[] = Array.from({ length: 100 }, (_, i) => ({
      id: i,
      action: i % 2 ? "licence.created" : "activation.rejected",
      actorPlatform: "slack",
      actorId: "U0123456789",
      details: { reason: long(1000) },
      createdAt: NOW,
    }));
    expectMessage(historyMessage(locale, { clientName: long(200), taxId: "B12345674", events }));
  });

  it("messages: details, changes, help, activation and support", () => {
    const l = licence(0);
    const details = buildLicenceDetails(l, locale, `https://descargas.example.com/${"p".repeat(200)}`);
    expectMessage(licenceDetailsMessage(locale, details));
    for (const kind of ["deactivate", "unlink", "delete", "reactivate"] as const) {
      expectMessage(licenceChangePrompt(locale, kind, l));
      expectMessage(licenceChangedMessage(locale, kind, { licence: l, selfManagedCleared: true }));
    }
    expectMessage(helpMessage(locale, { unknown: long(3000), support: true }));
    expectMessage(activationQuestion(locale, "not_requested"));
    expectMessage(activationQuestion(locale, "rejected"));

    expectMessage(supportRequestMessage(locale, request(1)));
    const decided = request(1, {
      status: "rejected",
      decidedBy: "U0999",
      decidedByName: long(200),
      decidedAt: NOW,
      reason: long(REASON_MAX),
    });
    expectMessage(supportDecidedMessage(locale, decided));
    expectMessage(decisionMessage(locale, decided));
    expectMessage(decisionMessage(locale, { ...decided, status: "approved", reason: null }));
    expectMessage(
      pendingListMessage(
        locale,
        Array.from({ length: 60 }, (_, i) => request(i + 1)),
      ),
    );
    const firms = Array.from({ length: 500 }, (_, i) => ({
      id: i + 1,
      name: long(200),
      activationState: "active" as const,
      activationChangedAt: NOW,
      workspaces: [{ platform: "slack" as const, externalId: "T0123456789" }],
      licences: 12_345,
    }));
    expectMessage(firmListMessage(locale, firms));
    expectMessage(firmListMessage(locale, []));
    const [first] = firms;
    if (!first) throw new Error("no firm");
    expectMessage(revokePrompt(locale, first));
  });

  it("modals: forms, results and errors", () => {
    expectModal(activationRequestModal(locale));
    // A workspace name longer than the field allows is cut to fit, never refused by Slack.
    const prefilled = activationRequestModal(locale, "W".repeat(300));
    expectModal(prefilled);
    const firmInput = prefilled.blocks.find((b) => b.block_id === "firmName");
    expect(firmInput).toMatchObject({ element: { initial_value: "W".repeat(80), max_length: 80 } });
    expectModal(licenceFormModal(locale));
    expectModal(licenceCreatedModal(locale, licence(0)));
    const client = licence(0).client;
    expectModal(clientFormModal(locale, { ...client, taxId: "X".repeat(20), licence: null }));
    expectModal(clientFormModal(locale, { ...client, licence: { id: 1, number: "N", state: "active", linked: true } }));
    expectModal(rejectModal(locale, { requestId: Number.MAX_SAFE_INTEGER, channelId: "C".repeat(40) }));
    expectModal(infoModal(locale, "Solicitar activación", long(5000)));
    expectModal(errorModal(locale, long(5000)));
    // A list shown inside a modal keeps a modal's limits.
    expectModal(
      messageModal(
        locale,
        licenceListMessage(locale, { items: Array.from({ length: PAGE_SIZE }, (_, i) => licence(i)), total: 1 }),
      ),
    );
  });
});

describe("the Block Kit checker refuses what Slack refuses", () => {
  const ok = {
    type: "modal",
    title: { type: "plain_text", text: "Título" },
    close: { type: "plain_text", text: "Cerrar" },
    blocks: [],
  };
  it("modals", () => {
    expect(checkModal(ok)).toEqual([]);
    expect(checkModal({ ...ok, title: { type: "plain_text", text: "x".repeat(25) } })).not.toEqual([]);
    expect(checkModal({ ...ok, blocks: Array.from({ length: 101 }, () => ({ type: "divider" })) })).not.toEqual([]);
    expect(checkModal({ ...ok, private_metadata: "x".repeat(3001) })).not.toEqual([]);
    const input = { type: "input", label: { type: "plain_text", text: "L" }, element: { type: "plain_text_input" } };
    expect(checkModal({ ...ok, blocks: [input] })).not.toEqual([]); // no submit
    expect(checkModal({ ...ok, blocks: [{ type: "input", label: { type: "plain_text", text: "L" } }] })).not.toEqual(
      [],
    );
  });
  it("messages", () => {
    const button = (text: string) => ({ type: "button", text: { type: "plain_text", text }, action_id: "a" });
    expect(checkMessage({ text: "t", blocks: [{ type: "actions", elements: [button("Sí")] }] })).toEqual([]);
    expect(checkMessage({ text: "t", blocks: [{ type: "actions", elements: [button("x".repeat(76))] }] })).not.toEqual(
      [],
    );
    expect(
      checkMessage({ text: "t", blocks: [{ type: "actions", elements: [button("a"), button("b")] }] }),
    ).not.toEqual([]);
    expect(checkMessage({ text: "t", blocks: Array.from({ length: 51 }, () => ({ type: "divider" })) })).not.toEqual(
      [],
    );
    expect(checkMessage({ text: "t", blocks: [{ type: "fancy" }] })).not.toEqual([]);
    expect(checkMessage({ text: "t", blocks: [{ type: "section" }] })).not.toEqual([]);
    expect(
      checkMessage({ text: "t", blocks: [{ type: "section", text: { type: "mrkdwn", text: "x".repeat(3001) } }] }),
    ).not.toEqual([]);
    expect(checkMessage({ text: "t", blocks: [{ type: "header", text: { type: "mrkdwn", text: "x" } }] })).not.toEqual(
      [],
    );
    expect(checkMessage({})).not.toEqual([]);
  });
});
