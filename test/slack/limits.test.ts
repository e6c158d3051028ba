import { afterAll, describe, expect, it } from "vitest";
import type { BotContext } from "../../src/bot/commands.ts";
import { formScreen } from "../../src/bot/forms.ts";
import { type Block, type CardScreen, type FormScreen, notice } from "../../src/bot/screen.ts";
import { activationQuestionScreen, decisionScreen, requestScreen } from "../../src/bot/screens/activation.ts";
import { clientSavedScreen, clientsScreen, historyScreen, notificationsScreen } from "../../src/bot/screens/clients.ts";
import { helpScreen } from "../../src/bot/screens/help.ts";
import {
  changeNotes,
  changePromptScreen,
  detailsScreen,
  licenceCreatedScreen,
  licencesScreen,
} from "../../src/bot/screens/licences.ts";
import { firmsScreen, pendingScreen, revokedScreen, revokePromptScreen } from "../../src/bot/screens/support.ts";
import { charCount, truncate } from "../../src/bot/slack/render/blocks.ts";
import { chunks, renderMessage, renderModal, type SlackMessage } from "../../src/bot/slack/render/index.ts";
import type { Locale } from "../../src/config.ts";
import { WATCH_DEFAULTS } from "../../src/config.ts";
import {
  type ActivationRequest,
  type AuditEvent,
  buildLicenceDetails,
  type ClientRow,
  type LicenceRecord,
  type LicenceWithStatus,
  MESSAGE_MAX,
  type NotificationRow,
  PAGE_SIZE,
  REASON_MAX,
  withStatus,
} from "../../src/handlers/index.ts";
import { advisor, supportAgent, testDeps } from "../support/app.ts";
import { checkMessage, checkModal, textObjects } from "./block-kit.ts";
import { TRICKY_NAME } from "./journey.ts";

const LOCALES: Locale[] = ["es", "en"];
// Wide characters and Slack markup: the longest names the forms accept.
const long = (n: number, seed = "Ñ<*é>") => seed.repeat(Math.ceil(n / seed.length)).slice(0, n);
const NOW = Date.UTC(2026, 0, 15, 10, 30);
const CLOCK = { now: () => NOW, watch: WATCH_DEFAULTS };

function licence(i: number, extra: Partial<LicenceRecord> = {}): LicenceWithStatus {
  return withStatus(CLOCK, {
    id: 1_000_000 + i,
    firmId: 7,
    number: "ABCDE0123456789ABCDE",
    state: i % 2 === 0 ? "active" : "deactivated",
    linked: i % 3 === 0,
    linkedAt: i % 3 === 0 ? NOW : null,
    detailsSentAt: i % 5 === 0 ? null : NOW,
    lastContactAt: i % 3 === 0 ? NOW : null,
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
      selfManagedAt: i % 2 === 0 ? NOW : null,
    },
    ...extra,
  });
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

const deps = await testDeps();
afterAll(async () => await deps.dispose());
const ctx: BotContext = { deps, prefix: "/licencias " };

const msg = (locale: Locale, screen: Parameters<typeof renderMessage>[1]) => renderMessage(locale, screen);

