import { describe, expect, it } from "vitest";
import type { FormScreen, Screen } from "../../src/bot/screen.ts";
import { activationQuestionScreen, decisionScreen, requestScreen } from "../../src/bot/screens/activation.ts";
import { clientsScreen, historyScreen, notificationsScreen } from "../../src/bot/screens/clients.ts";
import { changePromptScreen, detailsScreen, licencesScreen } from "../../src/bot/screens/licences.ts";
import { firmsScreen } from "../../src/bot/screens/support.ts";
import { md } from "../../src/bot/teams/adaptive-card.ts";
import { ACTIONS_PER_ROW, LINES_MAX_BYTES, renderFormDialog, renderScreen } from "../../src/bot/teams/render.ts";
import { WATCH_DEFAULTS } from "../../src/config.ts";
import type { FirmRow } from "../../src/handlers/index.ts";
import {
  type ActivationRequest,
  buildLicenceDetails,
  type ClientRow,
  type LicenceWithStatus,
  type NotificationRow,
  withStatus,
} from "../../src/handlers/index.ts";
import { actionsOf, cardProblems, cardText } from "./cards.ts";

const LONG = `*Ferretería* _López_ [aquí](http://x) {{DATE(2020-01-01)}} ${"Ñ".repeat(150)}`.slice(0, 200);
const NOW = Date.UTC(2026, 10, 2, 9, 0, 0);
const CLOCK = { now: () => NOW, watch: WATCH_DEFAULTS };

function licence(i: number): LicenceWithStatus {
  return withStatus(CLOCK, {
    id: i,
    firmId: 1,
    number: "7K3QM9XW2RT4VB8NPD5H",
    state: i % 2 ? "active" : "deactivated",
    linked: i % 3 === 0,
    linkedAt: null,
    detailsSentAt: null,
    lastContactAt: null,
    createdAt: NOW,
    client: {
      id: i,
      firmId: 1,
      taxId: "B12345674",
      name: LONG,
      contactPerson: LONG,
      email: "a@b.example.com",
      phone: "+34 600 000 000",
      notes: "x".repeat(1000),
      selfManaged: i % 2 === 1,
      selfManagedAt: i % 2 === 1 ? NOW : null,
    },
  });
}

const client = (i: number): ClientRow => ({
  ...licence(i).client,
  licence: { id: i, number: "7K3QM9XW2RT4VB8NPD5H", state: "active", linked: true },
});

const request: ActivationRequest = {
  id: 7,
  firmId: 3,
  firmName: LONG,
  firmWorkspaces: [{ platform: "teams", externalId: "tenant-1" }],
  platform: "teams",
  requesterId: "aad-1",
  requesterName: LONG,
  requesterLocale: "en-GB",
  message: `${LONG}\n- not a list\n1. not a list either`.padEnd(2000, "m"),
  status: "pending",
  decidedBy: null,
  decidedByName: null,
  decidedByPlatform: null,
  decidedAt: null,
  reason: null,
  supportRef: null,
  requesterRef: null,
  createdAt: NOW,
};

/** A name full of what Teams would read as markdown, a mention, a link or a card function. */
const HOSTILE = "*Pérez* _x_ [link](http://evil.example) <at>Todos</at> {{DATE(2020-01-01)}}\n- item";

function form(extra: Partial<FormScreen> = {}): FormScreen {
  return {
    kind: "form",
    form: "licence",
    data: {},
    title: "Nueva licencia",
    heading: HOSTILE,
    intro: HOSTILE,
    facts: [{ label: "NIF/CIF", value: HOSTILE }],
    fields: [
      {
        id: "taxId",
        label: "NIF/CIF",
        kind: "text",
        required: true,
        maxLength: 20,
        requiredMessage: "Falta",
        value: "x".repeat(40),
        error: HOSTILE,
      },
      { id: "email", label: "Correo", kind: "email", required: false, maxLength: 254 },
      { id: "phone", label: "Teléfono", kind: "phone", required: false },
      // An input shows its value as typed (no markdown there).
      { id: "notes", label: "Notas", kind: "multiline", required: false, value: "notas" },
      { id: "selfManaged", label: "Autogestiona", kind: "toggle", required: false, value: true },
    ],
    submit: "Guardar",
    cancel: "Cancelar",
    error: HOSTILE,
    openLabel: "Nueva licencia",
    ...extra,
  };
}

