import type { ActivationRequest, SupportDesk } from "../handlers/index.ts";

/**
 * One support queue shown in every configured support channel (Slack and/or
 * Teams). The reference it returns holds each channel's own reference.
 */
export function createCompositeSupportDesk(desks: Record<string, SupportDesk>): SupportDesk | undefined {
  const entries = Object.entries(desks);
  if (entries.length === 0) return undefined;
  if (entries.length === 1) {
    const [name, desk] = entries[0] as [string, SupportDesk];
    return wrapSingle(name, desk);
  }
  return {
    async postRequest(request: ActivationRequest) {
      const refs: Record<string, string> = {};
      await Promise.all(
        entries.map(async ([name, desk]) => {
          const ref = await desk.postRequest(request).catch(() => undefined);
          if (ref) refs[name] = ref;
        }),
      );
      return Object.keys(refs).length > 0 ? JSON.stringify(refs) : undefined;
    },
    async showDecision(ref: string, request: ActivationRequest) {
      const refs = JSON.parse(ref) as Record<string, string>;
      await Promise.all(
        entries.map(([name, desk]) => (refs[name] ? desk.showDecision(refs[name], request) : Promise.resolve())),
      );
    },
  };
}

function wrapSingle(name: string, desk: SupportDesk): SupportDesk {
  return {
    async postRequest(request) {
      const ref = await desk.postRequest(request);
      return ref ? JSON.stringify({ [name]: ref }) : undefined;
    },
    async showDecision(ref, request) {
      const inner = (JSON.parse(ref) as Record<string, string>)[name];
      if (inner) await desk.showDecision(inner, request);
    },
  };
}
