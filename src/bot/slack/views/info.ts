import type { KnownBlock, ModalView } from "@slack/types";
import type { Locale } from "../../../config.ts";
import { t } from "../../../i18n/index.ts";
import { VIEW } from "../ids.ts";
import { modal, plainSection, type SlackMessage } from "./blocks.ts";

/** A modal that only tells something (a result, an error); it has no inputs. */
export function infoModal(locale: Locale, title: string, content: string | KnownBlock[]): ModalView {
  return modal({
    callbackId: VIEW.info,
    title,
    close: t(locale, "slack.close"),
    blocks: typeof content === "string" ? [plainSection(content)] : content,
  });
}

export function errorModal(locale: Locale, text: string): ModalView {
  return infoModal(locale, t(locale, "slack.errorTitle"), text);
}

/** A message shown in a modal, when the answer belongs to a modal the user is looking at. */
export function messageModal(locale: Locale, msg: SlackMessage): ModalView {
  return infoModal(locale, t(locale, "slack.appName"), msg.blocks);
}
