// Seeded activation history becomes the PIM audit records Entra writes for it (loggedByService PIM), in the
// same activity names and order as the live flow, correlated by request id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DirectoryAudit } from "@microsoft/microsoft-graph-types";
import { startEmulator, type EmulatorSeed, type RunningEmulator } from "../../emulator";
import { NOW, appToken, graphClient } from "./helpers";

const MIN = 60_000;
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString().replace(".000Z", "Z");

const SEED: EmulatorSeed = {
  tenant: {
    id: "5a1c2e3f-4b6d-4e8f-9a0b-1c2d3e4f5a6b",
    displayName: "Tailspin",
    domains: [{ name: "tailspin.com" }],
  },
  users: [
    { upn: "ava@tailspin.com", displayName: "Ava Activator" },
    { upn: "ole@tailspin.com", displayName: "Ole Approver" },
  ],
  groups: [{ displayName: "Ops Elevated", isAssignableToRole: true }],
  applications: [
    { displayName: "auditor", clientSecret: "auditor-secret", permissions: ["AuditLog.Read.All"] },
  ],
  activations: [
    {
      principal: "ava@tailspin.com",
      role: "Exchange Administrator",
      at: "-P2D",
      justification: "INC-1 mail",
    },
    {
      principal: "ava@tailspin.com",
      role: "Global Administrator",
      at: "-P1D",
      justification: "CHG-2 tenant setting",
      approval: { approver: "ole@tailspin.com", after: "PT7M", justification: "ok" },
    },
    {
      principal: "ava@tailspin.com",
      role: "Global Administrator",
      at: "-PT20H",
      justification: "CHG-3",
      approval: {
        decision: "denied",
        approver: "ole@tailspin.com",
        after: "PT2M",
        justification: "no ticket",
      },
    },
    {
      principal: "ava@tailspin.com",
      role: "Global Administrator",
      at: "-PT10H",
      justification: "CHG-4",
      approval: { decision: "expired", after: "PT4H" },
    },
    {
      principal: "ava@tailspin.com",
      role: "Global Administrator",
      at: "-PT1H",
      justification: "CHG-5",
      approval: { decision: "pending" },
    },
    {
      principal: "ava@tailspin.com",
      role: "Security Administrator",
      at: "-PT3H",
      result: "failure",
      reason: "The following policy rules failed: MfaRule - Multi-factor authentication is required",
    },
    {
      principal: "ava@tailspin.com",
      group: "Ops Elevated",
      access: "member",
      at: "-PT5H",
      justification: "on call",
    },
    {
      principal: "ole@tailspin.com",
      role: "Helpdesk Administrator",
      at: "-P3D",
      justification: "reset",
      repeat: { count: 3, every: "PT6H" },
    },
  ],
};

let emu: RunningEmulator;
let records: DirectoryAudit[];
beforeAll(async () => {
  emu = await startEmulator({ port: 0, now: NOW, seed: SEED, pageSize: 4 });
  const token = await appToken(emu, "auditor");
  const client = graphClient(emu, async () => token);
  records = [];
  let page = await client
    .api("/auditLogs/directoryAudits")
    .filter("loggedByService eq 'PIM'")
    .orderby("activityDateTime asc")
    .get();
  for (;;) {
    records.push(...page.value);
    if (!page["@odata.nextLink"]) break;
    page = await client.api(page["@odata.nextLink"]).get();
  }
});
afterAll(async () => {
  await emu.stop();
});

const detail = (r: DirectoryAudit, key: string) => r.additionalDetails?.find((d) => d.key === key)?.value;
const line = (r: DirectoryAudit) => [
  r.activityDateTime,
  r.activityDisplayName,
  r.result,
  r.initiatedBy?.user?.userPrincipalName ?? r.initiatedBy?.user?.displayName,
  r.targetResources?.[0]?.displayName,
];

