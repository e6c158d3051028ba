import type { App } from "@slack/bolt";
import type { SlackContext } from "../../context.ts";
import { ACTION } from "../../ids.ts";
import { activationNo } from "./activation-no.ts";
import { activationYes } from "./activation-yes.ts";
import { clientOpen } from "./client-open.ts";
import { clientsMore } from "./clients-more.ts";
import { licenceChange } from "./licence-change.ts";
import { licenceSelfManaged } from "./licence-self-managed.ts";
import { licenceSend } from "./licence-send.ts";
import { licencesMore } from "./licences-more.ts";
import { licencesNew } from "./licences-new.ts";
import { notificationsMore } from "./notifications-more.ts";
import { supportApprove } from "./support-approve.ts";
import { supportReject } from "./support-reject.ts";
import { supportRevoke } from "./support-revoke.ts";

export function register(app: App, ctx: SlackContext): void {
  app.action(ACTION.activationYes, activationYes(ctx));
  app.action(ACTION.activationNo, activationNo(ctx));
  app.action(ACTION.licencesNew, licencesNew(ctx));
  app.action(ACTION.licencesMore, licencesMore(ctx));
  app.action(ACTION.clientsMore, clientsMore(ctx));
  app.action(ACTION.notificationsMore, notificationsMore(ctx));
  app.action(ACTION.clientOpen, clientOpen(ctx));
  app.action(ACTION.licenceSend, licenceSend(ctx));
  app.action(ACTION.licenceSelfManaged, licenceSelfManaged(ctx));
  app.action(ACTION.licenceDeactivate, licenceChange(ctx, "deactivate"));
  app.action(ACTION.licenceReactivate, licenceChange(ctx, "reactivate"));
  app.action(ACTION.licenceUnlink, licenceChange(ctx, "unlink"));
  app.action(ACTION.licenceDelete, licenceChange(ctx, "delete"));
  app.action(ACTION.supportApprove, supportApprove(ctx));
  app.action(ACTION.supportReject, supportReject(ctx));
  app.action(ACTION.supportRevoke, supportRevoke(ctx));
}
