/**
 * The outputs another package's provider would have answered, taken from the emulator's directory: the double has
 * no azuread plugin, so the object ids of the groups the program declares come from the offline tenant. Only what
 * exists there is answered; anything else fails loudly, as azuread would ("not found").
 *
 * The program resolves principals itself, through the project's Graph read layer, before it registers anything
 * (stacks/readDirectory.ts): pointed at the emulator by `pim:graphBaseUrl` and the deployer's client credentials,
 * those reads go to it directly. It makes no azuread invoke, so the double answers none (an invoke would fail).
 */
import type { RunningEmulator } from "../emulator/index";
import type { Registration } from "./monitor";
import type { ExternalOutputs } from "./deploy";
import type { JsonObject } from "./proto";

const byName = <T extends { displayName: string }>(all: Iterable<T>, name: unknown, what: string): T => {
  const hits = [...all].filter((x) => x.displayName === name);
  if (hits.length !== 1)
    throw new Error(`${what} "${String(name)}": ${hits.length} found in the emulator's tenant`);
  return hits[0]!;
};

/**
 * Outputs for azuread resources the program declares, on `up`: a `Group` gets the object id of the emulator's group
 * of that display name (the seed holds the demo's groups); other resources get nothing beyond their inputs.
 */
export function directoryOutputs(emu: RunningEmulator): (reg: Registration) => ExternalOutputs {
  return (reg) => {
    if (reg.type !== "azuread:index/group:Group") return { outputs: {} };
    const g = byName(emu.state.groups.values(), reg.inputs["displayName"], "group");
    const outputs: JsonObject = { objectId: g.id };
    return { id: g.id, outputs };
  };
}