describe("seeded activations", () => {
  it("expand into Entra's PIM records, oldest first, across pages", () => {
    expect(records.map(line)).toEqual([
      [
        at(-72 * 60 * MIN),
        "Add member to role requested (PIM activation)",
        "success",
        "ole@tailspin.com",
        "Helpdesk Administrator",
      ],
      [
        at(-72 * 60 * MIN),
        "Add member to role completed (PIM activation)",
        "success",
        "ole@tailspin.com",
        "Helpdesk Administrator",
      ],
      [
        at(-66 * 60 * MIN),
        "Add member to role requested (PIM activation)",
        "success",
        "ole@tailspin.com",
        "Helpdesk Administrator",
      ],
      [
        at(-66 * 60 * MIN),
        "Add member to role completed (PIM activation)",
        "success",
        "ole@tailspin.com",
        "Helpdesk Administrator",
      ],
      [
        at(-60 * 60 * MIN),
        "Add member to role requested (PIM activation)",
        "success",
        "ole@tailspin.com",
        "Helpdesk Administrator",
      ],
      [
        at(-60 * 60 * MIN),
        "Add member to role completed (PIM activation)",
        "success",
        "ole@tailspin.com",
        "Helpdesk Administrator",
      ],
      [
        at(-48 * 60 * MIN),
        "Add member to role requested (PIM activation)",
        "success",
        "ava@tailspin.com",
        "Exchange Administrator",
      ],
      [
        at(-48 * 60 * MIN),
        "Add member to role completed (PIM activation)",
        "success",
        "ava@tailspin.com",
        "Exchange Administrator",
      ],
      [
        at(-24 * 60 * MIN),
        "Add member to role requested (PIM activation)",
        "success",
        "ava@tailspin.com",
        "Global Administrator",
      ],
      [
        at(-24 * 60 * MIN),
        "Add member to role approval requested (PIM activation)",
        "success",
        "ava@tailspin.com",
        "Global Administrator",
      ],
      [
        at(-24 * 60 * MIN + 7 * MIN),
        "Add member to role request approved (PIM activation)",
        "success",
        "ole@tailspin.com",
        "Global Administrator",
      ],
      [
        at(-24 * 60 * MIN + 7 * MIN),
        "Add member to role completed (PIM activation)",
        "success",
        "Azure AD PIM",
        "Global Administrator",
      ],
      [
        at(-20 * 60 * MIN),
        "Add member to role requested (PIM activation)",
        "success",
        "ava@tailspin.com",
        "Global Administrator",
      ],
      [
        at(-20 * 60 * MIN),
        "Add member to role approval requested (PIM activation)",
        "success",
        "ava@tailspin.com",
        "Global Administrator",
      ],
      [
        at(-20 * 60 * MIN + 2 * MIN),
        "Add member to role request denied (PIM activation)",
        "success",
        "ole@tailspin.com",
        "Global Administrator",
      ],
      [
        at(-10 * 60 * MIN),
        "Add member to role requested (PIM activation)",
        "success",
        "ava@tailspin.com",
        "Global Administrator",
      ],
      [
        at(-10 * 60 * MIN),
        "Add member to role approval requested (PIM activation)",
        "success",
        "ava@tailspin.com",
        "Global Administrator",
      ],
      [
        at(-6 * 60 * MIN),
        "PIM activation request expired",
        "success",
        "Azure AD PIM",
        "Global Administrator",
      ],
      [
        at(-5 * 60 * MIN),
        "Add member to role requested (PIM activation)",
        "success",
        "ava@tailspin.com",
        "Ops Elevated",
      ],
      [
        at(-5 * 60 * MIN),
        "Add member to role completed (PIM activation)",
        "success",
        "ava@tailspin.com",
        "Ops Elevated",
      ],
      [
        at(-3 * 60 * MIN),
        "Add member to role requested (PIM activation)",
        "failure",
        "ava@tailspin.com",
        "Security Administrator",
      ],
      [
        at(-60 * MIN),
        "Add member to role requested (PIM activation)",
        "success",
        "ava@tailspin.com",
        "Global Administrator",
      ],
      [
        at(-60 * MIN),
        "Add member to role approval requested (PIM activation)",
        "success",
        "ava@tailspin.com",
        "Global Administrator",
      ],
    ]);
  });

  it("share one request id per activation and carry justification, requester and failure reason", () => {
    const approved = records.filter(
      (r) =>
        detail(r, "Justification") === "CHG-2 tenant setting" || r.activityDisplayName?.includes("approved"),
    );
    const requestIds = new Set(approved.map((r) => detail(r, "RequestId")));
    expect(requestIds.size).toBe(1);
    expect(approved.map((r) => r.correlationId)).toEqual(approved.map(() => [...requestIds][0]));
    const completed = approved.find(
      (r) => r.activityDisplayName === "Add member to role completed (PIM activation)",
    )!;
    // The activation's reason is its status reason, as Entra shows it.
    expect(completed.resultReason).toBe("CHG-2 tenant setting");
    expect(completed.targetResources!.map((t) => [t.type, t.userPrincipalName])).toEqual([
      ["Role", null],
      ["User", "ava@tailspin.com"],
    ]);
    const decision = approved.find((r) => r.activityDisplayName?.includes("approved"))!;
    expect(detail(decision, "Justification")).toBe("ok");
    const failed = records.find((r) => r.result === "failure")!;
    expect(failed.resultReason).toBe(
      "The following policy rules failed: MfaRule - Multi-factor authentication is required",
    );
    const group = records.find((r) => r.targetResources?.[0]?.type === "Group")!;
    expect(group).toMatchObject({ category: "GroupManagement" });
    expect(detail(group, "AccessId")).toBe("member");
    expect(records.every((r) => r.loggedByService === "PIM")).toBe(true);
  });

  it("every seed problem is reported at once", async () => {
    await expect(
      startEmulator({
        port: 0,
        seed: {
          ...SEED,
          activations: [
            { principal: "nobody@tailspin.com", role: "Global Administrator", at: "-P1D" },
            {
              principal: "ava@tailspin.com",
              role: "Global Administrator",
              group: "Ops Elevated",
              at: "-P1D",
            },
            { principal: "ava@tailspin.com", role: "Global Administrator", at: "-P1D", result: "failure" },
            {
              principal: "ava@tailspin.com",
              role: "Global Administrator",
              at: "-P1D",
              approval: { decision: "approved" },
            },
            {
              principal: "ava@tailspin.com",
              role: "Global Administrator",
              at: "-PT1H",
              approval: { decision: "expired", after: "P1D" },
            },
          ],
        },
      }),
    ).rejects.toThrow(
      new RegExp(
        [
          "activations\\[0\\]\\.principal: 'nobody@tailspin.com' matches no user",
          "activations\\[1\\]: needs exactly one of 'role' or 'group'",
          "activations\\[2\\]\\.reason: a failed activation needs a reason",
          "activations\\[3\\]\\.approval\\.after: needed unless the decision is pending",
          "activations\\[3\\]\\.approval\\.approver: needed when the request was approved",
          "activations\\[4\\]: its last record would be after the emulator's start",
        ].join("[\\s\\S]*"),
      ),
    );
  });
});
