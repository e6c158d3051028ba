import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Response, Router } from "express";
import type { Locale } from "../config.ts";
import { type Deps, type ExportDownload, openExport } from "../handlers/index.ts";
import { pickLocale, t } from "../i18n/index.ts";
import type { Logger } from "../logger.ts";

export interface ExportRouteOptions {
  logger: Logger;
  defaultLocale: Locale;
}

/** Why a link gives no CSV: the status and the page's text. */
const REFUSED = {
  used: { status: 410, text: "exportPage.used" },
  expired: { status: 410, text: "exportPage.expired" },
  unknown: { status: 404, text: "exportPage.unknown" },
} as const;

/** What every answer of the route carries: nothing cached, nothing sniffed, the link never sent on as a referrer. */
function secure(res: Response): void {
  res.set("Cache-Control", "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const html = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

/** A small page in the link's language: what happened and how to get a new link. Catalogue texts only. */
function refusalPage(locale: Locale, reason: keyof typeof REFUSED): string {
  const title = html(t(locale, "exportPage.title"));
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem">
<h1 style="font-size: 1.3rem">${title}</h1>
<p>${html(t(locale, REFUSED[reason].text))}</p>
<p>${html(t(locale, "exportPage.again"))}</p>
</body></html>
`;
}

/**
 * The firm's export links, `GET /export/<token>` (mounted by src/app.ts at
 * EXPORT_PATH): the first request within the link's ten minutes gets the
 * CSV, streamed a page of clients at a time with the socket's backpressure;
 * any other gets a small page saying why not (410 used or expired, 404
 * unknown). The token is never logged: the log names the route, not the
 * path. See docs/architecture.md, "Export".
 */
export function createExportRouter(deps: Deps, options: ExportRouteOptions): Router {
  const { logger } = options;
  const router = Router();

  router.use((req, res, next) => {
    secure(res);
    res.on("finish", () => {
      logger.info({ method: req.method, route: "/export/:token", status: res.statusCode }, "export link request");
    });
    next();
  });

  // Only GET opens a link: a HEAD (a link checker) must not use it up.
  router.get("/:token", async (req, res, next) => {
    if (req.method !== "GET") {
      res.set("Allow", "GET").status(405).end();
      return;
    }
    let download: ExportDownload;
    try {
      download = await openExport(deps, req.params.token);
    } catch (err) {
      next(err);
      return;
    }
    if (download.status !== "ready") {
      const locale =
        download.status === "unknown"
          ? pickLocale(req.headers["accept-language"], options.defaultLocale)
          : download.locale;
      res.status(REFUSED[download.status].status).type("html").send(refusalPage(locale, download.status));
      return;
    }
    res.status(200);
    res.set("Content-Type", "text/csv; charset=utf-8");
    res.set("Content-Disposition", `attachment; filename="${download.filename}"`);
    // Bytes, not objects: the stream buffers about one page ahead of the socket (objects would be 16 pages).
    pipeline(Readable.from(download.chunks, { objectMode: false }), res).catch((err: NodeJS.ErrnoException) => {
      // The person closed the download: nothing to answer. Anything else cut the file short.
      if (err.code === "ERR_STREAM_PREMATURE_CLOSE") logger.debug("export download closed by the client");
      else logger.error({ err }, "export download failed");
    });
  });

  router.all("/:token", (_req, res) => {
    res.set("Allow", "GET").status(405).end();
  });

  return router;
}
