/**
 * Serialization guard: what Pulumi stores as `__provider` for each dynamic resource type. A small, stable shim
 * (at most 2 KB, the same text for every resource of a type), without credentials, SDK code or secrets; and the
 * stored text works when loaded the way the provider host loads it (`require-from-string(text).handler()`, then
 * `configure` with the stack config, then the lifecycle), against the emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { directoryRoleScheduleShim } from "../../providers/directoryRoleSchedule/index";
import { directoryRoleSettingsShim } from "../../providers/directoryRoleSettings/index";
import { SHIM_MARKER } from "../../providers/shim/index";
import { graphDefaults } from "../../model/settings/defaults";
import { CLIENT_SECRET, providerModule, startHarness, USER_ADMIN, type Harness } from "./helpers";

const requireFromString = require("require-from-string") as (code: string) => { handler(): any };

/** The bound issue #8 sets for the code every dynamic resource carries (twice: in inputs and in outputs). */
const MAX_CHARS = 2048;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

const shims = [
  ["DirectoryRoleSchedule", directoryRoleScheduleShim, "providers/directoryRoleSchedule/provider"],
  ["DirectoryRoleSettings", directoryRoleSettingsShim, "providers/directoryRoleSettings/provider"],
] as const;

const serialize = async (provider: object) =>
  pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });

describe.each(shims)("%s: the stored shim", (_name, shim, implementation) => {
  it("is at most 2 KB, without credentials, SDK code or secrets, even with a live client and token in the process", async () => {
    // Warm every cache a careless closure could capture: a Graph client, a token, the secret in the environment.
    const settings = providerModule<typeof import("../../providers/directoryRoleSettings/provider")>(
      "providers/directoryRoleSettings/provider",
    );
    await settings.provider.read("x", {
      roleDefinitionId: USER_ADMIN,
      roleName: "User Administrator",
      settings: graphDefaults("directory"),
      approverIds: {},
      policyId: h.emu.state.policyForRole(USER_ADMIN)!.id,
      originalRules: [],
    });
    const token = await h.emu.userToken("ken.thompson@contoso.com");
    const s = await serialize(shim);
    expect(s.containsSecrets).toBe(false);
    expect(s.text.length).toBeLessThanOrEqual(MAX_CHARS);
    for (const forbidden of [
      CLIENT_SECRET,
      token.slice(0, 40),
      "Bearer ",
      "eyJ",
      h.emu.baseUrl,
      // No SDK source inlined, no SDK module captured by reference, no implementation code: only the loader.
      "initWithMiddleware",
      "HTTPMessageHandler",
      "DefaultAzureCredential",
      "microsoft-graph-client",
      "@azure/identity",
      "__vite_ssr",
      "GraphApi",
      "roleManagementPolicies",
      "adminAssign",
      "checkScheduleInputs",
      "toGraphRules",
    ]) {
      expect(s.text, `serialized provider contains ${forbidden}`).not.toContain(forbidden);
    }
    // What it does name: the dispatcher it loads (also the marker of a shim) and its implementation module.
    expect(s.text).toContain(`"${SHIM_MARKER}"`);
    expect(s.text).toContain(`"${implementation}"`);
  });

  it("is stable: the same text every time, and the same for both types but for the implementation it names", async () => {
    const a = (await serialize(shim)).text;
    const b = (await serialize(directoryRoleScheduleShim)).text;
    expect((await serialize(shim)).text).toBe(a);
    expect(a.replace(implementation, "X")).toBe(b.replace("providers/directoryRoleSchedule/provider", "X"));
  });
});

describe("the serialized shims, loaded like the provider host loads them", () => {
  /** Stack config instead of the environment for the base URL and tenant, as `pulumi up` passes it. */
  async function load(shim: object) {
    const p = requireFromString((await serialize(shim)).text).handler();
    expect(Object.keys(p)).toEqual(["configure"]);
    const config: Record<string, string> = {
      "pim:graphBaseUrl": h.emu.baseUrl,
      "azuread:tenantId": h.emu.tenantId,
    };
    await p.configure({ config: { get: (k: string) => config[k] } });
    // configure installed the lifecycle on the deserialized object, as the host needs it.
    expect(Object.keys(p).sort()).toEqual([
      "check",
      "configure",
      "create",
      "delete",
      "diff",
      "read",
      "update",
    ]);
    return p;
  }

  it("DirectoryRoleSchedule: check, diff, create, read, update, delete from the stored text", async () => {
    const saved = process.env["PIM_GRAPH_BASE_URL"];
    delete process.env["PIM_GRAPH_BASE_URL"];
    try {
      const p = await load(directoryRoleScheduleShim);
      const inputs = {
        kind: "eligible",
        principalId: h.user("ada.lovelace@contoso.com"),
        roleDefinitionId: USER_ADMIN,
        directoryScopeId: "/",
        start: null,
        end: "2027-01-31T00:00:00Z",
        justification: "serialized",
        ticket: null,
        label: "serialized grant",
      };
      expect(await p.check(undefined, inputs)).toEqual({ inputs });
      const created = await p.create(inputs);
      const live = h.emu.state.schedules.get(created.id)!;
      expect([live.principalId, live.endDateTime]).toEqual([inputs.principalId, "2027-01-31T00:00:00Z"]);
      expect(await p.diff(created.id, created.outs, inputs)).toEqual({ changes: false, replaces: [] });
      expect(await p.read(created.id, created.outs)).toEqual({ id: created.id, props: created.outs, inputs });
      await p.update(created.id, created.outs, { ...inputs, end: "2027-02-28T00:00:00Z" });
      expect(h.emu.state.schedules.get(created.id)!.endDateTime).toBe("2027-02-28T00:00:00Z");
      await p.delete(created.id, created.outs);
      expect(h.emu.state.schedules.has(created.id)).toBe(false);
    } finally {
      process.env["PIM_GRAPH_BASE_URL"] = saved;
    }
  });

  it("DirectoryRoleSettings: create, read, delete from the stored text", async () => {
    const saved = process.env["PIM_GRAPH_BASE_URL"];
    delete process.env["PIM_GRAPH_BASE_URL"];
    try {
      const p = await load(directoryRoleSettingsShim);
      const settings = graphDefaults("directory");
      settings.activation.maximumDuration = "PT3H";
      const inputs = {
        roleDefinitionId: USER_ADMIN,
        roleName: "User Administrator",
        settings,
        approverIds: {},
      };
      const created = await p.create(inputs);
      const rule = () =>
        h.emu.state.rulesOf(USER_ADMIN)!.find((r) => r.id === "Expiration_EndUser_Assignment")!;
      expect(rule().maximumDuration).toBe("PT3H");
      expect((await p.read(created.id, created.outs)).props.settings).toEqual(settings);
      await p.delete(created.id, created.outs);
      expect(rule().maximumDuration).toBe("PT8H");
    } finally {
      process.env["PIM_GRAPH_BASE_URL"] = saved;
    }
  });
});
