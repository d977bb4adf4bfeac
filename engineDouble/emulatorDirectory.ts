/**
 * The lookups and outputs another package's provider would have answered, taken from the emulator's directory: the
 * double has no azuread plugin, so its invokes (`azuread:index/getUser:getUser`, ...) and the object ids of the
 * groups the program declares come from the offline tenant. Only what exists there is answered; anything else
 * fails loudly, as azuread would ("not found").
 */
import type { RunningEmulator } from "../emulator/index";
import type { Registration, InvokeHandler } from "./monitor";
import type { ExternalOutputs } from "./deploy";
import type { JsonObject } from "./proto";

const byName = <T extends { displayName: string }>(all: Iterable<T>, name: unknown, what: string): T => {
  const hits = [...all].filter((x) => x.displayName === name);
  if (hits.length !== 1)
    throw new Error(`${what} "${String(name)}": ${hits.length} found in the emulator's tenant`);
  return hits[0]!;
};

/** Invoke handlers for the azuread lookups this project makes, answered from the emulator's tenant. */
export function directoryInvokes(emu: RunningEmulator): Record<string, InvokeHandler> {
  const s = () => emu.state;
  return {
    "azuread:index/getUser:getUser": (args) => {
      const u = s().findUser(String(args["userPrincipalName"] ?? args["objectId"] ?? ""));
      if (!u)
        throw new Error(`user "${String(args["userPrincipalName"])}" not found in the emulator's tenant`);
      return { ...args, objectId: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName };
    },
    "azuread:index/getGroup:getGroup": (args) => ({
      ...args,
      objectId: byName(s().groups.values(), args["displayName"], "group").id,
    }),
    "azuread:index/getServicePrincipal:getServicePrincipal": (args) => ({
      ...args,
      objectId: byName(s().servicePrincipals.values(), args["displayName"], "service principal").id,
    }),
    "azuread:index/getAdministrativeUnit:getAdministrativeUnit": (args) => ({
      ...args,
      objectId: byName(s().administrativeUnits.values(), args["displayName"], "administrative unit").id,
    }),
    "azuread:index/getApplication:getApplication": (args) => ({
      ...args,
      objectId: byName(s().applications.values(), args["displayName"], "application").id,
    }),
  };
}

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
