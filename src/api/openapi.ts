/**
 * The OpenAPI 3 description of the client API, served at
 * GET /api/v1/openapi.json and committed as docs/openapi.json (a test keeps
 * the two equal). After a change here, regenerate the file:
 *
 *   npx tsx src/api/openapi.ts > docs/openapi.json && npx biome format --write docs/openapi.json
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const code = (codes: string[], description: string) => ({
  type: "string",
  enum: codes,
  description,
});

const errorResponse = (description: string, codes: string[]) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" }, example: { code: codes[0] } } },
});

const commonErrors = {
  "400": errorResponse("Malformed input: not JSON (INVALID_JSON) or not the expected fields (INVALID_INPUT).", [
    "INVALID_INPUT",
  ]),
  "413": errorResponse("The body is too large.", ["PAYLOAD_TOO_LARGE"]),
  "415": errorResponse("The body is not JSON (Content-Type must be application/json, UTF-8).", [
    "UNSUPPORTED_MEDIA_TYPE",
  ]),
  "429": {
    description:
      "Too many failed attempts from this address (or for this licence number). Retry after the header's seconds.",
    headers: {
      "Retry-After": { description: "Seconds to wait before trying again.", schema: { type: "integer", minimum: 1 } },
    },
    content: {
      "application/json": { schema: { $ref: "#/components/schemas/Error" }, example: { code: "RATE_LIMITED" } },
    },
  },
  "503": {
    description: "The service cannot reach its database just now; nothing was done. Retry after the header's seconds.",
    headers: {
      "Retry-After": { description: "Seconds to wait before trying again.", schema: { type: "integer", minimum: 1 } },
    },
    content: {
      "application/json": { schema: { $ref: "#/components/schemas/Error" }, example: { code: "UNAVAILABLE" } },
    },
  },
};

const unauthorized = {
  "401": {
    description:
      "No installation token, or one that is not even shaped like a token. Counts as a failed attempt of the address.",
    headers: { "WWW-Authenticate": { schema: { type: "string" } } },
    content: {
      "application/json": { schema: { $ref: "#/components/schemas/Error" }, example: { code: "UNAUTHORIZED" } },
    },
  },
};

export const openApiDocument = {
  openapi: "3.0.3",
  info: {
    title: "Licencias PYMES: client app API",
    version: "1.0.0",
    description:
      "What the client's desktop app calls to bind its Licencia PYME to the installation, check it, and report the notifications it handled. Domain outcomes answer 200 with a `code`; malformed input answers 4xx with a `code` and a `message`. A failed attempt (a `NOT_FOUND` outcome, or a missing or malformed token) counts against the client address and, for activations, the licence number; too many answer 429 with `Retry-After`. Every answer carries `Cache-Control: no-store`.",
  },
  servers: [{ url: "/api/v1" }],
  paths: {
    "/activations": {
      post: {
        operationId: "activate",
        summary: "Bind a licence to this installation and get an installation token",
        description:
          "`ACTIVATED` hands out a new installation token (shown once; the server keeps only its hash). Activating again from the same installation is harmless: a fresh token, and the previous one stops working. `NOT_FOUND` covers an unknown licence number and a tax id that does not match it alike. `ALREADY_LINKED`: another installation holds the licence (the advisor can unlink it). `DEACTIVATED`: the advisor suspended it. `FEATURE_DISABLED`: the firm's Solución para PYMES is not active.",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/ActivationRequest" } } },
        },
        responses: {
          "200": {
            description: "The outcome.",
            content: {
              "application/json": {
                schema: { $ref: "#/components/schemas/ActivationResult" },
                examples: {
                  activated: {
                    value: { code: "ACTIVATED", installationToken: "nq3w5Tz6J1mX0bVY9kq3r2y8c4H7f1aPq0sLdE6uGxw" },
                  },
                  notFound: { value: { code: "NOT_FOUND" } },
                },
              },
            },
          },
          ...commonErrors,
        },
      },
    },
    "/validations": {
      post: {
        operationId: "validate",
        summary: "Check the licence bound to this installation",
        description:
          "`VALID`, or why not: `UNLINKED` (the advisor freed the licence from this installation, or it was activated again elsewhere after that), `DEACTIVATED`, `NOT_FOUND` (an unknown token, or the licence was deleted), `FEATURE_DISABLED`. The body may be omitted or be `{}`.",
        security: [{ installationToken: [] }],
        requestBody: {
          required: false,
          content: { "application/json": { schema: { type: "object", additionalProperties: false, properties: {} } } },
        },
        responses: {
          "200": {
            description: "The outcome.",
            content: { "application/json": { schema: { $ref: "#/components/schemas/ValidationResult" } } },
          },
          ...unauthorized,
          ...commonErrors,
        },
      },
    },
    "/notifications": {
      post: {
        operationId: "reportNotifications",
        summary: "Report the notifications the client handled itself",
        description:
          "They show as *autogestionada* in the advisor's lists. Idempotent by `id` (the administration's reference): sending the same notification again adds nothing. `created` counts the new ones, `updated` the ones the firm already had (e.g. from its own import) that are now marked as handled by the client. When the token is not valid the answer is the validation's code.",
        security: [{ installationToken: [] }],
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/NotificationReport" } } },
        },
        responses: {
          "200": {
            description: "The outcome.",
            content: {
              "application/json": {
                schema: { $ref: "#/components/schemas/NotificationResult" },
                example: { code: "ACCEPTED", received: 2, created: 1, updated: 0 },
              },
            },
          },
          ...unauthorized,
          ...commonErrors,
        },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "openapi",
        summary: "This description",
        responses: { "200": { description: "The OpenAPI document.", content: { "application/json": {} } } },
      },
    },
  },
  components: {
    securitySchemes: {
      installationToken: {
        type: "http",
        scheme: "bearer",
        description: "The installation token `ACTIVATED` handed out.",
      },
    },
    schemas: {
      ActivationRequest: {
        type: "object",
        additionalProperties: false,
        required: ["licenceNumber", "taxId", "installationId"],
        properties: {
          licenceNumber: {
            type: "string",
            minLength: 1,
            maxLength: 64,
            description:
              "XXXXX-XXXXX-XXXXX-XXXXX, read in any case, spaces and hyphens ignored, I/L read as 1 and O as 0.",
            example: "7K2MQ-9XH4T-RB3NW-P8ZDJ",
          },
          taxId: {
            type: "string",
            minLength: 1,
            maxLength: 32,
            description: "The client's NIF/CIF/NIE, in any case, spaces and hyphens ignored.",
            example: "B12345674",
          },
          installationId: {
            type: "string",
            minLength: 8,
            maxLength: 128,
            pattern: "^[A-Za-z0-9+/=_.:-]+$",
            description: "The hash the app computes for its machine.",
          },
        },
      },
      ActivationResult: {
        type: "object",
        required: ["code"],
        properties: {
          code: code(["ACTIVATED", "NOT_FOUND", "DEACTIVATED", "ALREADY_LINKED", "FEATURE_DISABLED"], "The outcome."),
          installationToken: {
            type: "string",
            description: "With ACTIVATED only: the secret for validations and reports. Shown once.",
          },
        },
      },
      ValidationResult: {
        type: "object",
        required: ["code"],
        properties: {
          code: code(["VALID", "UNLINKED", "DEACTIVATED", "NOT_FOUND", "FEATURE_DISABLED"], "The outcome."),
        },
      },
      Notification: {
        type: "object",
        additionalProperties: false,
        required: ["id", "organismo", "asunto", "fechaPuestaDisposicion", "estado"],
        properties: {
          id: { type: "string", minLength: 1, maxLength: 200, description: "The administration's reference." },
          organismo: { type: "string", minLength: 1, maxLength: 200, example: "AEAT" },
          asunto: { type: "string", minLength: 1, maxLength: 1000 },
          fechaPuestaDisposicion: {
            type: "string",
            maxLength: 40,
            description: "dd/mm/yyyy, yyyy-mm-dd, or an ISO 8601 date-time (Europe/Madrid time when it has no offset).",
            example: "05/11/2026",
          },
          fechaMaxLectura: {
            type: "string",
            nullable: true,
            maxLength: 40,
            description: "Same formats; optional.",
          },
          estado: { type: "string", minLength: 1, maxLength: 100, example: "Leída" },
        },
      },
      NotificationReport: {
        type: "object",
        additionalProperties: false,
        required: ["notifications"],
        properties: {
          notifications: {
            type: "array",
            minItems: 1,
            maxItems: 500,
            items: { $ref: "#/components/schemas/Notification" },
          },
        },
      },
      NotificationResult: {
        type: "object",
        required: ["code"],
        properties: {
          code: code(["ACCEPTED", "UNLINKED", "DEACTIVATED", "NOT_FOUND", "FEATURE_DISABLED"], "The outcome."),
          received: { type: "integer", description: "With ACCEPTED: notifications in the request." },
          created: { type: "integer", description: "With ACCEPTED: how many were new." },
          updated: {
            type: "integer",
            description: "With ACCEPTED: how many the firm already had and are now marked as handled by the client.",
          },
        },
      },
      Error: {
        type: "object",
        required: ["code", "message"],
        properties: {
          code: code(
            [
              "INVALID_JSON",
              "INVALID_INPUT",
              "PAYLOAD_TOO_LARGE",
              "UNSUPPORTED_MEDIA_TYPE",
              "UNAUTHORIZED",
              "RATE_LIMITED",
              "METHOD_NOT_ALLOWED",
              "BAD_REQUEST",
              "UNAVAILABLE",
              "INTERNAL",
            ],
            "What was wrong.",
          ),
          message: { type: "string", description: "For the app's developers (English)." },
          fields: {
            type: "array",
            description: "With INVALID_INPUT: each field at fault (a dotted path into the body).",
            items: {
              type: "object",
              required: ["field", "message"],
              properties: { field: { type: "string" }, message: { type: "string" } },
            },
          },
        },
      },
    },
  },
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(openApiDocument, null, 2)}\n`);
}
