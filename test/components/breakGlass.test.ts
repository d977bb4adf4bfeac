import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, promiseOf, settle, type Harness } from "./harness";

let h: Harness;
let components: typeof import("../../components");

beforeAll(async () => {
  h = installMocks();
  components = await import("../../components/index.js");
});

describe("BreakGlass", () => {
  it("records the verified accounts and creates, changes or removes nothing", async () => {
    const accounts = [
      {
        upn: "BG-Alpha@contoso.onmicrosoft.com",
        objectId: "a1a1a1a1-0000-4000-8000-00000000000a",
        assignmentInstanceId: "instance-alpha-1",
      },
      {
        upn: "bg-bravo@contoso.onmicrosoft.com",
        objectId: "b2b2b2b2-0000-4000-8000-00000000000b",
        assignmentInstanceId: "instance-bravo-1",
      },
    ];
    const bg = new components.BreakGlass("bg", { accounts });
    await settle();

    const component = h.byName("bg");
    expect(component.type).toBe("pim:entra:BreakGlass");
    expect(component.custom).toBe(false);
    // What was verified is the component's input: visible to policies, in state and in a review.
    expect(component.inputs).toEqual({ accounts });
    // No children: no resource exists that a run, a destroy or a deleted declaration could take away.
    expect(h.children("bg")).toEqual([]);
    expect(h.resources.map((r) => r.name)).toEqual(["bg"]);
    expect(h.invokes).toEqual([]);
    await expect(promiseOf(bg.objectIds)).resolves.toEqual({
      "bg-alpha@contoso.onmicrosoft.com": "a1a1a1a1-0000-4000-8000-00000000000a",
      "bg-bravo@contoso.onmicrosoft.com": "b2b2b2b2-0000-4000-8000-00000000000b",
    });
  });
});
