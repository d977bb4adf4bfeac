/**
 * The Graph client a command reaches a stack's tenant with, as the program does: stacks/Pulumi.<stack>.yaml's
 * `azuread:tenantId` (tokens are requested for and checked against it) and `pim:graphBaseUrl`. Without a stack
 * config (`pim import` of a new stack), PIM_GRAPH_* and the Azure credential decide.
 */
import * as fs from "node:fs";
import { graphForTenant, graphFromEnvironment, type GraphApi } from "../../providers/graph";
import { armForTenant, type ArmApi } from "../../providers/arm";
import { CliError } from "./errors";
import { EXIT } from "./io";
import { readStackConfig, stackConfigPath } from "./stackConfig";

export function graphForStack(root: string, stack: string, opts: { optional?: boolean } = {}): GraphApi {
  if (opts.optional && !fs.existsSync(stackConfigPath(root, stack))) return graphFromEnvironment();
  return stackTenant(root, stack).graph;
}

/** The stack's tenant id (`azuread:tenantId`, required) and the Graph client for it. */
export function stackTenant(root: string, stack: string): { graph: GraphApi; tenantId: string } {
  const config = readStackConfig(root, stack);
  const tenantId = config.get("azuread:tenantId");
  if (!tenantId)
    throw new CliError(
      `${config.file} has no azuread:tenantId`,
      EXIT.invalid,
      "set it to the tenant's id (tenant.id in tenant.yaml)",
    );
  return { graph: graphForTenant(tenantId, config), tenantId };
}

/**
 * The ARM client for the stack's tenant, with the identity Graph uses (`providers/arm/config.ts`): `pim:armBaseUrl`
 * or the cloud's ARM (the emulator when Graph is the emulator). Without a stack config (`optional`), PIM_* decide.
 * A function, so a command makes the client only when it has a scope to read: no Azure declaration, no ARM.
 */
export function armForStack(root: string, stack: string, opts: { optional?: boolean } = {}): () => ArmApi {
  return () => {
    if (opts.optional && !fs.existsSync(stackConfigPath(root, stack))) return armForTenant(undefined);
    const { tenantId } = stackTenant(root, stack);
    return armForTenant(tenantId, readStackConfig(root, stack));
  };
}