describe.each(LOCALES)("every Slack screen stays inside Slack's limits (%s)", (locale) => {
  it("messages: lists with long names and full pages", () => {
    const page = Array.from({ length: PAGE_SIZE }, (_, i) => licence(i));
    const notes = changeNotes(locale, "deactivate", { licence: licence(0), selfManagedCleared: true });
    expectMessage(msg(locale, licencesScreen(locale, { items: page, next: cursor, total: 123_456 }, cursor, notes)));
    expectMessage(msg(locale, licencesScreen(locale, { items: [], total: 0 }, undefined)));
    // Even a page far longer than PAGE_SIZE cannot exceed 50 blocks, and keeps its page buttons.
    const long60 = msg(
      locale,
      licencesScreen(
        locale,
        { items: Array.from({ length: 60 }, (_, i) => licence(i)), next: cursor, total: 60 },
        cursor,
      ),
    );
    expectMessage(long60);
    expect(JSON.stringify(long60.blocks.at(-1))).toContain("run:list");

    const clients: ClientRow[] = page.map((l, i) => ({
      ...l.client,
      licence: i % 4 === 0 ? null : { id: l.id, number: l.number, state: l.state, linked: l.linked },
    }));
    expectMessage(msg(locale, clientsScreen(locale, { items: clients, next: cursor }, cursor)));

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
      msg(
        locale,
        notificationsScreen(
          locale,
          { items: notifications, next: cursor, clientName: long(200) },
          { taxId: "B12345674", after: cursor },
        ),
      ),
    );

    const events: AuditEvent[] = Array.from({ length: 100 }, (_, i) => ({
      id: i,
      action: i % 2 ? "licence.created" : "activation.rejected",
      actorPlatform: "slack",
      actorId: "U0123456789",
      details: { reason: long(1000) },
      createdAt: NOW,
    }));
    expectMessage(msg(locale, historyScreen(locale, { clientName: long(200), taxId: "B12345674", events }, new Map())));
  });

  it("messages: details, changes, help, activation and support", () => {
    const l = licence(0);
    const details = buildLicenceDetails(l, locale, `https://descargas.example.com/${"p".repeat(200)}`);
    expectMessage(msg(locale, detailsScreen(locale, details)));
    for (const kind of ["deactivate", "unlink", "delete", "reactivate"] as const) {
      expectMessage(msg(locale, changePromptScreen(locale, kind, l, cursor)));
    }
    expectMessage(msg(locale, helpScreen(ctx, supportAgent({ locale }), long(3000))));
    expectMessage(msg(locale, helpScreen(ctx, advisor("T0LIMITS", { locale }))));
    expectMessage(msg(locale, activationQuestionScreen(locale, "not_requested")));
    expectMessage(msg(locale, activationQuestionScreen(locale, "rejected")));
    expectMessage(msg(locale, notice(long(10_000), "attention")));

    expectMessage(msg(locale, requestScreen(locale, request(1))));
    const decided = request(1, {
      status: "rejected",
      decidedBy: "U0999",
      decidedByName: long(200),
      decidedAt: NOW,
      reason: long(REASON_MAX),
    });
    expectMessage(msg(locale, requestScreen(locale, decided, long(3000))));
    expectMessage(msg(locale, decisionScreen(locale, decided)));
    expectMessage(msg(locale, decisionScreen(locale, { ...decided, status: "approved", reason: null })));
    expectMessage(
      msg(
        locale,
        pendingScreen(
          locale,
          Array.from({ length: 60 }, (_, i) => request(i + 1)),
        ),
      ),
    );
    const firms = Array.from({ length: 100 }, (_, i) => ({
      id: i + 1,
      name: long(200),
      activationState: "active" as const,
      activationChangedAt: null,
      workspaces: [{ platform: "slack" as const, externalId: "T0123456789" }],
      licences: 12_345,
    }));
    expectMessage(msg(locale, firmsScreen(locale, { items: firms, next: "cursor" }, "before")));
    expectMessage(msg(locale, firmsScreen(locale, { items: [] }, undefined)));
    const [first] = firms;
    if (!first) throw new Error("no firm");
    expectMessage(msg(locale, revokePromptScreen(locale, first)));
    expectMessage(msg(locale, revokedScreen(locale, first, long(200), NOW, 3)));
  });

  it("modals: forms, results and errors", async () => {
    const actor = advisor("T0LIMITSFORM", { locale, workspaceName: "W".repeat(300) });
    expectModal(renderModal(locale, await formScreen(ctx, actor, "licence"), "C".repeat(40)));
    const activation = await formScreen(ctx, actor, "activation");
    expectModal(renderModal(locale, activation));
    // Values longer than a field allows are cut to fit, never refused by Slack.
    const prefilled = renderModal(locale, {
      ...activation,
      fields: activation.fields.map((f) => ({ ...f, value: "W".repeat(5000), error: long(1000) })),
      error: long(5000),
    });
    expectModal(prefilled);
    expect(prefilled.blocks.find((b) => b.block_id === "firmName")).toMatchObject({
      element: { initial_value: "W".repeat(80), max_length: 80 },
    });
    const client = licence(0).client;
    const clientForm: FormScreen = {
      kind: "form",
      form: "client",
      data: { taxId: "X".repeat(20) },
      title: "Configuración",
      heading: long(300),
      facts: [{ label: "NIF/CIF", value: long(3000) }],
      fields: [{ id: "selfManaged", label: long(3000), kind: "toggle", required: false, value: true }],
      submit: "Guardar",
      cancel: "Cancelar",
      openLabel: "Configurar",
    };
    expectModal(renderModal(locale, clientForm, "C".repeat(40)));
    expectModal(
      renderModal(locale, {
        ...clientForm,
        form: "reject",
        data: { requestId: Number.MAX_SAFE_INTEGER },
        intro: long(5000),
        fields: [{ id: "reason", label: "Motivo", kind: "multiline", required: true, maxLength: REASON_MAX }],
      }),
    );
    expectModal(renderModal(locale, licenceCreatedScreen(locale, licence(0), "ABCDE-01234-56789-ABCDE")));
    expectModal(renderModal(locale, clientSavedScreen(locale, client, true)));
    expectModal(renderModal(locale, notice(long(5000), "attention")));
    // A list shown inside a modal keeps a modal's limits.
    expectModal(
      renderModal(
        locale,
        licencesScreen(locale, { items: Array.from({ length: 60 }, (_, i) => licence(i)), total: 1 }, undefined),
      ),
    );
  });
});

