import type { SlackContext } from "../../context.ts";
import { showNotifications } from "../../flows/lists.ts";
import type { NotificationsCursor } from "../../views/notification-list.ts";
import { buttonListener } from "./button.ts";

function parseCursor(value: string): NotificationsCursor {
  try {
    const v = JSON.parse(value) as Partial<NotificationsCursor>;
    return {
      after: typeof v.after === "string" ? v.after : "",
      ...(typeof v.taxId === "string" ? { taxId: v.taxId } : {}),
    };
  } catch {
    return { after: "" };
  }
}

/** "Más" under the notifications (the cursor keeps the client filter). */
export const notificationsMore = (ctx: SlackContext) =>
  buttonListener(ctx, (actor, surface, value) => {
    const cursor = parseCursor(value);
    return showNotifications(ctx, actor, surface, { taxId: cursor.taxId, after: cursor.after || undefined });
  });
