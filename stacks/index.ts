/**
 * The Pulumi program: one stack = one tenant. Loads `stacks/<declarations>/` through the model, refuses to run on
 * any declaration error (listing every one, with file, line and fix), checks that the stack configuration names
 * the declared tenant, reads what every name in the declarations means and verifies the break-glass accounts
 * (before anything is registered, so resource names can come from object ids), reports expired grants, builds the
 * Tenant and returns a summary a reviewer can read after `pulumi up` (the stack outputs).
 *
 * An async program (`export =` a function returning the outputs): Pulumi runs it and awaits it. The reads go
 * through the project's Graph layer with the providers' configuration, so a preview needs Graph read permissions
 * (README.md, "Permissions a preview needs").
 *
 * Stack config (project namespace `pim`):
 *   declarations        folder under stacks/ holding tenant.yaml and grants/ (default: the stack name)
 *   graphBaseUrl        Graph base URL override (the local emulator); read by the program's reads and the providers
 *   azureRolePolicies   ARM policy name per Azure role settings entry (see README.md, "Deploy to a tenant")
 * and `azuread:tenantId` (plus `azure-native:tenantId` when Azure roles are managed), equal to tenant.id.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Tenant, summarize } from "../components";
import { nameAliases, TENANT_NAME } from "../components/names";
import {
  escapeControlChars,
  formatDiagnostic,
  loadStack,
  StackNotFoundError,
  type TenantModel,
} from "../model";
import { evaluateSafeDefaults } from "../policies/rules";
import { graphForTenant, type ConfigSource } from "../providers/graph";
import { declaredTenantProblems } from "./declaredTenant";
import { readDirectory } from "./readDirectory";

/**
 * The clock. `PIM_NOW` exists for the program tests: the demo's grants expire on real dates, so a test that read
 * the wall clock would change its resource count as the calendar moves. Any run that sets it says so loudly.
 */
function programClock(env: NodeJS.ProcessEnv = process.env): Date {
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
function loadDeclarations(root: string, stack: string, now: Date): TenantModel {
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
function refuseUnsafe(model: TenantModel, now: Date): void {
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

/** Stack config as the Graph layer reads it (`<namespace>:<key>`), the same keys the providers receive. */
const stackConfig: ConfigSource = {
  get: (key) => {
    const i = key.indexOf(":");
    return new pulumi.Config(key.slice(0, i)).get(key.slice(i + 1));
  },
};

/** The stack configuration must name the declared tenant (see `declaredTenant.ts`). */
function refuseOtherTenant(model: TenantModel): void {
  const problems = declaredTenantProblems(
    model,
    { azuread: stackConfig.get("azuread:tenantId"), azureNative: stackConfig.get("azure-native:tenantId") },
    `stacks/Pulumi.${pulumi.getStack()}.yaml`,
  );
  if (problems.length) {
    throw new pulumi.RunError(
      `stacks/${model.stack}: the stack configuration does not name the declared tenant; nothing was changed.\n  - ${problems.map(escapeControlChars).join("\n  - ")}`,
    );
  }
}

function warnExpired(model: TenantModel): void {
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
}

interface ProgramOptions {
  /** The folder holding `stacks/` (default: the project root). For tests that run the program on other files. */
  root?: string;
}

/** The program. Everything that can refuse runs before the first registration. */
async function main(opts: ProgramOptions = {}) {
  const config = new pulumi.Config();
  // `||`: Pulumi.yaml declares an empty default (a typed key without a default would be required in every stack).
  const declarations = config.get("declarations") || pulumi.getStack();
  const now = programClock();
  const model = loadDeclarations(opts.root ?? path.resolve(__dirname, ".."), declarations, now);
  refuseUnsafe(model, now);
  refuseOtherTenant(model);
  const { directory, breakGlass } = await readDirectory(graphForTenant(model.tenant.id, stackConfig), model);
  warnExpired(model);

  // Named `tenant` whatever the folder: earlier releases named it (and prefixed everything) after the folder.
  const tenant = new Tenant(
    TENANT_NAME,
    {
      model,
      directory,
      breakGlass,
      azurePolicyNames: config.getObject<Record<string, string>>("azureRolePolicies") ?? {},
    },
    { aliases: nameAliases(TENANT_NAME, [declarations]) },
  );

  const summary = summarize(model);
  return {
    tenantName: summary.tenant,
    evaluatedAt: summary.evaluatedAt,
    roles: summary.roles,
    grants: summary.grants,
    expiredGrants: summary.expiredGrants,
    breakGlass: summary.breakGlass,
    tenantUrn: tenant.urn,
  };
}

// Pulumi calls the exported function; the helpers ride along for the program's own tests.
export = Object.assign(main, { programClock, loadDeclarations, refuseUnsafe });
