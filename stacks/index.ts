/**
 * The Pulumi program: one stack = one tenant. Loads `stacks/<declarations>/` through the model, refuses to run on
 * any declaration error (listing every one, with file, line and fix), reports expired grants, builds the Tenant
 * and exports a summary a reviewer can read after `pulumi up`.
 *
 * Stack config (project namespace `pim`):
 *   declarations        folder under stacks/ holding tenant.yaml and grants/ (default: the stack name)
 *   graphBaseUrl        Graph base URL override (the local emulator); read by the providers, not here
 *   azureRolePolicies   ARM policy name per Azure role settings entry (see README.md, "Deploy to a tenant")
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Tenant, summarize } from "../components";
import {
  escapeControlChars,
  formatDiagnostic,
  loadStack,
  StackNotFoundError,
  type TenantModel,
} from "../model";
import { evaluateSafeDefaults } from "../policies/rules";

/**
 * The clock. `PIM_NOW` exists for the program tests: the demo's grants expire on real dates, so a test that read
 * the wall clock would change its resource count as the calendar moves. Any run that sets it says so loudly.
 */
export function programClock(env: NodeJS.ProcessEnv = process.env): Date {
  const text = env["PIM_NOW"];
  if (!text) return new Date();
  const now = new Date(text);
  if (Number.isNaN(now.getTime()))
    throw new pulumi.RunError(`PIM_NOW="${text}" is not a date-time; unset it (it is for tests only)`);
  pulumi.log.warn(
    `the clock is overridden: PIM_NOW=${now.toISOString()}; expiry is judged against that instant, not the current time`,
  );
  return now;
}

/** Loads and validates the declarations; a user's mistake becomes a `RunError` (printed without a stack trace). */
export function loadDeclarations(root: string, stack: string, now: Date): TenantModel {
  let result: ReturnType<typeof loadStack>;
  try {
    result = loadStack({ root, stack, now });
  } catch (e) {
    if (e instanceof StackNotFoundError) {
      throw new pulumi.RunError(
        `${e.message}. Set the stack config pim:declarations to the folder under stacks/ that holds tenant.yaml.`,
      );
    }
    throw e;
  }
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (!result.model || errors.length) {
    throw new pulumi.RunError(
      `stacks/${stack}: ${errors.length} problem(s) in the declarations; nothing was changed.\n\n` +
        `${errors.map(formatDiagnostic).join("\n")}\n\nRun \`npm run pim -- check --stack ${stack}\` to see them again without Pulumi.`,
    );
  }
  for (const d of result.diagnostics.filter((x) => x.severity === "warning" && x.code !== "grant-expired")) {
    pulumi.log.warn(formatDiagnostic(d));
  }
  return result.model;
}

/**
 * The safe-default rules, enforced by the program itself: a `pulumi up` run without `--policy-pack policies`
 * must not be a way around them. Mandatory findings that no exemption covers stop the run before any resource
 * is registered, exactly as `pim check` would fail the pull request.
 */
export function refuseUnsafe(model: TenantModel, now: Date): void {
  const blocking = evaluateSafeDefaults(model, { now }).filter((f) => f.mandatory);
  if (!blocking.length) return;
  // The same list `pim check` prints, with the same rule ids and severities; text from the declarations escaped.
  const lines = blocking.map((f) => {
    const where = f.source
      ? `${escapeControlChars(f.source.file)}:${f.source.line}:${f.source.column}: `
      : "";
    return `${where}${f.ruleId} (${f.severity}) ${escapeControlChars(f.object)}: ${escapeControlChars(f.message)}\n    fix: ${escapeControlChars(f.fix)}`;
  });
  throw new pulumi.RunError(
    `stacks/${model.stack}: ${blocking.length} mandatory safe-default finding(s); nothing was changed.\n\n` +
      `${lines.join("\n")}\n\nFix them, or exempt one with an end date under safeDefaults.exemptions ` +
      `(policies/README.md). \`npm run pim -- check --stack ${model.stack}\` shows the same list.`,
  );
}

const config = new pulumi.Config();
// `||`: Pulumi.yaml declares an empty default (a typed key without a default would be required in every stack).
const declarations = config.get("declarations") || pulumi.getStack();
const now = programClock();
const model = loadDeclarations(path.resolve(__dirname, ".."), declarations, now);
refuseUnsafe(model, now);

for (const g of model.grants.filter((x) => x.status === "expired")) {
  pulumi.log.warn(
    `${g.file}: ${g.kind} ${g.role.name} for ${g.principal.ref} expired on ${g.end}; it is not provisioned. ` +
      `Delete the file in a pull request, or extend end if the access is still needed.`,
  );
}
for (const pg of model.pimGroups) {
  const lists = {
    "members.eligible": pg.members.eligible,
    "members.active": pg.members.active,
    "owners.eligible": pg.owners.eligible,
    "owners.active": pg.owners.active,
  };
  for (const [where, list] of Object.entries(lists)) {
    for (const m of list.filter((x) => x.status === "expired")) {
      pulumi.log.warn(
        `PIM group "${pg.name}" ${where}: ${m.principal} expired on ${m.end}; it is not provisioned. Remove it from tenant.yaml.`,
      );
    }
  }
}

const tenant = new Tenant(declarations, {
  model,
  azurePolicyNames: config.getObject<Record<string, string>>("azureRolePolicies") ?? {},
});

const summary = summarize(model);
export const tenantName = summary.tenant;
export const evaluatedAt = summary.evaluatedAt;
export const roles = summary.roles;
export const grants = summary.grants;
export const expiredGrants = summary.expiredGrants;
export const breakGlass = summary.breakGlass;
export const tenantUrn = tenant.urn;
