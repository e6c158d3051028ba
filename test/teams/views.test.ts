import { describe, expect, it } from "vitest";
import { approvalCard, decisionNoticeCard, rejectReasonCard } from "../../src/bot/teams/cards/activation.ts";
import { clientFormCard, clientsCard, historyCard, notificationsCard } from "../../src/bot/teams/cards/clients.ts";
import { licenceFormCard } from "../../src/bot/teams/cards/forms.ts";
import { helpCard } from "../../src/bot/teams/cards/help.ts";
import { confirmCard, licenceDetailsCard, licencesCard } from "../../src/bot/teams/cards/licences.ts";
import { md } from "../../src/bot/teams/cards/ui.ts";
import {
  type ActivationRequest,
  buildLicenceDetails,
  type ClientRow,
  type LicenceRecord,
  type NotificationRow,
} from "../../src/handlers/index.ts";
import { cardProblems, cardText } from "./cards.ts";

const LONG = `*Ferretería* _López_ [aquí](http://x) {{DATE(2020-01-01)}} ${"Ñ".repeat(150)}`.slice(0, 200);
const NOW = Date.UTC(2026, 10, 2, 9, 0, 0);

function licence(i: number): LicenceRecord {
  return {
    id: i,
    firmId: 1,
    number: "7K3QM9XW2RT4VB8NPD5H",
    state: i % 2 ? "active" : "deactivated",
    linked: i % 3 === 0,
    linkedAt: null,
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
    },
  };
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

describe("Teams views", () => {
  it("escapes what people typed for the cards' markdown", () => {
    expect(md("*a* _b_ [c](d) \\ {{DATE(x)}}")).toBe("\\*a\\* \\_b\\_ \\[c\\](d) \\\\ {\u200b{DATE(x)}}");
    expect(md("- uno\n1. dos")).toBe("\\- uno\n\n1\\. dos");
  });

  it("every card is valid Adaptive Card 1.5 and well under the size limit at its largest", () => {
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
    const cards = [
      licencesCard("es", { items: Array.from({ length: 10 }, (_, i) => licence(i)), total: 50, next: "k" }, "k", {
        done: ["ok"],
        warn: ["warn"],
      }),
      licencesCard("en", { items: [], total: 0 }, undefined),
      confirmCard("es", "delete", licence(1), "k"),
      licenceDetailsCard("es", buildLicenceDetails(licence(1), "es", "https://descargas.example.com/pymes")),
      clientsCard("es", { items: Array.from({ length: 10 }, (_, i) => client(i)), next: "k" }, "k"),
      clientFormCard("es", client(1), { error: "x" }),
      notificationsCard(
        "es",
        { items: notifications, next: "k", clientName: LONG },
        { taxId: "B12345674", after: "k" },
      ),
      historyCard("es", {
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
      }),
      licenceFormCard(
        "es",
        { taxId: LONG, name: LONG, notes: "n".repeat(1000) },
        { taxId: "x", name: "y", general: "z" },
      ),
      approvalCard("es", request),
      approvalCard("es", decided),
      rejectReasonCard("es", request, { reason: LONG, error: "e" }),
      decisionNoticeCard("en", decided),
      decisionNoticeCard("es", { ...request, status: "approved" }),
      helpCard("es", { unknown: "*x*" }),
      helpCard("en", { support: true }),
    ];
    for (const card of cards) {
      expect(cardProblems(card)).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(60_000);
    }
    expect(cardText(cards[9])).not.toContain("{{DATE");
  });
});
