/**
 * Serialization guard: what Pulumi stores as `__provider` for each dynamic provider. Small, no credentials, no
 * inlined SDK code, no secrets; and the stored text works when loaded the way the provider host loads it
 * (`require-from-string(text).handler()`, then `configure` with the stack config), against the emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { directoryRoleScheduleProvider } from "../../providers/directoryRoleSchedule/index";
import { directoryRoleSettingsProvider } from "../../providers/directoryRoleSettings/index";
import { graphDefaults } from "../../model/settings/defaults";
import { CLIENT_SECRET, startHarness, USER_ADMIN, type Harness } from "./helpers";

const requireFromString = require("require-from-string") as (code: string) => { handler(): any };

/** Serialized text stays well below this; a captured SDK or module would blow through it. */
const MAX_CHARS = 24_000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

const providers = [
  ["DirectoryRoleSchedule", directoryRoleScheduleProvider],
  ["DirectoryRoleSettings", directoryRoleSettingsProvider],
] as const;

describe.each(providers)("%s provider", (_name, provider) => {
  it("serializes small, without credentials, SDK code or secrets, even with a live client and token in the process", async () => {
    // Warm every cache a careless closure could capture: a Graph client, a token, the secret in the environment.
    await directoryRoleSettingsProvider.read("x", {
      roleDefinitionId: USER_ADMIN,
      roleName: "User Administrator",
      settings: graphDefaults("directory"),
      approverIds: {},
      policyId: h.emu.state.policyForRole(USER_ADMIN)!.id,
      originalRules: [],
    });
    const token = await h.emu.userToken("ken.thompson@contoso.com");
    const s = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    expect(s.containsSecrets).toBe(false);
    expect(s.text.length).toBeLessThan(MAX_CHARS);
    expect(s.text.length).toBeGreaterThan(2_000);
    for (const forbidden of [
      CLIENT_SECRET,
      token.slice(0, 40),
      "Bearer ",
      "eyJ",
      h.emu.baseUrl,
      // No SDK source inlined and no SDK module captured by reference either: the methods require() at call time.
      "initWithMiddleware",
      "HTTPMessageHandler",
      "DefaultAzureCredential",
      "microsoft-graph-client",
      "@azure/identity",
      "__vite_ssr",
      "GraphApi",
    ]) {
      expect(s.text, `serialized provider contains ${forbidden}`).not.toContain(forbidden);
    }
    expect(s.text).toContain('projectModule("providers/graph")');
    expect(s.text).toContain('/check")');
  });
});

describe("the serialized providers, loaded like the provider host loads them", () => {
  /** Stack config instead of the environment for the base URL and tenant, as `pulumi up` would pass it. */
  async function load(provider: object) {
    const s = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    const p = requireFromString(s.text).handler();
    const config: Record<string, string> = {
      "pim:graphBaseUrl": h.emu.baseUrl,
      "azuread:tenantId": h.emu.tenantId,
    };
    await p.configure({ config: { get: (k: string) => config[k] } });
    return p;
  }

  it("DirectoryRoleSchedule: check, create, read, update, delete from the stored text", async () => {
    const saved = process.env["PIM_GRAPH_BASE_URL"];
    delete process.env["PIM_GRAPH_BASE_URL"];
    try {
      const p = await load(directoryRoleScheduleProvider);
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
      const p = await load(directoryRoleSettingsProvider);
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