describe("every text of every block type is shown literally", () => {
  const hostile = TRICKY_NAME;
  const item: Block = {
    type: "item",
    title: hostile,
    text: hostile,
    fields: [{ label: hostile, value: hostile }],
    actions: [
      { label: hostile, target: { run: { verb: "send", args: { licenceId: 1 } } } },
      // A link's label is a catalogue text (mrkdwn link text cannot escape formatting); its address may hold anything.
      { label: "Abrir borrador <de> & correo", target: { url: `mailto:${hostile}?subject=${hostile}` } },
    ],
  };
  const blocks: Block[] = [
    { type: "text", text: hostile },
    { type: "text", text: hostile, subtle: true, strong: true, tone: "warning" },
    { type: "heading", text: hostile },
    { type: "heading", text: "Sin marcas & <b>" },
    { type: "fields", fields: [{ label: hostile, value: hostile }] },
    { type: "code", label: hostile, value: hostile },
    { type: "code", label: "Número", value: "<!here> & <x>" },
    { type: "lines", items: [hostile, hostile] },
    { type: "usages", items: [{ usage: `cliente ${hostile}`, text: "<!channel> & Co" }] },
    item,
  ];
  const card: CardScreen = {
    kind: "card",
    title: hostile,
    subtitle: hostile,
    notes: [{ text: hostile, tone: "good" }],
    blocks,
    actions: [
      {
        label: hostile,
        target: { run: { verb: "delete", args: { licenceId: 1 } } },
        style: "danger",
        confirm: { title: hostile, text: hostile, confirm: hostile, deny: hostile, back: { verb: "list", args: {} } },
      },
    ],
  };
  const mrkdwnIsSafe = (texts: { type: string; text: string }[]) => {
    for (const x of texts.filter((x) => x.type === "mrkdwn")) {
      // Only Slack's own link syntax for the mailto link; never a mention, never the typed link or bold.
      expect(x.text.replace(/<mailto:[^|>]*\|[^>]*>/g, "")).not.toMatch(/[<>]/);
      expect(x.text).not.toContain("*x*");
    }
  };

  it.each(LOCALES)("in a message and a modal (%s)", (locale) => {
    for (const rendered of [renderMessage(locale, card), renderModal(locale, card)]) {
      const texts = textObjects(rendered);
      mrkdwnIsSafe(texts);
      expect(texts.filter((x) => x.type === "plain_text" && x.text.includes(hostile)).length).toBeGreaterThan(8);
    }
    expect(renderMessage(locale, card).text).not.toContain("<!channel>");
    const form: FormScreen = {
      kind: "form",
      form: "licence",
      data: {},
      title: hostile.slice(0, 20),
      heading: hostile,
      intro: hostile,
      facts: [{ label: hostile, value: hostile }],
      fields: [
        {
          id: "name",
          label: hostile,
          kind: "text",
          required: true,
          value: hostile,
          placeholder: hostile,
          error: hostile,
        },
      ],
      submit: "Guardar",
      cancel: "Cancelar",
      error: hostile,
      openLabel: hostile,
    };
    mrkdwnIsSafe(textObjects(renderModal(locale, form)));
    mrkdwnIsSafe(textObjects(renderMessage(locale, form)));
    expect(checkModal(renderModal(locale, form))).toEqual([]);
    expectMessage(renderMessage(locale, card));
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

describe("texts cut and split by characters, not UTF-16 units", () => {
  const emoji = "📄"; // two UTF-16 units, one character

  it("counts characters exactly wherever a limit is crossed", () => {
    expect(charCount("abc", 3)).toBe(3);
    expect(charCount(emoji.repeat(3), 3)).toBe(3);
    expect(charCount(emoji.repeat(4), 3)).toBe(4);
  });

  it("truncates to the limit in characters, keeping texts that fit", () => {
    expect(truncate("abcdef", 6)).toBe("abcdef");
    expect(truncate(emoji.repeat(6), 6)).toBe(emoji.repeat(6));
    expect(truncate(emoji.repeat(7), 6)).toBe(`${emoji.repeat(5)}…`);
    expect(Array.from(truncate(`${"a".repeat(10)}${emoji.repeat(10)}`, 12))).toHaveLength(12);
  });

  it("splits long texts at line ends into parts of at most the limit, losing nothing", () => {
    const lines = Array.from({ length: 40 }, (_, i) => `${emoji} línea ${i}`);
    const parts = chunks(lines.join("\n"), 50);
    for (const part of parts) expect(Array.from(part).length).toBeLessThanOrEqual(50);
    expect(parts.join("\n")).toBe(lines.join("\n"));
    // One line longer than the limit is cut in characters, not in the middle of one.
    const long = emoji.repeat(120);
    const cut = chunks(long, 50);
    expect(cut.map((p) => Array.from(p).length)).toEqual([50, 50, 20]);
    expect(cut.join("")).toBe(long);
  });
});
