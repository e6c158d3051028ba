import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getActivationStatus, requestActivation } from "../../src/handlers/index.ts";
import { advisor, testDeps } from "../support/app.ts";

describe("the firm's name", () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  beforeAll(async () => {
    deps = await testDeps();
  });
  afterAll(async () => await deps.dispose());

  it("follows its workspace's name until someone gives the firm a name of its own", async () => {
    const ws = "T0RENAME01";
    expect((await getActivationStatus(deps, advisor(ws, { workspaceName: "Old name" }))).name).toBe("Old name");
    expect((await getActivationStatus(deps, advisor(ws, { workspaceName: "New name" }))).name).toBe("New name");
  });

  it("keeps the name typed in the activation form when the workspace's name comes or changes later", async () => {
    const ws = "T0TYPED001";
    // A first request without the workspace's name (an install that did not say it).
    const first = advisor(ws, { workspaceName: undefined });
    await requestActivation(deps, first, { firmName: "Pérez & Asociados", message: "Activad" });
    expect((await getActivationStatus(deps, first)).name).toBe("Pérez & Asociados");
    expect((await getActivationStatus(deps, advisor(ws, { workspaceName: "perez-workspace" }))).name).toBe(
      "Pérez & Asociados",
    );
    expect((await getActivationStatus(deps, advisor(ws, { workspaceName: "renamed" }))).name).toBe("Pérez & Asociados");
    expect((await deps.store.findFirm("slack", ws))?.name).toBe("Pérez & Asociados");
  });
});