describe("Teams renderer", () => {
  it("escapes what people typed for the cards' markdown", () => {
    expect(md("*a* _b_ [c](d) \\ {{DATE(x)}}")).toBe("\\*a\\* \\_b\\_ \\[c\\](d) \\\\ {\u200b{DATE(x)}}");
    expect(md("- uno\n1. dos")).toBe("\\- uno\n\n1\\. dos");
  });

  it("escapes a hostile text in every block type, note, title and form part", () => {
    const screens: Screen[] = [
      {
        kind: "card",
        title: HOSTILE,
        subtitle: HOSTILE,
        notes: [{ text: HOSTILE, tone: "good" }],
        blocks: [
          { type: "text", text: HOSTILE, tone: "warning", strong: true },
          { type: "heading", text: HOSTILE },
          { type: "fields", fields: [{ label: HOSTILE, value: HOSTILE }] },
          { type: "code", label: HOSTILE, value: HOSTILE },
          { type: "lines", items: [HOSTILE, HOSTILE] },
          { type: "usages", items: [{ usage: HOSTILE, text: HOSTILE }] },
          { type: "item", title: HOSTILE, text: HOSTILE, fields: [{ label: HOSTILE, value: HOSTILE }], actions: [] },
        ],
      },
      { kind: "notice", text: HOSTILE, tone: "attention" },
      form(),
    ];
    const cards = [...screens.map((s) => renderScreen(s, "es")), renderFormDialog(form())];
    for (const card of cards) {
      expect(cardProblems(card)).toEqual([]);
      const text = JSON.stringify(card);
      expect(text).not.toContain("<at>");
      expect(text).not.toContain("{{DATE");
      expect(text).not.toContain("[link](");
      expect(text).not.toMatch(/(^|[^\\])\*Pérez/);
    }
  });

  it("renders a form as a dialog: inputs by field id, required with its message, errors under the input, values cut to the limit", () => {
    const card = renderFormDialog(form());
    const body = card.body as { type: string; id?: string; text?: string; color?: string }[];
    const at = body.findIndex((e) => e.id === "taxId");
    expect(body[at]).toMatchObject({
      type: "Input.Text",
      isRequired: true,
      errorMessage: "Falta",
      maxLength: 20,
      value: "x".repeat(20),
    });
    expect(body[at + 1]).toMatchObject({ type: "TextBlock", color: "attention" });
    expect(body.find((e) => e.id === "email")).toMatchObject({ style: "email" });
    expect(body.find((e) => e.id === "phone")).toMatchObject({ style: "tel" });
    expect(body.find((e) => e.id === "notes")).toMatchObject({ isMultiline: true });
    expect(body.find((e) => e.id === "selfManaged")).toMatchObject({
      type: "Input.Toggle",
      title: "Autogestiona",
      value: "true",
    });
    expect(actionsOf(card)).toEqual([{ type: "Action.Submit", title: "Guardar", data: { verb: "licence", data: {} } }]);
    // As a message, the form is its button that opens the dialog.
    const message = renderScreen(form({ data: { taxId: "B12345674" }, form: "client" }), "es");
    expect(actionsOf(message)).toEqual([
      {
        type: "Action.Submit",
        title: "Nueva licencia",
        data: { msteams: { type: "task/fetch" }, verb: "client", data: { taxId: "B12345674" } },
      },
    ]);
  });

  it("buttons: a verb and its args, a confirmation first for a destructive one, a dialog, a link; at most five in a row", () => {
    const page = licencesScreen("es", { items: [licence(1)], total: 1 }, "k");
    const actions = actionsOf(renderScreen(page, "es"));
    expect(actions.find((a) => a.title === "Enviar datos de licencia")).toMatchObject({
      type: "Action.Execute",
      verb: "send",
      data: { licenceId: 1, list: 1, after: "k" },
    });
    expect(actions.find((a) => a.title === "Desactivar")).toMatchObject({
      type: "Action.Execute",
      verb: "confirm",
      data: { verb: "deactivate", args: { licenceId: 1, after: "k" } },
    });
    expect(actions.find((a) => a.title === "Configurar cliente")?.type).toBe("Action.Submit");
    const many = renderScreen(
      {
        kind: "card",
        blocks: [
          {
            type: "item",
            title: "x",
            actions: Array.from({ length: 7 }, (_, i) => ({ label: `b${i}`, target: { url: "https://x.example" } })),
          },
        ],
        actions: Array.from({ length: 6 }, (_, i) => ({
          label: `c${i}`,
          target: { run: { verb: "list" as const, args: {} } },
        })),
      },
      "es",
    );
    const sets: { actions: unknown[] }[] = [];
    JSON.stringify(many, (_k, v) => {
      if (v && typeof v === "object" && (v as { type?: string }).type === "ActionSet") sets.push(v);
      return v;
    });
    expect(sets.every((s) => s.actions.length <= ACTIONS_PER_ROW)).toBe(true);
    expect(many.actions).toBeUndefined();
    expect(actionsOf(many)).toHaveLength(13);
    expect(cardProblems(many)).toEqual([]);
  });

  it("every screen is valid Adaptive Card 1.5 and well under the size limit at its largest", () => {
    const notifications: NotificationRow[] = Array.from({ length: 10 }, (_, i) => ({
      id: i,
      externalId: `N${i}`,
      clientId: 1,
      clientName: LONG,
      clientTaxId: "B12345674",
      organismo: LONG,
      asunto: LONG.repeat(3),
      fechaPuestaDisposicion: NOW,
      fechaMaxLectura: NOW,
      estado: "Pendiente",
      selfManaged: true,
      handledAt: NOW,
    }));
    const decided = { ...request, status: "rejected" as const, decidedBy: "U1", decidedAt: NOW, reason: LONG };
    const screens: Screen[] = [
      licencesScreen("es", { items: Array.from({ length: 10 }, (_, i) => licence(i)), total: 50, next: "k" }, "k", [
        { text: "ok", tone: "good" },
        { text: "warn", tone: "warning" },
      ]),
      licencesScreen("en", { items: [], total: 0 }, undefined),
      changePromptScreen("es", "delete", licence(1), "k"),
      detailsScreen("es", buildLicenceDetails(licence(1), "es", "https://descargas.example.com/pymes")),
      clientsScreen("es", { items: Array.from({ length: 10 }, (_, i) => client(i)), next: "k" }, "k"),
      notificationsScreen(
        "es",
        { items: notifications, next: "k", clientName: LONG },
        { taxId: "B12345674", after: "k" },
      ),
      historyScreen(
        "es",
        {
          clientName: LONG,
          taxId: "B12345674",
          events: Array.from({ length: 100 }, (_, i) => ({
            id: i,
            action: "licence.created",
            actorPlatform: "teams",
            actorId: "aad-1",
            details: {},
            createdAt: NOW,
          })),
        },
        new Map(),
      ),
      requestScreen("es", request),
      requestScreen("es", decided, "nota"),
      decisionScreen("en", decided),
      decisionScreen("es", { ...request, status: "approved" }),
      activationQuestionScreen("es", "revoked"),
    ];
    for (const screen of screens) {
      const card = renderScreen(screen, "es");
      expect(cardProblems(card)).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(60_000);
    }
    expect(cardText(renderScreen(requestScreen("es", request), "es"))).not.toContain("{{DATE");
    expect(cardText(renderScreen(activationQuestionScreen("es", "rejected"), "es"))).toContain(
      "¿Quieres volver a solicitar",
    );
  });
});

describe("Teams: the firm list card", () => {
  function row(id: number, name: string): FirmRow {
    return {
      id,
      name,
      activationState: id % 2 ? "active" : "revoked",
      activationChangedAt: null,
      workspaces: [{ platform: "teams", externalId: `tenant-${String(id).padStart(8, "0")}-0000-0000-000000000000` }],
      licences: id,
    };
  }

  it("escapes names typed by people", () => {
    const text = cardText(
      renderScreen(
        firmsScreen("es", { items: [row(1, "Asesoría *Pérez* <at>x</at> [link](http://x)")] }, undefined),
        "es",
      ),
    );
    expect(text).toContain("Asesoría \\*Pérez\\* <\u200bat>x<\u200b/at> \\[link\\](http://x)");
  });

  it("stays well under Teams' limits with a page of long-named firms, and offers the next page", () => {
    const firms = Array.from({ length: 100 }, (_, i) =>
      row(i + 1, `${"Asesoría con un nombre muy largo ".repeat(8)}${i}`),
    );
    const card = renderScreen(firmsScreen("es", { items: firms, next: "cursor" }, undefined), "es");
    expect(cardProblems(card)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(LINES_MAX_BYTES + 3_000);
    expect(cardText(card)).toMatch(/… y \d+ líneas más que no caben aquí\./);
    expect(cardText(card)).toContain("Página siguiente");
  });

  it("says when there are no firms, and does not cut a short list", () => {
    expect(cardText(renderScreen(firmsScreen("en", { items: [] }, undefined), "en"))).toContain("No firms yet.");
    expect(
      cardText(renderScreen(firmsScreen("es", { items: [row(1, "A"), row(2, "B")] }, undefined), "es")),
    ).not.toContain("más que no");
  });
});
